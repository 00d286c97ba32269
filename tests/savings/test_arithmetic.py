"""The savings arithmetic, against figures worked out by hand, and its scaling as properties."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from v6wizard.core.inventory import NatGateway, Route, RouteTable
from v6wizard.core.prices import PRICE_TABLE, price_for, unknown_region_sentence
from v6wizard.core.savings import (
    FlowSplit,
    HourlyBytes,
    NatReading,
    SavingsReadings,
    check_days,
    estimate_savings,
    monthly_gb,
)
from v6wizard.core.savings_outcome import what_it_did

START = datetime(2026, 11, 1, tzinfo=timezone.utc)
US_EAST_1 = PRICE_TABLE["us-east-1"]


def hours(count: int, each: float, start: datetime = START) -> list[HourlyBytes]:
    return [HourlyBytes(at=start + timedelta(hours=h), bytes=each) for h in range(count)]


def vpc(nats: dict[str, list[str]], extra_subnets: tuple[str, ...] = ()) -> tuple[list[NatGateway], list[RouteTable], list[str]]:
    """NAT gateways, one private table per gateway for its subnets, and a main table without NAT."""
    gateways = [NatGateway(id=nat, subnet_id="subnet-pub", state="available") for nat in nats]
    tables = [RouteTable(id="rtb-main", main=True, routes=[Route(destination="10.0.0.0/16", target="local")])]
    for i, (nat, subnets) in enumerate(nats.items()):
        tables.append(RouteTable(id=f"rtb-{i}", subnet_ids=subnets, routes=[Route(destination="0.0.0.0/0", target=nat)]))
    subnets = [s for group in nats.values() for s in group] + list(extra_subnets) + ["subnet-pub"]
    return gateways, tables, subnets


def readings(*nats: NatReading, days: int = 14, splits: tuple[FlowSplit, ...] = ()) -> SavingsReadings:
    return SavingsReadings(window_start=START, window_end=START + timedelta(days=days), nats=list(nats), flow_splits=list(splits))


def test_one_gateway_for_a_month_matches_the_hand_count() -> None:
    # 336 hours x 1e9 bytes = 336 GB in 14 days -> 336 / 14 x 30.4 = 729.6 GB a month.
    gateways, tables, subnets = vpc({"nat-a": ["subnet-1"]})
    report = estimate_savings(
        vpc_id="vpc-1", region="us-east-1", window_days=14, nat_gateways=gateways, route_tables=tables,
        subnet_ids=subnets, migrated_subnet_ids=None, readings=readings(NatReading(nat_id="nat-a", public_ips=1, hours=hours(336, 1e9))),
        prices=US_EAST_1,
    )
    nat = report.nat_gateways[0]
    assert nat.processed_gb == pytest.approx(336.0)
    assert nat.monthly_gb == pytest.approx(729.6)
    assert nat.monthly is not None
    assert nat.monthly.hours_usd == pytest.approx(32.85)        # 0.045 x 730
    assert nat.monthly.processing_usd == pytest.approx(32.832)  # 729.6 x 0.045
    assert nat.monthly.ipv4_usd == pytest.approx(3.65)          # 1 x 0.005 x 730
    assert nat.monthly.total_usd == pytest.approx(69.332)
    assert report.monthly_now_usd == pytest.approx(69.332)
    assert report.monthly_movable_usd is not None
    assert (report.monthly_movable_usd.low, report.monthly_movable_usd.high) == (0.0, pytest.approx(32.832))
    assert report.basis == "routes-only"
    assert [d.gb for d in report.daily_processed_gb] == [pytest.approx(24.0)] * 14
    assert nat.source_subnets == ["subnet-1"] and nat.migrated_subnets == ["subnet-1"] and not nat.shared


def test_a_gateway_shared_with_an_unmigrated_subnet_is_named_and_counted_whole() -> None:
    gateways, tables, subnets = vpc({"nat-a": ["subnet-1", "subnet-2"], "nat-b": ["subnet-3"]})
    report = estimate_savings(
        vpc_id="vpc-1", region="us-east-1", window_days=14, nat_gateways=gateways, route_tables=tables, subnet_ids=subnets,
        migrated_subnet_ids=["subnet-1"],
        readings=readings(NatReading(nat_id="nat-a", hours=hours(14, 2e9)), NatReading(nat_id="nat-b", hours=hours(14, 5e9))),
        prices=US_EAST_1,
    )
    # nat-a: 28 GB / 14 x 30.4 = 60.8 GB a month -> $2.736; nat-b serves nothing migrated.
    assert report.shared_gateways == ["nat-a"]
    assert report.monthly_movable_gb.high == pytest.approx(60.8)
    assert report.monthly_movable_usd is not None and report.monthly_movable_usd.high == pytest.approx(2.736)
    assert report.nat_gateways[1].migrated_subnets == [] and report.nat_gateways[1].movable_gb.high == 0


def test_flow_logs_narrow_the_high_end_to_the_migrated_share() -> None:
    gateways, tables, subnets = vpc({"nat-a": ["subnet-1", "subnet-2"]})
    report = estimate_savings(
        vpc_id="vpc-1", region="us-east-1", window_days=14, nat_gateways=gateways, route_tables=tables, subnet_ids=subnets,
        migrated_subnet_ids=["subnet-1"],
        readings=readings(NatReading(nat_id="nat-a", hours=hours(14, 2e9)), splits=(FlowSplit(nat_id="nat-a", migrated_bytes=1, other_bytes=3),)),
        prices=US_EAST_1,
    )
    assert report.basis == "flow-logs"
    assert report.nat_gateways[0].migrated_share == pytest.approx(0.25)
    assert report.monthly_movable_gb.high == pytest.approx(60.8 / 4)


def test_an_unknown_region_is_in_gb_only_with_the_sentence_naming_the_flags() -> None:
    gateways, tables, subnets = vpc({"nat-a": ["subnet-1"]})
    report = estimate_savings(
        vpc_id="vpc-1", region="xx-nowhere-1", window_days=14, nat_gateways=gateways, route_tables=tables, subnet_ids=subnets,
        migrated_subnet_ids=None, readings=readings(NatReading(nat_id="nat-a", hours=hours(14, 1e9))), prices=price_for("xx-nowhere-1"),
    )
    assert report.prices is None and report.monthly_now_usd is None and report.monthly_movable_usd is None
    assert report.nat_gateways[0].monthly is None and report.monthly_movable_gb.high == pytest.approx(30.4)
    for flag in ("--nat-hour-price", "--nat-gb-price", "--ipv4-hour-price"):
        assert flag in report.price_note


def test_overrides_replace_the_row_and_say_so() -> None:
    prices = price_for("us-east-1", nat_gb=0.1)
    assert prices is not None and prices.nat_gb_usd == 0.1 and prices.nat_hour_usd == 0.045
    assert "--nat-gb-price 0.1" in prices.source
    given_all = price_for("xx-nowhere-1", nat_hour=0.05, nat_gb=0.06, ipv4_hour=0.004)
    assert given_all is not None and (given_all.nat_hour_usd, given_all.nat_gb_usd, given_all.ipv4_hour_usd) == (0.05, 0.06, 0.004)


LARGEST_REGIONS = {
    "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1",
    "eu-north-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "sa-east-1",
}


def test_the_price_table_covers_the_largest_regions_each_row_with_its_source_and_date() -> None:
    assert LARGEST_REGIONS <= set(PRICE_TABLE) and len(PRICE_TABLE) >= 13
    for region, row in PRICE_TABLE.items():
        assert row.source.startswith("https://") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.as_of), region
        assert 0.04 <= row.nat_hour_usd <= 0.1 and 0.04 <= row.nat_gb_usd <= 0.1, region
        assert row.ipv4_hour_usd == 0.005


def test_a_region_with_only_an_hourly_figure_on_record_is_not_priced() -> None:
    # us-west-1's per-GB price was not found in any source; half a row would make a cost up.
    assert price_for("us-west-1") is None
    assert "--nat-gb-price" in unknown_region_sentence("us-west-1")


@pytest.mark.parametrize("days", [0, -1, 456, 999])
def test_days_outside_one_to_455_are_refused(days: int) -> None:
    assert "1 to 455" in (check_days(days) or "")


@pytest.mark.parametrize("days", [1, 14, 455])
def test_days_inside_the_bounds_are_accepted(days: int) -> None:
    assert check_days(days) is None


@given(gb=st.floats(min_value=0, max_value=1e7, allow_nan=False), days=st.integers(min_value=1, max_value=455), k=st.integers(min_value=1, max_value=20))
def test_monthly_gb_is_linear_in_traffic_and_inverse_in_days(gb: float, days: int, k: int) -> None:
    assert monthly_gb(gb * k, days) == pytest.approx(monthly_gb(gb, days) * k, rel=1e-9, abs=1e-9)
    # The same daily rate over a longer window gives the same month.
    assert monthly_gb(gb / days * (days * k), days * k) == pytest.approx(monthly_gb(gb, days), rel=1e-9, abs=1e-9)


@given(per_hour=st.floats(min_value=0, max_value=1e12, allow_nan=False), days=st.integers(min_value=1, max_value=30), migrated=st.booleans())
def test_the_movable_range_never_exceeds_the_processing_charge(per_hour: float, days: int, migrated: bool) -> None:
    gateways, tables, subnets = vpc({"nat-a": ["subnet-1"]})
    report = estimate_savings(
        vpc_id="vpc-1", region="us-east-1", window_days=days, nat_gateways=gateways, route_tables=tables, subnet_ids=subnets,
        migrated_subnet_ids=["subnet-1"] if migrated else [], readings=readings(NatReading(nat_id="nat-a", hours=hours(days * 24, per_hour)), days=days),
        prices=US_EAST_1,
    )
    nat = report.nat_gateways[0]
    assert nat.monthly is not None and report.monthly_movable_usd is not None
    assert 0 == report.monthly_movable_usd.low <= report.monthly_movable_usd.high <= nat.monthly.processing_usd * (1 + 1e-9)
    assert report.monthly_movable_usd.high < (report.monthly_now_usd or 0) or nat.monthly.total_usd == 0
    # Per day x 30.4 == per month, whatever the window.
    assert nat.monthly_gb == pytest.approx(per_hour * 24 / 1e9 * 30.4, rel=1e-9, abs=1e-9)


def test_what_it_did_is_too_early_before_a_day_of_after_data() -> None:
    cut = START + timedelta(days=7)
    outcome = what_it_did(session_id="s", vpc_id="vpc-1", region="us-east-1", hours=hours(24 * 7 + 20, 1e9), window_start=START,
                          now=cut + timedelta(hours=20), first_applied_at=cut - timedelta(hours=1), cutover_finished_at=cut, prices=US_EAST_1)
    assert outcome.too_early and outcome.change_gb_per_day is None and "Too early to tell" in outcome.verdict


def test_what_it_did_compares_per_day_before_and_after() -> None:
    applied, cut = START + timedelta(days=7), START + timedelta(days=7, hours=2)
    points = hours(24 * 7, 2e9) + hours(2, 2e9, applied) + hours(48, 0.5e9, cut)
    outcome = what_it_did(session_id="s", vpc_id="vpc-1", region="us-east-1", hours=points, window_start=START,
                          now=cut + timedelta(hours=48), first_applied_at=applied, cutover_finished_at=cut, prices=US_EAST_1)
    # 48 GB a day before, 12 GB a day after: 36 GB a day less, x 30.4 x $0.045 = $49.248 a month.
    assert not outcome.too_early
    assert outcome.before_gb_per_day == pytest.approx(48.0) and outcome.after_gb_per_day == pytest.approx(12.0)
    assert outcome.change_gb_per_day == pytest.approx(-36.0)
    assert outcome.change_monthly_usd == pytest.approx(-49.248)
    assert "36.00 GB a day less" in outcome.verdict


def test_what_it_did_leaves_out_the_hours_the_migration_cut_in_two() -> None:
    # The first step and the cutover's end fall at half past: the hour each cuts belongs to neither side.
    applied, cut = START + timedelta(days=7), START + timedelta(days=7, hours=2)
    points = (hours(24 * 7, 2e9) + hours(1, 50e9, applied) + hours(1, 2e9, applied + timedelta(hours=1))
              + hours(1, 50e9, cut) + hours(48, 0.5e9, cut + timedelta(hours=1)))
    outcome = what_it_did(session_id="s", vpc_id="vpc-1", region="us-east-1", hours=points, window_start=START,
                          now=cut + timedelta(hours=49), first_applied_at=applied + timedelta(minutes=30),
                          cutover_finished_at=cut + timedelta(minutes=30), prices=US_EAST_1)
    # Before: 168 whole hours of 2 GB = 48 GB a day; after: 48 whole hours of 0.5 GB = 12 GB a day.
    assert outcome.before_gb_per_day == pytest.approx(48.0) and outcome.after_gb_per_day == pytest.approx(12.0)
    assert sum(d.gb for d in outcome.before) == pytest.approx(336.0) and sum(d.gb for d in outcome.after) == pytest.approx(24.0)


def test_what_it_did_waits_for_24_whole_hours_after_a_cutover_that_ends_mid_hour() -> None:
    cut = START + timedelta(days=7, minutes=30)
    outcome = what_it_did(session_id="s", vpc_id="vpc-1", region="us-east-1", hours=hours(24 * 9, 1e9), window_start=START,
                          now=START + timedelta(days=8), first_applied_at=cut - timedelta(hours=2), cutover_finished_at=cut, prices=US_EAST_1)
    # 23.5 h since the cutover, 23 whole hours of metrics after it: not yet a whole day to list.
    assert outcome.too_early and "ask again in 1 hour" in outcome.verdict and outcome.after == []


def test_what_it_did_lists_whole_days_only() -> None:
    # The window starts at midnight, the first step at 05:30 on day 8: the 5 hours of day 8 are no "day".
    applied, cut = START + timedelta(days=7, hours=5, minutes=30), START + timedelta(days=7, hours=8)
    points = hours(24 * 10, 2e9)
    outcome = what_it_did(session_id="s", vpc_id="vpc-1", region="us-east-1", hours=points, window_start=START,
                          now=cut + timedelta(hours=60), first_applied_at=applied, cutover_finished_at=cut, prices=US_EAST_1)
    # Before: 7 whole days counted back from 05:00, each 24 x 2 GB; after: the 2 whole days of the 60 hours since.
    assert [d.gb for d in outcome.before] == [pytest.approx(48.0)] * 7
    assert outcome.before[0].day == (START + timedelta(hours=5)).date() and outcome.before[-1].day == (START + timedelta(days=6)).date()
    assert [d.gb for d in outcome.after] == [pytest.approx(48.0)] * 2
    assert outcome.before_gb_per_day == pytest.approx(48.0) and outcome.change_gb_per_day == pytest.approx(0.0)


@pytest.mark.parametrize(("days", "per_bar", "bars"), [(14, 1, 14), (60, 1, 60), (61, 2, 31), (455, 8, 57)])
def test_the_text_chart_stays_within_60_bars_and_its_bars_add_up(days: int, per_bar: int, bars: int) -> None:
    from v6wizard.core.savings_render import BARS, render_markdown, render_text

    gateways, tables, subnets = vpc({"nat-a": ["subnet-1"]})
    # Day n carries n GB (one hour of n GB each day), so the busiest bar is the last one.
    points = [HourlyBytes(at=START + timedelta(days=n), bytes=(n + 1) * 1e9) for n in range(days)]
    report = estimate_savings(vpc_id="vpc-1", region="us-east-1", window_days=days, nat_gateways=gateways, route_tables=tables,
                              subnet_ids=subnets, migrated_subnet_ids=None, readings=readings(NatReading(nat_id="nat-a", hours=points), days=days),
                              prices=US_EAST_1)
    text = render_text(report)
    chart = next(line for line in text.splitlines() if ": " in line and line.strip().startswith(("Daily GB", "GB per")))
    drawn = chart.rsplit(": ", 1)[1]
    assert len(drawn) == bars and set(drawn) <= set(BARS)
    # By hand: bar i sums days i x per_bar .. (i + 1) x per_bar - 1, day n carrying n + 1 GB; the biggest sum draws the top bar.
    sums = [sum(n + 1 for n in range(i * per_bar, min(days, (i + 1) * per_bar))) for i in range(bars)]
    assert drawn.rindex(BARS[-1]) == sums.index(max(sums))
    assert chart.strip().startswith("Daily GB" if per_bar == 1 else f"GB per {per_bar} days")
    assert max(len(line) for line in text.splitlines()) <= 160
    assert f"`{drawn}`" in render_markdown(report)


def test_what_it_did_never_asks_to_wait_more_than_a_day() -> None:
    # The read ends at the start of the current hour, so a cutover that ended a quarter of an
    # hour ago lies past it: the wait is a day at most, not "25 hours".
    now = START + timedelta(days=8)
    outcome = what_it_did(session_id="s", vpc_id="vpc-1", region="us-east-1", hours=hours(24 * 8, 1e9), window_start=START,
                          now=now, first_applied_at=now - timedelta(hours=2), cutover_finished_at=now + timedelta(minutes=30), prices=US_EAST_1)
    assert outcome.too_early and "ask again in 24 hours" in outcome.verdict
