"""The Choose screen lists the VPCs with Lambda functions first, so enter on the first row picks the one to migrate."""

from __future__ import annotations

from textual.widgets import DataTable

from tui.helpers import SIZE, wait_for
from v6wizard.tui.screens.choose import ChooseScreen


async def test_the_vpc_with_functions_is_the_first_row(build_app, demo) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="connecting")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count >= 3, what="the VPC list")
        table = app.screen.query_one("#vpcs", DataTable)
        order = [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)]
        # Functions first, then by name (the unnamed default VPC last): not the ids' random order.
        assert order[:2] == [demo.vpc_id, demo.staging_vpc_id]
        assert len(order) == 3


async def test_the_options_fill_in_a_row_per_frame_and_finish_mounts_the_rest_at_once() -> None:
    """Each row of the options form is mounted in a frame of its own (short frames); a plan asked for
    before the last one (finish) mounts the rest at once, and the rows are never mounted twice."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen

    from v6wizard.tui.widgets.options_form import OptionsForm

    class FormScreen(Screen[None]):
        def compose(self) -> ComposeResult:
            yield OptionsForm(id="options")

    class FormApp(App[None]):
        default_schedule = "10%:1m,100%"

    app = FormApp()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(FormScreen())
        form = app.screen.query_one(OptionsForm)
        assert not form.complete and not app.screen.query("#schedule"), "the rows come after the first frame"
        await form.finish()
        assert form.complete
        assert [len(app.screen.query(selector)) for selector in ("#cidr-source", "#assign-on-create", "#public-route", "#sdk-endpoints", "#alias", "#schedule")] == [1] * 6
        await pilot.pause()
        assert len(app.screen.query(".option-row")) == 5, "the frame-by-frame mounting found nothing left to mount"

        await app.push_screen(FormScreen())
        later = app.screen.query_one(OptionsForm)
        await wait_for(pilot, lambda: later.complete and bool(app.screen.query("#schedule")), what="the rows, a frame at a time")
        assert len(app.screen.query(".option-row")) == 5
