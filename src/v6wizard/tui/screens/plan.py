"""Plan: the eight steps with status and counts, and every finding that needs a look before applying."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from v6wizard.core.plan import STEP_ORDER
from v6wizard.tui.messages import EngineEventMessage, RunFinished
from v6wizard.core.review import unreviewed
from v6wizard.tui.review_gate import after_review, review_heading
from v6wizard.tui.screens.base import ReportsWorkerFailures
from v6wizard.tui.screens.dialogs import TypedConfirmDialog
from v6wizard.tui.screens.export_offer import EXPORT_BINDING, OffersExport
from v6wizard.tui.widgets.context_bar import ContextBar
from v6wizard.tui.widgets.preview import finding_text
from v6wizard.tui.widgets.run_log import RunLog
from v6wizard.tui.widgets.savings_panel import SavingsPanel
from v6wizard.tui.widgets.footer import WizardFooter

if TYPE_CHECKING:
    from v6wizard.tui.app import WizardApp

ATTENTION = ("review", "conflict", "blocker")


class PlanScreen(OffersExport, ReportsWorkerFailures, Screen[None]):
    """The plan at a glance; enter opens a step's preview."""

    app: WizardApp

    BINDINGS = [
        Binding("o", "open_step", "Open step", id="plan.open", tooltip="Preview, apply, skip or roll back the highlighted step (enter works too)."),
        Binding("A", "apply_all", "Apply all", id="plan.apply-all", tooltip="Apply every step up to the functions, in order (asks first); the cutover has its own screen."),
        Binding("s", "summary", "Summary", id="plan.summary", tooltip="What changed, the session id and how to roll back later."),
        EXPORT_BINDING,
        Binding("v", "mark_reviewed", "Mark reviewed", id="plan.reviewed", show=False, tooltip="Acknowledge the findings listed under \"Needs your review\" (asked once per step before applying)."),
        Binding("r", "readiness", "Readiness", id="plan.readiness", tooltip="Per function: the AWS services it calls, how each is reached, whether IPv6 can carry it, what to set."),
        Binding("escape", "back", "Back", id="plan.back", tooltip="Back to choosing."),
    ]

    def __init__(self, run: str | None = None) -> None:
        super().__init__()
        self._run = run

    def compose(self) -> ComposeResult:
        yield Header()
        yield ContextBar(id="context")
        with Vertical(id="plan-body"):
            yield Static("", id="plan-title", classes="section-title")
            table: DataTable[str] = DataTable(id="steps", cursor_type="row", zebra_stripes=True)
            table.add_columns("#", "Step", "Actions", "Findings", "Status")
            yield table
            yield SavingsPanel(id="savings")
            yield Label("Needs your review before applying", classes="section-title", id="findings-title")
            yield Static("", id="findings")
            yield RunLog(id="plan-log", markup=True, wrap=True)
        yield WizardFooter()

    def on_mount(self) -> None:
        self.refresh_plan()
        self.query_one("#steps", DataTable).focus()
        if self._run == "resume":
            self._resume_after_review()
        elif self._run is not None:
            self.app.run_engine(self._run, self)

    @work(thread=True, exclusive=True, exit_on_error=False, group="resume-scope")
    def _resume_after_review(self) -> None:
        """Read which steps the resume runs (the journal), then ask for their review before it starts."""
        assert self.app.backend is not None and self.app.session_id is not None
        steps = self.app.backend.resume_scope(self.app.session_id)
        self.app.call_from_thread(after_review, self.app, steps, lambda: self.app.run_engine("resume", self))

    def on_screen_resume(self) -> None:
        self.refresh_plan()

    def refresh_plan(self) -> None:
        plan = self.app.plan
        if plan is None:
            return
        session = f" · session {self.app.session_id}" if self.app.session_id else ""
        self.query_one("#plan-title", Static).update(f"Plan for {plan.vpc_id}{session}")
        table = self.query_one("#steps", DataTable)
        row = table.cursor_row
        table.clear()
        for number, name in enumerate(STEP_ORDER, 1):
            step = plan.step(name)
            attention = sum(1 for f in step.findings if f.kind in ATTENTION)
            verdict = "reviewed" if name in self.app.reviewed else "to review"
            findings = f"{len(step.findings)}" + (f" ({attention} {verdict})" if attention else "")
            table.add_row(str(number), step.title, str(len(step.actions)), findings, self.app.statuses.get(name, ""), key=name)
        if row > 0:
            table.move_cursor(row=row)
        findings = [f for f in plan.findings if f.kind in ATTENTION]
        self.query_one("#findings-title", Label).update(review_heading(plan, self.app.reviewed, read_only=self.app.read_only))
        self.query_one("#findings-title").display = bool(findings)
        widget = self.query_one("#findings", Static)
        widget.display = bool(findings)
        if findings:
            from rich.console import Group

            widget.update(Group(*(finding_text(f) for f in findings)))

    def _highlighted_step(self) -> str:
        table = self.query_one("#steps", DataTable)
        return STEP_ORDER[max(0, min(table.cursor_row, len(STEP_ORDER) - 1))]

    @on(DataTable.RowSelected, "#steps")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_step()

    def action_open_step(self) -> None:
        from v6wizard.tui.screens.step import StepScreen

        self.app.push_screen(StepScreen(self._highlighted_step()))

    def action_summary(self) -> None:
        from v6wizard.tui.screens.summary import SummaryScreen

        if self.app.session_id is None:
            self.notify("Nothing has been applied yet, so there is no session to summarize.", severity="warning")
            return
        self.app.push_screen(SummaryScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Apply all is hidden in dry run and Inspect, and shown disabled while a run is going."""
        if action in ("apply_all", "mark_reviewed") and self.app.read_only:
            return False
        if action == "mark_reviewed":
            return bool(self.app.plan and unreviewed(self.app.plan, self.app.reviewed))
        if action == "apply_all" and self.app.engine_running:
            return None
        return True

    def action_mark_reviewed(self) -> None:
        after_review(self.app, None, lambda: self.notify("Findings marked reviewed."))

    def action_apply_all(self) -> None:
        plan = self.app.plan
        if plan is None or self.app.read_only or self.app.engine_running:
            return
        blocked = [f for f in plan.findings if f.kind == "blocker" and f.step != "cutover"]
        if blocked:
            self.notify(f"The plan cannot be applied: {blocked[0].message}", severity="error")
            return
        pending = [s for s in plan.steps if s.actions and s.name != "cutover" and self.app.statuses.get(s.name) != "applied"]
        lines = "\n".join(f"• {s.title}: {len(s.actions)} change(s)" for s in pending)
        dialog = TypedConfirmDialog(
            "Apply every step up to the functions?",
            f"In {plan.vpc_id} ({self.app.target.describe()}):\n{lines}",
            accepted=("apply",),
        )
        after_review(self.app, [s.name for s in pending], lambda: self.app.push_screen(dialog, self._apply_all_confirmed))

    def _apply_all_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self.app.run_engine("apply", self, until="functions")

    @on(EngineEventMessage)
    def _engine_event(self, message: EngineEventMessage) -> None:
        self.query_one(RunLog).add_event(message.event)

    @on(RunFinished)
    def _run_finished(self, message: RunFinished) -> None:
        self.app.call_after_refresh(self.refresh_plan)
        self.notify(f"{message.verb.capitalize()} of session {message.session_id} finished.")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_readiness(self) -> None:
        from v6wizard.tui.screens.readiness import ReadinessScreen

        plan = self.app.plan
        self.app.push_screen(ReadinessScreen(plan.readiness if plan is not None else None))
