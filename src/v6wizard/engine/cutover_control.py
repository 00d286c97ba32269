"""The cutover's time source and the operator's controls.

`Clock` is injectable so tests advance time instantly; `SystemClock` is the real one.
`CutoverControl` is what the TUI's buttons (pause, resume, promote now, abort) call
from the UI thread; the runner reads it once per poll.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Literal, Protocol

ControlRequest = Literal["promote", "abort"]


class Clock(Protocol):
    """What the runner needs of time."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait this long (a fake clock just advances)."""
        ...


class SystemClock:
    """Wall-clock time; `sleep` wakes early when the cancel event is set."""

    def __init__(self, cancel: threading.Event | None = None) -> None:
        self._cancel = cancel

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def sleep(self, seconds: float) -> None:
        if self._cancel is not None:
            self._cancel.wait(seconds)
        else:
            time.sleep(seconds)


class CutoverControl:
    """Thread-safe operator requests per function, checked by the runner each poll."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused: set[str] = set()
        self._requests: dict[str, ControlRequest] = {}

    def pause(self, function: str) -> None:
        """Hold the function at its current stage (gates still run; a failure still rolls back)."""
        with self._lock:
            self._paused.add(function)

    def resume(self, function: str) -> None:
        """Let a paused function move on again."""
        with self._lock:
            self._paused.discard(function)

    def promote(self, function: str) -> None:
        """Skip the remaining stages: send all traffic to the new version now."""
        with self._lock:
            self._requests[function] = "promote"

    def abort(self, function: str) -> None:
        """Roll the function's alias back to the old version."""
        with self._lock:
            self._requests[function] = "abort"

    def is_paused(self, function: str) -> bool:
        with self._lock:
            return function in self._paused

    def take_request(self, function: str) -> ControlRequest | None:
        """The pending promote/abort for a function, consumed once."""
        with self._lock:
            return self._requests.pop(function, None)
