"""Live synthetic traffic for the demo, so its cutover has something to judge.

The seeded metrics cover the hour before the demo starts. During a cutover the gates
read each version's metrics since the stage began, so the demo keeps writing them: every
`interval` seconds, for each function's alias, Invocations, Errors, Throttles and
Duration per executed version, split by the alias's current routing weights, the way
Lambda reports a weighted alias. Only ever against the embedded emulator.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
from typing import Any

import botocore.exceptions

from v6wizard.aws.session import AwsAccess
from v6wizard.demo.builder import require_emulator

log = logging.getLogger(__name__)

DURATION_MS = (40.0, 60.0, 90.0, 150.0)
"""A healthy latency histogram (values) ..."""
DURATION_SHARE = (0.5, 0.3, 0.19, 0.01)
"""... and the share of invocations at each value."""
ERROR_RATE = 0.002


class DemoTraffic:
    """A background thread that writes per-version Lambda metrics following each alias's weights."""

    def __init__(self, access: AwsAccess, function_names: list[str], *, alias: str = "live", interval: float = 2.0, per_tick: int = 300) -> None:
        self.access = access
        self.function_names = list(function_names)
        self.alias = alias
        self.interval = interval
        self.per_tick = per_tick
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
        for name in self.function_names:
            alias = lam.get_alias(FunctionName=name, Name=self.alias)
            for version, weight in weights_of(alias).items():
                datums += version_datums(name, self.alias, version, round(self.per_tick * weight), now)
        for start in range(0, len(datums), 20):
            self.access.client("cloudwatch").put_metric_data(Namespace="AWS/Lambda", MetricData=datums[start : start + 20])


def weights_of(alias: dict[str, Any]) -> dict[str, float]:
    """Share of traffic per version: the additional version's weight, the rest to the primary."""
    extra = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    weights = {alias["FunctionVersion"]: 1.0 - sum(extra.values())}
    weights.update(extra)
    return weights


def version_datums(function: str, alias: str, version: str, invocations: int, now: datetime) -> list[dict[str, Any]]:
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
        datum("Errors", float(int(invocations * ERROR_RATE))),
        datum("Throttles", 0.0),
        {
            "MetricName": "Duration",
            "Dimensions": dimensions,
            "Timestamp": now,
            "Values": list(DURATION_MS),
            "Counts": [max(1.0, round(invocations * share)) for share in DURATION_SHARE],
            "Unit": "Milliseconds",
        },
    ]
