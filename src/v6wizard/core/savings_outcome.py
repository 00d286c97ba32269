"""What the migration did to a VPC's NAT bill: processed GB per day before and after, and the change.

"Before" is every whole hour before the session's first applied step; "after" is
every whole hour after its cutover finished. The metrics are hourly sums named by the
hour they start, so an hour the migration cut in two belongs to neither side (it would
put "after" bytes in "before" and shrink "after"'s count below its hours). Until 24
whole hours of "after" data exist the verdict is "too early to tell", never a number.
The per-day lists hold whole 24-hour days only, counted back from the first step and
forward from the cutover's end (a partial day would read as a dip in a chart and pull
down an average of the days).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from v6wizard.core.prices import Prices
from v6wizard.core.savings import DAYS_PER_MONTH, GB, DayGb, HourlyBytes

MIN_AFTER = timedelta(hours=24)
HOUR = timedelta(hours=1)
DAY = timedelta(hours=24)


class SavingsOutcome(BaseModel):
    """`v6wizard savings --session`: what the session's migration changed on NAT processing."""

    model_config = {"frozen": True, "extra": "forbid"}

    session_id: str
    vpc_id: str
    region: str
    first_applied_at: datetime | None = None
    cutover_finished_at: datetime | None = None
    before: list[DayGb] = Field(default_factory=list)
    """Processed GB per whole 24 hours before the first applied step (each named by the date it starts on)."""
    after: list[DayGb] = Field(default_factory=list)
    """Processed GB per whole 24 hours after the cutover finished (none until the first 24 hours are over)."""
    before_gb_per_day: float | None = None
    after_gb_per_day: float | None = None
    change_gb_per_day: float | None = None
    """after minus before: negative is a saving."""
    change_monthly_usd: float | None = None
    """The change over a month at the NAT per-GB price (None without prices or data)."""
    too_early: bool = True
    verdict: str


def _per_day(points: list[HourlyBytes], start: datetime, end: datetime, *, from_end: bool) -> list[DayGb]:
    """GB in each whole 24 hours of [start, end), counted back from `end` or forward from `start`."""
    count = int((end - start) / DAY) if end > start else 0
    first = end - count * DAY if from_end else start
    totals = [0.0] * count
    for point in points:
        index = int((point.at - first) / DAY) if point.at >= first else -1
        if 0 <= index < count:
            totals[index] += point.bytes / GB
    return [DayGb(day=(first + i * DAY).date(), gb=gb) for i, gb in enumerate(totals)]


def _rate(points: list[HourlyBytes], start: datetime, end: datetime) -> float:
    """GB per day over [start, end)."""
    hours = (end - start).total_seconds() / 3600
    return sum(p.bytes for p in points) / GB / hours * 24 if hours > 0 else 0.0


def what_it_did(
    *,
    session_id: str,
    vpc_id: str,
    region: str,
    hours: list[HourlyBytes],
    window_start: datetime,
    now: datetime,
    first_applied_at: datetime | None,
    cutover_finished_at: datetime | None,
    prices: Prices | None,
) -> SavingsOutcome:
    """Compare the processed GB per day before the first applied step with after the cutover.

    `now` is the end of the metrics read: the start of the current hour (whole hours only).
    """
    base = {"session_id": session_id, "vpc_id": vpc_id, "region": region,
            "first_applied_at": first_applied_at, "cutover_finished_at": cutover_finished_at}
    if first_applied_at is None:
        return SavingsOutcome(**base, verdict="Nothing has been applied in this session yet, so there is nothing to compare.")
    before_end = _floor_hour(first_applied_at)
    before = [p for p in hours if p.at + HOUR <= before_end]
    before_start = max(window_start, min((p.at for p in before), default=before_end))
    before_days = _per_day(before, before_start, before_end, from_end=True)
    if cutover_finished_at is None:
        return SavingsOutcome(**base, before=before_days,
                              verdict="Too early to tell: the cutover has not finished.")
    after_start = _ceil_hour(cutover_finished_at)
    after = [p for p in hours if after_start <= p.at and p.at + HOUR <= now]
    after_days = _per_day(after, after_start, now, from_end=False)
    if now - after_start < MIN_AFTER:
        # `now` is floored to the hour and the cutover's end rounded up, so the gap can read past a day; it is never more.
        left = min(MIN_AFTER, MIN_AFTER - (now - after_start))
        return SavingsOutcome(
            **base, before=before_days, after=after_days,
            verdict=f"Too early to tell: fewer than 24 whole hours of NAT metrics since the cutover finished (ask again in {_hours(left)}).",
        )
    if not before:
        return SavingsOutcome(**base, after=after_days,
                              verdict="No NAT metrics from before the first applied step are left to compare with.")
    before_rate = _rate(before, before_start, before_end)
    after_rate = _rate(after, after_start, now)
    change = after_rate - before_rate
    money = change * DAYS_PER_MONTH * prices.nat_gb_usd if prices is not None else None
    direction = "less" if change < 0 else "more"
    verdict = f"NAT gateways process {abs(change):.2f} GB a day {direction} than before the migration"
    verdict += f" ({'-' if money < 0 else '+'}${abs(money):,.2f} a month)." if money is not None else "."
    return SavingsOutcome(
        **base, before=before_days, after=after_days, before_gb_per_day=before_rate, after_gb_per_day=after_rate,
        change_gb_per_day=change, change_monthly_usd=money, too_early=False, verdict=verdict,
    )


def _floor_hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _ceil_hour(at: datetime) -> datetime:
    floor = _floor_hour(at)
    return floor if floor == at else floor + HOUR


def _hours(delta: timedelta) -> str:
    hours = max(1, round(delta.total_seconds() / 3600))
    return f"{hours} hour{'s' * (hours != 1)}"
