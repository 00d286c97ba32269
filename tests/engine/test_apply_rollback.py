"""Full apply then full rollback: the VPC ends exactly as it started, and the plan's promises hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from v6wizard.aws.snapshot import diff_snapshots, take_snapshot
from v6wizard.demo import scenarios
from v6wizard.engine.runner import Engine

from engine.helpers import Events, journal_at, make_plan, replan_leftovers
from engine.scenario import small


def test_small_apply_then_rollback_restores_the_snapshot(access, tmp_path: Path) -> None:
    info = small(access, functions=1, alias="live")
    plan = make_plan(access, info.vpc_id)
    journal = journal_at(tmp_path / "j.sqlite3")
    events = Events()
    engine = Engine(access, journal, on_event=events.append)
    before = take_snapshot(access, info.vpc_id)
    session = engine.start(plan)
    engine.apply(session.id, until="functions")
    state = engine.state(session.id)
    assert [s.status for s in state.steps if not s.empty and s.name != "cutover"] == ["applied"] * len(
        [s for s in state.steps if not s.empty and s.name != "cutover"]
    )
    assert replan_leftovers(access, info.vpc_id) == []
    engine.rollback(session.id)
    after = take_snapshot(access, info.vpc_id)
    assert diff_snapshots(before, after) == []
    assert journal.session(session.id).status == "rolled-back"
    assert journal.snapshot(session.id) == before
    restored = [e.data for e in journal.entries(session.id) if e.data.get("note") == "restored"]
    assert restored == [{"note": "restored", "differences": []}]
    assert "matches its pre-apply snapshot" in events.of("note")[-1].message


SCENARIOS = {
    "demo": scenarios.demo,
    "half_migrated": scenarios.half_migrated,
    "ipv6_only_subnet": scenarios.ipv6_only_subnet,
    "weighted_alias": scenarios.weighted_alias,
    "many_subnets": lambda access: scenarios.many_subnets(access, n=12),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_scenario_applies_replans_empty_and_rolls_back(access, tmp_path: Path, name: str) -> None:
    info = SCENARIOS[name](access)
    plan = make_plan(access, info.vpc_id)
    journal = journal_at(tmp_path / "j.sqlite3")
    engine = Engine(access, journal)
    before = take_snapshot(access, info.vpc_id)
    session = engine.start(plan)
    engine.apply(session.id, until="functions")
    state = engine.state(session.id)
    assert {s.status for s in state.steps if not s.empty and s.name != "cutover"} <= {"applied"}
    assert replan_leftovers(access, info.vpc_id) == []
    engine.rollback(session.id)
    assert diff_snapshots(before, take_snapshot(access, info.vpc_id)) == []
    journal.close()


def test_the_team_journal_on_dynamodb_carries_a_session_too(access, tmp_path: Path) -> None:
    from v6wizard.journal import open_journal

    info = small(access, functions=0)
    journal = open_journal("dynamodb://v6wizard-engine-test", access, create=True)
    engine = Engine(access, journal)
    before = take_snapshot(access, info.vpc_id)
    session = engine.start(make_plan(access, info.vpc_id))
    engine.apply(session.id, until="routes")
    assert engine.state(session.id).step("routes").status == "applied"
    engine.rollback(session.id)
    assert diff_snapshots(before, take_snapshot(access, info.vpc_id)) == []
    assert journal.session(session.id).status == "rolled-back"
