"""Start: unfinished sessions for this account and region (resume, roll back, inspect), a new migration, dry run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static, Switch

from v6wizard.tui.messages import Connected, PlanReady
from v6wizard.tui.screens.dialogs import TypedConfirmDialog
from v6wizard.tui.widgets.context_bar import ContextBar
from v6wizard.tui.screens.base import ReportsWorkerFailures
from v6wizard.tui.widgets.footer import WizardFooter
from v6wizard.tui.widgets.savings_ranking import SavingsRanking

if TYPE_CHECKING:
    from v6wizard.journal.base import SessionInfo
    from v6wizard.tui.app import WizardApp


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
    ]

    def __init__(self) -> None:
        super().__init__()
        self._sessions: list[SessionInfo] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield ContextBar(id="context")
        with Vertical(id="start-body"):
            yield Label("Migrations in this account and region", classes="section-title")
            yield Static("Connecting…", id="sessions-note")
            table: DataTable[str] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            table.add_columns("Session", "VPC", "Status", "Last change (UTC)")
            yield table
            with Horizontal(id="dry-run-row"):
                yield Label("Dry run (preview only, nothing is applied)")
                yield Switch(value=self.app.dry_run, id="dry-run")
            yield Static("", id="journal-note", classes="hint")
            yield SavingsRanking(id="savings-ranking")
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

    def connection_changed(self, message: Connected) -> None:
        self.show_sessions(message.sessions)
        self.query_one(SavingsRanking).load()

    def show_sessions(self, sessions: list[SessionInfo]) -> None:
        self._sessions = sessions
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for info in sessions:
            table.add_row(info.id, info.vpc_id, info.status, f"{info.updated_at:%Y-%m-%d %H:%M}", key=info.id)
        note = (
            "None: press n to start a new migration."
            if not sessions
            else "Highlight a session: r resumes it, b rolls it back, i inspects it."
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
            if connecting:
                self.notify("Still connecting to AWS; press n again in a moment.")
            else:
                self.notify("Not connected yet: press c to choose a profile and region.", severity="warning")
            return
        from v6wizard.tui.screens.choose import ChooseScreen

        self.app.push_screen(ChooseScreen())

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
