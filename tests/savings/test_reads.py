"""The savings reads against the emulator: exact GB and dollars, shared gateways, flow logs, read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from savings.scenario import NOW, build_vpc, put_nat_metrics
from v6wizard.aws.discovery import discover
from v6wizard.aws.savings_reads import read_vpc_savings, window
from v6wizard.core.prices import PRICE_TABLE
from v6wizard.core.savings_render import render_text, summary_lines

US_EAST_1 = PRICE_TABLE["us-east-1"]
# Logs Insights queries read logs; StartQuery and StopQuery change no resource (IAM lists them as read actions).
QUERY_CALLS = ("StartQuery", "StopQuery")


def test_metrics_put_are_read_back_into_exact_gb_and_dollars(access, recorder, emulator) -> None:
    vpc = build_vpc(access, [1])
    end = window(2, NOW)[1]
    # The Out metrics are the same bytes leaving again and must not be counted.
    put_nat_metrics(access, vpc.nat_ids[0], end, 48, {"BytesInFromSource": 1e9, "BytesInFromDestination": 2e9,
                                                       "BytesOutToDestination": 5e9, "BytesOutToSource": 5e9})
    inventory = discover(access, vpc.vpc_id)
    recorder.operations.clear()
    report = read_vpc_savings(access, inventory, days=2, prices=US_EAST_1, now=NOW)
    nat = report.nat_gateways[0]
    # 48 h x 3e9 bytes = 144 GB in 2 days -> 144 / 2 x 30.4 = 2,188.8 GB a month.
    assert nat.processed_gb == pytest.approx(144.0)
    assert nat.forwarded_gb == pytest.approx(480.0)  # 48 h x 10e9 bytes of the Out pair, reported and not billed
    assert nat.monthly_gb == pytest.approx(2188.8)
    assert nat.monthly is not None and nat.public_ips == 1
    assert nat.monthly.processing_usd == pytest.approx(98.496)   # 2,188.8 x $0.045
    assert nat.monthly.hours_usd == pytest.approx(32.85)         # 730 h x $0.045
    assert nat.monthly.ipv4_usd == pytest.approx(3.65)           # 730 h x $0.005
    assert report.monthly_now_usd == pytest.approx(134.996)
    assert [d.gb for d in report.daily_processed_gb] == [pytest.approx(72.0), pytest.approx(72.0)]
    assert report.basis == "routes-only" and "No VPC flow logs" in report.flow_log_note
    assert recorder.operations.count("GetMetricData") == 1
    assert recorder.mutating == []


def test_a_gateway_shared_with_an_unmigrated_subnet_gives_the_unknown_share_range(access) -> None:
    vpc = build_vpc(access, [2])
    end = window(1, NOW)[1]
    put_nat_metrics(access, vpc.nat_ids[0], end, 24, {"BytesInFromSource": 1e9, "BytesInFromDestination": 1e9})
    inventory = discover(access, vpc.vpc_id)
    migrated, kept = vpc.private[vpc.nat_ids[0]]
    report = read_vpc_savings(access, inventory, days=1, prices=US_EAST_1, migrated_subnet_ids=[migrated], now=NOW)
    nat = report.nat_gateways[0]
    assert nat.shared and nat.migrated_subnets == [migrated] and set(nat.source_subnets) == {migrated, kept}
    assert report.shared_gateways == [nat.id]
    # Without flow logs the high end is the whole processing charge: 48 GB a day x 30.4 x $0.045.
    assert report.monthly_movable_usd is not None
    assert (report.monthly_movable_usd.low, report.monthly_movable_usd.high) == (0.0, pytest.approx(65.664))
    text = render_text(report)
    assert f"Shared with subnets that stay IPv4-only: {nat.id}" in text and "routes only" in text


def _flow_log(access, vpc_id: str, role_arn: str) -> None:
    logs = access.client("logs")
    logs.create_log_group(logGroupName="/flow")
    logs.create_log_stream(logGroupName="/flow", logStreamName="s")
    access.client("ec2").create_flow_logs(ResourceIds=[vpc_id], ResourceType="VPC", TrafficType="ALL", LogDestinationType="cloud-watch-logs",
                                          LogGroupName="/flow", DeliverLogsPermissionArn=role_arn)


def _records(access, events: list[tuple[str, str, str, int]], at: int) -> None:
    lines = [{"timestamp": at * 1000 + i, "message": f"2 123456789012 {eni} {src} {dst} 443 50000 6 10 {count} {at} {at + 60} ACCEPT OK"}
             for i, (eni, src, dst, count) in enumerate(events)]
    access.client("logs").put_log_events(logGroupName="/flow", logStreamName="s", logEvents=lines)


def test_flow_logs_split_a_shared_gateway_as_a_hand_count_does(access, recorder, emulator) -> None:
    from v6wizard.demo.builder import ensure_role

    vpc = build_vpc(access, [2])
    nat_id = vpc.nat_ids[0]
    end = window(1, NOW)[1]
    put_nat_metrics(access, nat_id, end, 24, {"BytesInFromSource": 1e9, "BytesInFromDestination": 1e9})
    address = access.client("ec2").describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["NatGatewayAddresses"][0]
    eni, own = address["NetworkInterfaceId"], address["PrivateIp"]
    migrated, kept = vpc.private[nat_id]
    a = vpc.cidrs[migrated].replace("0/24", "9")
    c = vpc.cidrs[kept].replace("0/24", "9")
    _flow_log(access, vpc.vpc_id, ensure_role(access))
    _records(access, [
        (eni, a, "52.1.1.1", 600), (eni, "52.1.1.1", a, 300),    # migrated: 900
        (eni, c, "52.1.1.1", 1500), (eni, "52.1.1.1", c, 1200),  # kept: 2,700
        (eni, own, "52.1.1.1", 99_999),                          # the outer leg: left out
        ("eni-elsewhere", a, "52.1.1.1", 77_777),                # another interface: left out
    ], int((end - timedelta(hours=2)).timestamp()))
    emulator.logs_insights.polls_before_complete = 2
    inventory = discover(access, vpc.vpc_id)
    recorder.operations.clear()
    report = read_vpc_savings(access, inventory, days=1, prices=US_EAST_1, migrated_subnet_ids=[migrated], now=NOW, flow_timeout=10)
    nat = report.nat_gateways[0]
    assert report.basis == "flow-logs"
    assert nat.migrated_share == pytest.approx(900 / 3600)
    assert report.monthly_movable_gb.high == pytest.approx(48 * 30.4 * 0.25)
    assert recorder.operations.count("GetQueryResults") == 3  # Running, Running, Complete
    # Still named as shared, but its share is known now: the text must not call it unknown.
    lines = summary_lines(report)
    assert f"Shared with subnets that stay IPv4-only: {nat.id} (flow logs put 25% of its bytes on migrated subnets), and only that share is counted." in lines
    assert not any("unknown without flow logs" in line for line in lines)
    assert [op for op in recorder.mutating if op not in QUERY_CALLS] == []


def test_when_the_flow_log_pairs_outnumber_the_row_limit_the_smallest_are_left_out(access, emulator, monkeypatch) -> None:
    from v6wizard.aws import savings_flow_logs
    from v6wizard.demo.builder import ensure_role

    monkeypatch.setattr(savings_flow_logs, "RESULT_LIMIT", 2)
    vpc = build_vpc(access, [2])
    nat_id = vpc.nat_ids[0]
    end = window(1, NOW)[1]
    put_nat_metrics(access, nat_id, end, 24, {"BytesInFromSource": 1e9, "BytesInFromDestination": 1e9})
    eni = access.client("ec2").describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["NatGatewayAddresses"][0]["NetworkInterfaceId"]
    migrated, kept = vpc.private[nat_id]
    a, c = vpc.cidrs[migrated].replace("0/24", "9"), vpc.cidrs[kept].replace("0/24", "9")
    _flow_log(access, vpc.vpc_id, ensure_role(access))
    _records(access, [(eni, c, "52.1.1.3", 10), (eni, c, "52.1.1.4", 10),                  # small pairs first
                      (eni, a, "52.1.1.1", 3000), (eni, c, "52.1.1.2", 1000)], int((end - timedelta(hours=2)).timestamp()))
    inventory = discover(access, vpc.vpc_id)
    report = read_vpc_savings(access, inventory, days=1, prices=US_EAST_1, migrated_subnet_ids=[migrated], now=NOW, flow_timeout=10)
    # By hand, from the two biggest pairs: 3,000 of 4,000 bytes are the migrated subnet's.
    assert report.nat_gateways[0].migrated_share == pytest.approx(0.75)
    assert "returned its limit of 2 rows" in report.flow_log_note


def test_a_flow_log_whose_log_group_is_gone_leaves_the_routes_range_and_says_why(access, recorder, emulator) -> None:
    from v6wizard.demo.builder import ensure_role

    vpc = build_vpc(access, [1])
    put_nat_metrics(access, vpc.nat_ids[0], window(1, NOW)[1], 24, {"BytesInFromSource": 1e9, "BytesInFromDestination": 1e9})
    access.client("ec2").create_flow_logs(ResourceIds=[vpc.vpc_id], ResourceType="VPC", TrafficType="ALL", LogDestinationType="cloud-watch-logs",
                                          LogGroupName="/deleted-since", DeliverLogsPermissionArn=ensure_role(access))
    inventory = discover(access, vpc.vpc_id)
    recorder.operations.clear()
    report = read_vpc_savings(access, inventory, days=1, prices=US_EAST_1, now=NOW, flow_timeout=10)
    # The estimate stands on the routes: the whole 48 GB a day of the gateway serving the migrated subnet.
    assert report.basis == "routes-only" and report.monthly_movable_gb.high == pytest.approx(48 * 30.4)
    assert "The flow logs could not be read (ResourceNotFoundException" in report.flow_log_note
    assert "routes alone" in report.flow_log_note
    assert recorder.operations.count("StartQuery") == 1


def test_flow_logs_without_a_record_of_the_gateways_say_so(access, emulator) -> None:
    from v6wizard.demo.builder import ensure_role

    vpc = build_vpc(access, [1])
    end = window(1, NOW)[1]
    put_nat_metrics(access, vpc.nat_ids[0], end, 24, {"BytesInFromSource": 1e9, "BytesInFromDestination": 1e9})
    _flow_log(access, vpc.vpc_id, ensure_role(access))
    _records(access, [("eni-elsewhere", "10.0.10.9", "52.1.1.1", 5000)], int((end - timedelta(hours=2)).timestamp()))
    report = read_vpc_savings(access, discover(access, vpc.vpc_id), days=1, prices=US_EAST_1, now=NOW, flow_timeout=10)
    assert report.basis == "routes-only" and report.monthly_movable_gb.high == pytest.approx(48 * 30.4)
    assert "The flow logs (/flow) hold no records of the NAT gateways' network interfaces in the window" in report.flow_log_note


def test_a_flow_log_query_that_does_not_finish_is_stopped_and_the_range_falls_back_to_routes(access, recorder, emulator) -> None:
    from v6wizard.demo.builder import ensure_role

    vpc = build_vpc(access, [1])
    _flow_log(access, vpc.vpc_id, ensure_role(access))
    emulator.logs_insights.hold = True
    inventory = discover(access, vpc.vpc_id)
    recorder.operations.clear()
    report = read_vpc_savings(access, inventory, days=1, prices=US_EAST_1, now=NOW, flow_timeout=0.3)
    assert report.basis == "routes-only"
    assert "did not finish within 0.3 s and was stopped" in report.flow_log_note
    assert recorder.operations.count("StopQuery") == 1


@pytest.mark.parametrize(("max_queries", "max_points", "calls"), [
    (500, 50, 6),   # 288 datapoints (12 queries of 24) in pages of 50: six calls, NextToken followed where a batch spans pages
    (4, 1000, 3),   # 4 queries a call at most (the emulator refuses a fifth): three calls for 12
])
def test_get_metric_data_calls_equal_the_minimum_and_every_page_is_read(access, recorder, emulator, monkeypatch,
                                                                        max_queries: int, max_points: int, calls: int) -> None:
    """The limits shrunk alike in the reader and the emulator (which refuses and pages as AWS does), so a few gateways need several calls."""
    from v6wizard.aws import savings_metrics
    from v6wizard.emulator import cloudwatch_metric_data as layer

    for module in (savings_metrics, layer):
        monkeypatch.setattr(module, "MAX_QUERIES", max_queries)
        monkeypatch.setattr(module, "MAX_DATAPOINTS", max_points)
    vpc = build_vpc(access, [1, 1, 1])
    start, end = window(1, NOW)
    for index, nat_id in enumerate(vpc.nat_ids):
        put_nat_metrics(access, nat_id, end, 24, {"BytesInFromSource": (index + 1) * 1e9, "BytesInFromDestination": 0.5e9,
                                                  "BytesOutToDestination": (index + 1) * 1e9, "BytesOutToSource": 0.25e9})
    recorder.operations.clear()
    read = savings_metrics.read_nat_bytes(access.client("cloudwatch"), vpc.nat_ids, start, end)
    hourly = read.processed
    assert savings_metrics.minimum_calls(12, 24) == calls  # four byte metrics for each of the three gateways
    assert recorder.operations.count("GetMetricData") == calls
    # By hand: gateway n processed (n + 1.5) GB in each of the 24 hours.
    for index, nat_id in enumerate(vpc.nat_ids):
        assert [p.bytes for p in hourly[nat_id]] == [pytest.approx((index + 1.5) * 1e9)] * 24
        # ...and sent on (index + 1.25) GB of it each hour: a quarter GB an hour dropped.
        assert read.forwarded[nat_id] == pytest.approx(24 * (index + 1.25) * 1e9)
