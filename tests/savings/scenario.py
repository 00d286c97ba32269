"""A small VPC for the savings tests: public subnets with NAT gateways, private subnets behind them, known metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from v6wizard.aws.session import AwsAccess
from v6wizard.demo import builder as b

NOW = datetime(2026, 11, 20, 12, 30, tzinfo=timezone.utc)
"""The tests' clock: the window ends at 12:00, the start of this hour."""


@dataclass
class SavingsVpc:
    vpc_id: str
    nat_ids: list[str] = field(default_factory=list)
    private: dict[str, list[str]] = field(default_factory=dict)
    """nat id -> the private subnets it serves."""
    cidrs: dict[str, str] = field(default_factory=dict)


def build_vpc(access: AwsAccess, served: list[int], cidr_base: int = 0) -> SavingsVpc:
    """A VPC with one NAT gateway per entry of `served`, each serving that many private subnets."""
    vpc_id = b.create_vpc(access, f"10.{cidr_base}.0.0/16", "savings")
    igw = b.create_internet_gateway(access, vpc_id, "igw")
    found = SavingsVpc(vpc_id=vpc_id)
    public = b.create_subnet(access, vpc_id, f"10.{cidr_base}.0.0/24", b.AZS[0], "public")
    b.create_route_table(access, vpc_id, "public", [public], [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}])
    third = 10
    for index, count in enumerate(served):
        nat = b.create_nat_gateway(access, public, f"nat-{index}")
        subnets = []
        for _ in range(count):
            cidr = f"10.{cidr_base}.{third}.0/24"
            subnet = b.create_subnet(access, vpc_id, cidr, b.AZS[index % len(b.AZS)], f"private-{third}")
            found.cidrs[subnet] = cidr
            subnets.append(subnet)
            third += 1
        b.create_route_table(access, vpc_id, f"private-{index}", subnets, [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat}])
        found.nat_ids.append(nat)
        found.private[nat] = subnets
    return found


def put_nat_metrics(access: AwsAccess, nat_id: str, end: datetime, hours: int, values: dict[str, float]) -> None:
    """One datapoint per metric per hour for the `hours` hours before `end`."""
    dims = [{"Name": "NatGatewayId", "Value": nat_id}]
    datums = [
        {"MetricName": name, "Dimensions": dims, "Timestamp": end - timedelta(hours=h + 1) + timedelta(minutes=5), "Value": value, "Unit": "Bytes"}
        for h in range(hours)
        for name, value in values.items()
    ]
    cloudwatch = access.client("cloudwatch")
    for start in range(0, len(datums), 500):
        cloudwatch.put_metric_data(Namespace="AWS/NATGateway", MetricData=datums[start : start + 500])
