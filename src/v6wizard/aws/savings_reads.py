"""The reads behind the savings estimate, for one VPC (beside its Inventory) or a whole region.

Read-only: DescribeNatGateways, DescribeAddresses, DescribeSubnets and
DescribeRouteTables (the region ranking; one VPC reuses discovery's), one batched
GetMetricData per page of datapoints (`aws.savings_metrics`), and for one VPC
DescribeFlowLogs plus one Logs Insights query (`aws.savings_flow_logs`). The region
ranking uses routes only: a Logs Insights query per VPC would scan (and bill) every
flow log of the region to rank them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

from v6wizard.aws import discovery_ec2 as ec2p
from v6wizard.aws.errors import translate
from v6wizard.aws.paging import batches, paginate
from v6wizard.aws.savings_flow_logs import FlowLogResult, NatInterfaces, read_flow_split
from v6wizard.aws.savings_metrics import read_nat_bytes
from v6wizard.aws.session import AwsAccess
from v6wizard.core.inventory import Inventory
from v6wizard.core.prices import Prices
from v6wizard.core.savings import NatReading, SavingsEstimate, SavingsReadings, estimate_savings
from v6wizard.core.savings_render import RegionSavings


SKIPPED_FLOW_LOGS = "Flow logs were not read here; `v6wizard savings --vpc-id {vpc_id}` splits the gateways' bytes with them when they exist."


def window(days: int, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The last `days` days, ending at the start of the current hour (whole 1-hour periods)."""
    end = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    return end - timedelta(days=days), end


def interfaces_of(item: dict[str, Any]) -> NatInterfaces:
    addresses = item.get("NatGatewayAddresses") or []
    return NatInterfaces(
        nat_id=item["NatGatewayId"],
        subnet_id=item.get("SubnetId", ""),
        interface_ids=sorted({a["NetworkInterfaceId"] for a in addresses if a.get("NetworkInterfaceId")}),
        private_ips=sorted({a["PrivateIp"] for a in addresses if a.get("PrivateIp")}),
    )


def public_ips(ec2: Any, nat_items: list[dict[str, Any]], cancel: threading.Event | None = None) -> dict[str, int]:
    """Public IPv4 addresses per gateway: its NatGatewayAddresses and the Elastic IPs on its interfaces."""
    by_interface = {a["NetworkInterfaceId"]: item["NatGatewayId"] for item in nat_items
                    for a in item.get("NatGatewayAddresses") or [] if a.get("NetworkInterfaceId")}
    found: dict[str, set[str]] = {item["NatGatewayId"]: {a["PublicIp"] for a in item.get("NatGatewayAddresses") or [] if a.get("PublicIp")}
                                  for item in nat_items}
    for batch in batches(sorted(by_interface)):
        # DescribeAddresses is not paginated: one call per batch of interface ids.
        answer = ec2.describe_addresses(Filters=[{"Name": "network-interface-id", "Values": batch}])
        for address in answer.get("Addresses", []):
            nat_id = by_interface.get(address.get("NetworkInterfaceId", ""))
            if nat_id and address.get("PublicIp"):
                found[nat_id].add(address["PublicIp"])
    return {nat_id: len(ips) for nat_id, ips in found.items()}


def _live_nats(ec2: Any, cancel: threading.Event | None, vpc_id: str | None = None) -> list[dict[str, Any]]:
    filters = [{"Name": "state", "Values": ec2p.LIVE_NAT_STATES}]
    if vpc_id:
        filters.append({"Name": "vpc-id", "Values": [vpc_id]})
    return paginate(ec2, "DescribeNatGateways", "NatGateways", cancel=cancel, Filter=filters)


def read_vpc_savings(
    access: AwsAccess,
    inventory: Inventory,
    *,
    days: int,
    prices: Prices | None,
    migrated_subnet_ids: Iterable[str] | None = None,
    ipv4_only_services: list[str] | None = None,
    now: datetime | None = None,
    flow_timeout: float | None = None,
    flow_logs: bool = True,
    cancel: threading.Event | None = None,
) -> SavingsEstimate:
    """The estimate for the inventory's VPC; `migrated_subnet_ids` None means every subnet.

    `flow_logs` False skips DescribeFlowLogs and the Logs Insights query (the plan's
    section: a query scans, and bills, the logs on every plan).
    """
    try:
        return _vpc(access, inventory, days, prices, migrated_subnet_ids, ipv4_only_services, now, flow_timeout, flow_logs, cancel)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one user sentence
        raise translate(exc, access.target, doing=f"reading the NAT costs of {inventory.vpc.id}") from None


def _vpc(access: AwsAccess, inventory: Inventory, days: int, prices: Prices | None, migrated: Iterable[str] | None,
         ipv4_only: list[str] | None, now: datetime | None, flow_timeout: float | None, flow_logs: bool,
         cancel: threading.Event | None) -> SavingsEstimate:
    start, end = window(days, now)
    migrated = None if migrated is None else sorted(migrated)
    migrated_ids = [s.id for s in inventory.subnets] if migrated is None else migrated
    cidrs = [s.cidr_block for s in inventory.subnets if s.id in set(migrated_ids)]
    nat_splits = FlowLogResult([])
    readings: list[NatReading] = []
    if inventory.nat_gateways:
        ec2, cloudwatch, logs = access.client("ec2"), access.client("cloudwatch"), access.client("logs")
        nat_ids = [n.id for n in inventory.nat_gateways]
        with ThreadPoolExecutor(max_workers=3, thread_name_prefix="savings") as pool:
            bytes_f = pool.submit(read_nat_bytes, cloudwatch, nat_ids, start, end, cancel=cancel)
            items = [i for i in _live_nats(ec2, cancel, inventory.vpc.id) if i["NatGatewayId"] in set(nat_ids)]
            interfaces = [interfaces_of(i) for i in items]
            ips_f = pool.submit(public_ips, ec2, items, cancel)
            kwargs = {"timeout": flow_timeout} if flow_timeout is not None else {}
            if flow_logs:
                nat_splits = pool.submit(read_flow_split, ec2, logs, inventory.vpc.id, interfaces, cidrs, start, end,
                                         cancel=cancel, **kwargs).result()
            else:
                nat_splits = FlowLogResult([], SKIPPED_FLOW_LOGS.format(vpc_id=inventory.vpc.id))
            hourly, ips = bytes_f.result(), ips_f.result()
        by_nat = {i.nat_id: i for i in interfaces}
        readings = [
            NatReading(nat_id=nat_id, public_ips=ips.get(nat_id, 0),
                       network_interface_ids=by_nat[nat_id].interface_ids if nat_id in by_nat else [],
                       hours=hourly.processed.get(nat_id, []), forwarded_bytes=hourly.forwarded.get(nat_id, 0.0))
            for nat_id in nat_ids
        ]
    return estimate_savings(
        vpc_id=inventory.vpc.id,
        region=inventory.region,
        window_days=days,
        nat_gateways=inventory.nat_gateways,
        route_tables=inventory.route_tables,
        subnet_ids=[s.id for s in inventory.subnets],
        migrated_subnet_ids=migrated,
        readings=SavingsReadings(window_start=start, window_end=end, nats=readings, flow_splits=nat_splits.splits, flow_log_note=nat_splits.note),
        prices=prices,
        ipv4_only_services=ipv4_only,
    )


def read_region_savings(access: AwsAccess, *, days: int, prices: Prices | None, now: datetime | None = None,
                        cancel: threading.Event | None = None) -> RegionSavings:
    """Every VPC of the region with a NAT gateway, ranked by the most IPv6 could take off (routes only)."""
    try:
        return _region(access, days, prices, now, cancel)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one user sentence
        raise translate(exc, access.target, doing="reading the region's NAT costs") from None


def _region(access: AwsAccess, days: int, prices: Prices | None, now: datetime | None, cancel: threading.Event | None) -> RegionSavings:
    start, end = window(days, now)
    ec2, cloudwatch = access.client("ec2"), access.client("cloudwatch")
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="savings") as pool:
        subnets_f = pool.submit(paginate, ec2, "DescribeSubnets", "Subnets", cancel=cancel)
        tables_f = pool.submit(paginate, ec2, "DescribeRouteTables", "RouteTables", cancel=cancel)
        items = _live_nats(ec2, cancel)
        if not items:
            return RegionSavings(region=access.region, window_days=days)
        bytes_f = pool.submit(read_nat_bytes, cloudwatch, [i["NatGatewayId"] for i in items], start, end, cancel=cancel)
        ips_f = pool.submit(public_ips, ec2, items, cancel)
        subnets, tables, hourly, ips = subnets_f.result(), tables_f.result(), bytes_f.result(), ips_f.result()
    reports = []
    for vpc_id in sorted({i["VpcId"] for i in items}):
        nats = [i for i in items if i["VpcId"] == vpc_id]
        readings = SavingsReadings(
            window_start=start, window_end=end,
            nats=[NatReading(nat_id=i["NatGatewayId"], public_ips=ips.get(i["NatGatewayId"], 0), hours=hourly.processed.get(i["NatGatewayId"], []),
                             forwarded_bytes=hourly.forwarded.get(i["NatGatewayId"], 0.0))
                  for i in nats],
        )
        reports.append(estimate_savings(
            vpc_id=vpc_id, region=access.region, window_days=days,
            nat_gateways=[ec2p.nat_gateway_from(i) for i in nats],
            route_tables=[ec2p.route_table_from(t) for t in tables if t.get("VpcId") == vpc_id],
            subnet_ids=[s["SubnetId"] for s in subnets if s.get("VpcId") == vpc_id],
            migrated_subnet_ids=None, readings=readings, prices=prices,
        ))
    reports.sort(key=lambda r: (-(r.monthly_movable_usd.high if r.monthly_movable_usd else r.monthly_movable_gb.high), r.vpc_id))
    return RegionSavings(region=access.region, window_days=days, vpcs=reports)
