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
