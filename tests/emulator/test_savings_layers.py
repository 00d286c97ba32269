"""The emulator's GetMetricData pages and limits, and its Logs Insights stats queries, against moto and a hand count."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import botocore.exceptions
import pytest

from v6wizard.emulator.cloudwatch_metric_data import _page

START = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _put(cloudwatch, nat: str, hours: int) -> None:
    datums = [
        {"MetricName": name, "Dimensions": [{"Name": "NatGatewayId", "Value": nat}], "Timestamp": START + timedelta(hours=h, minutes=m),
         "Value": float(h * 10 + m + (1 if name == "BytesInFromSource" else 2))}
        for h in range(hours) for m in (5, 35) for name in ("BytesInFromSource", "BytesInFromDestination")
    ]
    cloudwatch.put_metric_data(Namespace="AWS/NATGateway", MetricData=datums)


def _queries(nat: str, stat: str = "Sum", period: int = 3600) -> list[dict]:
    return [
        {"Id": f"q{i}", "MetricStat": {"Metric": {"Namespace": "AWS/NATGateway", "MetricName": name,
                                                  "Dimensions": [{"Name": "NatGatewayId", "Value": nat}]}, "Period": period, "Stat": stat}}
        for i, name in enumerate(("BytesInFromSource", "BytesInFromDestination"))
    ]


@pytest.mark.parametrize(("stat", "period"), [("Sum", 3600), ("Average", 7200), ("Maximum", 3600), ("SampleCount", 7200)])
def test_get_metric_data_answers_what_moto_answers(access, emulator, stat: str, period: int) -> None:
    from moto.backends import get_backend

    cloudwatch = access.client("cloudwatch")
    _put(cloudwatch, "nat-1", 6)
    _put(cloudwatch, "nat-2", 6)
    start, end = START + timedelta(minutes=30), START + timedelta(hours=5)
    ours = cloudwatch.get_metric_data(MetricDataQueries=_queries("nat-1", stat, period), StartTime=start, EndTime=end, ScanBy="TimestampAscending")
    moto = get_backend("cloudwatch")[access.identity().account_id]["us-east-1"].get_metric_data(
        queries=_queries("nat-1", stat, period), start_time=start.replace(tzinfo=None), end_time=end.replace(tzinfo=None),
        scan_by="TimestampAscending",
    )
    assert [r["Values"] for r in ours["MetricDataResults"]] == [r["values"] for r in moto]
    assert [[t.timestamp() for t in r["Timestamps"]] for r in ours["MetricDataResults"]] == [[t.replace(tzinfo=timezone.utc).timestamp() for t in r["timestamps"]] for r in moto]


def test_get_metric_data_pages_at_max_datapoints_and_the_pages_add_up(access, emulator) -> None:
    cloudwatch = access.client("cloudwatch")
    _put(cloudwatch, "nat-1", 6)
    whole = cloudwatch.get_metric_data(MetricDataQueries=_queries("nat-1"), StartTime=START, EndTime=START + timedelta(hours=6))
    values: dict[str, list[float]] = {}
    token, calls = None, 0
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = cloudwatch.get_metric_data(MetricDataQueries=_queries("nat-1"), StartTime=START, EndTime=START + timedelta(hours=6), MaxDatapoints=5, **kwargs)
        calls += 1
        assert sum(len(r["Values"]) for r in page["MetricDataResults"]) <= 5
        for result in page["MetricDataResults"]:
            values.setdefault(result["Id"], []).extend(result["Values"])
        token = page.get("NextToken")
        if not token:
            break
    assert calls == 3  # 12 datapoints in pages of 5
    assert values == {r["Id"]: r["Values"] for r in whole["MetricDataResults"]}
    assert "NextToken" not in whole


def test_get_metric_data_refuses_more_than_500_queries(access, emulator) -> None:
    queries = [dict(q, Id=f"q{i}") for i in range(501) for q in _queries("nat-1")[:1]]
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        access.client("cloudwatch").get_metric_data(MetricDataQueries=queries, StartTime=START, EndTime=START + timedelta(hours=1))
    assert refused.value.response["Error"]["Code"] == "ValidationError"


def test_a_page_splits_a_series_and_marks_it_partial() -> None:
    results = [{"Id": "a", "Timestamps": [1, 2, 3], "Values": [1.0, 2.0, 3.0], "StatusCode": "Complete"},
               {"Id": "e", "Timestamps": [], "Values": [], "StatusCode": "Complete"},
               {"Id": "b", "Timestamps": [4, 5], "Values": [4.0, 5.0], "StatusCode": "Complete"}]
    first = _page(results, None, 2)
    assert [(r["Id"], r["Values"], r["StatusCode"]) for r in first["MetricDataResults"]] == [("a", [1.0, 2.0], "PartialData")]
    second = _page(results, first["NextToken"], 2)
    assert [(r["Id"], r["Values"]) for r in second["MetricDataResults"]] == [("a", [3.0]), ("b", [4.0])]
    third = _page(results, second["NextToken"], 2)
    assert [(r["Id"], r["Values"]) for r in third["MetricDataResults"]] == [("b", [5.0])] and "NextToken" not in third


def _wait(logs, query_id: str) -> dict:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        answer = logs.get_query_results(queryId=query_id)
        if answer["status"] != "Running":
            return answer
    raise AssertionError("query never finished")


def test_logs_insights_stats_sum_by_fields_matches_a_hand_count(access, emulator) -> None:
    logs = access.client("logs")
    logs.create_log_group(logGroupName="/flow")
    logs.create_log_stream(logGroupName="/flow", logStreamName="s")
    at = int(time.time()) - 3600  # CloudWatch Logs refuses events older than 14 days
    records = [("eni-1", "10.0.1.5", 100), ("eni-1", "10.0.1.5", 250), ("eni-1", "10.0.2.7", 40), ("eni-2", "10.0.1.5", 1000)]
    logs.put_log_events(logGroupName="/flow", logStreamName="s", logEvents=[
        {"timestamp": (at + i) * 1000, "message": f"2 123456789012 {eni} {src} 52.1.1.1 443 5000 6 3 {count} {at} {at + 60} ACCEPT OK"}
        for i, (eni, src, count) in enumerate(records)
    ] + [{"timestamp": (at + 9) * 1000, "message": "not a flow log record"}])
    query_id = logs.start_query(logGroupNames=["/flow"], startTime=at, endTime=at + 3600,
                                queryString='filter interfaceId in ["eni-1"] | stats sum(bytes) as bytes by interfaceId, srcAddr | limit 100')["queryId"]
    first = logs.get_query_results(queryId=query_id)
    assert first["status"] == "Running" and first["results"] == []
    answer = _wait(logs, query_id)
    rows = sorted(tuple(cell["value"] for cell in row) for row in answer["results"])
    # By hand: eni-1 from 10.0.1.5 is 100 + 250; from 10.0.2.7 is 40; eni-2 is filtered out.
    assert rows == [("eni-1", "10.0.1.5", "350"), ("eni-1", "10.0.2.7", "40")]
    assert answer["status"] == "Complete"


def test_stop_query_cancels_a_running_query(access, emulator) -> None:
    logs = access.client("logs")
    logs.create_log_group(logGroupName="/flow")
    emulator.logs_insights.hold = True
    query_id = logs.start_query(logGroupNames=["/flow"], startTime=0, endTime=60, queryString="stats sum(bytes) by srcAddr")["queryId"]
    assert logs.get_query_results(queryId=query_id)["status"] == "Running"
    assert logs.stop_query(queryId=query_id)["success"] is True
    assert logs.get_query_results(queryId=query_id)["status"] == "Cancelled"


def test_logs_insights_sort_desc_then_limit_keeps_the_biggest_sums(access, emulator) -> None:
    logs = access.client("logs")
    logs.create_log_group(logGroupName="/flow")
    logs.create_log_stream(logGroupName="/flow", logStreamName="s")
    at = int(time.time()) - 3600
    records = [("10.0.1.1", 10), ("10.0.1.2", 500), ("10.0.1.3", 70), ("10.0.1.2", 1), ("10.0.1.4", 300)]
    logs.put_log_events(logGroupName="/flow", logStreamName="s", logEvents=[
        {"timestamp": (at + i) * 1000, "message": f"2 123456789012 eni-1 {src} 52.1.1.1 443 5000 6 3 {count} {at} {at + 60} ACCEPT OK"}
        for i, (src, count) in enumerate(records)
    ])
    query_id = logs.start_query(logGroupNames=["/flow"], startTime=at, endTime=at + 3600,
                                queryString="stats sum(bytes) as bytes by srcAddr | sort bytes desc | limit 2")["queryId"]
    rows = [tuple(cell["value"] for cell in row) for row in _wait(logs, query_id)["results"]]
    # By hand: .2 sent 501, .4 300, .3 70, .1 10; the two biggest, biggest first.
    assert rows == [("10.0.1.2", "501"), ("10.0.1.4", "300")]
