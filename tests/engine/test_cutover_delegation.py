"""The engine hands the cutover step to CutoverRunner and undoes it first on rollback."""

from __future__ import annotations

from pathlib import Path

from v6wizard.aws.snapshot import diff_snapshots, take_snapshot
from v6wizard.core.schedule import parse_schedule
from v6wizard.engine.cutover import CutoverSettings
from v6wizard.engine.runner import Engine

from engine.helpers import journal_at, make_plan
from engine.scenario import small


def test_full_apply_shifts_the_alias_and_rollback_restores_it(access, tmp_path: Path) -> None:
    info = small(access, functions=1, alias="live")
    name = info.function_names[0]
    lam = access.client("lambda")
    old_version = lam.get_alias(FunctionName=name, Name="live")["FunctionVersion"]
    plan = make_plan(access, info.vpc_id, schedule=parse_schedule("100%"))
    assert [a.id for a in plan.step("cutover").actions] == [f"cutover:shift:{name}"]
    journal = journal_at(tmp_path / "j.sqlite3")
    engine = Engine(access, journal, cutover_settings=CutoverSettings(poll_interval=0.1, min_invocations=0))
    before = take_snapshot(access, info.vpc_id)
    session = engine.start(plan)
    engine.apply(session.id)
    state = engine.state(session.id)
    assert state.step("cutover").status == "applied"
    new_version = state.outputs[f"functions:publish:{name}"]["Version"]
    assert lam.get_alias(FunctionName=name, Name="live")["FunctionVersion"] == new_version != old_version
    engine.rollback(session.id)
    assert lam.get_alias(FunctionName=name, Name="live")["FunctionVersion"] == old_version
    assert diff_snapshots(before, take_snapshot(access, info.vpc_id)) == []
    assert journal.session(session.id).status == "rolled-back"
