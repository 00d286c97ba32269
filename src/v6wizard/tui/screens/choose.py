"""Choose: the region's VPCs, then the chosen VPC's subnets and functions, and the plan options."""

from __future__ import annotations

import os

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, RadioSet, SelectionList, Static, Switch

from v6wizard.core.inventory import Inventory, RegionOverview
from v6wizard.core.plan import PlanOptions
from v6wizard.core.schedule import parse_schedule
from v6wizard.errors import InvalidOption
from v6wizard.tui.messages import DiscoveryProgress, InventoryLoaded, OverviewLoaded, PlanReady
from v6wizard.tui.widgets.context_bar import ContextBar
from v6wizard.tui.widgets.marked import CheckList
from v6wizard.tui.widgets.options_form import OptionsForm
from v6wizard.tui.screens.base import ReportsWorkerFailures
from v6wizard.tui.widgets.footer import WizardFooter
from v6wizard.tui.savings_work import SavingsRead, region_savings
from v6wizard.tui.widgets.vpc_list import CHOOSE_COLUMNS, SavingsView, VpcTable, by_functions

if TYPE_CHECKING:
    from v6wizard.tui.app import WizardApp

CIDR_SOURCES = ("amazon", "ipam", "byoip")

OPTION_BATCH = 40
"""Options added to a list per frame: a screenful and then some, well under the 50 ms frame budget."""

Option = tuple[str, str, bool]
"""A SelectionList option: label, value, ticked."""


class ChooseScreen(ReportsWorkerFailures, Screen[None]):
    """Pick a VPC (enter), tick what to migrate, set the options, then make the plan (p)."""

    app: WizardApp

    BINDINGS = [
        Binding("p", "make_plan", "Make plan", id="choose.plan", tooltip="Build the plan for the ticked subnets and functions."),
        Binding("f5", "reload", "Reload", id="choose.reload", tooltip="Read the region's VPCs again."),
        Binding("escape", "back", "Back", id="choose.back", tooltip="Back to the start screen."),
    ]

    def __init__(self, overview: RegionOverview | None = None, inventory: Inventory | None = None) -> None:
        super().__init__()
        self._overview = overview
        self._inventory = inventory
        """The VPC's inventory once its subnets and functions are all listed (None while filling)."""
        self._fill_generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield ContextBar(id="context")
        with VerticalScroll(id="choose-body"):
            yield Label("VPCs in this region (enter picks one)", classes="section-title")
            # The VPCs with functions to migrate come first, so enter on the first row is the likely choice.
            yield VpcTable(CHOOSE_COLUMNS, by_functions, id="vpcs", cursor=True)
            yield Static("Reading the region's VPCs…", id="choose-status", classes="hint")
            with Horizontal(id="picks", classes="-empty"):
                with Vertical():
                    yield Label("Subnets to migrate", classes="section-title")
                    yield CheckList(id="subnets")
                with Vertical():
                    yield Label("Functions to migrate", classes="section-title")
                    yield CheckList(id="functions")
            yield OptionsForm(id="options")
        yield WizardFooter()

    def on_mount(self) -> None:
        if self._overview is not None:
            self._show_overview(self._overview)
        else:
            # After the first frame: the helper and AWS answering meanwhile took CPU from laying the screen out.
            self.call_after_refresh(self.load_overview)
        if self._inventory is not None:
            self._show_inventory(self._inventory)

    # --- workers ----------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def load_overview(self) -> None:
        assert self.app.backend is not None
        self.post_message(OverviewLoaded(self.app.backend.region_overview()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="discover")
    def discover(self, vpc_id: str) -> None:
        assert self.app.backend is not None

        def progress(text: str) -> None:
            self.post_message(DiscoveryProgress(text))

        self.post_message(InventoryLoaded(self.app.backend.discover(vpc_id, on_progress=progress)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan")
    def build_plan(self, inventory: Inventory, options: PlanOptions) -> None:
        assert self.app.backend is not None
        self.post_message(PlanReady(self.app.backend.plan_with_reads(inventory, options)))

    # --- handlers -----------------------------------------------------------------

    @on(OverviewLoaded)
    def _overview_loaded(self, message: OverviewLoaded) -> None:
        self._show_overview(message.overview)

    def _show_overview(self, overview: RegionOverview) -> None:
        self._overview = overview
        table = self.query_one("#vpcs", VpcTable)
        table.show(overview)
        count = len(overview.vpcs)
        self.query_one("#choose-status", Static).update(
            f"{count} VPC{'s' if count != 1 else ''} in {overview.region}." if count else f"No VPCs in {overview.region}."
        )
        table.focus()
        if any(v.nat_gateway_count for v in overview.vpcs) and self.app.backend is not None:
            self.load_nat_spend()

    @work(thread=True, exclusive=True, exit_on_error=False, group="nat-spend")
    def load_nat_spend(self) -> None:
        self.post_message(region_savings(self.app.backend))

    @on(SavingsRead)
    def _nat_spend_read(self, message: SavingsRead) -> None:
        self.query_one("#vpcs", VpcTable).show_savings(SavingsView(message.report, message.error))

    @on(DataTable.RowSelected, "#vpcs")
    def _vpc_chosen(self, event: DataTable.RowSelected) -> None:
        vpc_id = str(event.row_key.value)
        self.query_one("#choose-status", Static).update(f"Reading {vpc_id}…")
        self.discover(vpc_id)

    @on(DiscoveryProgress)
    def _discovery_progress(self, message: DiscoveryProgress) -> None:
        self.query_one("#choose-status", Static).update(message.text)

    @on(InventoryLoaded)
    def _inventory_loaded(self, message: InventoryLoaded) -> None:
        self._show_inventory(message.inventory)

    def _show_inventory(self, inventory: Inventory) -> None:
        # Labels are built here in one pass; the lists are filled a batch per frame (see _fill), and the
        # inventory counts as shown (p works) once both lists hold every option.
        self._inventory = None
        self._fill_generation += 1
        subnets = [
            (f"{s.name or s.id} {s.cidr_block} {'has ' + s.ipv6_cidr if s.ipv6_cidr else 'gets a /64'}", s.id, not s.ipv6_native)
            for s in sorted(inventory.subnets, key=lambda s: s.name or s.id)
        ]
        functions = [
            (f"{fn.name}: {'dual-stack' if fn.ipv6_allowed_for_dual_stack else 'IPv4 only'}", fn.name, True)
            for fn in inventory.functions
        ]
        for selector, options in (("#subnets", subnets), ("#functions", functions)):
            selection_list = self.query_one(selector, SelectionList)
            selection_list.clear_options()
            # A height set once (max-height still caps it) rather than `auto`: with auto, every batch
            # made the whole screen lay out again and measure every option added so far.
            selection_list.styles.height = len(options) + selection_list.styles.gutter.height
        self.query_one("#picks").remove_class("-empty")
        self.query_one("#choose-status", Static).update(
            f"{inventory.vpc.id}: {len(inventory.subnets)} subnets, {len(inventory.functions)} functions, "
            f"{len(inventory.nat_gateways)} NAT gateways. Tick what to migrate, then press p."
        )
        self._fill(self._fill_generation, inventory, subnets, functions)

    def _fill(self, generation: int, inventory: Inventory, subnets: list[Option], functions: list[Option]) -> None:
        """Add the next OPTION_BATCH options to each list, then come back after the frame is painted.

        Hundreds of options added at once were laid out in one frame (the longest stall of
        opening a big VPC); a batch per frame keeps each frame short, and the first batch
        already fills the screen.
        """
        if generation != self._fill_generation or not self.is_attached:
            return  # another VPC was picked meanwhile (or the screen closed): its fill takes over
        # Each option added ticked posts its own SelectedChanged, which bubbles up to the app: hundreds of
        # messages per VPC that nothing here listens to (`options()` reads `selected` when the plan is made).
        with self.prevent(SelectionList.SelectedChanged):
            for selector, options in (("#subnets", subnets), ("#functions", functions)):
                if options:
                    self.query_one(selector, SelectionList).add_options(options[:OPTION_BATCH])
        subnets, functions = subnets[OPTION_BATCH:], functions[OPTION_BATCH:]
        if subnets or functions:
            self.call_after_refresh(self._fill, generation, inventory, subnets, functions)
        else:
            self._inventory = inventory

    # --- actions --------------------------------------------------------------------

    def options(self) -> PlanOptions:
        """The options as ticked and typed; raises InvalidOption with one sentence."""
        source = CIDR_SOURCES[max(self.query_one("#cidr-source", RadioSet).pressed_index, 0)]
        pool = self.query_one("#pool-id", Input).value.strip() or None
        if source != "amazon" and not pool:
            raise InvalidOption(f"The {source.upper()} CIDR source needs a pool id.")
        alias = self.query_one("#alias", Input).value.strip()
        if not alias:
            raise InvalidOption("The alias name is empty; the cutover shifts this alias's traffic.")
        return PlanOptions(
            cidr_source=source,  # type: ignore[arg-type]
            ipam_pool_id=pool if source == "ipam" else None,
            byoip_pool_id=pool if source == "byoip" else None,
            subnet_ids=list(self.query_one("#subnets", SelectionList).selected),
            function_names=list(self.query_one("#functions", SelectionList).selected),
            assign_ipv6_on_creation=self.query_one("#assign-on-create", Switch).value,
            public_ipv6_route=self.query_one("#public-route", Switch).value,
            sdk_endpoints=self.query_one("#sdk-endpoints", Switch).value,
            dns_server=os.environ.get("V6WIZARD_DNS_SERVER") or None,
            alias_name=alias,
            schedule=parse_schedule(self.query_one("#schedule", Input).value),
        )

    async def action_make_plan(self) -> None:
        if self._inventory is None:
            still_listing = self.query_one("#subnets", SelectionList).option_count > 0
            text = "Still listing the VPC's subnets; press p again in a moment." if still_listing else "Pick a VPC first (enter on a row)."
            self.notify(text, severity="warning")
            return
        await self.query_one(OptionsForm).finish()  # rows still to come, if p came that early
        try:
            options = self.options()
        except InvalidOption as exc:
            self.notify(exc.message, severity="error")
            return
        self.build_plan(self._inventory, options)

    @on(PlanReady)
    def _plan_ready(self, message: PlanReady) -> None:
        from v6wizard.tui.screens.plan import PlanScreen

        assert self._inventory is not None
        self.app.inventory = self._inventory
        self.app.use_plan(message.plan)
        self.app.push_screen(PlanScreen())

    def action_reload(self) -> None:
        self.load_overview()

    def action_back(self) -> None:
        self.app.pop_screen()
