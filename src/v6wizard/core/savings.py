"""The savings estimate: what a VPC's NAT path costs a month, and what IPv6 can take off it.

Pure arithmetic over what `aws.savings_reads` read (NAT gateways, their addresses,
hourly processed bytes, and optionally a flow-log split) and the route tables.

- Processed bytes are `BytesInFromSource + BytesInFromDestination` of `AWS/NATGateway`:
  AWS bills data processing on the bytes the gateway receives from either side
  (https://docs.aws.amazon.com/vpc/latest/userguide/metrics-dimensions-nat-gateway.html,
  https://aws.amazon.com/vpc/pricing/). The two `BytesOut...` metrics are the same
  bytes leaving again and are not billed a second time; they are reported as what each
  gateway forwarded (processed less forwarded is what it dropped).
- GB is 10^9 bytes, as AWS bills. A month is 730 hours, or 30.4 days of traffic.
- Only the processing charge of traffic the migration moves to the egress-only gateway
  can go; the hourly and public IPv4 charges stay as long as the NAT gateway does, and
  it stays while anything needs IPv4 egress. So what can move is a range, never a
  single number: low 0 (the functions may talk only to IPv4-only services), high the
  whole processing charge of every gateway that serves a migrated subnet (basis
  `routes-only`), or, when flow logs split a gateway's bytes by address, the migrated
  share of it (basis `flow-logs`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from v6wizard.core.inventory import NatGateway, RouteTable
from v6wizard.core.prices import Prices, unknown_region_sentence

GB = 10**9
"""Bytes in a billed GB."""
HOURS_PER_MONTH = 730
DAYS_PER_MONTH = 30.4
MIN_DAYS, MAX_DAYS = 1, 455
"""`--days` bounds: CloudWatch keeps 1-hour datapoints for 455 days."""

Basis = Literal["routes-only", "flow-logs"]

DEFAULT_WHY_NAT_STAYS = (
    "The NAT gateways stay: many AWS services still answer only on IPv4, so anything that calls them "
    "keeps using NAT, and the hourly and public IPv4 charges go on as long as a gateway exists."
)


class Model(BaseModel):
    model_config = {"frozen": True, "extra": "forbid"}


# --- what the reads produce ----------------------------------------------------------


class HourlyBytes(Model):
    """Processed bytes of one gateway in one hour (BytesInFromSource + BytesInFromDestination)."""

    at: datetime
    bytes: float = Field(ge=0)


class NatReading(Model):
    """What was read about one NAT gateway."""

    nat_id: str
    public_ips: int = 0
    """Public IPv4 addresses the gateway holds (DescribeAddresses / NatGatewayAddresses)."""
    network_interface_ids: list[str] = Field(default_factory=list)
    hours: list[HourlyBytes] = Field(default_factory=list)
    forwarded_bytes: float = 0.0
    """BytesOutToDestination + BytesOutToSource over the window."""


class FlowSplit(Model):
    """A gateway's flow-log bytes over the window, split by whether a migrated subnet sent or received them."""

    nat_id: str
    migrated_bytes: float = Field(ge=0)
    other_bytes: float = Field(ge=0)

    @property
    def migrated_share(self) -> float:
        total = self.migrated_bytes + self.other_bytes
        return self.migrated_bytes / total if total else 0.0


class SavingsReadings(Model):
    """Everything `aws.savings_reads` read for one VPC over the window."""

    window_start: datetime
    window_end: datetime
    nats: list[NatReading] = Field(default_factory=list)
    flow_splits: list[FlowSplit] = Field(default_factory=list)
    flow_log_note: str = ""
    """Why there is no flow-log split (no flow logs, query timed out), when there is none."""

    @property
    def days(self) -> float:
        return (self.window_end - self.window_start).total_seconds() / 86400


# --- the report ------------------------------------------------------------------------


class MonthlyCost(Model):
    """One gateway's charges over a month, in USD."""

    hours_usd: float
    processing_usd: float
    ipv4_usd: float
    total_usd: float


class Range(Model):
    low: float
    high: float


class DayGb(Model):
    """Processed GB of every NAT gateway of the VPC in one day of the window (named by the date it starts on)."""

    day: date
    gb: float


class NatGatewaySavings(Model):
    """One NAT gateway: what it processed, what it costs, and whom it serves."""

    id: str
    processed_gb: float
    """GB processed over the window."""
    forwarded_gb: float = 0.0
    """GB it sent on again over the window (its two BytesOut metrics); processed_gb less this is what it dropped."""
    monthly_gb: float
    """processed_gb scaled to a month (÷ window days × 30.4)."""
    monthly: MonthlyCost | None = None
    """None when the region has no prices."""
    public_ips: int = 0
    source_subnets: list[str] = Field(default_factory=list)
    """Subnets whose route table sends 0.0.0.0/0 to this gateway."""
    migrated_subnets: list[str] = Field(default_factory=list)
    """Those of source_subnets that the plan migrates."""
    shared: bool = False
    """It also serves subnets the plan leaves IPv4-only."""
    basis: Basis = "routes-only"
    migrated_share: float | None = None
    """Share of its flow-log bytes to or from migrated subnets (basis flow-logs)."""
    movable_gb: Range = Field(default_factory=lambda: Range(low=0, high=0))
    """Monthly GB that could move to the egress-only gateway."""


class SavingsEstimate(Model):
    """The savings report of one VPC (also the `savings` section of a plan)."""

    vpc_id: str
    region: str
    window_days: int
    basis: Basis
    prices: Prices | None = None
    """None when the region is not in the table and not every price was given."""
    price_note: str = ""
    """The sentence naming the price flags, when there are no prices."""
    nat_gateways: list[NatGatewaySavings] = Field(default_factory=list)
    monthly_now_usd: float | None = None
    """Every NAT gateway's hours, processing and public IPv4 over a month."""
    monthly_movable_usd: Range | None = None
    monthly_movable_gb: Range = Field(default_factory=lambda: Range(low=0, high=0))
    daily_processed_gb: list[DayGb] = Field(default_factory=list)
    why_nat_stays: str = DEFAULT_WHY_NAT_STAYS
    ipv4_only_services: list[str] = Field(default_factory=list)
    """Services the functions call that answer only on IPv4 (from the readiness report, when given)."""
    flow_log_note: str = ""

    @property
    def has_nat(self) -> bool:
        return bool(self.nat_gateways)

    @property
    def shared_gateways(self) -> list[str]:
        return [n.id for n in self.nat_gateways if n.shared and n.migrated_subnets]


# --- arithmetic -------------------------------------------------------------------------


def monthly_gb(processed_gb: float, days: float) -> float:
    """GB over `days` scaled to a month of 30.4 days."""
    return processed_gb / days * DAYS_PER_MONTH if days > 0 else 0.0


def monthly_cost(monthly_processed_gb: float, public_ips: int, prices: Prices) -> MonthlyCost:
    hours = prices.nat_hour_usd * HOURS_PER_MONTH
    processing = monthly_processed_gb * prices.nat_gb_usd
    ipv4 = public_ips * prices.ipv4_hour_usd * HOURS_PER_MONTH
    return MonthlyCost(hours_usd=hours, processing_usd=processing, ipv4_usd=ipv4, total_usd=hours + processing + ipv4)


def nat_sources(nat_ids: Iterable[str], route_tables: list[RouteTable], subnet_ids: Iterable[str]) -> dict[str, list[str]]:
    """For each gateway, the subnets whose table (explicit, else the main one) sends 0.0.0.0/0 to it."""
    main = next((t for t in route_tables if t.main), None)
    served: dict[str, list[str]] = {nat_id: [] for nat_id in nat_ids}
    for subnet_id in sorted(subnet_ids):
        table = next((t for t in route_tables if subnet_id in t.subnet_ids), main)
        route = table.route_to("0.0.0.0/0") if table is not None else None
        if route is not None and route.target in served:
            served[route.target].append(subnet_id)
    return served


def daily_gb(readings: SavingsReadings) -> list[DayGb]:
    """GB all gateways processed in each 24 hours of the window, from its start (0 for a quiet day).

    Days are counted from the window's start rather than by calendar date, so a 14-day
    window has 14 whole days and no partial ones at its ends.
    """
    count = max(1, math.ceil(readings.days - 1e-9))
    totals = [0.0] * count
    for nat in readings.nats:
        for point in nat.hours:
            index = int((point.at - readings.window_start).total_seconds() // 86400)
            if 0 <= index < count:
                totals[index] += point.bytes / GB
    return [DayGb(day=(readings.window_start + timedelta(days=i)).date(), gb=gb) for i, gb in enumerate(totals)]


def why_nat_stays(ipv4_only_services: list[str] | None) -> str:
    if not ipv4_only_services:
        return DEFAULT_WHY_NAT_STAYS
    names = ", ".join(sorted(ipv4_only_services))
    return (
        f"The NAT gateways stay: {names} answer only on IPv4, so calls to them keep using NAT, "
        "and the hourly and public IPv4 charges go on as long as a gateway exists."
    )


def estimate_savings(
    *,
    vpc_id: str,
    region: str,
    window_days: int,
    nat_gateways: list[NatGateway],
    route_tables: list[RouteTable],
    subnet_ids: Iterable[str],
    migrated_subnet_ids: Iterable[str] | None,
    readings: SavingsReadings,
    prices: Prices | None,
    ipv4_only_services: list[str] | None = None,
) -> SavingsEstimate:
    """The estimate for one VPC; `migrated_subnet_ids` None means every subnet is migrated."""
    subnet_ids = list(subnet_ids)
    migrated = set(subnet_ids if migrated_subnet_ids is None else migrated_subnet_ids)
    by_id = {n.nat_id: n for n in readings.nats}
    splits = {s.nat_id: s for s in readings.flow_splits}
    sources = nat_sources([n.id for n in nat_gateways], route_tables, subnet_ids)
    days = readings.days
    rows: list[NatGatewaySavings] = []
    for nat in sorted(nat_gateways, key=lambda n: n.id):
        reading = by_id.get(nat.id, NatReading(nat_id=nat.id))
        processed = sum(p.bytes for p in reading.hours) / GB
        per_month = monthly_gb(processed, days)
        served = sources.get(nat.id, [])
        moved = [s for s in served if s in migrated]
        split = splits.get(nat.id) if moved else None
        share = split.migrated_share if split is not None else (1.0 if moved else 0.0)
        rows.append(
            NatGatewaySavings(
                id=nat.id,
                processed_gb=processed,
                forwarded_gb=reading.forwarded_bytes / GB,
                monthly_gb=per_month,
                monthly=monthly_cost(per_month, reading.public_ips, prices) if prices is not None else None,
                public_ips=reading.public_ips,
                source_subnets=served,
                migrated_subnets=moved,
                shared=len(moved) < len(served),
                basis="flow-logs" if split is not None else "routes-only",
                migrated_share=split.migrated_share if split is not None else None,
                movable_gb=Range(low=0.0, high=per_month * share),
            )
        )
    serving = [r for r in rows if r.migrated_subnets]
    basis: Basis = "flow-logs" if serving and all(r.basis == "flow-logs" for r in serving) else "routes-only"
    movable_gb = Range(low=0.0, high=sum(r.movable_gb.high for r in rows))
    money = prices is not None
    return SavingsEstimate(
        vpc_id=vpc_id,
        region=region,
        window_days=window_days,
        basis=basis,
        prices=prices,
        price_note="" if money else unknown_region_sentence(region),
        nat_gateways=rows,
        monthly_now_usd=sum(r.monthly.total_usd for r in rows if r.monthly) if money else None,
        monthly_movable_usd=Range(low=0.0, high=movable_gb.high * prices.nat_gb_usd) if prices is not None else None,
        monthly_movable_gb=movable_gb,
        daily_processed_gb=daily_gb(readings),
        why_nat_stays=why_nat_stays(ipv4_only_services),
        ipv4_only_services=sorted(ipv4_only_services or []),
        flow_log_note=readings.flow_log_note,
    )


def check_days(days: int) -> str | None:
    """The sentence refusing a window outside 1..455 days, or None."""
    if MIN_DAYS <= days <= MAX_DAYS:
        return None
    return f"--days must be from {MIN_DAYS} to {MAX_DAYS} (CloudWatch keeps hourly NAT metrics for 455 days); got {days}."
