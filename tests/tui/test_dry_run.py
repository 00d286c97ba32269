"""Dry run: every screen previews against the demo account and not one mutating AWS call is made."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from tui.helpers import SIZE, text_of, wait_for
from v6wizard.core.plan_view import call_text
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.start import StartScreen
from v6wizard.tui.screens.step import StepScreen


async def test_dry_run_previews_every_step_and_makes_no_mutating_call(build_app, demo, recorder, emulator) -> None:
    recorder.operations.clear()
    # The server's own log: it also sees the discovery helper process, whose AWS access the recorder is not on.
    emulator.requests.clear()
    app = build_app(dry_run=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="connecting")
        assert isinstance(app.screen, StartScreen)
        assert "DRY RUN" in text_of(app.screen.query_one("#context", Static))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count >= 2, what="the VPC list")
        table = app.screen.query_one("#vpcs", DataTable)
        table.move_cursor(row=table.get_row_index(demo.vpc_id))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen._inventory is not None, what="discovery")
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")
        assert app.plan is not None and app.plan.vpc_id == demo.vpc_id
        steps = app.screen.query_one("#steps", DataTable)
        assert steps.row_count == 8
        for number, step in enumerate(app.plan.steps):
            steps.move_cursor(row=number)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, StepScreen), what=f"step {step.name}")
            preview = text_of(app.screen.query_one("#preview", Static))
            for action in step.actions:
                assert action.title in preview
            await pilot.press("c")  # the exact calls are one key away, in dry run too
            calls = text_of(app.screen.query_one("#preview", Static))
            for action in step.actions:
                assert call_text(action.call) in calls
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, StepScreen), "apply must be refused in dry run, not ask for confirmation"
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="back to the plan")
    assert recorder.operations, "the wizard read the account"
    assert recorder.mutating == []
    received = emulator.requests.operations()
    assert "DescribeSubnets" in received and "ListFunctions" in received, "discovery's reads reached the emulator"
    assert [op for op in received if not op.startswith(("Describe", "List", "Get"))] == []
    assert app.session_id is None
