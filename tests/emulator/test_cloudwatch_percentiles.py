"""p99 (and any pNN) is answered from the datapoints that were put; other statistics still come from moto."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from v6wizard.aws.session import AwsAccess
from v6wizard.emulator.cloudwatch_p99 import percentile

DIMENSIONS = [{"Name": "FunctionName", "Value": "fn"}, {"Name": "ExecutedVersion", "Value": "2"}]


@pytest.fixture
def cloudwatch(access: AwsAccess) -> Any:
    return access.client("cloudwatch")


def _put(cloudwatch: Any, when: datetime, values: list[float], counts: list[float] | None = None, dimensions: Any = None) -> None:
    datum: dict[str, Any] = {"MetricName": "Duration", "Dimensions": dimensions or DIMENSIONS, "Values": values, "Timestamp": when}
    if counts:
        datum["Counts"] = counts
    cloudwatch.put_metric_data(Namespace="AWS/Lambda", MetricData=[datum])


def test_nearest_rank_percentile() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, "p99") == 99.0
    assert percentile(values, "p50") == 50.0
    assert percentile([5.0], "p99.9") == 5.0


def test_get_metric_data_answers_p99_per_period_for_the_dimensions_asked(cloudwatch: Any) -> None:
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=10)
    _put(cloudwatch, start + timedelta(seconds=10), [float(v) for v in range(1, 101)])
    _put(cloudwatch, start + timedelta(seconds=70), [10.0, 1000.0], counts=[99, 1])
    _put(cloudwatch, start + timedelta(seconds=20), [50000.0], dimensions=[{"Name": "FunctionName", "Value": "other"}])
    metric = {"Namespace": "AWS/Lambda", "MetricName": "Duration", "Dimensions": DIMENSIONS}
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=[
            {"Id": "p99", "MetricStat": {"Metric": metric, "Period": 60, "Stat": "p99"}},
            {"Id": "sum", "MetricStat": {"Metric": metric, "Period": 60, "Stat": "Sum"}},
        ],
        StartTime=start,
        EndTime=start + timedelta(minutes=5),
    )
    results = {r["Id"]: r for r in answer["MetricDataResults"]}
    # Newest first: AWS's default ScanBy is TimestampDescending.
    assert results["p99"]["Values"] == [10.0, 99.0]
    assert [t.timestamp() for t in results["p99"]["Timestamps"]] == [start.timestamp() + 60, start.timestamp()]
    assert results["sum"]["Values"] == [1990.0, 5050.0]
    assert [r["Id"] for r in answer["MetricDataResults"]] == ["p99", "sum"]


def test_get_metric_statistics_returns_extended_statistics(cloudwatch: Any) -> None:
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=10)
    _put(cloudwatch, start + timedelta(seconds=5), [1.0, 2.0, 3.0, 100.0])
    answer = cloudwatch.get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName="Duration",
        Dimensions=DIMENSIONS,
        StartTime=start,
        EndTime=start + timedelta(minutes=5),
        Period=300,
        Statistics=["Maximum"],
        ExtendedStatistics=["p99", "p50"],
    )
    (point,) = answer["Datapoints"]
    assert point["ExtendedStatistics"] == {"p99": 100.0, "p50": 2.0}
    assert point["Maximum"] == 100.0


def test_a_gzipped_put_over_ten_kib_is_read_like_any_other(cloudwatch: Any) -> None:
    """botocore gzips request bodies over 10 KiB; the layers must decompress before parsing."""
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=10)
    data = [
        {"MetricName": "Duration", "Dimensions": DIMENSIONS, "Value": float(v), "Timestamp": start + timedelta(seconds=5)}
        for v in range(1, 101)
    ]
    sent: list[str] = []
    cloudwatch.meta.events.register("before-send.cloudwatch.PutMetricData", lambda request, **_: sent.append(str(request.headers.get("Content-Encoding", b""), "ascii")))
    cloudwatch.put_metric_data(Namespace="AWS/Lambda", MetricData=data)
    assert sent == ["gzip"], "the body was small enough that botocore did not compress it"
    metric = {"Namespace": "AWS/Lambda", "MetricName": "Duration", "Dimensions": DIMENSIONS}
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=[{"Id": "p99", "MetricStat": {"Metric": metric, "Period": 60, "Stat": "p99"}}],
        StartTime=start,
        EndTime=start + timedelta(minutes=5),
    )
    assert answer["MetricDataResults"][0]["Values"] == [99.0]
