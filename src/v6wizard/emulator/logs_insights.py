"""Logs Insights `stats` queries over VPC flow logs, answered from the log events that were put.

moto 5.2.5 runs a query inside StartQuery, does not know `stats ... by` or `in [...]`
filters, and has no StopQuery. AWS runs a query in the background: GetQueryResults
says `Running` until it is done, and StopQuery cancels it. This layer answers queries
that contain `stats`, with the subset of the language the savings reads use:

    filter FIELD in ["a", "b"]   |   filter FIELD = "a"
    stats sum(FIELD) [as NAME] by FIELD, FIELD...
    sort NAME [desc|asc]     (after stats: by the sum or a `by` field)
    limit N

over messages in the default flow-log format (version 2), whose fields Logs Insights
discovers by these names. `polls_before_complete` says how many GetQueryResults calls
answer `Running` first (1 by default, so a client must poll); `hold` keeps every
query running until stopped, for timeout tests. Other queries go to moto.

https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html
https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from v6wizard.emulator.wsgi import Answer, Call, Layer, json_answer, json_error

FLOW_LOG_FIELDS = (
    "version", "accountId", "interfaceId", "srcAddr", "dstAddr", "srcPort", "dstPort",
    "protocol", "packets", "bytes", "start", "end", "action", "logStatus",
)
"""The default flow-log format's fields, as Logs Insights names them."""

_FILTER_IN = re.compile(r'^filter\s+(\w+)\s+in\s+\[(.*)\]$', re.S)
_FILTER_EQ = re.compile(r'^filter\s+(\w+)\s*=\s*"([^"]*)"$')
_STATS = re.compile(r"^stats\s+sum\((\w+)\)(?:\s+as\s+(\w+))?\s+by\s+([\w\s,]+)$")
_SORT = re.compile(r"^sort\s+(\w+)(?:\s+(asc|desc))?$")
_LIMIT = re.compile(r"^limit\s+(\d+)$")


class QueryError(ValueError):
    pass


@dataclass
class StatsQuery:
    filters: list[tuple[str, set[str]]] = field(default_factory=list)
    total: str = ""
    alias: str = ""
    by: list[str] = field(default_factory=list)
    sort: str = ""
    descending: bool = False
    limit: int = 1000


def parse(text: str) -> StatsQuery:
    query = StatsQuery()
    for part in (p.strip() for p in text.split("|")):
        if match := _FILTER_IN.match(part):
            query.filters.append((match.group(1), set(re.findall(r'"([^"]*)"', match.group(2)))))
        elif match := _FILTER_EQ.match(part):
            query.filters.append((match.group(1), {match.group(2)}))
        elif match := _STATS.match(part):
            query.total, query.alias = match.group(1), match.group(2) or f"sum({match.group(1)})"
            query.by = [name.strip() for name in match.group(3).split(",") if name.strip()]
        elif (match := _SORT.match(part)) and query.total:
            query.sort, query.descending = match.group(1), match.group(2) == "desc"
        elif match := _LIMIT.match(part):
            query.limit = int(match.group(1))
        else:
            raise QueryError(f"unsupported query command: {part!r}")
    if not query.total:
        raise QueryError("no stats command")
    if query.sort and query.sort not in (query.alias, *query.by):
        raise QueryError(f"sort by {query.sort!r}, which the stats command does not produce")
    return query


def flow_fields(message: str) -> dict[str, str] | None:
    values = message.split()
    return dict(zip(FLOW_LOG_FIELDS, values)) if len(values) == len(FLOW_LOG_FIELDS) else None


def run(query: StatsQuery, messages: list[str]) -> list[list[dict[str, str]]]:
    """The query's result rows over the messages."""
    sums: dict[tuple[str, ...], float] = {}
    for message in messages:
        record = flow_fields(message)
        if record is None or any(record.get(name) not in allowed for name, allowed in query.filters):
            continue
        try:
            value = float(record.get(query.total, ""))
        except ValueError:
            continue
        key = tuple(record.get(name, "") for name in query.by)
        sums[key] = sums.get(key, 0.0) + value
    ordered = list(sums.items())
    if query.sort == query.alias:
        ordered.sort(key=lambda item: item[1], reverse=query.descending)
    elif query.sort:
        column = query.by.index(query.sort)
        ordered.sort(key=lambda item: item[0][column], reverse=query.descending)
    rows = []
    for key, total in ordered[: query.limit]:
        text = str(int(total)) if total.is_integer() else repr(total)
        rows.append([*({"field": n, "value": v} for n, v in zip(query.by, key)), {"field": query.alias, "value": text}])
    return rows


@dataclass
class _Running:
    rows: list[list[dict[str, str]]]
    polls_left: int
    status: str = "Running"
    records: int = 0


class LogsInsights(Layer):
    """StartQuery, GetQueryResults and StopQuery for `stats` queries."""

    def __init__(self) -> None:
        self.logs_insights = self  # found by Emulator.logs_insights
        self.polls_before_complete = 1
        self.hold = False
        self._lock = threading.Lock()
        self._queries: dict[str, _Running] = {}

    def reset(self) -> None:
        with self._lock:
            self._queries.clear()
        self.polls_before_complete, self.hold = 1, False

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.service != "logs" or call.protocol != "json":
            return None
        if call.operation == "StartQuery" and "stats" in call.params.get("queryString", ""):
            return self._start(call)
        query_id = call.params.get("queryId", "")
        with self._lock:
            running = self._queries.get(query_id)
        if call.operation == "StopQuery":
            if running is None:
                return json_error("ResourceNotFoundException", f"Query {query_id} does not exist.")
            stopped = running.status == "Running"
            running.status = "Cancelled" if stopped else running.status
            return json_answer({"success": stopped})
        if call.operation == "GetQueryResults" and running is not None:
            return self._results(running)
        return None

    def _start(self, call: Call) -> Answer:
        from moto.backends import get_backend

        try:
            query = parse(call.params["queryString"])
        except QueryError as exc:
            return json_error("MalformedQueryException", str(exc))
        backend = get_backend("logs")[call.account][call.region]
        names = call.params.get("logGroupNames") or [call.params.get("logGroupName", "")]
        missing = [n for n in names if n not in backend.groups]
        if missing:
            return json_error("ResourceNotFoundException", f"Log group {missing[0]} does not exist.")
        start_ms, end_ms = int(call.params["startTime"]) * 1000, int(call.params["endTime"]) * 1000
        messages = [
            event.message
            for name in names
            for stream in backend.groups[name].streams.values()
            for event in stream.events
            if start_ms <= event.timestamp <= end_ms
        ]
        query_id = str(uuid.uuid4())
        with self._lock:
            self._queries[query_id] = _Running(run(query, messages), self.polls_before_complete, records=len(messages))
        return json_answer({"queryId": query_id})

    def _results(self, running: _Running) -> Answer:
        with self._lock:
            if running.status == "Running" and not self.hold:
                if running.polls_left > 0:
                    running.polls_left -= 1
                else:
                    running.status = "Complete"
            done = running.status == "Complete"
        statistics = {"recordsMatched": float(running.records if done else 0), "recordsScanned": float(running.records if done else 0), "bytesScanned": 0.0}
        return json_answer({"results": running.rows if done else [], "statistics": statistics, "status": running.status})
