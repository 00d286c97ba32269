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


class RunLog(RichLog):
    """Engine events as readable lines; cutover polls are left to the cutover panels."""

    def add_event(self, event: EngineEvent) -> None:
        if event.kind == "cutover-poll":
            return
        self.write(event_line(event))
