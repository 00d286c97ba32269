"""Live synthetic traffic for the demo, so its cutover has something to judge.

The seeded metrics cover the hour before the demo starts. During a cutover the gates
read each version's metrics since the stage began, so the demo keeps writing them: every
`interval` seconds, for each function's alias, Invocations, Errors, Throttles and
Duration per executed version, split by the alias's current routing weights, the way
Lambda reports a weighted alias. Only ever against the embedded emulator.

Lambda routes each call of a weighted alias on its own, so the versions' counts are a
random draw, not the weights times the total: at 50% the two versions show different
totals, as they would on AWS (an exact split showed identical totals at every poll).
One function, `FAILING_FUNCTION`, has a new version that fails `FAILING_ERROR_RATE` of
its calls, so the demo's cutover shows a real automatic rollback: its error-rate gate,
judged on these CloudWatch numbers, rejects it.
"""

from __future__ import annotations

import logging
import random
import threading
from datetime import datetime, timezone
from typing import Any

import botocore.exceptions

from v6wizard.aws.session import AwsAccess
from v6wizard.demo.builder import require_emulator

log = logging.getLogger(__name__)

DURATION_MS = (40.0, 60.0, 90.0, 150.0)
"""A healthy latency histogram (values) ..."""
DURATION_SHARE = (0.5, 0.3, 0.195, 0.005)
"""... and the share of invocations at each value: the slow tail stays under 1%, so p99 is 90 ms."""
ERROR_RATE = 0.002
"""Share of calls that fail on a healthy version."""
FAILING_FUNCTION = "notifier"
"""The demo function whose dual-stack version fails: its webhook has no IPv6 address (the story in README)."""
FAILING_ERROR_RATE = 0.08
"""Share of the failing function's calls that fail on its new version: far over the +1 point gate."""
SEEDED_VERSION = "1"
"""The version every demo function serves before the migration (see `demo.seed`)."""


class DemoTraffic:
    """A background thread that writes per-version Lambda metrics following each alias's weights."""

    def __init__(
        self,
        access: AwsAccess,
        function_names: list[str],
        *,
        alias: str = "live",
        interval: float = 2.0,
        per_tick: int = 300,
        seed: int | None = 6,
    ) -> None:
        self.access = access
        self.function_names = list(function_names)
        self.alias = alias
        self.interval = interval
        self.per_tick = per_tick
        self.random = random.Random(seed)
        """Routing and error draws; seeded, so a test or a rerun of the demo sees the same numbers."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-traffic", daemon=True)

    def start(self) -> DemoTraffic:
        require_emulator(self.access)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick(datetime.now(timezone.utc))
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
                # The emulator is going away or an alias is mid-change: the next tick tries again.
                log.debug("demo traffic tick skipped: %s", exc)

    def tick(self, now: datetime) -> None:
        """One interval's invocations for every function, split by its alias's routing now."""
        lam = self.access.client("lambda")
        datums: list[dict[str, Any]] = []
        for index, name in enumerate(self.function_names):
            alias = lam.get_alias(FunctionName=name, Name=self.alias)
            # Busier and quieter functions, so the panels do not all show the same numbers.
            calls = self.per_tick + (index * self.per_tick) // 4
            for version, (invocations, errors) in self.split(name, weights_of(alias), calls).items():
                datums += version_datums(name, self.alias, version, invocations, now, errors=errors)
        for start in range(0, len(datums), 20):
            self.access.client("cloudwatch").put_metric_data(Namespace="AWS/Lambda", MetricData=datums[start : start + 20])


    def split(self, function: str, weights: dict[str, float], calls: int) -> dict[str, tuple[int, int]]:
        """Version -> (invocations, errors): each call routed by the weights and failing at its version's rate."""
        versions = list(weights)
        routed = dict.fromkeys(versions, 0)
        for version in self.random.choices(versions, weights=[weights[v] for v in versions], k=calls):
            routed[version] += 1
        return {version: (count, self.errors(function, version, count)) for version, count in routed.items()}

    def errors(self, function: str, version: str, calls: int) -> int:
        """Failed calls among `calls`: drawn for the failing version; a healthy one's steady rate, rounded down,
        so a healthy version never fails its gate on a chance cluster of errors in a small window."""
        rate = error_rate(function, version)
        if rate == ERROR_RATE:
            return int(calls * rate)
        return sum(self.random.random() < rate for _ in range(calls))


def error_rate(function: str, version: str) -> float:
    """How often a call of this version fails: the failing function's new versions fail often."""
    return FAILING_ERROR_RATE if function == FAILING_FUNCTION and version != SEEDED_VERSION else ERROR_RATE


def weights_of(alias: dict[str, Any]) -> dict[str, float]:
    """Share of traffic per version: the additional version's weight, the rest to the primary."""
    extra = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    weights = {alias["FunctionVersion"]: 1.0 - sum(extra.values())}
    weights.update(extra)
    return weights


def version_datums(
    function: str, alias: str, version: str, invocations: int, now: datetime, *, errors: int | None = None
) -> list[dict[str, Any]]:
    if invocations <= 0:
        return []
    dimensions = [
        {"Name": "FunctionName", "Value": function},
        {"Name": "Resource", "Value": f"{function}:{alias}"},
        {"Name": "ExecutedVersion", "Value": version},
    ]

    def datum(metric: str, value: float) -> dict[str, Any]:
        return {"MetricName": metric, "Dimensions": dimensions, "Timestamp": now, "Value": value, "Unit": "Count"}

    return [
        datum("Invocations", float(invocations)),
        datum("Errors", float(int(invocations * ERROR_RATE) if errors is None else errors)),
        datum("Throttles", 0.0),
        {
            "MetricName": "Duration",
            "Dimensions": dimensions,
            "Timestamp": now,
            "Values": [value for value, count in durations(invocations) if count],
            "Counts": [float(count) for _, count in durations(invocations) if count],
            "Unit": "Milliseconds",
        },
    ]


def durations(invocations: int) -> list[tuple[float, int]]:
    """(milliseconds, calls) for `invocations` calls: one per call, slower buckets rounded down, the rest fast.

    Rounding a small tick's slow tail up (at least one call at 150 ms) made p99 of a version with
    few calls 150 ms, and the p99 gate failed healthy versions on an artefact of the demo."""
    slower = [(value, int(invocations * share)) for value, share in zip(DURATION_MS[1:], DURATION_SHARE[1:])]
    return [(DURATION_MS[0], invocations - sum(count for _, count in slower)), *slower]
