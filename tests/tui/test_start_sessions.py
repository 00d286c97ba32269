"""The Start screen lists every session that can still be acted on, with its true status, and stays current;
step screens show their step's real status; quitting prints the session's commands."""

from __future__ import annotations

from textual.widgets import DataTable, ProgressBar, Static

from cutover.clocks import FakeClock
from tui.flows import confirm_typed, connect, open_step, plan_demo, run_step
from tui.helpers import SIZE, text_of, wait_for
from tui.test_apply_rollback import vpc_ipv6_blocks
from tui.test_cutover import migrate_to_cutover, traffic
from v6wizard.engine.cutover import CutoverSettings
from v6wizard.tui.after_quit import after_quit
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.start import StartScreen
from v6wizard.tui.screens.step import StepScreen


async def back_to_start(pilot) -> StartScreen:
    app = pilot.app
    while not isinstance(app.screen, StartScreen):
        await pilot.press("escape")
        await pilot.pause()
    return app.screen


def session_rows(screen: StartScreen) -> list[tuple[str, str]]:
    table = screen.query_one("#sessions", DataTable)
    return [(str(table.get_cell_at((row, 0))), str(table.get_cell_at((row, 1)))) for row in range(table.row_count)]


async def test_start_reloads_when_shown_again_and_shows_partly_applied(build_app, demo, journal_path) -> None:
    """Connected with no sessions, one step applied, back on Start: the new session is listed as
    "partly applied: 1 of N steps applied" (not "None", not "applied"); the step screen reopened shows
    "Status: applied" and a full progress bar."""
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        assert app.screen.query_one("#sessions", DataTable).row_count == 0
        await plan_demo(pilot, demo.vpc_id)
        await run_step(pilot, "vpc-cidr")
        total = sum(1 for step in app.plan.steps if step.actions)

        await open_step(pilot, "vpc-cidr")
        step_screen = app.screen
        assert isinstance(step_screen, StepScreen)
        assert text_of(step_screen.query_one("#step-status", Static)).startswith("Status: applied")
        assert step_screen.query_one(ProgressBar).percentage == 1.0

        start = await back_to_start(pilot)
        await wait_for(pilot, lambda: session_rows(start) == [(app.session_id, f"partly applied: 1 of {total} steps applied")], what="the reloaded session list")
        assert "r resumes" in text_of(start.query_one("#sessions-note", Static))
    printed = after_quit(app)
    assert f"Session {app.session_id} ({demo.vpc_id}): partly applied: 1 of {total} steps applied." in printed
    # The exact commands: the region, the endpoint and the journal this wizard used.
    resume = f"v6wizard resume {app.session_id} --region us-east-1 --endpoint-url {app.target.endpoint_url} --journal {journal_path}"
    assert resume in printed and resume.replace("resume", "rollback", 1) in printed


async def test_finished_migration_is_listed_applied_and_rolled_back_from_start(build_app, demo, access) -> None:
    """A full migration (cutover included) on a fake clock: the cutover step screen, shown again after the
    cutover, says "Status: applied" with a full bar; Start lists the session as "applied"; b rolls it back;
    Start, shown again, no longer lists it; the lines printed after quitting name the session and its state."""
    clock = FakeClock()
    clock.hooks.append(traffic(access, demo.function_names, new_errors=0))
    app = build_app(cutover_settings=CutoverSettings(poll_interval=60, min_invocations=10), cutover_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await migrate_to_cutover(pilot, demo)
        await wait_for(pilot, lambda: not app.engine_running and app.statuses.get("cutover") == "applied", timeout=120, what="the cutover")
        session_id = app.session_id
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen), what="the cutover step screen")
        step_screen = app.screen
        await wait_for(pilot, lambda: text_of(step_screen.query_one("#step-status", Static)).startswith("Status: applied"), what="the cutover step's status")
        assert step_screen.query_one(ProgressBar).percentage == 1.0

        start = await back_to_start(pilot)
        await wait_for(pilot, lambda: session_rows(start) == [(session_id, "applied")], what="the finished session")
        assert "v6wizard rollback" in after_quit(app) and "v6wizard resume" not in after_quit(app)

        await pilot.press("b")
        await confirm_typed(pilot, "rollback")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the session's plan")
        await wait_for(pilot, lambda: not app.engine_running and app.statuses.get("vpc-cidr") == "rolled-back", timeout=120, what="the rollback")
        assert vpc_ipv6_blocks(access, demo.vpc_id) == []
        start = await back_to_start(pilot)
        await wait_for(pilot, lambda: session_rows(start) == [], what="the rolled-back session to leave the list")
    printed = after_quit(app)
    assert f"Session {session_id} ({demo.vpc_id}): rolled back." in printed
    assert "v6wizard rollback" not in printed
