"""The engine's one way to write the journal, with the crash hook the crash-sweep tests use.

`SessionWriter.append` writes an entry durably and emits nothing else; when the
environment variable `V6WIZARD_CRASH_AFTER_APPEND=N` is set, the process kills
itself with SIGKILL right after its N-th append, which is how the tests crash a
run at every journal boundary without timing races. The variable is meant for tests
only and does nothing unless set.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from v6wizard.journal.base import Journal, JournalEntry, Phase

CRASH_ENV = "V6WIZARD_CRASH_AFTER_APPEND"


class SessionWriter:
    """Appends one session's entries; serializes appends from the action threads."""

    def __init__(self, journal: Journal, session_id: str) -> None:
        self.journal = journal
        self.session_id = session_id
        self._lock = threading.Lock()
        self._appended = 0
        text = os.environ.get(CRASH_ENV, "").strip()
        self._crash_after = int(text) if text.isdigit() else 0

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
