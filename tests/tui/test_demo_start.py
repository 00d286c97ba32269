"""The demo opens at once and seeds its sample account in the background; n waits for it; quitting
mid-run says the demo's session ends with it, and the lines printed after quitting say so too."""

from __future__ import annotations

import threading

from textual.widgets import DataTable, Static

from tui.flows import confirm_typed
from tui.helpers import SIZE, text_of, wait_for
from tui.test_apply_rollback import vpc_ipv6_blocks
from v6wizard.demo.preparation import DemoPreparation
from v6wizard.demo.seed import seed_demo
from v6wizard.tui.after_quit import after_quit
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.dialogs import ConfirmDialog
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.start import StartScreen


async def test_demo_start_screen_shows_before_the_account_is_seeded_and_n_waits(build_app, emulator, access) -> None:
    """Start shows "Preparing the demo's sample account" while seeding is held back; n then says it waits,
    and opens the VPC list by itself once the (really seeded) account is ready. Mid-apply, ctrl+q asks
    without promising a resumable session, and the printed lines say the demo session ended."""
    release = threading.Event()
    seeded: list[object] = []

    def start() -> tuple[object, object, object]:
        assert release.wait(60), "the test never released the seeding"
        seeded.append(seed_demo(access))
        return emulator, seeded[0], None

    preparation = DemoPreparation(start, "us-east-1")
    app = build_app(demo=True, preparation=preparation)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen), what="the start screen")
        start_screen = app.screen
        assert "Preparing the demo's sample account" in text_of(start_screen.query_one("#sessions-note", Static))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and not preparation.ready and app.identity is None

        release.set()
        await wait_for(
            pilot,
            # The screen may be pushed but not composed yet when this is first asked, hence query, not query_one.
            lambda: isinstance(app.screen, ChooseScreen) and any(t.row_count >= 2 for t in app.screen.query("#vpcs").results(DataTable)),
            timeout=60,
            what="the VPC list, opened by the n pressed while preparing",
        )
        vpc_id = seeded[0].vpc_id  # type: ignore[attr-defined]
        table = app.screen.query_one("#vpcs", DataTable)
        table.move_cursor(row=table.get_row_index(vpc_id))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen._inventory is not None, timeout=60, what="discovery")
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")

        emulator.faults.latency = 0.2  # slow enough that the quit lands while the run goes
        try:
            await pilot.press("A")
            await confirm_typed(pilot, "apply")
            await wait_for(pilot, lambda: len(vpc_ipv6_blocks(access, vpc_id)) == 1, timeout=60, what="the first step")
            await pilot.press("ctrl+q")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the quit question")
            question = text_of(app.screen.query_one(".dialog-text", Static))
            assert "resumable" not in question and "the demo ends" in question
            await pilot.press("y")
            await wait_for(pilot, lambda: app.return_code is not None, timeout=60, what="the app to exit")
        finally:
            emulator.faults.latency = 0.0
    printed = after_quit(app)
    assert f"Demo session {app.session_id} ({vpc_id}): interrupted" in printed
    assert "ended with it" in printed and f"v6wizard resume {app.session_id}" in printed
