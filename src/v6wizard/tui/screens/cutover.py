"""Cutover: per function, the alias's weighted shift to the new version, watched live; Pause, Promote, Abort."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from v6wizard.core.cutover_words import stopped_by_you
from v6wizard.engine.cutover_control import CutoverControl
from v6wizard.engine.events import EngineEvent
from v6wizard.tui.messages import EngineEventMessage, RunFinished
from v6wizard.tui.screens.dialogs import ConfirmDialog, TypedConfirmDialog
from v6wizard.tui.widgets.context_bar import ContextBar
from v6wizard.tui.widgets.function_cutover import FunctionCutover
from v6wizard.tui.widgets.run_log import RunLog
from v6wizard.tui.widgets.footer import WizardFooter

if TYPE_CHECKING:
    from v6wizard.tui.app import WizardApp


class CutoverScreen(Screen[None]):
    """Runs (or watches) the cutover step; the engine decides, the operator can pause, promote or abort."""

    app: WizardApp

    BINDINGS = [
        Binding("space", "pause", "Pause/resume", id="cutover.pause", tooltip="Hold the current stage (or carry on)."),
        Binding("P", "promote", "Promote now", id="cutover.promote", tooltip="Send all traffic to the new version now (asks first)."),
        Binding("x", "abort", "Abort", id="cutover.abort", tooltip="Return all traffic to the old version (asks first)."),
        Binding("s", "summary", "Summary", id="cutover.summary", tooltip="What changed, the session id and how to roll back later."),
        Binding("escape", "back", "Back", id="cutover.back", tooltip="Back to the plan; the cutover keeps running."),
    ]

    def __init__(self, *, start: bool = False) -> None:
        super().__init__()
        self._start = start
        self._paused = False
        self._results: dict[str, tuple[str, str]] = {}
        """Function -> (result, final version) from its cutover-finished event."""

    def compose(self) -> ComposeResult:
        plan = self.app.plan
        assert plan is not None
        yield Header()
        yield ContextBar(id="context")
        yield Static(f"Cutover of alias {plan.options.alias_name!r}", id="cutover-title", classes="section-title")
        yield Static("", id="cutover-target")
        with VerticalScroll(id="functions"):
            for action in plan.step("cutover").actions:
                yield FunctionCutover(action.resource_id, id=_panel_id(action.resource_id))
        yield RunLog(id="cutover-log", markup=True, wrap=True)
        yield WizardFooter()

    def on_mount(self) -> None:
        self.watch(self, "focused", lambda _: self._show_target())
        if self._start:
            self.app.run_engine("apply", self, step="cutover")

    def _show_target(self) -> None:
        """Say what Pause, Promote and Abort act on: the focused function, or all of them."""
        panel = self._focused_panel()
        if panel is not None and len(self.query(FunctionCutover)) > 1:
            text = f"Keys act on {panel.function} only (tab away from its panel to act on every function)."
        else:
            text = "Keys act on every function (tab to a function's panel to act on it alone)."
        self.query_one("#cutover-target", Static).update(text)

    def show_event(self, event: EngineEvent) -> None:
        """Route one engine event to its function's panel and the log."""
        function = str(event.data.get("function", ""))
        panel = self._panel(function)
        if panel is not None:
            if event.kind == "cutover-stage":
                panel.on_stage(event.data)
            elif event.kind == "cutover-poll":
                panel.on_poll(event.data)
            elif event.kind == "cutover-verdict":
                # Every poll ends in a verdict; only cutover-finished ends the function's cutover.
                panel.on_verdict(event.data)
            elif event.kind == "cutover-finished":
                panel.on_finished(event.message, event.data)
                self._results[function] = (str(event.data.get("result", "")), str(event.data.get("final_version", "")))
        self.query_one(RunLog).add_event(event)

    def _panel(self, function: str) -> FunctionCutover | None:
        panels = self.query(f"#{_panel_id(function)}") if function else []
        return panels.first(FunctionCutover) if panels else None

    @on(EngineEventMessage)
    def _engine_event(self, message: EngineEventMessage) -> None:
        self.show_event(message.event)

    @on(RunFinished)
    def _finished(self, message: RunFinished) -> None:
        self.query_one("#cutover-title", Static).update(f"{self._outcome()}. Press s for the summary, escape for the step.")

    def _outcome(self) -> str:
        """How the cutover ended, in words: an abort by the operator is said as such, never as a failure."""
        alias = self.app.plan.options.alias_name if self.app.plan else ""
        unfinished = {name: found for name, found in self._results.items() if found[0] != "finished"}
        if unfinished and all(result == "aborted" for result, _ in unfinished.values()):
            names = sorted(unfinished)
            return stopped_by_you([(alias, unfinished[name][1]) for name in names], names)
        rolled_back = sorted(name for name, (result, _) in unfinished.items() if result == "rolled-back")
        if rolled_back and self._results:
            done = sum(1 for result, _ in self._results.values() if result == "finished")
            stopped = sorted(name for name, (result, _) in unfinished.items() if result == "aborted")
            return (
                f"Cutover: {done} of {len(self._results)} functions on their new version; "
                f"{', '.join(rolled_back)} back on the old version by a health gate"
                + (f"; {', '.join(stopped)} stopped by you" if stopped else "")
            )
        return f"Cutover {self.app.statuses.get('cutover', '')}"

    def _control(self) -> CutoverControl | None:
        control = self.app.backend.cutover_control if self.app.backend else None
        if control is None or not self.app.engine_running:
            self.notify("No cutover is running.", severity="warning")
            return None
        return control

    def _focused_panel(self) -> FunctionCutover | None:
        focused = self.focused
        while focused is not None and not isinstance(focused, FunctionCutover):
            focused = focused.parent if isinstance(focused.parent, Widget) else None
        return focused if isinstance(focused, FunctionCutover) else None

    def _targets(self) -> list[str]:
        """The focused function's panel, else every function of the cutover still running."""
        focused = self._focused_panel()
        if focused is not None:
            return [focused.function]
        # A function whose cutover has ended (finished or rolled back) has nothing left to pause or abort.
        return [panel.function for panel in self.query(FunctionCutover) if panel.function not in self._results]

    def _live_targets(self) -> list[str]:
        """The targets whose cutover still runs; says so when there are none."""
        targets = [name for name in self._targets() if name not in self._results]
        if not targets:
            self.notify(f"The cutover of {', '.join(self._targets()) or 'every function'} has ended.", severity="warning")
        return targets

    def action_pause(self) -> None:
        control = self._control()
        if control is None:
            return
        targets = self._live_targets()
        if not targets:
            return
        pause = not all(control.is_paused(name) for name in targets)
        for name in targets:
            (control.pause if pause else control.resume)(name)
            panel = self._panel(name)
            if panel is not None:
                panel.set_paused(pause)
        what = ", ".join(targets)
        self.notify(f"Paused {what}: the current weights hold." if pause else f"Resumed {what}.")

    def action_promote(self) -> None:
        if self._control() is None:
            return
        targets = self._live_targets()
        if not targets:
            return
        self.app.push_screen(
            TypedConfirmDialog(
                "Promote now?",
                f"Send 100% of the alias's traffic to the new version of {', '.join(targets)} now, skipping the remaining stages.",
                ("promote",),
            ),
            lambda ok: self._request("promote", targets) if ok else None,
        )

    def action_abort(self) -> None:
        if self._control() is None:
            return
        targets = self._live_targets()
        if not targets:
            return
        self.app.push_screen(
            ConfirmDialog(
                "Abort the cutover?",
                f"The alias of {', '.join(targets)} goes back to the old version (routing cleared).",
                yes="Abort",
            ),
            lambda ok: self._request("abort", targets) if ok else None,
        )

    def _request(self, verb: str, targets: list[str]) -> None:
        control = self._control()
        if control is None:
            return
        for name in targets:
            getattr(control, verb)(name)
        self.notify(f"{verb.capitalize()} requested for {', '.join(targets)}.")

    def action_summary(self) -> None:
        from v6wizard.tui.screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen())

    def action_back(self) -> None:
        self.app.pop_screen()


def _panel_id(function: str) -> str:
    return "fn-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in function)
