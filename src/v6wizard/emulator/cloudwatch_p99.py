"""CloudWatch percentile statistics (p99, p50, p99.9 ...) answered from the datapoints that were put.

moto 5.2.5 answers HTTP 500 to `GetMetricData` with a percentile `Stat` and leaves
`ExtendedStatistics` out of `GetMetricStatistics`. botocore 1.44 sends CloudWatch
calls as JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`), so that is
the protocol handled here. Percentile queries are computed from moto's stored raw
values (PutMetricData `Value`, and `Values`/`Counts`, which moto expands); every
other statistic still comes from moto. Percentiles use the nearest-rank method.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from v6wizard.emulator.wsgi import Answer, Call, Layer, json_answer

_PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?|100)$")


def percentile(values: list[float], stat: str) -> float:
    """Nearest-rank percentile of `values` for a stat like `p99` or `p99.9`."""
    found = _PERCENTILE.match(stat)
    if not found or not values:
        raise ValueError(f"not a percentile of a non-empty list: {stat}")
    ordered = sorted(values)
    rank = math.ceil(float(found.group(1)) / 100 * len(ordered))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def is_percentile(stat: str) -> bool:
    return bool(_PERCENTILE.match(stat))


class CloudWatchPercentiles(Layer):
    """Answers percentile statistics in GetMetricData and GetMetricStatistics."""

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.service != "cloudwatch" or call.protocol != "json":
            return None
        if call.operation == "GetMetricData":
            return self._metric_data(call, downstream)
        if call.operation == "GetMetricStatistics" and call.params.get("ExtendedStatistics"):
            return self._metric_statistics(call, downstream)
        return None

    def _metric_data(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        queries = call.params.get("MetricDataQueries", [])
        ours = [q for q in queries if is_percentile(q.get("MetricStat", {}).get("Stat", ""))]
        if not ours:
            return None
        results: dict[str, dict[str, Any]] = {}
        others = [q for q in queries if q not in ours]
        if others:
            call.replace_json({**call.params, "MetricDataQueries": others})
            answer = downstream()
            if not answer.ok:
                return answer
            results = {r["Id"]: r for r in answer.json().get("MetricDataResults", [])}
        start, end = _when(call.params["StartTime"]), _when(call.params["EndTime"])
        descending = call.params.get("ScanBy", "TimestampDescending") == "TimestampDescending"  # AWS's default
        data = _raw_datums(call)
        for query in ours:
            results[query["Id"]] = _percentile_series(query, data, start, end, descending)
        ordered = [results[q["Id"]] for q in queries if q["Id"] in results and q.get("ReturnData", True)]
        return json_answer({"MetricDataResults": ordered, "Messages": []})

    def _metric_statistics(self, call: Call, downstream: Callable[[], Answer]) -> Answer:
        params = dict(call.params)
        extended = params.pop("ExtendedStatistics")
        asked = params.get("Statistics") or []
        # moto refuses a call without Statistics; ask it for one and drop it again.
        params["Statistics"] = asked or ["SampleCount"]
        call.replace_json(params)
        answer = downstream()
        if not answer.ok:
            return answer
        document = answer.json()
        buckets = _moto_buckets(call, params)
        for point in document.get("Datapoints", []):
            if not asked:
                point.pop("SampleCount", None)
            values = buckets.get(round(float(point["Timestamp"]), 3), [])
            if values:
                point["ExtendedStatistics"] = {stat: percentile(values, stat) for stat in extended}
        return answer.with_body(_dumps(document))


def _percentile_series(query: dict[str, Any], data: list[Any], start: float, end: float, descending: bool) -> dict[str, Any]:
    """One MetricDataResult, bucketed like moto's GetMetricData: from StartTime, one per Period."""
    stat = query["MetricStat"]
    metric = stat["Metric"]
    period = int(stat["Period"])
    wanted = {(d["Name"], d["Value"]) for d in metric.get("Dimensions", [])}
    unit = stat.get("Unit")
    chosen = [
        (ts, md.value)
        for ts, md in data
        if md.namespace == metric["Namespace"]
        and md.name == metric["MetricName"]
        and {(d.name, d.value) for d in md.dimensions} == wanted
        and (unit is None or md.unit == unit)
        and start <= ts < end
    ]
    timestamps: list[int] = []
    values: list[float] = []
    bucket = start
    while bucket <= end:
        inside = [value for ts, value in chosen if bucket <= ts < bucket + period]
        if inside:
            timestamps.append(int(bucket))
            values.append(percentile(inside, stat["Stat"]))
        bucket += period
    if descending:
        timestamps.reverse()
        values.reverse()
    label = query.get("Label") or f"{metric['MetricName']} {stat['Stat']}"
    return {"Id": query["Id"], "Label": label, "Timestamps": timestamps, "Values": values, "StatusCode": "Complete"}


def _moto_buckets(call: Call, params: dict[str, Any]) -> dict[float, list[float]]:
    """Raw values per datapoint timestamp, bucketed exactly as moto's GetMetricStatistics buckets them."""
    start, end = _when(params["StartTime"]), _when(params["EndTime"])
    period = int(params["Period"])
    dimensions = params.get("Dimensions", [])
    unit = params.get("Unit")
    chosen = sorted(
        (
            (ts, md.value)
            for ts, md in _raw_datums(call)
            if md.namespace == params["Namespace"]
            and md.name == params["MetricName"]
            and start <= ts < end
            and (unit is None or md.unit == unit)
            and (not dimensions or md.filter(None, None, dimensions))
        ),
        key=lambda pair: pair[0],
    )
    buckets: dict[float, list[float]] = {}
    if not chosen:
        return buckets
    bucket, index = chosen[0][0], 0
    while index < len(chosen):
        inside: list[float] = []
        while index < len(chosen) and chosen[index][0] < bucket + period:
            inside.append(chosen[index][1])
            index += 1
        if inside:
            buckets[round(bucket, 3)] = inside
        bucket += period
    return buckets


def _raw_datums(call: Call) -> list[tuple[float, Any]]:
    """(epoch seconds, datum) for every raw value moto holds for the caller's account and region."""
    from moto.backends import get_backend
    from moto.cloudwatch.models import MetricDatum

    backend = get_backend("cloudwatch")[call.account][call.region]
    return [(_epoch(md.timestamp), md) for md in backend.get_all_metrics() if isinstance(md, MetricDatum)]


def _epoch(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _when(value: Any) -> float:
    """A request timestamp (epoch number or ISO text) as whole epoch seconds, as moto truncates them."""
    if isinstance(value, (int, float)):
        return float(int(value))
    return float(int(_epoch(datetime.fromisoformat(str(value).replace("Z", "+00:00")))))


def _dumps(document: Any) -> str:
    import json

    return json.dumps(document)
