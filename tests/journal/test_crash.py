"""A writer SIGKILLed right after `append` returns loses nothing: the entry is there on reopen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from v6wizard.journal.sqlite import SqliteJournal

WRITER = r"""
import sys
from v6wizard.journal.base import JournalEntry
from v6wizard.journal.sqlite import SqliteJournal

journal = SqliteJournal(sys.argv[1])
for n in range(int(sys.argv[3])):
    stored = journal.append(JournalEntry(session_id=sys.argv[2], action_id="a", kind="intent", data={"n": n}))
    print(stored.seq, flush=True)
sys.stdin.read()  # stay alive with the connection open until the test kills us
"""


def test_entries_appended_before_sigkill_are_on_disk(sqlite_path: Path, plan) -> None:
    journal = SqliteJournal(sqlite_path)
    info = journal.create_session(plan)
    journal.close()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(sqlite_path), info.id, "3"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        seqs = [writer.stdout.readline().strip() for _ in range(3)]  # type: ignore[union-attr]
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait(timeout=30)
    assert seqs == ["1", "2", "3"]
    assert writer.returncode == -signal.SIGKILL
    reopened = SqliteJournal(sqlite_path)
    assert [(e.seq, e.data["n"]) for e in reopened.entries(info.id)] == [(1, 0), (2, 1), (3, 2)]
    reopened.close()
