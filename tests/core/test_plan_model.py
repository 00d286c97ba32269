"""Small facts of the core models: one list of steps; the rate gates share one shape."""

from __future__ import annotations

from typing import get_args

from v6wizard.core.gates import GateThresholds, VersionStats, evaluate_gates
from v6wizard.core.plan import STEP_ORDER, STEP_TITLES, StepName


def test_step_order_is_the_step_name_literal_itself() -> None:
    # One list: a step added to StepName is in STEP_ORDER without a second edit.
    assert STEP_ORDER is get_args(StepName)
    assert list(STEP_TITLES) == list(STEP_ORDER)


def test_error_and_throttle_gates_judge_a_rise_in_points_the_same_way() -> None:
    limits = GateThresholds(min_invocations=100, max_error_rate_increase=1.0, max_throttle_increase=2.0)
    old = VersionStats(invocations=1000, errors=10, throttles=0)
    # errors 3% vs 1% (+2 points, over 1), throttles 2/202 = 0.99% (under 2)
    checks = {c.name: c for c in evaluate_gates(old, VersionStats(invocations=200, errors=6, throttles=2), limits).checks}
    assert checks["error-rate"].detail == "new 3.00% vs old 1.00% (+2.00 points, limit +1)" and not checks["error-rate"].passed
    assert checks["throttles"].detail == "new 0.99% vs old 0.00% (+0.99 points, limit +2)" and checks["throttles"].passed
    # a fall is shown as +0 and passes
    better = {c.name: c for c in evaluate_gates(old, VersionStats(invocations=200), limits).checks}
    assert better["error-rate"].detail == "new 0.00% vs old 1.00% (+0.00 points, limit +1)" and better["error-rate"].passed
