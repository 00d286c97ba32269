"""One function's cutover: stage and weight, countdown to the next stage (or paused), live health per version, verdicts."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Label, Static

from v6wizard.core.cutover_words import FAILED, PASSED, STOPPED, WAITING, gate_marks
from v6wizard.tui.widgets.scaled_sparkline import ScaledSparkline

HISTORY = 60
"""Polls kept per sparkline."""

FINISHED_MARKS = {"finished": PASSED, "rolled-back": FAILED, "aborted": STOPPED, "low-traffic": WAITING}
"""A cutover-finished event's result -> its mark."""

SCALES = {"errors": 10.0, "p99": 1000.0}
"""Each metric's full bar, the same for both versions: 10% errors, 1000 ms p99."""


class FunctionCutover(Vertical):
    """Fed by cutover-stage, cutover-poll and cutover-verdict events for one function."""

    can_focus = True

    stage_text: reactive[str] = reactive("waiting for the first stage")
    verdict: reactive[str] = reactive("")

    def __init__(self, function: str, **kwargs: Any) -> None:
        super().__init__(classes="function-cutover", **kwargs)
        self.function = function
        self.next_stage_at: datetime | None = None
        self.paused = False
        """Held by the operator: the stage's bake clock is stopped, so no countdown is shown."""
        self._series: dict[str, list[float]] = {"old-errors": [], "new-errors": [], "old-p99": [], "new-p99": []}
        self._gates = ""
        """The last poll's gate checks, shown after each verdict."""

    def compose(self) -> ComposeResult:
        yield Label(self.function, classes="function-name")
        yield Static(self.stage_text, classes="stage")
        with Horizontal(classes="metrics"):
            for key, title in (("errors", "error rate, 0-10%"), ("p99", "p99, 0-1000 ms")):
                with Vertical():
                    yield Label(f"old {title}", classes="metric-title")
                    yield ScaledSparkline(SCALES[key], id=f"old-{key}", classes="old")
                    yield Label(f"new {title}", classes="metric-title")
                    yield ScaledSparkline(SCALES[key], id=f"new-{key}", classes="new")
        yield Static("", classes="latest")
        yield Static("", classes="verdict")

    def on_mount(self) -> None:
        self.set_interval(1, self._tick)

    def watch_stage_text(self) -> None:
        self._render_stage()

    def watch_verdict(self, verdict: str) -> None:
        if self.is_mounted:
            self.query_one(".verdict", Static).update(verdict)

    def _tick(self) -> None:
        if self.next_stage_at is not None:
            self._render_stage()

    def _render_stage(self) -> None:
        if not self.is_mounted:
            return
        text = self.stage_text
        if self.paused:
            text += " · paused: the bake clock is stopped"
        elif self.next_stage_at is not None:
            left = (self.next_stage_at - datetime.now(timezone.utc)).total_seconds()
            text += f" · next stage in {max(0, int(left))}s"
        self.query_one(".stage", Static).update(text)

    def on_stage(self, data: dict[str, Any]) -> None:
        percent = data.get("percent", float(data.get("weight", 0)) * 100)
        stage = data.get("stage", "")
        self.stage_text = f"stage {stage}: {percent:g}% on the new version (weight {float(data.get('weight', 0)):g})"
        final = float(data.get("weight", 0)) >= 1.0
        self.next_stage_at = None if final else _when(data.get("next_stage_at"))
        self.paused = bool(data.get("paused"))
        self._render_stage()

    def set_paused(self, paused: bool) -> None:
        """The operator paused or resumed; shown at once (the engine takes it up at its next poll)."""
        self.paused = paused
        self._render_stage()

    def on_finished(self, message: str, data: dict[str, Any] | None = None) -> None:
        """The function's cutover ended: finished on the new version, or its alias back on the old one."""
        data = data or {}
        result = str(data.get("result", "finished"))
        self.next_stage_at = None
        self.paused = False
        if result != "finished" and data.get("final_version"):
            self.stage_text = f"ended: all traffic on version {data['final_version']}"
        self.verdict = f"{FINISHED_MARKS.get(result, FAILED)} {message}"
        self._render_stage()

    def on_verdict(self, data: dict[str, Any]) -> None:
        """One poll's verdict (or the reason of a stop), marked; the stage and its countdown go on."""
        label = str(data.get("label") or data.get("verdict") or "")
        reason = str(data.get("reason") or "")
        message = f"{label}: {reason}" if label and reason else label or reason
        self.verdict = f"{message} · {self._gates}" if self._gates else message

    def on_poll(self, data: dict[str, Any]) -> None:
        parts = []
        for role in ("old", "new"):
            metrics: dict[str, Any] = data.get(role) or {}
            errors = float(metrics.get("error_rate", 0.0))
            p99 = metrics.get("p99_ms")
            self._push(f"{role}-errors", errors)
            self._push(f"{role}-p99", float(p99 or 0.0))
            p99_text = f"{float(p99):.0f} ms" if p99 is not None else "n/a"
            parts.append(
                f"{role} v{metrics.get('version', '?')}: {errors:.2f}% errors, p99 {p99_text}, "
                f"{int(metrics.get('invocations', 0))} calls"
            )
        self.query_one(".latest", Static).update("\n".join(parts))
        checks = data.get("checks") or []
        if checks:
            # Shown at once; the poll's verdict follows and leads the line.
            self._gates = f"gates: {gate_marks(checks)}"
            self.verdict = self._gates

    def _push(self, key: str, value: float) -> None:
        series = self._series[key]
        series.append(value)
        del series[:-HISTORY]
        self.query_one(f"#{key}", ScaledSparkline).data = tuple(series)


def _when(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    return datetime.fromisoformat(str(value))
