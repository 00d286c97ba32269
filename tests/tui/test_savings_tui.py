"""The savings faces of the wizard: the Start ranking, the Choose NAT spend, the Plan panel, and its 80x24 snapshot."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable

from tui import fixed
from tui.flows import connect, plan_demo
from tui.helpers import SIZE, text_of, wait_for
from tui.snapshot_app import FixedApp, with_plan
from v6wizard.core.savings_render import usd
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.widgets.savings_panel import SavingsPanel
from v6wizard.tui.widgets.vpc_list import NAT_SPEND_COLUMN, SAVINGS_COLUMN, VpcList


async def test_start_ranks_the_demo_vpc_in_its_list_and_the_plan_panel_shows_its_range(build_app, demo, recorder) -> None:
    recorder.operations.clear()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        table = app.screen.query_one(VpcList)
        await wait_for(pilot, lambda: table.savings.report is not None and table.row_count == 3, what="the savings column")
        report = table.savings.estimate(demo.vpc_id)
        assert report is not None and report.monthly_movable_usd is not None
        order = [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)]
        assert order[0] == demo.vpc_id, "the VPC that could save most comes first"
        assert str(table.get_cell(demo.vpc_id, SAVINGS_COLUMN)) == (
            f"up to {usd(report.monthly_movable_usd.high)} of {usd(report.monthly_now_usd)}"
        )
        assert report.monthly_movable_usd.high > 0
        assert [str(table.get_cell(vpc, SAVINGS_COLUMN)) for vpc in demo.other_vpc_ids] == ["-"] * len(demo.other_vpc_ids)
        assert "Ranked by the most IPv6 could take off each VPC's NAT bill (last 14 days)." in text_of(app.screen.query_one("#savings-note"))
        assert not app.screen.query("SavingsRanking"), "one table, not a second ranking"
        await plan_demo(pilot, demo.vpc_id)
        panel = app.screen.query_one(SavingsPanel)
        await wait_for(pilot, lambda: panel.report is not None, what="the savings panel")
        shown = text_of(panel)
        assert "Now: $" in shown and "IPv6 could take off: $0.00 to $" in shown and "Basis: routes only" in shown
        assert "many AWS services are IPv4-only" in shown and "Daily GB" in shown
        assert panel.report is not None and len(panel.report.daily_processed_gb) == 14
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen), what="back to choosing")
        choose = app.screen.query_one("#vpcs", DataTable)
        await wait_for(pilot, lambda: str(choose.get_cell(demo.vpc_id, NAT_SPEND_COLUMN)) == usd(report.monthly_now_usd), what="the NAT spend column")
        assert str(choose.get_cell(demo.other_vpc_ids[0], NAT_SPEND_COLUMN)) == "-"
    assert recorder.mutating == []  # the wizard reads routes only: no Logs Insights query per look


def test_plan_savings_panel_fits_at_80x24(snap_compare) -> None:
    """Plan at 80x24 with its savings: "Now: $… a month (1 NAT gateway …)", "IPv6 could take off: $0.00 to $… a month",
    the routes-only basis in words, why the NAT stays, and a 14-day sparkline of daily GB; the steps table, the
    review finding and the footer still fit."""

    async def show(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.identity is not None, what="the fixed connection")
        with_plan(pilot.app)
        pilot.app.plan = pilot.app.plan.model_copy(update={"savings": fixed.savings()})
        await pilot.app.push_screen(PlanScreen())
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=(80, 24), run_before=show)
