"""A failed apply shows AWS's message and stays resumable; quitting mid-apply stops after the current action
and a new app instance resumes the session from the start screen."""

from __future__ import annotations

from textual.widgets import DataTable

from tui.flows import confirm_typed, connect, open_step, plan_demo, run_step
from tui.helpers import SIZE, wait_for
from tui.test_apply_rollback import subnets_with_ipv6, vpc_ipv6_blocks
from v6wizard.journal import open_journal
from v6wizard.tui.screens.dialogs import ConfirmDialog, ErrorDialog
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.start import StartScreen


async def test_access_denied_shows_the_error_dialog_and_the_session_resumes(build_app, demo, access, emulator, journal_path) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        await run_step(pilot, "vpc-cidr")
        emulator.faults.deny("ec2", "AssociateSubnetCidrBlock")
        await open_step(pilot, "subnets")
        await pilot.press("a")
        await confirm_typed(pilot, "apply")
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), timeout=60, what="the error dialog")
        dialog = app.screen
        assert "UnauthorizedOperation" in dialog.message_text or "not authorized" in dialog.message_text
        assert "resum" in dialog.query_one("#error-next").content
        await wait_for(pilot, lambda: not app.engine_running and app.statuses.get("subnets") == "failed", what="subnets failed")
        session_id = app.session_id
    assert subnets_with_ipv6(access, demo.vpc_id) == 0
    journal = open_journal(journal_path)
    assert journal.session(session_id).status not in ("applied", "rolled-back")

    emulator.faults.reset()
    again = build_app()
    async with again.run_test(size=SIZE) as pilot:
        await connect(pilot)
        table = again.screen.query_one("#sessions", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1, what="the interrupted session")
        assert table.get_cell_at((0, 0)) == session_id
        await pilot.press("r")
        await confirm_typed(pilot, "resume")
        await wait_for(pilot, lambda: isinstance(again.screen, PlanScreen), what="the plan of the session")
        await wait_for(pilot, lambda: not again.engine_running and again.statuses.get("subnets") == "applied", timeout=60, what="resume")
    assert subnets_with_ipv6(access, demo.vpc_id) == len(demo.subnet_ids)


async def test_quit_during_apply_stops_after_the_current_action_and_resumes_in_a_new_app(build_app, demo, access, emulator, journal_path) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        emulator.faults.latency = 0.2  # slow enough that the quit lands while the early steps run
        await pilot.press("A")
        await confirm_typed(pilot, "apply")
        await wait_for(pilot, lambda: len(vpc_ipv6_blocks(access, demo.vpc_id)) == 1, timeout=60, what="the first step to change AWS")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the quit question")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code is not None, timeout=60, what="the app to exit")
        session_id = app.session_id
    emulator.faults.latency = 0.0
    assert not dual_stack_functions(access, demo.function_names), "the run stopped before the functions step"
    assert open_journal(journal_path).session(session_id).status not in ("applied", "rolled-back")

    again = build_app()
    async with again.run_test(size=SIZE) as pilot:
        await connect(pilot)
        assert isinstance(again.screen, StartScreen)
        table = again.screen.query_one("#sessions", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1, what="the interrupted session")
        assert table.get_cell_at((0, 0)) == session_id
        await pilot.press("r")
        await confirm_typed(pilot, "resume")
        await wait_for(pilot, lambda: not again.engine_running and again.statuses.get("functions") == "applied", timeout=120, what="resume")
    assert subnets_with_ipv6(access, demo.vpc_id) == len(demo.subnet_ids)
    assert dual_stack_functions(access, demo.function_names) == demo.function_names


def dual_stack_functions(access, names: list[str]) -> list[str]:
    lam = access.client("lambda")
    return [n for n in names if lam.get_function_configuration(FunctionName=n)["VpcConfig"].get("Ipv6AllowedForDualStack")]
