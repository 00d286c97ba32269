"""The savings reads the screens need, as blocking calls for thread workers, and the messages they post.

Nothing here touches a widget. Each read returns a `SavingsRead` message carrying
the report, or the one-sentence reason it could not be read (a missing
cloudwatch:GetMetricData permission must not stop a migration, so it is shown in
the panel instead of the error dialog).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from v6wizard.errors import V6WizardError

DAYS = 14
_region_cache: dict[tuple[str, str], Any] = {}
_cache_lock = threading.Lock()


@dataclass
class SavingsRead(Message):
    """A savings report (estimate, region ranking or outcome) or the sentence saying why there is none."""

    report: Any | None
    error: str = ""


def _prices(region: str) -> Any:
    from v6wizard.core.prices import price_for

    return price_for(region)


def plan_savings(backend: Any, inventory: Any, plan: Any) -> SavingsRead:
    """The chosen subnets' estimate, from routes only as in `v6wizard plan` (no Logs Insights scan, and bill, per look)."""
    from v6wizard.aws.savings_reads import read_vpc_savings

    try:
        report = read_vpc_savings(backend.access, inventory, days=DAYS, prices=_prices(inventory.region),
                                  migrated_subnet_ids=plan.options.subnet_ids, flow_logs=False, cancel=backend.cancel)
    except V6WizardError as exc:
        return SavingsRead(None, str(exc))
    return SavingsRead(report)


def region_savings(backend: Any, *, fresh: bool = False) -> SavingsRead:
    """The region's VPCs ranked by what they could save; read once per connection (the Start and Choose screens
    share it) unless `fresh` asks to read it again (f5)."""
    from v6wizard.aws.savings_reads import read_region_savings

    key = (backend.access.region, backend.access.target.endpoint_url or "")
    with _cache_lock:
        cached = _region_cache.get(key)
    if cached is not None and cached[0] is backend and not fresh:
        return SavingsRead(cached[1])
    try:
        report = read_region_savings(backend.access, days=DAYS, prices=_prices(backend.access.region), cancel=backend.cancel)
    except V6WizardError as exc:
        return SavingsRead(None, str(exc))
    with _cache_lock:
        _region_cache[key] = (backend, report)
    return SavingsRead(report)


def session_outcome(backend: Any, session_id: str) -> SavingsRead:
    """What the session did to its VPC's NAT processing (discovery runs in the helper process)."""
    from datetime import datetime, timezone

    from v6wizard.aws.savings_reads import window
    from v6wizard.savings_flow import outcome_from_metrics, session_times

    try:
        plan = backend.session_plan(session_id)
        first, finished = session_times(plan, backend.session_entries(session_id))
        start, end = window(DAYS, datetime.now(timezone.utc))
        inventory = backend.discover(plan.vpc_id)
        return SavingsRead(outcome_from_metrics(
            backend.access.client("cloudwatch"), [n.id for n in inventory.nat_gateways], session_id=session_id,
            vpc_id=plan.vpc_id, region=plan.region, first=first, finished=finished, start=start, end=end,
            prices=_prices(plan.region), cancel=backend.cancel,
        ))
    except Exception as exc:  # noqa: BLE001 - every failure becomes the panel's one sentence
        from v6wizard.aws.errors import translate

        return SavingsRead(None, str(translate(exc, backend.access.target, doing="reading the NAT metrics")))
