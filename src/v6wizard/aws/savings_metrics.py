"""NAT gateway processed bytes per hour, read with the fewest GetMetricData calls the data allows.

One GetMetricData call carries at most 500 queries and returns at most 100,800
datapoints (more come on the next page, through NextToken)
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
Each gateway needs two queries (`BytesInFromSource` and `BytesInFromDestination`,
Sum, 1-hour period), each up to one datapoint per hour of the window. The queries
are cut into batches whose datapoints fill whole pages, so the number of calls is
`minimum_calls`: the larger of the query bound and the datapoint bound.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from v6wizard.aws.paging import check_cancel
from v6wizard.core.savings import HourlyBytes

NAMESPACE = "AWS/NATGateway"
BILLED_METRICS = ("BytesInFromSource", "BytesInFromDestination")
"""The two metrics AWS bills NAT data processing on (see core.savings)."""
PERIOD = 3600
MAX_QUERIES = 500
MAX_DATAPOINTS = 100_800


def window_hours(start: datetime, end: datetime) -> int:
    return max(1, math.ceil((end - start).total_seconds() / PERIOD))


def batch_size(points_per_query: int) -> int:
    """Queries per call so that a batch's datapoints fill whole pages (at most 500)."""
    if points_per_query * MAX_QUERIES <= MAX_DATAPOINTS:
        return MAX_QUERIES
    pages = points_per_query * MAX_QUERIES // MAX_DATAPOINTS
    return max(1, pages * MAX_DATAPOINTS // points_per_query)


def minimum_calls(queries: int, points_per_query: int) -> int:
    """The fewest GetMetricData calls any client could make for this data."""
    if queries == 0:
        return 0
    return max(math.ceil(queries / MAX_QUERIES), math.ceil(queries * points_per_query / MAX_DATAPOINTS))


def expected_calls(queries: int, points_per_query: int) -> int:
    """How many calls `read_nat_bytes` makes (pages of each batch, summed)."""
    size = batch_size(points_per_query)
    calls = 0
    for start in range(0, queries, size):
        count = min(size, queries - start)
        calls += max(1, math.ceil(count * points_per_query / MAX_DATAPOINTS))
    return calls


def nat_queries(nat_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Two queries per gateway, ids `s<n>` and `d<n>` (ids must start with a lower-case letter)."""
    queries = []
    for index, nat_id in enumerate(nat_ids):
        for prefix, name in zip(("s", "d"), BILLED_METRICS):
            queries.append(
                {
                    "Id": f"{prefix}{index}",
                    "MetricStat": {
                        "Metric": {"Namespace": NAMESPACE, "MetricName": name, "Dimensions": [{"Name": "NatGatewayId", "Value": nat_id}]},
                        "Period": PERIOD,
                        "Stat": "Sum",
                    },
                    "ReturnData": True,
                }
            )
    return queries


def read_nat_bytes(
    cloudwatch: Any,
    nat_ids: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    cancel: threading.Event | None = None,
) -> dict[str, list[HourlyBytes]]:
    """Processed bytes of each gateway per hour between start and end (hours without data are absent)."""
    nat_ids = list(nat_ids)
    queries = nat_queries(nat_ids)
    size = batch_size(window_hours(start, end))
    per_hour: dict[str, dict[datetime, float]] = {nat_id: {} for nat_id in nat_ids}
    for offset in range(0, len(queries), size):
        batch = queries[offset : offset + size]
        token: str | None = None
        while True:
            check_cancel(cancel)
            kwargs: dict[str, Any] = {"MetricDataQueries": batch, "StartTime": start, "EndTime": end, "ScanBy": "TimestampAscending"}
            if token:
                kwargs["NextToken"] = token
            answer = cloudwatch.get_metric_data(**kwargs)
            for result in answer.get("MetricDataResults", []):
                nat_id = nat_ids[int(result["Id"][1:])]
                hours = per_hour[nat_id]
                for at, value in zip(result.get("Timestamps", []), result.get("Values", [])):
                    at = at.astimezone(timezone.utc) if at.tzinfo else at.replace(tzinfo=timezone.utc)
                    hours[at] = hours.get(at, 0.0) + float(value)
            token = answer.get("NextToken")
            if not token:
                break
    return {nat_id: [HourlyBytes(at=at, bytes=value) for at, value in sorted(hours.items())] for nat_id, hours in per_hour.items()}
