"""Resuming a cutover after it stopped part-way: an AWS error mid-bake, a crash before the first
stage was journaled, a pause (which stops the bake clock); and all-or-nothing rolling back past an error."""

from __future__ import annotations

from datetime import timedelta

import pytest

from v6wizard.errors import AwsCallFailed, CutoverIncomplete

from .clocks import Crash, FakeClock


def _weights(alias: dict) -> dict:
    return (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}


def test_resume_after_an_aws_error_mid_bake_continues_the_same_bake_clock(harness, emulator) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=12)
    rule = emulator.faults.add("cloudwatch", "GetMetricData", "AccessDenied", status=403)

    with pytest.raises(AwsCallFailed, match="AccessDenied"):
        h.run()
    assert _weights(h.alias(fn)) == {fn.new: 0.1}
    rule.times = 0  # the operator fixed the permission

    h.run()

    assert h.alias(fn)["FunctionVersion"] == fn.new and _weights(h.alias(fn)) == {}
    starts = [(e.data["stage"], e.data["started_at"]) for e in h.entries(fn, "stage")]
    assert (1, (t0 + timedelta(minutes=5)).isoformat()) in starts  # the 10% bake kept its start
    assert [e.kind for e in h.entries(fn)].count("intent") == 1
    assert h.clock.now() == t0 + timedelta(minutes=10)


def test_crash_before_the_first_stage_is_journaled_resumes_at_stage_zero(harness, monkeypatch, recorder) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=20)
    append = h.journal.append

    def crash_on_first_stage(entry) -> None:
        if entry.kind == "stage":
            raise Crash()
        append(entry)

    monkeypatch.setattr(h.journal, "append", crash_on_first_stage)
    with pytest.raises(Crash):
        h.run()
    monkeypatch.setattr(h.journal, "append", append)
    assert _weights(h.alias(fn)) == {fn.new: 0.1} and h.entries(fn, "stage") == []  # moved, not journaled

    later = FakeClock(current=t0 + timedelta(minutes=2))
    h.run(clock=later)

    starts = [(e.data["stage"], e.data["started_at"]) for e in h.entries(fn, "stage")]
    assert starts[0] == (0, (t0 + timedelta(minutes=2)).isoformat())
    assert (1, (t0 + timedelta(minutes=7)).isoformat()) in starts  # stage 0's bake counted from the resume
    assert h.alias(fn)["FunctionVersion"] == fn.new
    assert recorder.mutating.count("UpdateAlias") == 3  # 10% once (before the crash), 50%, 100%


def test_pause_stops_the_bake_clock_and_resume_keeps_the_paused_time(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=20)
    h.control.pause(fn.name)
    h.clock.hooks.append(lambda clock: h.control.resume(fn.name) if clock.now() >= t0 + timedelta(minutes=3) else None)
    h.clock.crash_after_sleeps = 4  # paused from the poll at 1 m to the poll at 3 m, dies at 4 m

    with pytest.raises(Crash):
        h.run()
    paused = [e.data for e in h.entries(fn, "stage")]
    assert paused[-1]["paused_seconds"] == 120 and paused[-1]["paused_since"] is None

    later = FakeClock(current=t0 + timedelta(minutes=4))
    h.run(clock=later)

    starts = [(e.data["stage"], e.data["started_at"]) for e in h.entries(fn, "stage")]
    assert (1, (t0 + timedelta(minutes=7)).isoformat()) in starts  # 5 m bake + 2 m paused
    assert h.alias(fn)["FunctionVersion"] == fn.new


def test_all_or_nothing_rolls_the_others_back_when_one_rollback_fails(harness, emulator) -> None:
    h = harness(("orders", "billing", "payments"))
    orders, billing, bad = h.fns
    t0 = h.clock.now()
    h.healthy_traffic(orders, t0, minutes=12)
    h.healthy_traffic(billing, t0, minutes=12)
    h.healthy_traffic(bad, t0, minutes=12, new_errors=30, from_minute=6)
    runner = h.runner(all_or_nothing=True)

    def on_event(event) -> None:
        h.events.append(event)
        if event.kind == "cutover-finished" and event.data.get("function") == bad.name:
            emulator.faults.deny("lambda", "UpdateAlias", times=1)  # the next rollback (orders) is refused

    runner.on_event = on_event
    with pytest.raises(CutoverIncomplete, match="3 of 3 cutovers did not finish"):
        runner.run(h.plan.actions(["cutover"]), {f"functions:publish:{fn.name}": {"Version": fn.new} for fn in h.fns})

    for fn in (billing, bad):
        alias = h.alias(fn)
        assert alias["FunctionVersion"] == fn.old and _weights(alias) == {}
    assert _weights(h.alias(orders)) == {orders.new: 0.5}
    failure = h.entries(orders, "failure")[-1]
    assert failure.error_code == "AccessDeniedException" and "rollback failed" in failure.data["reason"]
    assert failure.data["rolled_back"] is False
