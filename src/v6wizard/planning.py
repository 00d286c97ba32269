"""Discover then plan: the one sequence every face (CLI, TUI) uses to make a plan."""

from __future__ import annotations

import threading
from collections.abc import Callable

from v6wizard.aws.discovery import discover
from v6wizard.aws.session import AwsAccess
from v6wizard.core.plan import Plan, PlanOptions
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
    return build_plan(inventory, options, report, endpoints)
