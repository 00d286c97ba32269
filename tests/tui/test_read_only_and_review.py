"""Dry run and Inspect hide the apply keys; findings to review are acknowledged once, journaled, and read by
both faces; a refusal names the TUI's keys in the TUI and the CLI's flags in the CLI."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from textual.widgets import Label

from tui import fixed
from tui.flows import confirm_typed, connect, open_step, plan_demo, run_step
from tui.helpers import SIZE, wait_for
from tui.snapshot_app import FixedApp, with_plan
from v6wizard.cli import cli
from v6wizard.engine.runner import Engine
from v6wizard.journal import open_journal
from v6wizard.tui.screens.dialogs import ErrorDialog, ReviewDialog, TypedConfirmDialog
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.step import StepScreen


def shown_keys(app: Any) -> set[str]:
    """Actions of the current screen that are active (hidden ones are not)."""
    return {active.binding.action for active in app.screen.active_bindings.values()}


async def test_dry_run_hides_apply_keys_on_start_plan_and_step() -> None:
    app = FixedApp(dry_run=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="the fixed connection")
        actions = shown_keys(app)
        assert "open_session('resume')" not in actions and "open_session('rollback')" not in actions
        assert "open_session('inspect')" in actions and "new_migration" in actions
        await pilot.press("d")  # dry run off: resume and roll back come back
        await pilot.pause()
        assert "open_session('resume')" in shown_keys(app)
        await pilot.press("d")
        with_plan(app)
        await app.push_screen(PlanScreen())
        await pilot.pause()
        assert "apply_all" not in shown_keys(app) and "mark_reviewed" not in shown_keys(app)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen), "A does nothing in dry run: no dialog opened"
        await app.push_screen(StepScreen("subnets"))
        await pilot.pause()
        assert not {"apply", "skip", "rollback"} & shown_keys(app)


async def test_inspect_is_read_only_like_dry_run() -> None:
    app = FixedApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="the fixed connection")
        app.use_plan(fixed.plan(), fixed.SESSION, inspect=True)
        await app.push_screen(PlanScreen())
        await pilot.pause()
        assert app.context_line.startswith("INSPECT")
        assert "apply_all" not in shown_keys(app) and "open_step" in shown_keys(app)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen), what="a step")
        assert not {"apply", "skip", "rollback"} & shown_keys(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen), "a does nothing in Inspect"
        # A plan made anew (n, then p) is not read-only.
        app.use_plan(fixed.plan())
        assert not app.read_only and not app.context_line.startswith("INSPECT")


async def test_review_is_asked_once_before_the_first_apply_of_its_step() -> None:
    app = FixedApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="the fixed connection")
        with_plan(app)
        await app.push_screen(PlanScreen())
        await pilot.pause()
        title = app.screen.query_one("#findings-title", Label)
        assert str(title.content).startswith("Needs your review before applying")
        await app.push_screen(StepScreen("security-groups"))
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewDialog), what="the review dialog")
        assert [f.resource_id for f in app.screen.findings] == ["sg-0res000000000001"]
        await pilot.press("escape")  # back: nothing acknowledged, no confirmation asked
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen), what="back on the step")
        assert app.reviewed == set()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewDialog), what="the review dialog again")
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmDialog), what="the apply confirmation")
        assert app.reviewed == {"security-groups"}
        await pilot.press("escape")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmDialog), what="straight to the confirmation, not asked twice")
        await pilot.press("escape")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")
        await pilot.pause()
        assert str(app.screen.query_one("#findings-title", Label).content) == "Reviewed"
        assert "mark_reviewed" not in shown_keys(app), "nothing left to mark reviewed"


async def test_apply_all_asks_for_the_review_and_v_marks_it_on_the_plan() -> None:
    app = FixedApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="the fixed connection")
        with_plan(app)
        await app.push_screen(PlanScreen())
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewDialog), what="the review before Apply all")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewDialog), what="the review from v")
        await pilot.click("#yes")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")
        await pilot.pause()
        assert str(app.screen.query_one("#findings-title", Label).content) == "Reviewed"
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmDialog), what="Apply all's confirmation at once")


async def test_the_acknowledgement_is_journaled_and_both_faces_read_it(build_app, demo, access, journal_path, emulator, monkeypatch) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        assert any(f.step == "security-groups" for f in app.plan.findings if f.kind == "review")
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewDialog), what="the review dialog")
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")
        await run_step(pilot, "vpc-cidr")
        session_id = app.session_id
    state = Engine(access, open_journal(journal_path)).state(session_id)
    assert "security-groups" in state.reviewed

    # The CLI's `show --output json` carries it, and a new wizard opening the session says Reviewed.
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator.endpoint)
    shown = CliRunner().invoke(cli, ["show", session_id, "--output", "json", "--journal", journal_path, "--region", "us-east-1"])
    assert shown.exit_code == 0, shown.output
    assert '"reviewed": [' in shown.stdout and '"security-groups"' in shown.stdout
    again = build_app()
    async with again.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await wait_for(pilot, lambda: again.screen.query_one("#sessions").row_count == 1, what="the session")
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(again.screen, PlanScreen), what="the inspected plan")
        await pilot.pause()
        assert str(again.screen.query_one("#findings-title", Label).content) == "Reviewed"


async def test_a_refusal_in_the_tui_names_no_cli_flag(build_app, demo) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        await open_step(pilot, "routes")  # its egress-only gateway (step 3) is not created yet
        await pilot.press("a")
        await confirm_typed(pilot, "routes")
        # Pushed is not yet composed: wait for the dialog's widgets, not just the screen.
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog) and bool(app.screen.query("#error-next")), timeout=60, what="the refusal")
        text = app.screen.message_text
        assert text.startswith("Step routes needs step vpc-cidr applied first")
        assert "Apply step vpc-cidr first (open it from the plan)" in text and "Apply all (A)" in text
        assert "--" not in text
        assert str(app.screen.query_one("#error-next").content) == "Nothing was changed."


def test_the_same_refusal_in_the_cli_keeps_its_flag_hint(access, emulator, tmp_path, monkeypatch) -> None:
    from engine.scenario import small

    info = small(access, functions=0)
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator.endpoint)
    result = CliRunner().invoke(
        cli,
        ["apply", "--vpc-id", info.vpc_id, "--only", "routes", "--yes", "--region", "us-east-1", "--journal", str(tmp_path / "j.sqlite3")],
    )
    assert result.exit_code == 2, result.output
    assert "Step routes needs step vpc-cidr applied first" in result.stderr
    assert "Apply that step too, e.g. --until routes." in result.stderr


def test_the_clis_yes_is_its_acknowledgement(demo, emulator, tmp_path, monkeypatch) -> None:
    """`apply --yes` journals the review of the steps it applies, so the wizard later reads them as Reviewed."""
    import json

    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator.endpoint)
    journal = str(tmp_path / "j.sqlite3")
    common = ["--region", "us-east-1", "--journal", journal]
    result = CliRunner().invoke(cli, ["apply", "--vpc-id", demo.vpc_id, "--until", "security-groups", "--yes", "--output", "json", *common])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["reviewed"] == ["security-groups"]
