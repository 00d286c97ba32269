"""Discover then estimate: the sequences every face (CLI, TUI, plan) uses for the savings report."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from v6wizard.aws.session import AwsAccess
from v6wizard.core.inventory import Inventory
from v6wizard.core.prices import Prices
from v6wizard.core.savings import SavingsEstimate
from v6wizard.core.savings_outcome import SavingsOutcome, what_it_did
from v6wizard.core.savings_render import RegionSavings

DEFAULT_DAYS = 14


def vpc_savings(
    access: AwsAccess,
    vpc_id: str,
    *,
    days: int = DEFAULT_DAYS,
    prices: Prices | None,
    inventory: Inventory | None = None,
    migrated_subnet_ids: Iterable[str] | None = None,
    ipv4_only_services: list[str] | None = None,
    now: datetime | None = None,
    flow_timeout: float | None = None,
    cancel: threading.Event | None = None,
) -> SavingsEstimate:
    """The estimate for one VPC (discovering it unless its inventory is given)."""
    from v6wizard.aws.discovery import discover
    from v6wizard.aws.savings_reads import read_vpc_savings

    inventory = inventory or discover(access, vpc_id, cancel=cancel)
    return read_vpc_savings(
        access, inventory, days=days, prices=prices, migrated_subnet_ids=migrated_subnet_ids,
        ipv4_only_services=ipv4_only_services, now=now, flow_timeout=flow_timeout, cancel=cancel,
    )


def region_savings(access: AwsAccess, *, days: int = DEFAULT_DAYS, prices: Prices | None, now: datetime | None = None,
                   cancel: threading.Event | None = None) -> RegionSavings:
    from v6wizard.aws.savings_reads import read_region_savings

    return read_region_savings(access, days=days, prices=prices, now=now, cancel=cancel)


def session_times(plan: Any, entries: list[Any]) -> tuple[datetime | None, datetime | None]:
    """When the session first applied anything, and when its last step (the cutover) finished applying.

    The finish is the last apply outcome once every action of the plan's last
    non-empty step has one; a session without functions finishes with its routes.
    """
    applied = [e for e in entries if e.phase == "apply"]
    first = min((e.at for e in applied if e.kind == "intent"), default=None)
    last_step = next((s for s in reversed(plan.steps) if s.actions), None)
    if last_step is None:
        return first, None
    wanted = {a.id for a in last_step.actions}
    outcomes = {e.action_id: e.at for e in applied if e.kind == "outcome" and e.action_id in wanted}
    rolled_back = any(e.phase == "rollback" and e.kind == "outcome" and e.action_id in wanted for e in entries)
    finished = max(outcomes.values()) if len(outcomes) == len(wanted) and not rolled_back else None
    return first, finished


def session_outcome(access: AwsAccess, journal: Any, session_id: str, *, days: int = DEFAULT_DAYS, prices: Prices | None,
                    now: datetime | None = None, cancel: threading.Event | None = None) -> SavingsOutcome:
    """What the session's migration did to its VPC's NAT processing, from the last `days` days of metrics."""
    from v6wizard.aws.discovery import discover
    from v6wizard.aws.errors import translate
    from v6wizard.aws.savings_reads import window

    info, plan = journal.session(session_id), journal.plan(session_id)
    first, finished = session_times(plan, journal.entries(session_id))
    start, end = window(days, now or datetime.now(timezone.utc))
    inventory = discover(access, info.vpc_id, cancel=cancel)
    try:
        return outcome_from_metrics(access.client("cloudwatch"), [n.id for n in inventory.nat_gateways], session_id=session_id,
                                    vpc_id=info.vpc_id, region=info.region, first=first, finished=finished,
                                    start=start, end=end, prices=prices, cancel=cancel)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one user sentence
        raise translate(exc, access.target, doing=f"reading the NAT metrics of {info.vpc_id}") from None


def outcome_from_metrics(cloudwatch: Any, nat_ids: list[str], *, session_id: str, vpc_id: str, region: str,
                         first: datetime | None, finished: datetime | None, start: datetime, end: datetime,
                         prices: Prices | None, cancel: threading.Event | None = None) -> SavingsOutcome:
    """Read the VPC's NAT gateways' processed bytes per hour (all gateways together) and compare before with after."""
    from v6wizard.aws.savings_metrics import read_nat_bytes
    from v6wizard.core.savings import HourlyBytes

    merged: dict[datetime, float] = {}
    for points in read_nat_bytes(cloudwatch, nat_ids, start, end, cancel=cancel).processed.values():
        for point in points:
            merged[point.at] = merged.get(point.at, 0.0) + point.bytes
    return what_it_did(
        session_id=session_id, vpc_id=vpc_id, region=region,
        hours=[HourlyBytes(at=at, bytes=b) for at, b in sorted(merged.items())],
        window_start=start, now=end, first_applied_at=first, cutover_finished_at=finished, prices=prices,
    )
