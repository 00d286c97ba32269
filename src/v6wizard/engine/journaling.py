"""The engine's one way to write the journal, with the crash hook the crash-sweep tests use.

`SessionWriter.append` writes an entry durably and emits nothing else. Appends from
concurrent action threads share commits: a thread that finds the journal busy queues
its entry, and the next writer commits everything queued in one transaction (one
fsync instead of one each); every thread still returns only once its own entry is
durable, so an intent is on disk before its call. Two
environment variables, meant for tests only and inert unless set, make the process
kill itself with SIGKILL at an exact point, which is how the tests crash a run at
every boundary without timing races:

- `V6WIZARD_CRASH_AFTER_APPEND=N`: right after the N-th journal append;
- `V6WIZARD_CRASH_AFTER_CALL=N`: right after the N-th AWS call of an action returned,
  before its outcome is written (the window where only AWS knows what happened).
"""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass
from typing import Any

from v6wizard.journal.base import Journal, JournalEntry, Phase

CRASH_ENV = "V6WIZARD_CRASH_AFTER_APPEND"
CRASH_CALL_ENV = "V6WIZARD_CRASH_AFTER_CALL"


@dataclass
class _Queued:
    entry: JournalEntry
    written: JournalEntry | None = None
    error: BaseException | None = None


def _env_count(name: str) -> int:
    text = os.environ.get(name, "").strip()
    return int(text) if text.isdigit() else 0


class SessionWriter:
    """Appends one session's entries; concurrent appends share a commit (group commit)."""

    def __init__(self, journal: Journal, session_id: str) -> None:
        self.journal = journal
        self.session_id = session_id
        self._lock = threading.Lock()
        """Held by the thread committing; the others queue their entries meanwhile."""
        self._queue_lock = threading.Lock()
        self._queue: list[_Queued] = []
        self._calls_lock = threading.Lock()
        """Its own lock: counting a returned call must not queue behind another thread's fsync."""
        self._appended = 0
        self._called = 0
        self._crash_after = _env_count(CRASH_ENV)
        self._crash_after_call = _env_count(CRASH_CALL_ENV)

    def append(
        self,
        kind: str,
        action_id: str = "",
        *,
        phase: Phase = "apply",
        params: dict[str, Any] | None = None,
        outputs: dict[str, Any] | None = None,
        error_code: str = "",
        error_message: str = "",
        data: dict[str, Any] | None = None,
    ) -> JournalEntry:
        entry = JournalEntry(
            session_id=self.session_id,
            action_id=action_id,
            phase=phase,
            kind=kind,  # type: ignore[arg-type]
            params=params or {},
            outputs=outputs or {},
            error_code=error_code,
            error_message=error_message,
            data=data or {},
        )
        queued = _Queued(entry)
        with self._queue_lock:
            self._queue.append(queued)
        with self._lock:
            while queued.written is None and queued.error is None:
                self._commit()
        if queued.error is not None:
            raise queued.error
        assert queued.written is not None
        return queued.written

    def _commit(self) -> None:
        """Write every queued entry (this thread's among them) in one go; called holding `_lock`."""
        with self._queue_lock:
            # Under the crash hook one entry per commit, so that every append is a boundary it can reach.
            take = 1 if self._crash_after else len(self._queue)
            batch, self._queue = self._queue[:take], self._queue[take:]
        try:
            written = self.journal.append_many([q.entry for q in batch])
        except BaseException as exc:  # noqa: BLE001 - each queued thread raises it as its own
            for q in batch:
                q.error = exc
            return
        for q, w in zip(batch, written):
            q.written = w
        self._appended += len(batch)
        if self._crash_after and self._appended >= self._crash_after:
            os.kill(os.getpid(), signal.SIGKILL)

    def call_returned(self) -> None:
        """Mark that an action's AWS call returned (the crash hook's second boundary)."""
        with self._calls_lock:
            self._called += 1
            if self._crash_after_call and self._called >= self._crash_after_call:
                os.kill(os.getpid(), signal.SIGKILL)
