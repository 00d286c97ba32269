"""Progress of a functions step: "N of M updated, K in progress" with the time so far.

A dual-stack function update runs for one to two minutes, so a step of many updates
must not look frozen: `FunctionProgress` counts the step's updates (called, settled)
and emits a `step-progress` event when the counts change (at most one a second) and
every `HEARTBEAT` seconds while they do not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from v6wizard.engine.events import EngineEvent

MIN_GAP = 1.0
"""Seconds between two progress events at least (the CLI prints each one)."""
HEARTBEAT = 5.0
"""Seconds between progress events while nothing changes."""


def progress_text(title: str, updated: int, total: int, in_progress: int, elapsed: float) -> str:
    minutes, seconds = divmod(int(elapsed), 60)
    return f"{title}: {updated} of {total} updated, {in_progress} in progress ({minutes}:{seconds:02d})"


class FunctionProgress:
    """Counts one step's function updates and reports them; a context manager around the step."""

    def __init__(
        self, emit: Callable[[EngineEvent], None], session_id: str, step: str, title: str, total: int, *, phase: str = "apply"
    ) -> None:
        self._emit = emit
        self.session_id, self.step, self.title, self.total, self.phase = session_id, step, title, total, phase
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self.updated = 0
        self.in_progress = 0
        self.peak = 0
        """The most updates in progress at once."""
        self._started = time.monotonic()
        self._sent: tuple[int, int] | None = None
        self._last = 0.0
        self._stopped = False
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> FunctionProgress:
        if self.total:
            self._ticker = threading.Thread(target=self._tick, name="v6wizard-function-progress", daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._stopped = True
            self._wake.notify()
        if self._ticker is not None:
            self._ticker.join(timeout=5)
            self._send(force=self._sent != (self.updated, self.in_progress))

    def called(self) -> None:
        """An update's call returned: AWS is applying it."""
        with self._lock:
            self.in_progress += 1
            self.peak = max(self.peak, self.in_progress)
            self._wake.notify()

    def settled(self, ok: bool = True) -> None:
        """An update's wait ended (`ok`: it reached its postcondition)."""
        with self._lock:
            self.in_progress -= 1
            self.updated += 1 if ok else 0
            self._wake.notify()

    def _tick(self) -> None:
        while True:
            with self._lock:
                if self._stopped:
                    return
                changed = self._sent != (self.updated, self.in_progress)
                wait = (self._last + (MIN_GAP if changed else HEARTBEAT)) - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
            self._send()

    def _send(self, force: bool = True) -> None:
        if not force:
            return
        with self._lock:
            counts = (self.updated, self.in_progress)
            self._sent, self._last = counts, time.monotonic()
            elapsed = self._last - self._started
            peak = self.peak
        data: dict[str, Any] = {"updated": counts[0], "in_progress": counts[1], "peak": peak, "elapsed": round(elapsed, 1)}
        self._emit(EngineEvent(
            kind="step-progress", session_id=self.session_id, step=self.step, phase=self.phase,  # type: ignore[arg-type]
            message=progress_text(self.title, counts[0], self.total, counts[1], elapsed), done=counts[0], total=self.total, data=data,
        ))
