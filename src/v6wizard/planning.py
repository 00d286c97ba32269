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
) -> Plan:
    """Read the VPC (read-only calls only) and build its plan."""
    inventory = discover(access, vpc_id, cancel=cancel, on_progress=on_progress)
    return build_plan(inventory, options)
