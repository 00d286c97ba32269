"""The engine's one way to write the journal, with the crash hook the crash-sweep tests use.

`SessionWriter.append` writes an entry durably and emits nothing else. Two
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
from typing import Any

from v6wizard.journal.base import Journal, JournalEntry, Phase

CRASH_ENV = "V6WIZARD_CRASH_AFTER_APPEND"
CRASH_CALL_ENV = "V6WIZARD_CRASH_AFTER_CALL"


def _env_count(name: str) -> int:
    text = os.environ.get(name, "").strip()
    return int(text) if text.isdigit() else 0


class SessionWriter:
    """Appends one session's entries; serializes appends from the action threads."""

    def __init__(self, journal: Journal, session_id: str) -> None:
        self.journal = journal
        self.session_id = session_id
        self._lock = threading.Lock()
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
        with self._lock:
            written = self.journal.append(entry)
            self._appended += 1
            if self._crash_after and self._appended >= self._crash_after:
                os.kill(os.getpid(), signal.SIGKILL)
        return written

    def call_returned(self) -> None:
        """Mark that an action's AWS call returned (the crash hook's second boundary)."""
        with self._calls_lock:
            self._called += 1
            if self._crash_after_call and self._called >= self._crash_after_call:
                os.kill(os.getpid(), signal.SIGKILL)
