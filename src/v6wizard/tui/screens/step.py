"""Step: one step's preview (before -> after, then the exact AWS calls), and Apply, Skip, Roll back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, ProgressBar, Static

from v6wizard.core.plan import STEP_ORDER
from v6wizard.core.plan_view import NOTHING_KNOWN
from v6wizard.engine.session_view import known_values
from v6wizard.tui.messages import EngineEventMessage, RunFinished
from v6wizard.tui.review_gate import after_review
from v6wizard.tui.screens.dialogs import ConfirmDialog, TypedConfirmDialog
from v6wizard.tui.widgets.context_bar import ContextBar
from v6wizard.tui.widgets.preview import step_preview
from v6wizard.tui.widgets.run_log import RunLog
from v6wizard.tui.widgets.footer import WizardFooter

if TYPE_CHECKING:
    from v6wizard.tui.app import WizardApp

MUTATING = ("apply", "skip", "rollback")
FINISHED_ACTION = ("action-succeeded", "action-skipped", "action-reconciled", "action-failed")


class StepScreen(Screen[None]):
    """Preview and run one step; every change goes through a typed confirmation."""

    app: WizardApp

    BINDINGS = [
        Binding("a", "apply", "Apply", id="step.apply", tooltip="Apply this step (asks you to type its name)."),
        Binding("k", "skip", "Skip", id="step.skip", tooltip="Mark this step skipped; later steps may still run."),
        Binding("r", "rollback", "Roll back", id="step.rollback", tooltip="Undo exactly what this step changed."),
        Binding("c", "toggle_calls", "Calls", id="step.calls", tooltip="Show the exact AWS calls (and undo calls) with their known values, or the changes in words."),
        Binding("escape", "back", "Back", id="step.back", tooltip="Back to the plan."),
    ]

    def __init__(self, step_name: str) -> None:
        super().__init__()
        self.step_name = step_name
        self.show_calls = False
        """The preview shows the exact AWS calls instead of the changes in words."""
        self._own_run = False
        """A run this screen started has not reported its end yet (its status line says so meanwhile)."""

    def compose(self) -> ComposeResult:
        plan = self.app.plan
        assert plan is not None
        step = plan.step(self.step_name)
        number = STEP_ORDER.index(step.name) + 1
        yield Header()
        yield ContextBar(id="context")
        yield Static(f"Step {number} of 8 · {step.title} ({step.name})", id="step-title", classes="section-title")
        yield Static("", id="step-status")
        with VerticalScroll(id="preview-scroll"):
            yield Static(self._preview(), id="preview")
        yield ProgressBar(total=max(len(step.actions), 1), show_eta=False, id="progress")
        yield RunLog(id="step-log", markup=True, wrap=True)
        yield WizardFooter()

    def _preview(self) -> Group:
        """The step's preview with what the session's journal knows (the real /64s, versions, ids)."""
        plan = self.app.plan
        assert plan is not None
        state = self.app.session_state
        known = known_values(state) if state is not None else NOTHING_KNOWN
        return step_preview(plan.step(self.step_name), known, calls=self.show_calls)

    def action_toggle_calls(self) -> None:
        self.show_calls = not self.show_calls
        self.query_one("#preview", Static).update(self._preview())

    def on_mount(self) -> None:
        self.watch(self.app, "dry_run", lambda _: self.refresh_bindings())
        self._show_status()

    def on_screen_resume(self) -> None:
        """Back from the cutover screen (or a dialog): the run there may have changed this step's status."""
        if not self._own_run:
            self._show_status()

    def _show_status(self) -> None:
        status = self.app.statuses.get(self.step_name, "planned")
        dry = " · DRY RUN: preview only" if self.app.dry_run else ""
        self.query_one("#step-status", Static).update(f"Status: {status}{dry}")
        bar = self.query_one(ProgressBar)
        # The bar counts this step's actions done: all of them once the step is applied, none otherwise.
        if status == "applied":
            bar.update(progress=bar.total)
        elif status in ("planned", "rolled-back", "skipped", "nothing to do"):
            bar.update(progress=0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Apply, skip and roll back are hidden in dry run and Inspect, and shown disabled while a run is going."""
        if action in MUTATING and self.app.read_only:
            return False
        if action in MUTATING and self.app.engine_running:
            return None
        return True

    def _refuse(self) -> bool:
        if self.app.read_only:
            self.notify("Read-only: nothing can be applied. Turn dry run off on the start screen.", severity="warning")
            return True
        if self.app.engine_running:
            self.notify("A run is already going; wait for it to finish.", severity="warning")
            return True
        return False

    def action_apply(self) -> None:
        if self._refuse():
            return
        plan = self.app.plan
        assert plan is not None
        step = plan.step(self.step_name)
        blockers = [f for f in step.findings if f.kind == "blocker"]
        if blockers:
            self.notify(f"This step cannot be applied: {blockers[0].message}", severity="error")
            return
        if step.is_empty:
            self.notify("Nothing to apply in this step.")
            return
        lines = "\n".join(f"• {action.title}" for action in step.actions[:8])
        more = f"\n…and {len(step.actions) - 8} more" if len(step.actions) > 8 else ""
        dialog = TypedConfirmDialog(
            f"Apply {step.title}?",
            f"{len(step.actions)} change(s) in {plan.vpc_id} ({self.app.target.describe()}):\n{lines}{more}",
            accepted=(self.step_name, "apply"),
        )
        after_review(self.app, [self.step_name], lambda: self.app.push_screen(dialog, self._apply_confirmed))

    def _apply_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        if self.step_name == "cutover":
            from v6wizard.tui.screens.cutover import CutoverScreen

            self.app.push_screen(CutoverScreen(start=True))
            return
        self._run("apply")

    def action_skip(self) -> None:
        if self._refuse():
            return
        self.app.push_screen(
            ConfirmDialog(f"Skip {self.step_name}?", "The step is marked skipped in the journal; nothing in AWS changes."),
            lambda ok: self._run("skip") if ok else None,
        )

    def action_rollback(self) -> None:
        if self._refuse():
            return
        if self.app.session_id is None:
            self.notify("Nothing was applied yet, so there is nothing to roll back.", severity="warning")
            return
        dialog = TypedConfirmDialog(
            f"Roll back {self.step_name}?",
            f"Undo exactly what step {self.step_name} changed in session {self.app.session_id}.",
            accepted=(self.step_name, "rollback"),
        )
        self.app.push_screen(dialog, lambda ok: self._run("rollback") if ok else None)

    def _run(self, verb: str) -> None:
        self._own_run = True
        self.query_one(ProgressBar).update(progress=0)
        self.query_one("#step-status", Static).update(f"Status: {verb} running…")
        self.app.run_engine(verb, self, step=self.step_name)
        self.refresh_bindings()

    @on(EngineEventMessage)
    def _engine_event(self, message: EngineEventMessage) -> None:
        event = message.event
        self.query_one(RunLog).add_event(event)
        bar = self.query_one(ProgressBar)
        if event.step != self.step_name:
            return
        # The engine counts per step; each finished action moves the bar one notch in between.
        if event.kind == "step-progress":
            self.query_one("#step-status", Static).update(f"Status: {event.message}")
        elif event.kind in ("step-started", "step-finished") and event.total:
            bar.update(total=event.total, progress=event.done)
        elif event.kind in FINISHED_ACTION:
            bar.advance(1)

    @on(RunFinished)
    def _run_finished(self, message: RunFinished) -> None:
        self.query_one("#preview", Static).update(self._preview())
        self._own_run = False
        self._show_status()
        self.refresh_bindings()

    def action_back(self) -> None:
        self.app.pop_screen()
