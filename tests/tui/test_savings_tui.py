"""The savings faces of the wizard: the Start list ranked by what each VPC could save, the Choose NAT spend, both
tables at 80 and 200 columns, the Plan panel and its 80x24 snapshot, and the Summary's "what it did"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from textual.pilot import Pilot
from textual.widgets import DataTable

from tui import fixed
from tui.flows import connect, plan_demo, run_step
from tui.helpers import SIZE, text_of, wait_for
from tui.snapshot_app import FixedApp, with_plan
from v6wizard.core.amounts import usd
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.summary import SummaryScreen
from v6wizard.tui.widgets.savings_outcome import SavingsOutcomePanel
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


async def test_a_region_without_nat_says_there_is_nothing_to_save_on_nat(build_app, emulator) -> None:
    """An empty account (the region's default VPC only): the column reads "-" and the sentence says why."""
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        table = app.screen.query_one(VpcList)
        await wait_for(pilot, lambda: table.savings.arrived and table.row_count == 1, what="the list and its savings")
        assert table.savings.report is not None and table.savings.report.vpcs == []
        vpc_id = str(table.coordinate_to_cell_key((0, 0)).row_key.value)
        assert str(table.get_cell(vpc_id, SAVINGS_COLUMN)) == "-"
        assert "No VPC in us-east-1 has a NAT gateway: there is nothing to save on NAT." in text_of(app.screen.query_one("#savings-note"))


async def test_f5_reads_the_savings_again_and_coming_back_reloads_the_list_from_the_same_read(build_app, demo, recorder) -> None:
    from v6wizard.tui.messages import OverviewLoaded

    app = build_app()
    lists: list[OverviewLoaded] = []

    def hook(message) -> None:
        if isinstance(message, OverviewLoaded):
            lists.append(message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await connect(pilot)
        table = app.screen.query_one(VpcList)
        await wait_for(pilot, lambda: table.savings.report is not None and table.row_count == 3, what="the savings column")
        metric_reads = recorder.operations.count("GetMetricData")
        assert metric_reads >= 1
        first = table.savings
        await pilot.press("f5")
        await wait_for(pilot, lambda: table.savings is not first and table.savings.report is not None, what="the savings read again")
        assert recorder.operations.count("GetMetricData") > metric_reads
        assert str(table.get_cell(demo.vpc_id, SAVINGS_COLUMN)).startswith("up to $")

        metric_reads = recorder.operations.count("GetMetricData")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count == 3, what="choosing")
        list_reads = len(lists)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(lists) > list_reads and table.savings.report is not None, what="the list read again")
        await wait_for(pilot, lambda: not any(w.is_running for w in app.screen.workers), what="the Start screen's reads")
        assert recorder.operations.count("GetMetricData") == metric_reads, "shown again, the savings come from the connection's read"


async def test_both_vpc_tables_fit_80_columns_and_show_every_column_at_200(build_app, demo) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await connect(pilot)
        start = app.screen.query_one(VpcList)
        await wait_for(pilot, lambda: start.savings.report is not None and start.row_count == 3, what="the savings column")
        await pilot.pause()
        assert start.virtual_size.width <= start.size.width, "nothing scrolls off to the right"
        assert [c.key.value for c in start.columns.values()] == ["vpc", "name", "ipv6", SAVINGS_COLUMN]
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count == 3, what="the VPC list")
        choose = app.screen.query_one("#vpcs", DataTable)
        await wait_for(pilot, lambda: str(choose.get_cell(demo.vpc_id, NAT_SPEND_COLUMN)).startswith("$"), what="the NAT spend column")
        await pilot.pause()
        assert choose.virtual_size.width <= choose.size.width
        assert [c.key.value for c in choose.columns.values()] == ["vpc", "name", "ipv6", "nat", "functions", NAT_SPEND_COLUMN]
        choose.move_cursor(row=1)
        highlighted = choose.coordinate_to_cell_key((1, 0)).row_key

        await pilot.resize_terminal(200, 50)
        await wait_for(pilot, lambda: "ipv4" in [c.key.value for c in choose.columns.values()], what="the wide form")
        assert choose.coordinate_to_cell_key((choose.cursor_row, 0)).row_key == highlighted, "the highlighted VPC stays highlighted"
        assert str(choose.get_cell(demo.vpc_id, NAT_SPEND_COLUMN)).startswith("$")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "functions" in [c.key.value for c in start.columns.values()], what="the Start list's wide form")
        assert str(start.get_cell(demo.vpc_id, "ipv6")) == "IPv4 only"


def test_the_savings_cells_read_in_dollars_or_in_gb_and_the_list_ranks_by_the_high_end() -> None:
    from v6wizard.core.savings import Range
    from v6wizard.core.savings_render import RegionSavings
    from v6wizard.tui.widgets.vpc_list import SavingsView, by_savings, nat_spend_cell, savings_cell

    overview = fixed.overview()
    prod, staging = overview.vpcs
    report = fixed.savings()
    view = SavingsView(RegionSavings(region=fixed.REGION, window_days=14, vpcs=[report]))
    assert report.monthly_movable_usd is not None and report.monthly_now_usd is not None
    assert savings_cell(prod, view) == f"up to ${report.monthly_movable_usd.high:,.2f} of ${report.monthly_now_usd:,.2f}"
    assert nat_spend_cell(prod, view) == f"${report.monthly_now_usd:,.2f}"
    assert savings_cell(staging, view) == "-" and nat_spend_cell(staging, view) == "-"
    assert savings_cell(prod, SavingsView()) == "…" and savings_cell(staging, SavingsView()) == "-"
    assert savings_cell(prod, SavingsView(error="AccessDenied")) == "n/a"

    no_prices = report.model_copy(update={"prices": None, "monthly_now_usd": None, "monthly_movable_usd": None})
    gb_view = SavingsView(RegionSavings(region="ap-south-2", window_days=14, vpcs=[no_prices]))
    month_gb = sum(n.monthly_gb for n in report.nat_gateways)
    assert savings_cell(prod, gb_view) == f"up to {report.monthly_movable_gb.high:,.1f} of {month_gb:,.1f} GB"
    assert nat_spend_cell(prod, gb_view) == f"{month_gb:,.1f} GB"

    # staging has no functions (prod-main comes first without savings) but could save more: it is ranked first.
    more = report.model_copy(update={"vpc_id": staging.id, "monthly_movable_usd": Range(low=0, high=report.monthly_movable_usd.high + 1)})
    assert [v.id for v in by_savings(overview.vpcs, SavingsView())] == [prod.id, staging.id]
    ranked = by_savings(overview.vpcs, SavingsView(RegionSavings(region=fixed.REGION, window_days=14, vpcs=[report, more])))
    assert [v.id for v in ranked] == [staging.id, prod.id]


def _session_of(journal_path: str, plan, first_applied: datetime, cutover_finished: datetime) -> str:
    """A session whose first action began at `first_applied` and whose last step finished at `cutover_finished`."""
    from v6wizard.journal import open_journal
    from v6wizard.journal.base import JournalEntry

    journal = open_journal(journal_path)
    try:
        info = journal.create_session(plan)
        last = next(s for s in reversed(plan.steps) if s.actions)
        entries = [JournalEntry(session_id=info.id, action_id=plan.actions()[0].id, kind="intent", at=first_applied)]
        entries += [JournalEntry(session_id=info.id, action_id=a.id, kind="outcome", at=cutover_finished) for a in last.actions]
        journal.append_many(entries)
    finally:
        journal.close()
    return info.id


async def _summary_of_inspected_session(pilot: Pilot, session_id: str) -> SavingsOutcomePanel:
    """From Start: inspect the session (i), open its summary (s), and wait for the "what it did" read."""
    app = pilot.app
    await connect(pilot)
    sessions = app.screen.query_one("#sessions", DataTable)
    await wait_for(pilot, lambda: session_id in sessions.rows, what="the session listed")
    sessions.move_cursor(row=sessions.get_row_index(session_id))
    await pilot.press("i")
    await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen) and app.session_id == session_id, what="the inspected plan")
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen), what="the summary")
    panel = app.screen.query_one(SavingsOutcomePanel)
    await wait_for(pilot, lambda: panel.outcome is not None, what="what it did")
    return panel


async def test_summary_says_what_it_did_in_gb_and_dollars_from_the_nat_metrics_before_and_after(build_app, access, journal_path) -> None:
    """2 GB an hour through the NAT gateway before the first applied step, 1 GB an hour since the cutover
    finished two days ago: the Summary says 24.00 GB a day less, -$32.83 a month (24 x 30.4 x $0.045)."""
    from savings.scenario import build_vpc, put_nat_metrics
    from v6wizard.aws.savings_reads import window
    from v6wizard.core.plan import PlanOptions
    from v6wizard.planning import make_plan

    vpc = build_vpc(access, [1])
    _start, end = window(14)
    first_applied, finished = end - timedelta(days=3), end - timedelta(days=2)
    put_nat_metrics(access, vpc.nat_ids[0], first_applied, 48, {"BytesInFromSource": 1e9, "BytesInFromDestination": 1e9})
    # Past the window's end too, so the hour turning while the test runs leaves no empty hour in "after".
    put_nat_metrics(access, vpc.nat_ids[0], end + timedelta(hours=3), 51, {"BytesInFromSource": 0.5e9, "BytesInFromDestination": 0.5e9})
    session_id = _session_of(journal_path, make_plan(access, vpc.vpc_id, PlanOptions()), first_applied, finished)

    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await _summary_of_inspected_session(pilot, session_id)
        await pilot.pause()
        assert panel.display
        shown = text_of(panel)
        assert "What it did: NAT gateways process 24.00 GB a day less than before the migration (-$32.83 a month)." in shown
        assert re.search(r"before [▁▂▃▄▅▆▇█]+ 48\.0 GB a day", shown), shown
        assert re.search(r"after +[▁▂▃▄▅▆▇█]+ 24\.0 GB a day", shown), shown


async def test_summary_says_too_early_to_tell_before_a_day_of_data_after_the_cutover(build_app, access, journal_path) -> None:
    from savings.scenario import build_vpc, put_nat_metrics
    from v6wizard.aws.savings_reads import window
    from v6wizard.core.plan import PlanOptions
    from v6wizard.planning import make_plan

    vpc = build_vpc(access, [1])
    _start, end = window(14)
    first_applied = end - timedelta(days=1)
    put_nat_metrics(access, vpc.nat_ids[0], first_applied, 48, {"BytesInFromSource": 1e9, "BytesInFromDestination": 1e9})
    put_nat_metrics(access, vpc.nat_ids[0], end, 20, {"BytesInFromSource": 0.5e9, "BytesInFromDestination": 0.5e9})
    session_id = _session_of(journal_path, make_plan(access, vpc.vpc_id, PlanOptions()), first_applied, end - timedelta(hours=20))

    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await _summary_of_inspected_session(pilot, session_id)
        await pilot.pause()
        shown = text_of(panel)
        assert panel.display
        # 4 hours to go, or 3 if the clock's hour turned since the session was written.
        assert re.search(r"What it did: Too early to tell: fewer than 24 whole hours of NAT metrics since the cutover finished \(ask again in [34] hours\)\.", shown), shown
        assert "GB a day" not in shown and "$" not in shown, "no rate and no money before a day of after data"
        assert re.search(r"before [▁▂▃▄▅▆▇█]+ 96\.0 GB in all", shown), shown
        assert "after" not in shown.split("\n", 1)[1], "20 hours after the cutover are no whole day to chart yet"


async def test_summary_of_a_step_applied_in_the_wizard_says_too_early_to_tell(build_app, demo) -> None:
    """A real apply (step 1) then s: the cutover has not run, so "what it did" says it is too early."""
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        await run_step(pilot, "vpc-cidr")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen), what="the summary")
        panel = app.screen.query_one(SavingsOutcomePanel)
        await wait_for(pilot, lambda: panel.outcome is not None, what="what it did")
        await pilot.pause()
        assert panel.display
        assert "What it did: Too early to tell: the cutover has not finished." in text_of(panel)
        assert "before" in text_of(panel), "the demo's 14 days of NAT metrics before the first step"


async def test_savings_that_cannot_be_read_are_a_sentence_under_the_list_not_a_dialog(build_app, demo, emulator) -> None:
    """cloudwatch:GetMetricData denied: the list still shows every VPC's IPv6 status, the NAT VPC's column reads
    n/a, the sentence under the list says why, and no error dialog stops the operator."""
    from v6wizard.tui.screens.start import StartScreen

    emulator.faults.deny("cloudwatch", "GetMetricData")
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        table = app.screen.query_one(VpcList)
        await wait_for(pilot, lambda: table.savings.arrived and table.row_count == 3, what="the list and the failed read")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen), "no error dialog"
        assert str(table.get_cell(demo.vpc_id, SAVINGS_COLUMN)) == "n/a"
        assert str(table.get_cell(demo.vpc_id, "ipv6")) == "IPv4 only"
        assert text_of(app.screen.query_one("#savings-note")).startswith("NAT savings could not be read: ")


def test_the_plan_panel_of_a_region_without_prices_names_no_flag() -> None:
    from v6wizard.core.prices import unknown_region_sentence
    from v6wizard.tui.widgets.savings_panel import panel_text

    report = fixed.savings().model_copy(update={"region": "af-south-1", "price_note": unknown_region_sentence("af-south-1")})
    shown = panel_text(report).plain
    assert "No NAT gateway prices are on file for af-south-1, so this estimate is in GB only" in shown
    assert "`v6wizard savings` takes your prices" in shown and "--" not in shown
