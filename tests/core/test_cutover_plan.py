"""The bake clock's decisions (core.cutover_plan), in particular at the final stage."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from v6wizard.core.cutover_plan import StagePosition, decide
from v6wizard.core.gates import Verdict
from v6wizard.core.schedule import parse_schedule

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
PASS = Verdict(outcome="pass", reason="every gate passed")
LOW = Verdict(outcome="low-traffic", reason="too little traffic on the new version")


def test_final_stage_with_a_bake_extends_then_stops_on_low_traffic_instead_of_finishing() -> None:
    schedule = parse_schedule("25%:1m,100%:10m")
    at = StagePosition(stage=1, started_at=T0)
    assert decide(schedule, at, T0 + timedelta(minutes=9), LOW, 1).kind == "hold"
    extend = decide(schedule, at, T0 + timedelta(minutes=10), LOW, 1)
    assert extend.kind == "extend" and extend.reason == LOW.reason
    extended = at.model_copy(update={"extensions": 1})
    stop = decide(schedule, extended, T0 + timedelta(minutes=20), LOW, 1)
    assert stop.kind == "stop-low-traffic" and stop.reason == LOW.reason


def test_final_stage_finishes_when_its_watch_passes() -> None:
    schedule = parse_schedule("25%:1m,100%:10m")
    assert decide(schedule, StagePosition(stage=1, started_at=T0), T0 + timedelta(minutes=10), PASS, 1).kind == "finish"
    extended = StagePosition(stage=1, started_at=T0, extensions=1)
    assert decide(schedule, extended, T0 + timedelta(minutes=20), PASS, 1).kind == "finish"


def test_a_final_stage_without_a_bake_has_nothing_to_watch_and_finishes() -> None:
    schedule = parse_schedule("25%:1m,100%")
    assert decide(schedule, StagePosition(stage=1, started_at=T0), T0, LOW, 2).kind == "finish"
