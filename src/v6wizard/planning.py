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
) -> Plan:
    """Read the VPC (read-only calls only) and build its plan."""
    inventory = discover(access, vpc_id, cancel=cancel, on_progress=on_progress)
    plan = build_plan(inventory, options)
    return plan.model_copy(update={"savings": plan_savings(access, inventory, plan, cancel=cancel)})


def plan_savings(access: AwsAccess, inventory: Inventory, plan: Plan, *, cancel: threading.Event | None = None) -> SavingsEstimate | None:
    """The savings section of the plan's chosen subnets, from routes only (no Logs Insights scan per plan).

    None when the NAT metrics cannot be read (no cloudwatch:GetMetricData, say): a plan
    must not depend on permissions that only its savings section needs.
    """
    from v6wizard.aws.savings_reads import read_vpc_savings
    from v6wizard.core.prices import price_for
    from v6wizard.errors import AwsCallFailed

    try:
        return read_vpc_savings(access, inventory, days=14, prices=price_for(inventory.region),
                                migrated_subnet_ids=plan.options.subnet_ids, flow_logs=False, cancel=cancel)
    except AwsCallFailed:
        return None
