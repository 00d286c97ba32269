"""The cutover against the emulator: healthy shifts finalize, bad ones roll back within a poll,
low traffic stops for the operator, a crash resumes on the same bake clock, several functions at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from v6wizard.errors import Cancelled, CutoverAborted, CutoverIncomplete, HealthGateFailed, LowTraffic

from .clocks import Crash, FakeClock


def _weights(alias: dict) -> dict:
    return (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}


def test_healthy_cutover_walks_every_stage_and_finalizes(harness, recorder) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=12)

    h.run()

    alias = h.alias(fn)
    assert alias["FunctionVersion"] == fn.new and _weights(alias) == {}
    stages = [(e.data["stage"], e.data["weight"], e.data["started_at"]) for e in h.entries(fn, "stage")]
    assert stages == [
        (0, 0.1, t0.isoformat()),
        (1, 0.5, (t0 + timedelta(minutes=5)).isoformat()),
        (2, 1.0, (t0 + timedelta(minutes=10)).isoformat()),
    ]
    kinds = [e.kind for e in h.entries(fn)]
    assert kinds[0] == "intent" and kinds[-1] == "outcome"
    assert h.entries(fn, "outcome")[0].data["final_version"] == fn.new
    assert recorder.mutating.count("UpdateAlias") == 3
    stage_events = [e for e in h.events if e.kind == "cutover-stage"]
    assert stage_events[0].data["percent"] == 10 and stage_events[0].data["next_stage_at"] == (t0 + timedelta(minutes=5)).isoformat()
    polls = [e for e in h.events if e.kind == "cutover-poll"]
    assert polls and polls[-1].data["new"]["invocations"] > 0 and polls[-1].data["old"]["p99_ms"] == 100.0
    assert h.events[-1].kind == "cutover-finished" and h.events[-1].data["result"] == "finished"


def test_error_spike_at_ten_percent_rolls_back_within_one_poll(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=12, new_errors=20, from_minute=2)  # first bad datapoint at t0+130s

    with pytest.raises(HealthGateFailed, match="error-rate gate failed"):
        h.run(poll_interval=30)

    alias = h.alias(fn)
    assert alias["FunctionVersion"] == fn.old and _weights(alias) == {}
    failure = h.entries(fn, "failure")[-1]
    assert failure.error_code == "HealthGateFailed" and "error-rate" in failure.data["reason"]
    # Readable at t0+130 s; the poll at t0+150 s acted on it: one poll interval, not a stage.
    assert h.clock.now() == t0 + timedelta(seconds=150)
    verdicts = [e for e in h.events if e.kind == "cutover-verdict" and e.data["verdict"] == "fail"]
    assert verdicts and "error-rate" in verdicts[0].data["reason"]


def test_p99_regression_rolls_back(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=12, new_p99=400.0, from_minute=1)

    with pytest.raises(HealthGateFailed, match="p99 gate failed"):
        h.run()

    alias = h.alias(fn)
    assert alias["FunctionVersion"] == fn.old and _weights(alias) == {}
    assert "x4.00" in h.entries(fn, "failure")[-1].data["reason"]


def test_low_traffic_extends_the_bake_then_stops_for_the_operator(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=30, per_minute=1)

    with pytest.raises(LowTraffic, match="stopped at 10%"):
        h.run(max_bake_extensions=2, min_invocations=50)

    assert [e.data["extensions"] for e in h.entries(fn, "stage")] == [0, 1, 2]
    assert h.clock.now() == t0 + timedelta(minutes=15)  # 5 m bake + two 5 m extensions
    alias = h.alias(fn)  # not judged, not rolled back: held at 10% for the operator
    assert alias["FunctionVersion"] == fn.old and _weights(alias) == {fn.new: 0.1}
    assert h.entries(fn, "failure")[-1].error_code == "LowTraffic"
    assert any(e.kind == "cutover-verdict" and e.data["verdict"] == "low-traffic" for e in h.events)

    # The operator resumes once traffic is back: a fresh bake at the same stage, then on to 100%.
    h.healthy_traffic(fn, h.clock.now(), minutes=12)
    h.run()
    assert h.alias(fn)["FunctionVersion"] == fn.new


def test_crash_mid_bake_resumes_on_the_same_clock(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=12)
    h.clock.crash_after_sleeps = 4  # dies at t0+120 s, two minutes into the 5-minute bake

    with pytest.raises(Crash):
        h.run(poll_interval=30)
    assert _weights(h.alias(fn)) == {fn.new: 0.1}

    later = FakeClock(current=t0 + timedelta(seconds=150))
    h.run(clock=later, poll_interval=30)

    starts = [(e.data["stage"], e.data["started_at"]) for e in h.entries(fn, "stage")]
    assert (1, (t0 + timedelta(minutes=5)).isoformat()) in starts  # not 150 s + 5 m
    assert [e.kind for e in h.entries(fn)].count("intent") == 1
    assert h.alias(fn)["FunctionVersion"] == fn.new
    assert later.now() == t0 + timedelta(minutes=10)


def test_two_functions_one_failing_rolls_back_alone(harness) -> None:
    h = harness(("orders", "billing"))
    good, bad = h.fns
    t0 = h.clock.now()
    h.healthy_traffic(good, t0, minutes=12)
    h.healthy_traffic(bad, t0, minutes=12, new_errors=30, from_minute=6)  # fails at 50%

    with pytest.raises(HealthGateFailed, match="billing"):
        h.run()

    assert h.alias(good)["FunctionVersion"] == good.new
    assert h.alias(bad)["FunctionVersion"] == bad.old and _weights(h.alias(bad)) == {}
    assert h.entries(bad, "failure")[-1].data["stage"] == 1


def test_all_or_nothing_rolls_every_function_back(harness) -> None:
    h = harness(("orders", "billing"))
    good, bad = h.fns
    t0 = h.clock.now()
    h.healthy_traffic(good, t0, minutes=12)
    h.healthy_traffic(bad, t0, minutes=12, new_errors=30, from_minute=6)

    with pytest.raises(CutoverIncomplete, match="2 of 2 cutovers did not finish"):
        h.run(all_or_nothing=True)

    for fn in (good, bad):
        alias = h.alias(fn)
        assert alias["FunctionVersion"] == fn.old and _weights(alias) == {}
    assert "all-or-nothing: billing" in h.entries(good, "failure")[-1].data["reason"]


def test_operator_promote_and_abort(harness) -> None:
    h = harness(("orders", "billing"))
    promoted, aborted = h.fns
    t0 = h.clock.now()
    for fn in h.fns:
        h.healthy_traffic(fn, t0, minutes=12)

    def press(clock: FakeClock) -> None:
        if clock.sleeps == 2:
            h.control.promote(promoted.name)
            h.control.abort(aborted.name)

    h.clock.hooks.append(press)
    with pytest.raises(CutoverAborted, match="^Cutover stopped by you: alias live is back on version 1$"):
        h.run(poll_interval=30)

    assert h.alias(promoted)["FunctionVersion"] == promoted.new and _weights(h.alias(promoted)) == {}
    assert h.alias(aborted)["FunctionVersion"] == aborted.old and _weights(h.alias(aborted)) == {}
    assert h.clock.now() == t0 + timedelta(seconds=60)


def test_pause_holds_the_stage_and_stops_its_bake_clock(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=20)
    h.control.pause(fn.name)
    h.clock.hooks.append(lambda clock: h.control.resume(fn.name) if clock.now() >= t0 + timedelta(minutes=8) else None)

    h.run()

    starts = [e.data["started_at"] for e in h.entries(fn, "stage") if e.data["stage"] == 1]
    # Paused from the first poll (1 m) to the poll at 8 m: the 5-minute bake ends 7 minutes later.
    assert starts[0] == (t0 + timedelta(minutes=12)).isoformat()


def test_rollback_returns_a_finished_cutover_to_the_old_version(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=12)
    h.run()
    runner = h.runner()

    runner.rollback(h.plan.action(f"cutover:shift:{fn.name}"), {})

    alias = h.alias(fn)
    assert alias["FunctionVersion"] == fn.old and _weights(alias) == {}
    assert [e.kind for e in h.entries(fn) if e.phase == "rollback"] == ["intent", "outcome"]


def test_cancel_leaves_the_alias_split_and_resume_finishes(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=12)
    cancel = threading.Event()
    h.clock.hooks.append(lambda clock: cancel.set() if clock.now() >= t0 + timedelta(minutes=6) else None)
    runner = h.runner()
    runner.cancel = cancel

    with pytest.raises(Cancelled, match="resumable"):
        runner.run(h.plan.actions(["cutover"]), {f"functions:publish:{fn.name}": {"Version": fn.new}})
    assert _weights(h.alias(fn)) == {fn.new: 0.5}  # stopped at 50%, neither rolled back nor finalized

    h.clock.hooks.clear()
    h.run()
    assert h.alias(fn)["FunctionVersion"] == fn.new
    assert h.clock.now() == t0 + timedelta(minutes=10)  # the 50% bake kept its start time
