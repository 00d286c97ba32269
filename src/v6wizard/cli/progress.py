"""Progress lines for the CLI: one line per finished action (✓ or ✗, its id, in words).

Engine events arrive from worker threads; `ProgressPrinter` serializes the writes.
Steps get a header line, waits and drift get a line each; started actions print
nothing (the finished line follows soon), which keeps the output one line per action.
A functions step adds "N of M updated, K in progress (m:ss)" lines while its updates
run (the engine sends one a second at most while counts change, else every few seconds).
"""

from __future__ import annotations

import threading
from typing import IO, Any

import click

from v6wizard.engine.events import EngineEvent

OK = "✓"
FAILED = "✗"
FOUND = "≈"


class ProgressPrinter:
    """Callable `on_event` for the engine that writes progress lines to a stream."""

    def __init__(self, stream: IO[str] | None = None, *, color: bool | None = None) -> None:
        self.stream = stream
        self.color = color
        self._lock = threading.Lock()

    def _line(self, text: str, **style: Any) -> None:
        with self._lock:
            click.echo(click.style(text, **style) if style and self.color is not False else text, file=self.stream, color=self.color)

    def __call__(self, event: EngineEvent) -> None:
        undo = "undo " if event.phase == "rollback" else ""
        if event.kind == "step-started":
            self._line(f"— {event.message}", bold=True)
        elif event.kind == "action-succeeded":
            self._line(f"{OK} {event.action_id}  {event.message}", fg="green")
        elif event.kind == "action-reconciled":
            self._line(f"{FOUND} {event.action_id}  {event.message}", fg="cyan")
        elif event.kind == "action-failed":
            self._line(f"{FAILED} {undo}{event.action_id}  {event.message}", fg="red")
        elif event.kind == "drift":
            self._line(f"{FAILED} drift: {event.message}", fg="red")
        elif event.kind == "step-progress":
            self._line(f"  {event.message}", dim=True)
        elif event.kind in ("waiting", "note", "cutover-stage", "cutover-verdict", "cutover-finished"):
            self._line(f"  {event.action_id + ': ' if event.action_id else ''}{event.message}", dim=True)
        elif event.kind in ("session-started", "session-finished"):
            self._line(event.message)


class Silent:
    """An `on_event` that prints nothing (for --output json without a terminal)."""

    def __call__(self, event: EngineEvent) -> None:
        return None
