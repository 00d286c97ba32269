"""Cutover fixtures: dual-stack Lambda functions with a `live` alias in the emulator, a fake clock,
a real SQLite journal with a session, a plan with cutover actions, and per-version metrics."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from v6wizard.aws.executor import Executor
from v6wizard.aws.session import AwsAccess
from v6wizard.core.plan import STEP_ORDER, STEP_TITLES, Action, AwsCall, Plan, PlanOptions, Postcondition, Step
from v6wizard.core.schedule import parse_schedule
from v6wizard.engine.cutover import CutoverRunner, CutoverSettings
from v6wizard.engine.cutover_control import CutoverControl
from v6wizard.engine.events import EngineEvent
from v6wizard.journal import open_journal
from v6wizard.journal.base import Journal

from .clocks import FakeClock


@dataclass
class Fn:
    name: str
    old: str
    new: str
    alias: str = "live"


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", source)
    return buffer.getvalue()


@pytest.fixture
def network(access: AwsAccess) -> dict[str, str]:
    """A VPC with an Amazon /56, one subnet holding a /64, a security group and a Lambda role."""
    ec2 = access.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.associate_vpc_cidr_block(VpcId=vpc, AmazonProvidedIpv6CidrBlock=True)
    deadline = time.monotonic() + 10
    while True:  # the association starts `associating` on AWS; there is no waiter
        assocs = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0].get("Ipv6CidrBlockAssociationSet", [])
        live = [a for a in assocs if a["Ipv6CidrBlockState"]["State"] == "associated"]
        if live:
            block = live[0]["Ipv6CidrBlock"]
            break
        assert time.monotonic() < deadline, "VPC IPv6 block never associated"
        time.sleep(0.05)
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    first64 = block.split("::/")[0].rstrip(":") + "::/64"
    ec2.associate_subnet_cidr_block(SubnetId=subnet, Ipv6CidrBlock=first64)
    group = ec2.create_security_group(GroupName="fn", Description="fn", VpcId=vpc)["GroupId"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = access.client("iam").create_role(RoleName="fn-role", AssumeRolePolicyDocument=json.dumps(policy))["Role"]["Arn"]
    return {"vpc": vpc, "subnet": subnet, "group": group, "role": role}


@pytest.fixture
def make_function(access: AwsAccess, network: dict[str, str]) -> Callable[..., Fn]:
    """A function with version 1 (IPv4), version 2 (dual-stack, same code) and alias `live` on 1."""

    def make(name: str = "orders", *, new_code: str | None = None, new_role: str | None = None, alias: bool = True) -> Fn:
        lam = access.client("lambda")
        vpc_config = {"SubnetIds": [network["subnet"]], "SecurityGroupIds": [network["group"]]}
        lam.create_function(
            FunctionName=name, Runtime="python3.12", Role=network["role"], Handler="index.handler",
            Code={"ZipFile": _zip("def handler(event, context):\n    return 1\n")}, VpcConfig=vpc_config,
        )
        old = lam.publish_version(FunctionName=name)["Version"]
        if new_code is not None:
            lam.update_function_code(FunctionName=name, ZipFile=_zip(new_code))
            lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
        changed: dict[str, Any] = {"VpcConfig": {**vpc_config, "Ipv6AllowedForDualStack": True}}
        if new_role is not None:  # the new version runs as another role (rule 7 refuses the split)
            changed["Role"] = access.client("iam").create_role(RoleName=new_role, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        lam.update_function_configuration(FunctionName=name, **changed)
        lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
        new = lam.publish_version(FunctionName=name)["Version"]
        assert new != old
        if alias:
            lam.create_alias(FunctionName=name, Name="live", FunctionVersion=old)
        return Fn(name=name, old=old, new=new)

    return make


def cutover_action(fn: Fn, *, placeholder: bool = True) -> Action:
    new = f"${{functions:publish:{fn.name}.Version}}" if placeholder else fn.new
    cleared = {"AdditionalVersionWeights": {}}
    return Action(
        id=f"cutover:shift:{fn.name}",
        step="cutover",
        kind="cutover-alias",
        resource_id=fn.name,
        title=f"Shift {fn.name}:{fn.alias} to the dual-stack version",
        before=f"{fn.alias} on version {fn.old}",
        after=f"{fn.alias} on the dual-stack version",
        call=AwsCall(service="lambda", operation="UpdateAlias", params={"FunctionName": fn.name, "Name": fn.alias, "FunctionVersion": new, "RoutingConfig": cleared}),
        postcondition=Postcondition(check="alias-on-version", description="alias on the new version"),
        inverse=AwsCall(service="lambda", operation="UpdateAlias", params={"FunctionName": fn.name, "Name": fn.alias, "FunctionVersion": fn.old, "RoutingConfig": cleared}),
    )


def make_plan(fns: list[Fn], schedule: str) -> Plan:
    actions = [cutover_action(fn) for fn in fns]
    steps = [Step(name=name, title=STEP_TITLES[name], actions=actions if name == "cutover" else []) for name in STEP_ORDER]
    return Plan(
        account_id="123456789012", region="us-east-1", vpc_id="vpc-test",
        options=PlanOptions(schedule=parse_schedule(schedule)), steps=steps, fingerprint="test",
    )


def outputs_for(fns: list[Fn]) -> dict[str, dict[str, Any]]:
    return {f"functions:publish:{fn.name}": {"Version": fn.new} for fn in fns}


@pytest.fixture
def journal(tmp_path) -> Iterator[Journal]:
    opened = open_journal(str(tmp_path / "journal.sqlite"))
    yield opened
    opened.close()


@dataclass
class Harness:
    """Everything one cutover test needs, wired to the emulator and a real journal."""

    access: AwsAccess
    journal: Journal
    clock: FakeClock
    plan: Plan
    session_id: str
    fns: list[Fn]
    events: list[EngineEvent] = field(default_factory=list)
    control: CutoverControl = field(default_factory=CutoverControl)

    def runner(self, clock: Any | None = None, **settings: Any) -> CutoverRunner:
        settings.setdefault("poll_interval", 60)
        settings.setdefault("min_invocations", 10)
        return CutoverRunner(
            self.access, Executor(self.access), self.journal, self.session_id, self.plan,
            CutoverSettings(**settings), self.events.append, clock=clock or self.clock, control=self.control,
        )

    def run(self, clock: Any | None = None, **settings: Any) -> None:
        self.runner(clock, **settings).run(self.plan.actions(["cutover"]), outputs_for(self.fns))

    def alias(self, fn: Fn) -> dict[str, Any]:
        return self.access.client("lambda").get_alias(FunctionName=fn.name, Name=fn.alias)

    def entries(self, fn: Fn, kind: str | None = None) -> list[Any]:
        return [
            e for e in self.journal.entries(self.session_id)
            if e.action_id == f"cutover:shift:{fn.name}" and (kind is None or e.kind == kind)
        ]

    def put(self, fn: Fn, version: str, at: datetime, *, invocations: int = 0, errors: int = 0,
            throttles: int = 0, durations: list[float] | None = None) -> None:
        """Write per-version metrics as Lambda would, timestamped at `at`."""
        dims = [
            {"Name": "FunctionName", "Value": fn.name},
            {"Name": "Resource", "Value": f"{fn.name}:{fn.alias}"},
            {"Name": "ExecutedVersion", "Value": version},
        ]
        data: list[dict[str, Any]] = []
        for name, value in (("Invocations", invocations), ("Errors", errors), ("Throttles", throttles)):
            data.append({"MetricName": name, "Dimensions": dims, "Timestamp": at, "Value": float(value), "Unit": "Count"})
        if durations:
            data.append({"MetricName": "Duration", "Dimensions": dims, "Timestamp": at, "Values": durations, "Unit": "Milliseconds"})
        self.access.client("cloudwatch").put_metric_data(Namespace="AWS/Lambda", MetricData=data)

    def healthy_traffic(self, fn: Fn, start: datetime, minutes: int, *, per_minute: int = 100,
                        new_errors: int = 0, new_p99: float = 100.0, from_minute: int = 0) -> None:
        """Both versions serving normally every minute; optionally worse numbers for the new one."""
        for minute in range(minutes):
            at = start + timedelta(seconds=60 * minute + 10)
            bad = minute >= from_minute
            self.put(fn, fn.old, at, invocations=per_minute, errors=0, durations=[100.0] * 20)
            self.put(fn, fn.new, at, invocations=per_minute, errors=new_errors if bad else 0,
                     durations=[new_p99 if bad else 100.0] * 20)


@pytest.fixture
def harness(access: AwsAccess, journal: Journal, make_function: Callable[..., Fn]) -> Callable[..., Harness]:
    def build(names: tuple[str, ...] = ("orders",), schedule: str = "10%:5m,50%:5m,100%", **fn_kwargs: Any) -> Harness:
        fns = [make_function(name, **fn_kwargs) for name in names]
        plan = make_plan(fns, schedule)
        session = journal.create_session(plan)
        return Harness(access=access, journal=journal, clock=FakeClock(), plan=plan, session_id=session.id, fns=fns)

    return build
