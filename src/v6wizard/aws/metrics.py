"""CloudWatch reads for the cutover's health gates: per-version Lambda metrics and alarm states.

Lambda writes per-version metrics for calls made through an alias under namespace
AWS/Lambda with dimensions FunctionName, Resource (`fn:alias`) and ExecutedVersion.
One GetMetricData call fetches Invocations, Errors, Throttles (Sum) and Duration p99
for every version asked, over one period that spans the whole window.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from v6wizard.core.gates import VersionStats

NAMESPACE = "AWS/Lambda"
_SUMS = ("Invocations", "Errors", "Throttles")


def _dimensions(function: str, alias: str, version: str) -> list[dict[str, str]]:
    return [
        {"Name": "FunctionName", "Value": function},
        {"Name": "Resource", "Value": f"{function}:{alias}"},
        {"Name": "ExecutedVersion", "Value": version},
    ]


def window_period(start: datetime, end: datetime) -> int:
    """One period covering the window: whole minutes, at least one (CloudWatch's rule for 60 s data)."""
    seconds = max((end - start).total_seconds(), 1.0)
    return max(60, math.ceil(seconds / 60) * 60)


def version_queries(function: str, alias: str, versions: Sequence[str], period: int) -> list[dict[str, Any]]:
    """GetMetricData queries, ids `<metric>_v<version>` (ids must start with a lower-case letter)."""
    queries: list[dict[str, Any]] = []
    for version in versions:
        metric = {"Namespace": NAMESPACE, "Dimensions": _dimensions(function, alias, version)}
        for name in _SUMS:
            queries.append(
                {
                    "Id": f"{name.lower()}_v{version}",
                    "MetricStat": {"Metric": {**metric, "MetricName": name}, "Period": period, "Stat": "Sum"},
                    "ReturnData": True,
                }
            )
        queries.append(
            {
                "Id": f"p99_v{version}",
                "MetricStat": {"Metric": {**metric, "MetricName": "Duration"}, "Period": period, "Stat": "p99"},
                "ReturnData": True,
            }
        )
    return queries


def read_version_stats(
    cloudwatch: Any,
    function: str,
    alias: str,
    versions: Sequence[str],
    start: datetime,
    end: datetime,
) -> dict[str, VersionStats]:
    """Invocations, errors, throttles and p99 of each version between start and end."""
    period = window_period(start, end)
    queries = version_queries(function, alias, versions, period)
    values: dict[str, list[float]] = {}
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {"MetricDataQueries": queries, "StartTime": start, "EndTime": end}
        if token:
            kwargs["NextToken"] = token
        answer = cloudwatch.get_metric_data(**kwargs)
        for result in answer.get("MetricDataResults", []):
            values.setdefault(result["Id"], []).extend(float(v) for v in result.get("Values", []))
        token = answer.get("NextToken")
        if not token:
            break
    stats: dict[str, VersionStats] = {}
    for version in versions:
        p99 = values.get(f"p99_v{version}") or []
        stats[version] = VersionStats(
            invocations=sum(values.get(f"invocations_v{version}", [])),
            errors=sum(values.get(f"errors_v{version}", [])),
            throttles=sum(values.get(f"throttles_v{version}", [])),
            # Several periods can come back at a boundary; the worst one is the honest p99.
            p99_ms=max(p99) if p99 else None,
        )
    return stats


def alarm_states(cloudwatch: Any, names: Sequence[str]) -> dict[str, str]:
    """StateValue (OK, ALARM, INSUFFICIENT_DATA) of each named metric or composite alarm that exists."""
    if not names:
        return {}
    states: dict[str, str] = {}
    paginator = cloudwatch.get_paginator("describe_alarms")
    for page in paginator.paginate(AlarmNames=list(names), AlarmTypes=["MetricAlarm", "CompositeAlarm"]):
        for alarm in page.get("MetricAlarms", []) + page.get("CompositeAlarms", []):
            states[alarm["AlarmName"]] = alarm["StateValue"]
    return states


def alarms_firing(cloudwatch: Any, names: Sequence[str]) -> list[str]:
    """The named alarms currently in ALARM."""
    return sorted(name for name, state in alarm_states(cloudwatch, names).items() if state == "ALARM")
