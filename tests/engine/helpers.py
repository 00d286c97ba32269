"""Shared pieces for engine tests: plan a seeded scenario, run the engine, count what it made."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from v6wizard.aws.discovery import discover
from v6wizard.aws.session import AwsAccess
from v6wizard.core.plan import Plan, PlanOptions
from v6wizard.core.planner import build_plan
from v6wizard.engine.events import EngineEvent
from v6wizard.journal import open_journal
from v6wizard.journal.base import Journal

NETWORK_STEPS = "security-groups"
"""`--until` for runs that stop before the Lambda steps (cheaper, no waiters)."""


def make_plan(access: AwsAccess, vpc_id: str, **options: Any) -> Plan:
    return build_plan(discover(access, vpc_id), PlanOptions(**options))


def replan_leftovers(access: AwsAccess, vpc_id: str, **options: Any) -> list[str]:
    """Actions a fresh plan still wants after an apply (cutover excluded: it is not part of these runs)."""
    plan = build_plan(discover(access, vpc_id), PlanOptions(**options))
    return [a.id for a in plan.actions() if a.step != "cutover"]


def journal_at(path: Path) -> Journal:
    return open_journal(str(path))


class Events(list[EngineEvent]):
    """Every event the engine emitted, in order."""

    def kinds(self) -> list[str]:
        return [e.kind for e in self]

    def of(self, kind: str) -> list[EngineEvent]:
        return [e for e in self if e.kind == kind]


def created_counts(access: AwsAccess, vpc_id: str) -> Counter[str]:
    """How many of each thing v6wizard creates exist now (to prove nothing was duplicated)."""
    ec2 = access.client("ec2")
    counts: Counter[str] = Counter()
    for gateway in ec2.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"]:
        if any(a.get("VpcId") == vpc_id for a in gateway.get("Attachments") or []):
            counts["eigw"] += 1
    for table in ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]:
        counts["ipv6-default-route"] += sum(1 for r in table["Routes"] if r.get("DestinationIpv6CidrBlock") == "::/0")
    for rule in ec2.describe_security_group_rules()["SecurityGroupRules"]:
        if rule.get("CidrIpv6") == "::/0":
            counts["sg-ipv6-rule"] += 1
    lam = access.client("lambda")
    for fn in lam.list_functions()["Functions"]:
        versions = lam.list_versions_by_function(FunctionName=fn["FunctionName"])["Versions"]
        counts["versions"] += sum(1 for v in versions if v["Version"] != "$LATEST")
    return counts
