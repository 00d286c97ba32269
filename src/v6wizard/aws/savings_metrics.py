"""NAT gateway processed bytes per hour, read with the fewest GetMetricData calls the data allows.

One GetMetricData call carries at most 500 queries and returns at most 100,800
datapoints (more come on the next page, through NextToken)
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
Each gateway needs four queries, one per byte metric (Sum, 1-hour period), each up to
one datapoint per hour of the window: `BytesInFromSource` and `BytesInFromDestination`
are what AWS bills processing on, and `BytesOutToDestination` and `BytesOutToSource`
what the gateway sent on again (the difference is what it dropped). A batch of
queries costs one call per page of its datapoints, and a page never carries another
batch's, so the queries are cut into the batches that take the fewest calls in all
(`batch_plan`); that number is `minimum_calls`.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from v6wizard.aws.paging import check_cancel
from v6wizard.core.savings import HourlyBytes

NAMESPACE = "AWS/NATGateway"
BILLED_METRICS = ("BytesInFromSource", "BytesInFromDestination")
"""The two metrics AWS bills NAT data processing on (see core.savings)."""
FORWARDED_METRICS = ("BytesOutToDestination", "BytesOutToSource")
"""The same bytes leaving the gateway again, less any it dropped; never billed a second time."""
QUERY_PREFIXES = {"s": BILLED_METRICS[0], "d": BILLED_METRICS[1], "o": FORWARDED_METRICS[0], "r": FORWARDED_METRICS[1]}
"""Query id prefix (ids must start with a lower-case letter) -> metric; `s` and `d` are the billed pair."""
PERIOD = 3600
MAX_QUERIES = 500
MAX_DATAPOINTS = 100_800


def window_hours(start: datetime, end: datetime) -> int:
    return max(1, math.ceil((end - start).total_seconds() / PERIOD))


def batch_plan(queries: int, points_per_query: int) -> list[tuple[int, int]]:
    """(queries, calls) of each batch, for the fewest calls in all.

    A batch answered in `c` pages holds at most `min(500, c x 100,800 // points)`
    queries. Which mix of batch sizes covers the queries in the fewest calls is a
    small knapsack: `most[n]` is the most queries `n` calls can carry (filling whole
    pages is not always best: 554 queries of 2,000 points take 11 calls as batches of
    302 and 252, 12 as 453 and 101).
    """
    if queries <= 0:
        return []
    points = max(1, points_per_query)

    def holds(pages: int) -> int:
        return min(MAX_QUERIES, pages * MAX_DATAPOINTS // points)

    widest = max(1, math.ceil(MAX_QUERIES * points / MAX_DATAPOINTS))  # more pages than this add no query
    most, pick = [0], [0]
    while most[-1] < queries:
        calls = len(most)
        best = max(range(1, min(calls, widest) + 1), key=lambda pages: holds(pages) + most[calls - pages])
        most.append(holds(best) + most[calls - best])
        pick.append(best)
    plan, calls, left = [], len(most) - 1, queries
    while calls and left:
        pages = pick[calls]
        size = min(holds(pages), left)
        plan.append((size, max(1, math.ceil(size * points / MAX_DATAPOINTS))))
        left -= size
        calls -= pages
    return plan


def minimum_calls(queries: int, points_per_query: int) -> int:
    """The fewest GetMetricData calls any client could make for this data."""
    return sum(calls for _, calls in batch_plan(queries, points_per_query))


def nat_queries(nat_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Four queries per gateway, ids `<prefix><n>` (see QUERY_PREFIXES)."""
    queries = []
    for index, nat_id in enumerate(nat_ids):
        for prefix, name in QUERY_PREFIXES.items():
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


@dataclass(frozen=True)
class NatBytes:
    """What the gateways' byte metrics said over the window."""

    processed: dict[str, list[HourlyBytes]]
    """Per gateway, its processed (billed) bytes per hour; hours without data are absent."""
    forwarded: dict[str, float]
    """Per gateway, the bytes it sent on over the whole window."""


def read_nat_bytes(
    cloudwatch: Any,
    nat_ids: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    cancel: threading.Event | None = None,
) -> NatBytes:
    """Each gateway's four byte metrics between start and end: processed bytes per hour, forwarded bytes in all."""
    nat_ids = list(nat_ids)
    queries = nat_queries(nat_ids)
    per_hour: dict[str, dict[datetime, float]] = {nat_id: {} for nat_id in nat_ids}
    forwarded: dict[str, float] = dict.fromkeys(nat_ids, 0.0)
    offset = 0
    for size, _ in batch_plan(len(queries), window_hours(start, end)):
        batch = queries[offset : offset + size]
        offset += size
        token: str | None = None
        while True:
            check_cancel(cancel)
            kwargs: dict[str, Any] = {"MetricDataQueries": batch, "StartTime": start, "EndTime": end, "ScanBy": "TimestampAscending"}
            if token:
                kwargs["NextToken"] = token
            answer = cloudwatch.get_metric_data(**kwargs)
            for result in answer.get("MetricDataResults", []):
                nat_id = nat_ids[int(result["Id"][1:])]
                if QUERY_PREFIXES[result["Id"][0]] in FORWARDED_METRICS:
                    forwarded[nat_id] += sum(float(v) for v in result.get("Values", []))
                    continue
                hours = per_hour[nat_id]
                for at, value in zip(result.get("Timestamps", []), result.get("Values", [])):
                    at = at.astimezone(timezone.utc) if at.tzinfo else at.replace(tzinfo=timezone.utc)
                    hours[at] = hours.get(at, 0.0) + float(value)
            token = answer.get("NextToken")
            if not token:
                break
    processed = {nat_id: [HourlyBytes(at=at, bytes=value) for at, value in sorted(hours.items())] for nat_id, hours in per_hour.items()}
    return NatBytes(processed=processed, forwarded=forwarded)
