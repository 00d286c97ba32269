"""Start: what the tool is, the sessions of this account and region that can still be acted on (resume, roll back,
inspect), the region's VPCs with their IPv6 status ranked by what each could save on NAT, a new migration, dry run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static, Switch
from textual.worker import Worker, WorkerState

from v6wizard.tui.messages import Connected, OverviewLoaded, PlanReady, SessionsLoaded
from v6wizard.tui.screens.dialogs import TypedConfirmDialog
from v6wizard.tui.widgets.context_bar import ContextBar
from v6wizard.tui.screens.base import ReportsWorkerFailures
from v6wizard.tui.widgets.footer import WizardFooter
from v6wizard.tui.savings_work import SavingsRead, region_savings
from v6wizard.tui.widgets.vpc_list import SavingsView, VpcList

if TYPE_CHECKING:
    from v6wizard.core.inventory import RegionOverview
    from v6wizard.engine.session_status import SessionOverview
    from v6wizard.tui.app import WizardApp

TAGLINE = "Moves a VPC and its Lambda functions to dual-stack IPv6, step by step."


class StartScreen(ReportsWorkerFailures, Screen[None]):
    """Where every sitting begins."""

    app: WizardApp

    BINDINGS = [
        Binding("n", "new_migration", "New migration", id="start.new", tooltip="Choose a VPC and plan its migration."),
        Binding("r", "open_session('resume')", "Resume", id="start.resume", tooltip="Continue the highlighted session where it stopped."),
        Binding("b", "open_session('rollback')", "Roll back", id="start.rollback", tooltip="Undo everything the highlighted session changed."),
        Binding("i", "open_session('inspect')", "Inspect", id="start.inspect", tooltip="See the highlighted session's plan and step statuses."),
        Binding("d", "toggle_dry_run", "Dry run", id="start.dry-run", tooltip="Preview only: nothing can be applied."),
        Binding("c", "connect", "Connect", id="start.connect", show=False, tooltip="Choose the AWS profile and region."),
        Binding("f5", "reload", "Reload", id="start.reload", show=False, tooltip="Read the sessions and the region's VPCs again."),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._sessions: list[SessionOverview] = []
        self._overview: RegionOverview | None = None
        self._new_when_ready = False
        """n was pressed while the demo's account was being prepared: open Choose once connected."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield ContextBar(id="context")
        with Vertical(id="start-body"):
            yield Static(TAGLINE, id="tagline")
            yield Label("Migrations in this account and region", classes="section-title")
            yield Static(self._waiting_note(), id="sessions-note")
            table: DataTable[str] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            table.add_columns("Session", "Status", "VPC", "Last change (UTC)")
            yield table
            yield Label("VPCs in this region", classes="section-title", id="vpcs-title")
            yield Static("Listed once connected.", id="vpcs-note", classes="hint")
            yield VpcList(id="start-vpcs")
            yield Static("", id="savings-note", classes="hint")
            with Horizontal(id="dry-run-row"):
                yield Label("Dry run (preview only, nothing is applied)")
                yield Switch(value=self.app.dry_run, id="dry-run")
            yield Static("", id="journal-note", classes="hint")
        yield WizardFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "dry_run", self._dry_run_changed)
        if self.app.backend is None:
            # After the first frame: the worker's boto3 import would otherwise compete with the first paint.
            self.call_after_refresh(self.app.connect, self.app.target)

    def _dry_run_changed(self, dry_run: bool) -> None:
        self.query_one("#dry-run", Switch).value = dry_run
        self.refresh_bindings()

    @on(Switch.Changed, "#dry-run")
    def _switch_changed(self, event: Switch.Changed) -> None:
        self.app.dry_run = event.value

    def _waiting_note(self) -> str:
        if self.app.preparation is not None and not self.app.preparation.ready:
            return "Preparing the demo's sample account (an AWS emulator on this machine)…"
        return "Connecting…"

    def connection_changed(self, message: Connected) -> None:
        self._overview = None  # another account or region's VPCs, until the new list arrives
        self.query_one("#start-vpcs", VpcList).reset()
        self.query_one("#vpcs-note", Static).update("Reading the region's VPCs…")
        self.query_one("#savings-note", Static).update("")
        self.show_sessions(message.sessions)
        self.load_overview()
        self.load_savings()
        if self._new_when_ready:
            self._new_when_ready = False
            self.action_new_migration()

    def on_screen_resume(self) -> None:
        """Shown again (back from another screen, a run ended there): read the sessions and VPCs again."""
        if self.app.backend is not None:
            self._reload(fresh=False)

    def action_reload(self) -> None:
        if self.app.backend is None:
            self.notify("Not connected yet.", severity="warning")
            return
        self._reload(fresh=True)

    def _reload(self, *, fresh: bool) -> None:
        """Sessions and VPCs read again; the savings too when asked (f5), else the connection's cached read."""
        self.load_sessions()
        self.load_overview()
        self.load_savings(fresh)

    @work(thread=True, exclusive=True, exit_on_error=False, group="start-sessions")
    def load_sessions(self) -> None:
        backend = self.app.backend
        if backend is not None:
            self.post_message(SessionsLoaded(backend.open_sessions()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="start-overview")
    def load_overview(self) -> None:
        backend = self.app.backend
        if backend is not None:
            self.post_message(OverviewLoaded(backend.region_overview()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="start-savings")
    def load_savings(self, fresh: bool = False) -> None:
        backend = self.app.backend
        if backend is not None:
            self.post_message(region_savings(backend, fresh=fresh))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The VPC list and its savings are a glance, not a task: a failure (often a backend replaced by a reconnect) is a note, not a dialog."""
        if event.worker.group in ("start-overview", "start-savings"):
            # Textual calls each class's handler along the MRO: this stops ReportsWorkerFailures' dialog.
            event.prevent_default()
            if event.state is WorkerState.ERROR and event.worker.group == "start-overview":
                self.query_one("#vpcs-note", Static).update(f"The region's VPCs could not be listed: {event.worker.error}")
            elif event.state is WorkerState.ERROR:
                self.show_savings(SavingsView(error=str(event.worker.error)))

    @on(SessionsLoaded)
    def _sessions_loaded(self, message: SessionsLoaded) -> None:
        self.show_sessions(message.sessions)

    @on(OverviewLoaded)
    def _overview_loaded(self, message: OverviewLoaded) -> None:
        self.show_overview(message.overview)

    @on(SavingsRead)
    def _savings_read(self, message: SavingsRead) -> None:
        if message.report is not None and message.report.region != self.app.target.region:
            return  # read for a connection since replaced
        self.show_savings(SavingsView(message.report, message.error))

    def show_overview(self, overview: RegionOverview) -> None:
        if overview.region != self.app.target.region:
            return  # read for a connection since replaced
        self._overview = overview
        table = self.query_one("#start-vpcs", VpcList)
        table.show(overview)
        count = len(overview.vpcs)
        dual = sum(1 for vpc in overview.vpcs if vpc.ipv6_state == "dual-stack")
        self.query_one("#vpcs-note", Static).update(
            f"{count} VPC{'s' if count != 1 else ''} in {overview.region}, {dual} dual-stack." if count else f"No VPCs in {overview.region}."
        )
        self.query_one("#savings-note", Static).update(savings_note(overview.region, table.savings))

    def show_savings(self, savings: SavingsView) -> None:
        """The savings column filled and the list ranked by it, with the sentence under the list."""
        table = self.query_one("#start-vpcs", VpcList)
        table.show_savings(savings)
        self.query_one("#savings-note", Static).update(savings_note(self.app.target.region, savings))

    def show_sessions(self, sessions: list[SessionOverview]) -> None:
        highlighted = self._highlighted()
        self._sessions = sessions
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for info in sessions:
            table.add_row(info.id, info.status_text, info.vpc_id, f"{info.updated_at:%Y-%m-%d %H:%M}", key=info.id)
        if highlighted is not None and highlighted in table.rows:
            table.move_cursor(row=table.get_row_index(highlighted))
        note = (
            "None: press n to start a new migration."
            if not sessions
            else "r resumes, b rolls back, i inspects the highlighted session; f5 reloads."
        )
        self.query_one("#sessions-note", Static).update(note)
        self.query_one("#journal-note", Static).update(f"Journal: {self.app.journal_location}")
        if sessions:
            table.focus()

    def _highlighted(self) -> str | None:
        table = self.query_one("#sessions", DataTable)
        if not self._sessions or table.cursor_row < 0:
            return None
        return self._sessions[min(table.cursor_row, len(self._sessions) - 1)].id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Resume and Roll back are hidden in dry run (Inspect stays: it changes nothing)."""
        if action == "open_session" and parameters and parameters[0] != "inspect" and self.app.dry_run:
            return False
        return True

    def action_toggle_dry_run(self) -> None:
        self.app.dry_run = not self.app.dry_run

    def action_connect(self) -> None:
        from v6wizard.tui.screens.connect import ConnectScreen

        self.app.push_screen(ConnectScreen())

    def action_new_migration(self) -> None:
        if self.app.backend is None:
            connecting = any(w.group == "connect" and w.is_running for w in self.app.workers)
            if connecting and self.app.preparation is not None:
                self._new_when_ready = True
                self.notify("The demo's sample account is being prepared; the VPC list opens as soon as it is ready.")
            elif connecting:
                self.notify("Still connecting to AWS; press n again in a moment.")
            else:
                self.notify("Not connected yet: press c to choose a profile and region.", severity="warning")
            return
        from v6wizard.tui.screens.choose import ChooseScreen

        # The list read here saves Choose reading it again, if it is of the region connected now.
        overview = self._overview
        current = overview is not None and self.app.identity is not None and (overview.account_id, overview.region) == (self.app.identity.account_id, self.app.target.region)
        self.app.push_screen(ChooseScreen(overview=overview if current else None))

    def action_open_session(self, verb: str) -> None:
        session_id = self._highlighted()
        if session_id is None or self.app.backend is None:
            self.notify("No session highlighted.", severity="warning")
            return
        if verb == "inspect":
            self.load_session(session_id, verb)
            return
        if self.app.dry_run:
            self.notify(f"Dry run: {verb} is not possible. Turn dry run off (d) first.", severity="warning")
            return
        what = "continue applying" if verb == "resume" else "undo every change of"
        dialog = TypedConfirmDialog(
            f"{verb.capitalize()} session {session_id}?",
            f"This will {what} session {session_id} in {self.app.target.describe()}.",
            accepted=(verb, "apply") if verb == "resume" else (verb,),
        )
        self.app.push_screen(dialog, lambda ok: self.load_session(session_id, verb) if ok else None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load-session")
    def load_session(self, session_id: str, verb: str) -> None:
        backend = self.app.backend
        assert backend is not None
        plan = backend.session_plan(session_id)
        state = backend.session_state(session_id)
        self.post_message(PlanReady(plan, session_id, state, then=verb))

    @on(PlanReady)
    def _session_loaded(self, message: PlanReady) -> None:
        from v6wizard.tui.screens.plan import PlanScreen

        self.app.use_plan(message.plan, message.session_id, message.state, inspect=message.then == "inspect")
        self.app.push_screen(PlanScreen(run=message.then if message.then != "inspect" else None))


def savings_note(region: str, savings: SavingsView) -> str:
    """The sentence under the VPC list: how it is ranked, that there is nothing to save, or why it could not be read."""
    if savings.error:
        return f"NAT savings could not be read: {savings.error}"
    if savings.report is None:
        return "Reading what IPv6 could save on NAT…"
    if not savings.report.vpcs:
        return f"No VPC in {region} has a NAT gateway: there is nothing to save on NAT."
    return f"Ranked by the most IPv6 could take off each VPC's NAT bill (last {savings.report.window_days} days)."
