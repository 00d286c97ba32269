"""GetMetricData as AWS answers it: at most 500 queries, pages of 100,800 datapoints, fast.

moto 5.2.5 answers every GetMetricData in one page however many datapoints it holds
(AWS returns at most `MaxDatapoints`, default 100,800, and a NextToken for the rest),
accepts any number of queries (AWS refuses more than 500), and scans every stored
datapoint once per query and period: 300 queries over 14 days of hourly NAT metrics
took minutes. This layer answers requests made only of `MetricStat` queries with a
plain statistic from moto's stored values, bucketed exactly as moto buckets them (a
test compares the two), indexed once per request; percentiles are left to
`cloudwatch_p99`, which runs first, and metric math to moto.

https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from typing import Any

from v6wizard.emulator.cloudwatch_p99 import _epoch, _when
from v6wizard.emulator.wsgi import Answer, Call, Layer, json_answer, json_error

MAX_QUERIES = 500
MAX_DATAPOINTS = 100_800
STATS = {"Sum", "Average", "Minimum", "Maximum", "SampleCount"}

Series = list[tuple[float, float, Any]]
"""(epoch seconds, value, unit) of one metric, sorted by time."""


def _statistic(values: list[float], stat: str) -> float:
    if stat == "Sum":
        return sum(values)
    if stat == "Average":
        return sum(values) / len(values)
    if stat == "Minimum":
        return min(values)
    if stat == "Maximum":
        return max(values)
    return float(len(values))


class CloudWatchMetricData(Layer):
    """Answers GetMetricData for plain statistics, paginated and limited as AWS does."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: dict[tuple[str, str], tuple[int, dict[tuple[str, str, frozenset[tuple[str, str]]], Series]]] = {}

    def reset(self) -> None:
        with self._lock:
            self._index.clear()

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.service != "cloudwatch" or call.protocol != "json" or call.operation != "GetMetricData":
            return None
        queries = call.params.get("MetricDataQueries", [])
        if len(queries) > MAX_QUERIES:
            return json_error("ValidationError", f"The collection MetricDataQueries must not have a size greater than {MAX_QUERIES}.")
        if not queries or not all("MetricStat" in q and q["MetricStat"].get("Stat") in STATS for q in queries):
            return None
        index = self._series(call)
        if index is None:
            return None
        start, end = _when(call.params["StartTime"]), _when(call.params["EndTime"])
        descending = call.params.get("ScanBy", "TimestampDescending") == "TimestampDescending"
        results = [self._result(q, index, start, end, descending) for q in queries if q.get("ReturnData", True)]
        return json_answer(_page(results, call.params.get("NextToken"), int(call.params.get("MaxDatapoints") or MAX_DATAPOINTS)))

    def _series(self, call: Call) -> dict[tuple[str, str, frozenset[tuple[str, str]]], Series] | None:
        """Stored values by (namespace, name, dimensions); rebuilt when moto holds more data than last time."""
        from moto.backends import get_backend
        from moto.cloudwatch.models import MetricDatum

        backend = get_backend("cloudwatch")[call.account][call.region]
        data = backend.get_all_metrics()
        key = (call.account, call.region)
        with self._lock:
            cached = self._index.get(key)
            if cached is not None and cached[0] == len(data):
                return cached[1]
        if any(not isinstance(md, MetricDatum) for md in data):
            return None  # statistic sets: moto's own answer
        index: dict[tuple[str, str, frozenset[tuple[str, str]]], Series] = {}
        for md in data:
            dims = frozenset((d.name, d.value) for d in md.dimensions)
            index.setdefault((md.namespace, md.name, dims), []).append((_epoch(md.timestamp), float(md.value), md.unit))
        for series in index.values():
            series.sort(key=lambda point: point[0])
        with self._lock:
            self._index[key] = (len(data), index)
        return index

    def _result(self, query: dict[str, Any], index: dict[Any, Series], start: float, end: float, descending: bool) -> dict[str, Any]:
        stat = query["MetricStat"]
        metric = stat["Metric"]
        period = int(stat["Period"])
        wanted = frozenset((d["Name"], d["Value"]) for d in metric.get("Dimensions", []))
        unit = stat.get("Unit")
        if wanted:
            candidates = [index.get((metric["Namespace"], metric["MetricName"], wanted), [])]
        else:  # moto matches the name alone (any dimensions) when none are asked for
            candidates = [s for (ns, name, _), s in index.items() if ns == metric["Namespace"] and name == metric["MetricName"]]
        points: Series = [p for series in candidates for p in series if start <= p[0] < end and (unit is None or p[2] == unit)]
        points.sort(key=lambda p: p[0])
        buckets: dict[int, list[float]] = {}
        for at, value, _ in points:
            buckets.setdefault(int((at - start) // period), []).append(value)
        timestamps = [int(start + n * period) for n in sorted(buckets)]
        values = [_statistic(buckets[n], stat["Stat"]) for n in sorted(buckets)]
        if descending:
            timestamps.reverse()
            values.reverse()
        label = query.get("Label") or f"{metric['MetricName']} {stat['Stat']}"
        return {"Id": query["Id"], "Label": label, "Timestamps": timestamps, "Values": values, "StatusCode": "Complete"}


def _page(results: list[dict[str, Any]], token: str | None, limit: int) -> dict[str, Any]:
    """The page of `limit` datapoints starting where `token` says, across results in order."""
    skip = int(json.loads(base64.b64decode(token))["skip"]) if token else 0
    page: list[dict[str, Any]] = []
    room, seen, more = limit, 0, False
    for result in results:
        count = len(result["Values"])
        if count == 0:
            if not skip:  # an empty series is answered once, on the first page
                page.append(result)
            continue
        if seen + count <= skip:
            seen += count
            continue
        begin = max(0, skip - seen)
        if room <= 0:
            more = True
            break
        take = min(room, count - begin)
        part = dict(result, Timestamps=result["Timestamps"][begin : begin + take], Values=result["Values"][begin : begin + take])
        if begin + take < count:
            part["StatusCode"] = "PartialData"
            more = True
        page.append(part)
        room -= take
        seen += count
        if more:
            break
    answer: dict[str, Any] = {"MetricDataResults": page, "Messages": []}
    if more:
        answer["NextToken"] = base64.b64encode(json.dumps({"skip": skip + limit - room}).encode()).decode()
    return answer
