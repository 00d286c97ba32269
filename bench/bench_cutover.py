"""Cutover detection latency: first failing datapoint readable -> alias back on the old version.

    python bench/bench_cutover.py [--trials N] [--poll SECONDS] [--latency SECONDS] [--write]

Starts the emulator (strictness layer on), makes a dual-stack function with a `live`
alias, and for each trial starts a real-clock cutover (`10%:10m,100%`, poll 0.5 s by
default) in a thread. Once it has polled a few times on healthy traffic, the bench
puts an error spike for the new version and notes the time the datapoint became
readable (PutMetricData returned); a botocore after-call hook notes when the
UpdateAlias that puts the alias back on the old version returned. The target is one
poll interval plus two API round trips (the metrics read and the UpdateAlias).
--latency adds that much server-side delay to every request (a network stand-in).
--write replaces the "## Cutover" section of bench/README.md with the results.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from readme import write_section

SECTION = "## Cutover"
FUNCTION = "bench-fn"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


def seed(access: Any) -> tuple[str, str]:
    """A VPC with an IPv6 block, a dual-stack subnet, a function with versions old and new."""
    ec2, lam = access.client("ec2"), access.client("lambda")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.associate_vpc_cidr_block(VpcId=vpc, AmazonProvidedIpv6CidrBlock=True)
    deadline = time.monotonic() + 10
    while True:
        assocs = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0].get("Ipv6CidrBlockAssociationSet", [])
        live = [a["Ipv6CidrBlock"] for a in assocs if a["Ipv6CidrBlockState"]["State"] == "associated"]
        if live:
            break
        if time.monotonic() > deadline:
            raise SystemExit("the VPC IPv6 block never became associated")
        time.sleep(0.05)
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    ec2.associate_subnet_cidr_block(SubnetId=subnet, Ipv6CidrBlock=live[0].split("::/")[0].rstrip(":") + "::/64")
    group = ec2.create_security_group(GroupName="fn", Description="fn", VpcId=vpc)["GroupId"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = access.client("iam").create_role(RoleName="fn-role", AssumeRolePolicyDocument=json.dumps(policy))["Role"]["Arn"]
    vpc_config = {"SubnetIds": [subnet], "SecurityGroupIds": [group]}
    lam.create_function(FunctionName=FUNCTION, Runtime="python3.12", Role=role, Handler="index.handler", Code={"ZipFile": _zip()}, VpcConfig=vpc_config)
    old = lam.publish_version(FunctionName=FUNCTION)["Version"]
    lam.update_function_configuration(FunctionName=FUNCTION, VpcConfig={**vpc_config, "Ipv6AllowedForDualStack": True})
    lam.get_waiter("function_updated_v2").wait(FunctionName=FUNCTION, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    new = lam.publish_version(FunctionName=FUNCTION)["Version"]
    lam.create_alias(FunctionName=FUNCTION, Name="live", FunctionVersion=old)
    return old, new


def put(access: Any, version: str, at: datetime, invocations: int, errors: int) -> None:
    dims = [
        {"Name": "FunctionName", "Value": FUNCTION},
        {"Name": "Resource", "Value": f"{FUNCTION}:live"},
        {"Name": "ExecutedVersion", "Value": version},
    ]
    data = [
        {"MetricName": "Invocations", "Dimensions": dims, "Timestamp": at, "Value": float(invocations), "Unit": "Count"},
        {"MetricName": "Errors", "Dimensions": dims, "Timestamp": at, "Value": float(errors), "Unit": "Count"},
        {"MetricName": "Duration", "Dimensions": dims, "Timestamp": at, "Values": [100.0] * 10, "Unit": "Milliseconds"},
    ]
    access.client("cloudwatch").put_metric_data(Namespace="AWS/Lambda", MetricData=data)


def plan_for(old: str, new: str) -> Any:
    from v6wizard.core.plan import STEP_ORDER, STEP_TITLES, Action, AwsCall, Plan, PlanOptions, Postcondition, Step
    from v6wizard.core.schedule import parse_schedule

    cleared = {"AdditionalVersionWeights": {}}
    action = Action(
        id=f"cutover:shift:{FUNCTION}", step="cutover", kind="cutover-alias", resource_id=FUNCTION,
        title="shift", before=f"version {old}", after=f"version {new}",
        call=AwsCall(service="lambda", operation="UpdateAlias", params={"FunctionName": FUNCTION, "Name": "live", "FunctionVersion": new, "RoutingConfig": cleared}),
        postcondition=Postcondition(check="alias-on-version", description="alias on the new version"),
        inverse=AwsCall(service="lambda", operation="UpdateAlias", params={"FunctionName": FUNCTION, "Name": "live", "FunctionVersion": old, "RoutingConfig": cleared}),
    )
    steps = [Step(name=n, title=STEP_TITLES[n], actions=[action] if n == "cutover" else []) for n in STEP_ORDER]
    return Plan(account_id="123456789012", region="us-east-1", vpc_id="vpc-bench",
                options=PlanOptions(schedule=parse_schedule("10%:10m,100%")), steps=steps, fingerprint="bench")


class Timings:
    """botocore hooks: when each call started and returned, and when the alias went back."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started: dict[int, float] = {}
        self.round_trips: dict[str, list[float]] = {}
        self.rolled_back_at: float | None = None
        self.old = ""

    def before(self, model: Any = None, **_: Any) -> None:
        with self.lock:
            self.started[threading.get_ident()] = time.perf_counter()

    def after(self, model: Any = None, parsed: Any = None, **_: Any) -> None:
        now = time.perf_counter()
        with self.lock:
            began = self.started.pop(threading.get_ident(), now)
            self.round_trips.setdefault(model.name, []).append(now - began)
            if model.name == "UpdateAlias" and parsed and parsed.get("FunctionVersion") == self.old:
                if not (parsed.get("RoutingConfig") or {}).get("AdditionalVersionWeights"):
                    self.rolled_back_at = now


def trial(emulator: Any, poll: float, latency: float) -> dict[str, float]:
    from v6wizard.aws.executor import Executor
    from v6wizard.aws.session import AwsAccess, AwsTarget
    from v6wizard.engine.cutover import CutoverRunner, CutoverSettings
    from v6wizard.errors import HealthGateFailed
    from v6wizard.journal import open_journal

    emulator.reset()
    timings = Timings()
    access = AwsAccess(
        AwsTarget(region="us-east-1", endpoint_url=emulator.endpoint),
        event_hooks=[("before-call", timings.before), ("after-call", timings.after)],
    )
    old, new = seed(access)
    timings.old = old
    emulator.faults.latency = latency
    plan = plan_for(old, new)
    with tempfile.TemporaryDirectory() as tmp:
        journal = open_journal(str(Path(tmp) / "journal.sqlite"))
        session = journal.create_session(plan)
        polls = threading.Semaphore(0)
        stage_started: list[datetime] = []

        def on_event(event: Any) -> None:
            if event.kind == "cutover-stage":
                stage_started.append(datetime.fromisoformat(event.data["stage_started_at"]))
            if event.kind == "cutover-poll":
                polls.release()

        settings = CutoverSettings(poll_interval=poll, min_invocations=10)
        runner = CutoverRunner(access, Executor(access), journal, session.id, plan, settings, on_event)
        failure: list[BaseException] = []

        def run() -> None:
            try:
                runner.run(plan.actions(["cutover"]), {})
            except HealthGateFailed as error:
                failure.append(error)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        if not polls.acquire(timeout=30):
            raise SystemExit("the cutover never polled")
        start = stage_started[0]
        put(access, old, start, 200, 0)
        put(access, new, start, 200, 0)
        for _ in range(2):
            polls.acquire(timeout=30)
        # Timestamped a second back so the very next read's window (end truncated to seconds) holds it.
        put(access, new, datetime.now(timezone.utc) - timedelta(seconds=1), 200, 60)
        readable_at = time.perf_counter()
        worker.join(timeout=60)
        journal.close()
    emulator.faults.latency = 0.0
    if not failure or timings.rolled_back_at is None:
        raise SystemExit("the error spike was not rolled back")
    rts = timings.round_trips
    return {
        "latency": timings.rolled_back_at - readable_at,
        "metrics_rt": statistics.median(rts["GetMetricData"]),
        "update_rt": statistics.median(rts["UpdateAlias"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--poll", type=float, default=0.5)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIABENCHBENCHBENCH0")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench-secret-never-written")
    os.environ.setdefault("AWS_REGION", "us-east-1")
    from v6wizard.emulator import start_emulator

    results = []
    with start_emulator(strict=True) as emulator:
        for number in range(args.trials):
            results.append(trial(emulator, args.poll, args.latency))
            print(f"trial {number + 1}: {results[-1]['latency'] * 1000:.0f} ms", file=sys.stderr)
    latencies = sorted(r["latency"] for r in results)
    metrics_rt = statistics.median(r["metrics_rt"] for r in results)
    update_rt = statistics.median(r["update_rt"] for r in results)
    target = args.poll + metrics_rt + update_rt
    within = sum(1 for value in latencies if value <= target)
    text = f"""{SECTION}

`python bench/bench_cutover.py --trials {args.trials} --poll {args.poll:g} --latency {args.latency:g} --write` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}; moto behind the strictness layer, on loopback{f', {args.latency * 1000:.0f} ms added per request' if args.latency else ''}.

Detection latency: from the first failing datapoint being readable (PutMetricData returned) to the UpdateAlias that puts the alias back on the old version returning. Real clock, poll every {args.poll:g} s, schedule `10%:10m,100%`, gate: error rate.

| trials | p50 ms | max ms | target ms (poll + GetMetricData + UpdateAlias) | within target |
|---:|---:|---:|---:|---:|
| {len(latencies)} | {statistics.median(latencies) * 1000:.0f} | {latencies[-1] * 1000:.0f} | {target * 1000:.0f} | {within}/{len(latencies)} |

Round trips (medians): GetMetricData {metrics_rt * 1000:.0f} ms, UpdateAlias {update_rt * 1000:.0f} ms. Polls run at a fixed rate (time spent polling does not stretch the interval), and a failed gate rolls back with one UpdateAlias conditional on the RevisionId the cutover last left (a change by someone else still answers 412), so the worst case is one interval plus the metrics read plus the UpdateAlias. The bench puts each spike right after a poll has read the metrics, so every trial measures that worst phase (a random phase averages half an interval less). On AWS, Lambda's metrics reach CloudWatch a minute or more after the invocations: that delay comes before "readable" and is not the cutover's.
"""
    print(text)
    if args.write:
        write_section(SECTION, text.rstrip() + "\n\n")


if __name__ == "__main__":
    main()
