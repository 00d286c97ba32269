"""A log of engine events, one line each, and the per-step progress bar they drive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import RichLog

if TYPE_CHECKING:
    from v6wizard.engine.events import EngineEvent

_MARKS = {
    "action-succeeded": "[green]✓[/]",
    "action-failed": "[red]✗[/]",
    "action-skipped": "[dim]-[/]",
    "action-reconciled": "[cyan]=[/]",
    "drift": "[yellow]![/]",
}
"""Marks by event kind; a cutover verdict carries its own (✓, ✗, …) in its message."""


def event_line(event: EngineEvent) -> str:
    mark = _MARKS.get(event.kind, "·")
    where = f"[b]{event.step}[/] " if event.step else ""
    text = event.message or event.action_id or event.kind
    return f"{event.at:%H:%M:%S} {mark} {where}{text}"


PROGRESS_QUIET = 15.0
"""Seconds between a functions step's progress lines while its counts do not change."""


class RunLog(RichLog):
    """Engine events as readable lines; cutover polls are left to the cutover panels. A functions
    step's progress ("N of M updated, K in progress (m:ss)") is a line when its counts change,
    and every `PROGRESS_QUIET` seconds while they do not, so a long wait still shows its time."""

    _progress: tuple[int, int, float] | None = None

    def add_event(self, event: EngineEvent) -> None:
        if event.kind == "cutover-poll":
            return
        if event.kind == "step-progress":
            counts = (int(event.data.get("updated", 0)), int(event.data.get("in_progress", 0)))
            elapsed = float(event.data.get("elapsed", 0.0))
            last = self._progress
            if last is not None and counts == last[:2] and elapsed - last[2] < PROGRESS_QUIET:
                return
            self._progress = (*counts, elapsed)
        self.write(event_line(event))
