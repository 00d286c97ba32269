"""The demo account: a realistic IPv4-only production VPC with four Lambda functions.

`seed_demo(access)` builds it in the embedded emulator: three AZs with a public and a
private subnet each, an internet gateway, one NAT gateway per AZ, a public route
table and one private table per AZ, a custom network ACL on the private subnets, an
"all egress" and a restrictive security group, four VPC-attached functions with a
published version and a `live` alias, and synthetic CloudWatch metrics (per-version
Lambda health and NAT traffic) so the later screens have numbers. A second, small
VPC gives the region overview a choice. Deterministic and quick (well under 5 s).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from v6wizard.aws.session import AwsAccess
from v6wizard.demo import builder as b
from v6wizard.demo.seed_savings import seed_savings
from v6wizard.demo.readiness_seed import seed_readiness

VPC_CIDR = "10.0.0.0/16"
VPC_NAME = "prod-main"
STAGING_CIDR = "10.1.0.0/16"
STAGING_NAME = "staging"
DATABASE_RANGE = "10.20.0.0/16"
"""Where the restrictive group's 5432 egress goes (a peered database VPC)."""
CORP_RANGE = "10.30.0.0/16"
"""The entry of the customer-managed prefix list the restrictive group allows 443 to."""

FUNCTIONS: tuple[tuple[str, tuple[int, ...], str], ...] = (
    # name, private subnets by AZ index, security group name
    ("orders-api", (0, 1, 2), "lambda-restricted"),
    ("payments-worker", (0, 1), "lambda-restricted"),
    ("reports-cron", (1, 2), "lambda-all-egress"),
    ("notifier", (0, 2), "lambda-all-egress"),
)

METRIC_CHUNK = 15
"""Datapoints per PutMetricData call; the small batches are put in parallel."""

NAT_METRICS = ("BytesOutToDestination", "BytesInFromSource", "BytesInFromDestination", "BytesOutToSource")


class DemoAccount(b.ScenarioInfo):
    """The demo account's ids (a ScenarioInfo, so tests and benches use either)."""

    role_arn: str = ""
    prefix_list_id: str = ""
    staging_vpc_id: str = ""


def seed_demo(access: AwsAccess, *, now: datetime | None = None) -> DemoAccount:
    """Create the demo account in the emulator behind `access` and return its ids."""
    b.require_emulator(access)
    ec2 = access.client("ec2")
    role_arn = b.ensure_role(access)
    vpc_id = b.create_vpc(access, VPC_CIDR, VPC_NAME)
    public = [b.create_subnet(access, vpc_id, f"10.0.{i}.0/24", az, f"{VPC_NAME}-public-{az[-1]}") for i, az in enumerate(b.AZS)]
    private = [
        b.create_subnet(access, vpc_id, f"10.0.{10 + i}.0/24", az, f"{VPC_NAME}-private-{az[-1]}") for i, az in enumerate(b.AZS)
    ]
    for subnet_id in public:
        ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
    igw = b.create_internet_gateway(access, vpc_id, f"{VPC_NAME}-igw")
    nats = [b.create_nat_gateway(access, subnet_id, f"{VPC_NAME}-nat-{az[-1]}") for subnet_id, az in zip(public, b.AZS)]
    public_table = b.create_route_table(
        access, vpc_id, f"{VPC_NAME}-public", public, [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}]
    )
    private_tables = [
        b.create_route_table(
            access, vpc_id, f"{VPC_NAME}-private-{az[-1]}", [subnet_id], [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat}]
        )
        for subnet_id, nat, az in zip(private, nats, b.AZS)
    ]
    acl = b.create_network_acl(access, vpc_id, f"{VPC_NAME}-private-acl", private, b.allow_all_entries())

    groups = {
        "lambda-all-egress": b.create_security_group(access, vpc_id, "lambda-all-egress", "Lambda functions: any egress"),
        "lambda-restricted": b.create_security_group(access, vpc_id, "lambda-restricted", "Lambda functions: HTTPS and Postgres only"),
    }
    prefix_list = ec2.create_managed_prefix_list(
        PrefixListName="corp-ranges", AddressFamily="IPv4", MaxEntries=5, Entries=[{"Cidr": CORP_RANGE, "Description": "corporate"}]
    )["PrefixList"]["PrefixListId"]
    restricted = groups["lambda-restricted"]
    b.revoke_default_egress(access, restricted)
    b.authorize_egress(access, restricted, [b.tcp(443, cidr="0.0.0.0/0"), b.tcp(5432, cidr=DATABASE_RANGE)])
    b.authorize_egress(access, restricted, [b.tcp(8443, prefix_list=prefix_list)])

    def make_function(spec: tuple[str, tuple[int, ...], str]) -> str:
        name, azs, group = spec
        b.create_function(access, role_arn, name, [private[i] for i in azs], [groups[group]])
        return name

    names = b.in_parallel(make_function, FUNCTIONS)
    seed_readiness(access, vpc_id, role_arn, private_tables)

    staging_id = b.create_vpc(access, STAGING_CIDR, STAGING_NAME)
    for i, az in enumerate(b.AZS[:2]):
        b.create_subnet(access, staging_id, f"10.1.{i}.0/24", az, f"{STAGING_NAME}-{az[-1]}")

    put_demo_metrics(access, names, nats, now=now)
    seed_savings(access, vpc_id, nats, (now or datetime.now(timezone.utc)).replace(second=0, microsecond=0), role_arn)
    return DemoAccount(
        name="demo",
        vpc_id=vpc_id,
        vpc_cidr=VPC_CIDR,
        function_names=sorted(names),
        subnet_ids=[*public, *private],
        public_subnet_ids=public,
        private_subnet_ids=private,
        route_table_ids=[public_table, *private_tables],
        security_group_ids=groups,
        nat_gateway_ids=nats,
        internet_gateway_id=igw,
        network_acl_ids=[acl],
        other_vpc_ids=[staging_id],
        role_arn=role_arn,
        prefix_list_id=prefix_list,
        staging_vpc_id=staging_id,
    )


def put_demo_metrics(access: AwsAccess, function_names: list[str], nat_ids: list[str], *, now: datetime | None = None) -> None:
    """Synthetic, deterministic metrics: the last hour of per-version Lambda health (5-minute points), the last day of NAT traffic."""
    cloudwatch = access.client("cloudwatch")
    end = (now or datetime.now(timezone.utc)).replace(second=0, microsecond=0)
    batches = [("AWS/Lambda", lambda_datums(name, "live", "1", i, end)) for i, name in enumerate(function_names)]
    batches += [("AWS/NATGateway", nat_datums(nat_id, i, end)) for i, nat_id in enumerate(nat_ids)]
    requests = [
        (namespace, datums[start : start + METRIC_CHUNK]) for namespace, datums in batches for start in range(0, len(datums), METRIC_CHUNK)
    ]
    b.in_parallel(lambda request: cloudwatch.put_metric_data(Namespace=request[0], MetricData=request[1]), requests)


def lambda_datums(
    function: str, alias: str, version: str, seed: int, end: datetime, minutes: int = 60, step: int = 5
) -> list[dict[str, Any]]:
    """One datapoint every `step` minutes per metric for one function version, healthy and a little noisy."""
    dimensions = [
        {"Name": "FunctionName", "Value": function},
        {"Name": "Resource", "Value": f"{function}:{alias}"},
        {"Name": "ExecutedVersion", "Value": version},
    ]
    datums: list[dict[str, Any]] = []
    for minute in range(0, minutes, step):
        at = end - timedelta(minutes=minutes - minute)
        wobble = (minute * 7 + seed * 13) % 11
        invocations = (100 + 20 * seed + wobble * 3) * step
        values = {
            "Invocations": (float(invocations), "Count"),
            "Errors": (float(1 if wobble == 0 else 0), "Count"),
            "Throttles": (0.0, "Count"),
            "Duration": (float(40 + 10 * seed + wobble * 4), "Milliseconds"),
        }
        for metric, (value, unit) in values.items():
            datums.append({"MetricName": metric, "Dimensions": dimensions, "Timestamp": at, "Value": value, "Unit": unit})
    return datums


def nat_datums(nat_id: str, seed: int, end: datetime, hours: int = 24) -> list[dict[str, Any]]:
    """One datapoint an hour per NAT metric: a daily traffic curve of a few GB."""
    dimensions = [{"Name": "NatGatewayId", "Value": nat_id}]
    datums: list[dict[str, Any]] = []
    for hour in range(hours):
        at = end - timedelta(hours=hours - hour)
        daytime = 1.0 + (6 - abs(12 - at.hour) / 2) / 6  # busier around noon UTC
        base = (180 + 40 * seed) * 1024 * 1024 * daytime
        values = {
            "BytesOutToDestination": base,
            "BytesInFromSource": base * 1.02,
            "BytesInFromDestination": base * 3.5,
            "BytesOutToSource": base * 3.4,
        }
        for metric, value in values.items():
            datums.append({"MetricName": metric, "Dimensions": dimensions, "Timestamp": at, "Value": round(value), "Unit": "Bytes"})
    return datums
