"""The savings faces of the wizard: the Start ranking, the Choose NAT spend, the Plan panel, and its 80x24 snapshot."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.pilot import Pilot
from textual.widgets import DataTable

from tui import fixed
from tui.flows import connect, plan_demo
from tui.helpers import SIZE, text_of, wait_for
from tui.snapshot_app import FixedApp, with_plan
from v6wizard.core.prices import PRICE_TABLE
from v6wizard.core.savings import HourlyBytes, NatReading, SavingsReadings, estimate_savings
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.widgets.savings_panel import SavingsPanel
from v6wizard.tui.widgets.savings_ranking import NAT_SPEND_COLUMN, SavingsRanking


async def test_start_ranks_the_demo_vpc_and_the_plan_panel_shows_its_range(build_app, demo, recorder) -> None:
    recorder.operations.clear()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        ranking = app.screen.query_one(SavingsRanking)
        await wait_for(pilot, lambda: ranking.ranking is not None, what="the savings ranking")
        assert ranking.ranking is not None and [r.vpc_id for r in ranking.ranking.vpcs] == [demo.vpc_id]
        assert f"{demo.vpc_id}  up to $" in text_of(ranking)
        await plan_demo(pilot, demo.vpc_id)
        panel = app.screen.query_one(SavingsPanel)
        await wait_for(pilot, lambda: panel.report is not None, what="the savings panel")
        shown = text_of(panel)
        assert "Now: $" in shown and "IPv6 could take off: $0.00 to $" in shown and "Basis: routes only" in shown
        assert "many AWS services are IPv4-only" in shown and "Daily GB" in shown
        assert panel.report is not None and len(panel.report.daily_processed_gb) == 14
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen), what="back to choosing")
        table = app.screen.query_one("#vpcs", DataTable)
        await wait_for(pilot, lambda: str(table.get_cell(demo.vpc_id, NAT_SPEND_COLUMN)).startswith("$"), what="the NAT spend column")
        assert str(table.get_cell(demo.other_vpc_ids[0], NAT_SPEND_COLUMN)) == "-"
    assert recorder.mutating == []  # the wizard reads routes only: no Logs Insights query per look


def _fixed_savings():
    inventory = fixed.inventory()
    end = datetime(2026, 11, 20, tzinfo=timezone.utc)
    start = end - timedelta(days=14)
    hours = [HourlyBytes(at=start + timedelta(hours=h), bytes=(2 + (h % 24 > 8) * 4 + (h // 24) % 5) * 1e9) for h in range(14 * 24)]
    readings = SavingsReadings(window_start=start, window_end=end,
                               nats=[NatReading(nat_id=n.id, public_ips=1, hours=hours) for n in inventory.nat_gateways])
    return estimate_savings(vpc_id=inventory.vpc.id, region=inventory.region, window_days=14, nat_gateways=inventory.nat_gateways,
                            route_tables=inventory.route_tables, subnet_ids=[s.id for s in inventory.subnets], migrated_subnet_ids=None,
                            readings=readings, prices=PRICE_TABLE["us-east-1"])


def test_plan_savings_panel_fits_at_80x24(snap_compare) -> None:
    """Plan at 80x24 with its savings: "Now: $… a month (1 NAT gateway …)", "IPv6 could take off: $0.00 to $… a month",
    the routes-only basis in words, why the NAT stays, and a 14-day sparkline of daily GB; the steps table, the
    review finding and the footer still fit."""

    async def show(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.identity is not None, what="the fixed connection")
        with_plan(pilot.app)
        pilot.app.plan = pilot.app.plan.model_copy(update={"savings": _fixed_savings()})
        await pilot.app.push_screen(PlanScreen())
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=(80, 24), run_before=show)
