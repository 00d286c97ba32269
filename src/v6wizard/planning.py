"""Discover then plan: the one sequence every face (CLI, TUI) uses to make a plan."""

from __future__ import annotations

import threading
from collections.abc import Callable

from v6wizard.aws.discovery import discover
from v6wizard.aws.session import AwsAccess
from v6wizard.core.inventory import Inventory
from v6wizard.core.plan import Plan, PlanOptions
from v6wizard.core.savings import SavingsEstimate
from v6wizard.core.planner import build_plan


def make_plan(
    access: AwsAccess,
    vpc_id: str,
    options: PlanOptions,
    *,
    cancel: threading.Event | None = None,
    on_progress: Callable[[str], None] | None = None,
    readiness: bool | None = None,
) -> Plan:
    """Read the VPC (read-only calls only) and build its plan.

    The VPC's endpoints are always read (for the IPv6 ingress of dual-stack interface
    endpoints); the readiness report too when `options.sdk_endpoints` is on or
    `readiness` asks for it.
    """
    from v6wizard.aws.readiness_reads import endpoints_of, read_readiness

    inventory = discover(access, vpc_id, cancel=cancel, on_progress=on_progress)
    endpoints = endpoints_of(access, vpc_id)
    report = None
    if options.sdk_endpoints or readiness:
        report = read_readiness(access, inventory, options.function_names, dns_server=options.dns_server, endpoints=endpoints)
    plan = build_plan(inventory, options, report, endpoints)
    ipv4_only = report.nat_stays_for if report is not None else None
    return plan.model_copy(update={"savings": plan_savings(access, inventory, plan, ipv4_only_services=ipv4_only, cancel=cancel)})


def plan_savings(
    access: AwsAccess,
    inventory: Inventory,
    plan: Plan,
    *,
    ipv4_only_services: list[str] | None = None,
    cancel: threading.Event | None = None,
) -> SavingsEstimate | None:
    """The savings section of the plan's chosen subnets, from routes only (no Logs Insights scan per plan).

    None when the NAT metrics cannot be read (no cloudwatch:GetMetricData, say): a plan
    must not depend on permissions that only its savings section needs.
    """
    from v6wizard.aws.savings_reads import read_vpc_savings
    from v6wizard.core.prices import price_for
    from v6wizard.errors import AwsCallFailed

    try:
        return read_vpc_savings(access, inventory, days=14, prices=price_for(inventory.region),
                                migrated_subnet_ids=plan.options.subnet_ids, ipv4_only_services=ipv4_only_services,
                                flow_logs=False, cancel=cancel)
    except AwsCallFailed:
        return None
