"""The demo's NAT traffic history: 14 days of hourly byte metrics and VPC flow logs.

`seed.put_demo_metrics` puts the last day of NAT metrics; this adds the 13 days before
it with the same daily curve (all four byte metrics), so the savings report has a full default window. The
VPC also gets a flow log to CloudWatch Logs whose records match those bytes: each
gateway's traffic comes from the functions in the private subnet it serves, plus a
sixth from a shared-services range (100.64.0.0/16, over a transit gateway) that no
migration moves, so the flow-logs basis has something to split.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from v6wizard.aws.session import AwsAccess
from v6wizard.demo import builder as b

DAYS = 14
LOG_GROUP = "/vpc/prod-main/flow-logs"
SHARED_SERVICES = "100.64.7.20"
"""A host outside the VPC that reaches the internet through its NAT gateways."""
OTHER_SHARE = 1 / 6
METRIC_BATCH = 500
"""PutMetricData accepts up to 1,000 metrics per call."""
LOG_BATCH = 2_000
REMOTE = "52.94.133.131"
BILLED = ("BytesInFromSource", "BytesInFromDestination")
WEEKEND = 0.6


def seed_savings(access: AwsAccess, vpc_id: str, nat_ids: list[str], end: datetime, role_arn: str) -> None:
    """Put days 2..14 of NAT metrics before `end`, and a flow log with 14 days of matching records."""
    from v6wizard.demo.seed import nat_datums  # the same curve as the last day

    cloudwatch = access.client("cloudwatch")
    older_end = end - timedelta(hours=24)
    datums = [weekly(d) for i, nat_id in enumerate(nat_ids) for d in nat_datums(nat_id, i, older_end, hours=(DAYS - 1) * 24)]
    b.in_parallel(
        lambda chunk: cloudwatch.put_metric_data(Namespace="AWS/NATGateway", MetricData=chunk),
        [datums[i : i + METRIC_BATCH] for i in range(0, len(datums), METRIC_BATCH)],
    )
    put_flow_logs(access, vpc_id, nat_ids, end, role_arn)


def put_flow_logs(access: AwsAccess, vpc_id: str, nat_ids: list[str], end: datetime, role_arn: str) -> None:
    from v6wizard.demo.seed import nat_datums

    older_end = end - timedelta(hours=24)
    ec2, logs = access.client("ec2"), access.client("logs")
    logs.create_log_group(logGroupName=LOG_GROUP)
    logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName="nat-interfaces")
    ec2.create_flow_logs(
        ResourceIds=[vpc_id], ResourceType="VPC", TrafficType="ALL", LogDestinationType="cloud-watch-logs",
        LogGroupName=LOG_GROUP, DeliverLogsPermissionArn=role_arn,
    )
    nats = {n["NatGatewayId"]: n for n in ec2.describe_nat_gateways(NatGatewayIds=nat_ids)["NatGateways"]}
    sources = _function_addresses(ec2, vpc_id, nat_ids)
    # The VPC's owner, not access.identity(): that caches the caller, and the overview's own call would vanish.
    account = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["OwnerId"]
    events: list[dict[str, Any]] = []
    # Hours inside the last 14 days only: CloudWatch Logs refuses older events.
    for index, nat_id in enumerate(nat_ids):
        address = (nats[nat_id].get("NatGatewayAddresses") or [{}])[0]
        eni, own_ip = address.get("NetworkInterfaceId", ""), address.get("PrivateIp", "")
        for datum in nat_datums(nat_id, index, end, hours=DAYS * 24 - 1):
            if datum["Timestamp"] < older_end:
                datum = weekly(datum)
            if datum["MetricName"] not in BILLED:
                continue
            at = int(datum["Timestamp"].timestamp())
            outbound = datum["MetricName"] == "BytesInFromSource"
            total = int(datum["Value"])
            other = int(total * OTHER_SHARE)
            for inside, count in ((sources.get(nat_id, own_ip), total - other), (SHARED_SERVICES, other)):
                src, dst = (inside, REMOTE) if outbound else (REMOTE, inside)
                events.append(_record(at, account, eni, src, dst, count))
            # The outer leg from the gateway's own address: the same bytes again, not billed twice.
            src, dst = (own_ip, REMOTE) if outbound else (REMOTE, own_ip)
            events.append(_record(at, account, eni, src, dst, total))
    events.sort(key=lambda e: e["timestamp"])
    for start in range(0, len(events), LOG_BATCH):
        logs.put_log_events(logGroupName=LOG_GROUP, logStreamName="nat-interfaces", logEvents=events[start : start + LOG_BATCH])


def weekly(datum: dict[str, Any]) -> dict[str, Any]:
    """Weekends carry 60% of a weekday's traffic, so the daily chart has a weekly rhythm too."""
    if datum["Timestamp"].weekday() < 5:
        return datum
    return {**datum, "Value": round(datum["Value"] * WEEKEND)}


def _record(at: int, account: str, eni: str, src: str, dst: str, count: int) -> dict[str, Any]:
    packets = max(1, count // 1200)
    message = f"2 {account} {eni} {src} {dst} 443 49152 6 {packets} {count} {at} {at + 3599} ACCEPT OK"
    return {"timestamp": at * 1000, "message": message}


def _function_addresses(ec2: Any, vpc_id: str, nat_ids: list[str]) -> dict[str, str]:
    """One address in the private subnet each gateway serves (the functions' ENIs live there)."""
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]
    subnets = {s["SubnetId"]: s["CidrBlock"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]}
    found: dict[str, str] = {}
    for table in tables:
        nat = next((r.get("NatGatewayId") for r in table.get("Routes", []) if r.get("DestinationCidrBlock") == "0.0.0.0/0"), None)
        subnet = next((a["SubnetId"] for a in table.get("Associations", []) if a.get("SubnetId")), None)
        if nat in nat_ids and subnet in subnets:
            base = subnets[subnet].split("/")[0].rsplit(".", 1)[0]
            found[nat] = f"{base}.37"
    return found
