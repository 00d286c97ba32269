"""Pure tests of the health gates (core.gates) and the bake clock (core.cutover_plan)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from v6wizard.core.cutover_plan import StagePosition, bake_deadline, decide
from v6wizard.core.gates import GateThresholds, Verdict, VersionStats, evaluate_gates
from v6wizard.core.schedule import parse_schedule

LIMITS = GateThresholds(min_invocations=100, max_error_rate_increase=1.0, max_throttle_increase=1.0, max_p99_ratio=1.5)
OLD = VersionStats(invocations=1000, errors=10, throttles=0, p99_ms=200)


def test_equal_versions_pass() -> None:
    verdict = evaluate_gates(OLD, VersionStats(invocations=200, errors=2, p99_ms=210), LIMITS)
    assert verdict.outcome == "pass"
    assert {c.name for c in verdict.checks} == {"error-rate", "throttles", "p99"}


def test_error_rate_rise_beyond_the_limit_fails() -> None:
    verdict = evaluate_gates(OLD, VersionStats(invocations=200, errors=5, p99_ms=200), LIMITS)  # 2.5% vs 1%
    assert verdict.outcome == "fail" and "error-rate gate failed" in verdict.reason
    assert evaluate_gates(OLD, VersionStats(invocations=200, errors=4, p99_ms=200), LIMITS).outcome == "pass"  # 2.0%: +1.0


def test_throttle_rise_fails() -> None:
    verdict = evaluate_gates(OLD, VersionStats(invocations=200, throttles=10, p99_ms=200), LIMITS)
    assert verdict.outcome == "fail" and "throttles gate failed" in verdict.reason


def test_p99_ratio_beyond_the_limit_fails() -> None:
    verdict = evaluate_gates(OLD, VersionStats(invocations=200, errors=2, p99_ms=301), LIMITS)
    assert verdict.outcome == "fail" and "p99 gate failed" in verdict.reason
    assert evaluate_gates(OLD, VersionStats(invocations=200, errors=2, p99_ms=300), LIMITS).outcome == "pass"


def test_low_traffic_is_its_own_outcome_not_a_pass() -> None:
    verdict = evaluate_gates(OLD, VersionStats(invocations=20, errors=0, p99_ms=900), LIMITS)
    assert verdict.outcome == "low-traffic" and "20 of 100" in verdict.reason  # p99 not judged on 20 calls


def test_certain_failure_fails_even_with_low_traffic() -> None:
    # 5 errors in 20 calls: even if the next 80 succeed, 5% > 1% + 1 point.
    verdict = evaluate_gates(OLD, VersionStats(invocations=20, errors=5), LIMITS)
    assert verdict.outcome == "fail"
    assert evaluate_gates(OLD, VersionStats(invocations=20, errors=1), LIMITS).outcome == "low-traffic"


def test_alarms_in_alarm_fail_whatever_the_numbers() -> None:
    verdict = evaluate_gates(OLD, VersionStats(invocations=500, errors=0), LIMITS, alarms_firing=["api-5xx"])
    assert verdict.outcome == "fail" and "api-5xx" in verdict.reason


def test_old_version_without_p99_skips_the_ratio() -> None:
    verdict = evaluate_gates(VersionStats(), VersionStats(invocations=200, p99_ms=5000), LIMITS)
    assert verdict.outcome == "pass" and "p99" not in {c.name for c in verdict.checks}


T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
SCHEDULE = parse_schedule("10%:5m,50%:5m,100%")
PASS = Verdict(outcome="pass", reason="ok")
LOW = Verdict(outcome="low-traffic", reason="too little traffic")
FAIL = Verdict(outcome="fail", reason="error-rate gate failed")


def test_stage_holds_until_its_bake_ends_then_advances() -> None:
    at = StagePosition(stage=0, started_at=T0)
    assert decide(SCHEDULE, at, T0 + timedelta(minutes=4), PASS, 3).kind == "hold"
    assert decide(SCHEDULE, at, T0 + timedelta(minutes=5), PASS, 3).kind == "advance"


def test_failure_rolls_back_at_any_time() -> None:
    assert decide(SCHEDULE, StagePosition(stage=1, started_at=T0), T0 + timedelta(seconds=1), FAIL, 3).kind == "rollback"


def test_low_traffic_extends_up_to_the_limit_then_stops() -> None:
    at = StagePosition(stage=0, started_at=T0, extensions=1)
    assert bake_deadline(SCHEDULE, at) == T0 + timedelta(minutes=10)
    assert decide(SCHEDULE, at, T0 + timedelta(minutes=9), LOW, 2).kind == "hold"
    assert decide(SCHEDULE, at, T0 + timedelta(minutes=10), LOW, 2).kind == "extend"
    assert decide(SCHEDULE, at.model_copy(update={"extensions": 2}), T0 + timedelta(minutes=15), LOW, 2).kind == "stop-low-traffic"


def test_final_stage_finishes_after_its_watch_but_never_on_low_traffic() -> None:
    schedule = parse_schedule("25%:1m,100%:2m")
    at = StagePosition(stage=1, started_at=T0)
    passed = Verdict(outcome="pass", reason="all gates passed")
    assert decide(schedule, at, T0 + timedelta(minutes=1), LOW, 0).kind == "hold"
    assert decide(schedule, at, T0 + timedelta(minutes=2), passed, 0).kind == "finish"
    assert decide(schedule, at, T0 + timedelta(minutes=2), LOW, 0).kind == "stop-low-traffic"
