"""Health gates for the alias cutover: per-version statistics in, one verdict out.

Pure: the numbers come from CloudWatch (see `v6wizard.aws.metrics`), the decision is
made here. A verdict is `pass`, `fail` (roll back now) or `low-traffic` (too few
invocations of the new version to judge it; never a silent pass). A failure that is
certain even with little traffic fails at once: if the new version's errors already
exceed the allowed rate over `min_invocations` calls, more successes cannot save it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

VerdictOutcome = Literal["pass", "fail", "low-traffic"]


class VersionStats(BaseModel):
    """What one version did during the window being judged."""

    model_config = {"frozen": True}

    invocations: float = 0
    """Sum of Invocations."""
    errors: float = 0
    """Sum of Errors."""
    throttles: float = 0
    """Sum of Throttles (throttled calls are not counted as invocations)."""
    p99_ms: float | None = None
    """Duration p99 in milliseconds; None when there were no datapoints."""

    @property
    def error_rate(self) -> float:
        """Errors per invocation, in percent (0 with no invocations)."""
        return 100.0 * self.errors / self.invocations if self.invocations else 0.0

    @property
    def throttle_rate(self) -> float:
        """Throttled share of all attempts, in percent."""
        attempts = self.invocations + self.throttles
        return 100.0 * self.throttles / attempts if attempts else 0.0


class GateThresholds(BaseModel):
    """How much worse than the old version the new one may be."""

    model_config = {"frozen": True}

    min_invocations: int = 100
    """Invocations of the new version needed before its rates are judged."""
    max_error_rate_increase: float = 1.0
    """Allowed rise of the error rate over the old version's, in percentage points."""
    max_throttle_increase: float = 1.0
    """Allowed rise of the throttle rate over the old version's, in percentage points."""
    max_p99_ratio: float = 1.5
    """Allowed new p99 / old p99."""


class GateCheck(BaseModel):
    """One gate's result, for the poll event and the journal."""

    model_config = {"frozen": True}

    name: Literal["error-rate", "throttles", "p99", "alarms", "traffic"]
    passed: bool
    detail: str


class Verdict(BaseModel):
    """The outcome of one poll and the sentence that explains it."""

    model_config = {"frozen": True}

    outcome: VerdictOutcome
    reason: str
    checks: list[GateCheck] = Field(default_factory=list)


def evaluate_gates(
    old: VersionStats,
    new: VersionStats,
    thresholds: GateThresholds,
    alarms_firing: Sequence[str] = (),
) -> Verdict:
    """Judge the new version against the old one.

    Alarms in ALARM fail regardless of traffic. Below `min_invocations` of the new
    version only a certain failure fails; otherwise the verdict is low-traffic.
    """
    checks: list[GateCheck] = []
    if alarms_firing:
        names = ", ".join(sorted(alarms_firing))
        checks.append(GateCheck(name="alarms", passed=False, detail=f"in ALARM: {names}"))
        return Verdict(outcome="fail", reason=f"CloudWatch alarm in ALARM: {names}", checks=checks)

    enough = new.invocations >= thresholds.min_invocations
    # With low traffic, judge rates over min_invocations: a lower bound of the true rate.
    calls = new.invocations if enough else float(thresholds.min_invocations)
    new_error_rate = 100.0 * new.errors / calls if calls else 0.0
    new_attempts = calls + new.throttles
    new_throttle_rate = 100.0 * new.throttles / new_attempts if new_attempts else 0.0

    checks.append(_rise_check("error-rate", new_error_rate, old.error_rate, thresholds.max_error_rate_increase))
    checks.append(_rise_check("throttles", new_throttle_rate, old.throttle_rate, thresholds.max_throttle_increase))
    if enough and new.p99_ms is not None and old.p99_ms:
        ratio = new.p99_ms / old.p99_ms
        checks.append(
            GateCheck(
                name="p99",
                passed=ratio <= thresholds.max_p99_ratio,
                detail=f"new {new.p99_ms:.0f} ms vs old {old.p99_ms:.0f} ms "
                f"(x{ratio:.2f}, limit x{thresholds.max_p99_ratio:g})",
            )
        )

    failed = [check for check in checks if not check.passed]
    if failed:
        reason = "; ".join(f"{check.name} gate failed: {check.detail}" for check in failed)
        return Verdict(outcome="fail", reason=reason, checks=checks)
    if not enough:
        detail = f"{new.invocations:.0f} of {thresholds.min_invocations} invocations needed"
        checks.append(GateCheck(name="traffic", passed=False, detail=detail))
        return Verdict(outcome="low-traffic", reason=f"too little traffic on the new version: {detail}", checks=checks)
    return Verdict(outcome="pass", reason="every gate passed", checks=checks)


def _rise_check(name: Literal["error-rate", "throttles"], new_rate: float, old_rate: float, limit: float) -> GateCheck:
    """A rate gate: the new version's rate may exceed the old one's by at most `limit` points."""
    rise = new_rate - old_rate
    return GateCheck(
        name=name,
        passed=rise <= limit,
        detail=f"new {new_rate:.2f}% vs old {old_rate:.2f}% (+{max(rise, 0):.2f} points, limit +{limit:g})",
    )
