"""SessionWriter: concurrent appends share one commit, and each returns only once its own entry is durable."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from v6wizard.engine.journaling import SessionWriter
from v6wizard.errors import JournalError
from v6wizard.journal.base import JournalEntry
from v6wizard.journal.sqlite import SqliteJournal

from journal.conftest import make_plan

THREADS = 10


class CountingJournal(SqliteJournal):
    """The real SQLite journal, counting its commits (and failing them on demand)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.commits: list[int] = []
        self.fail_with: Exception | None = None

    def append_many(self, entries: list[JournalEntry]) -> list[JournalEntry]:
        if self.fail_with is not None:
            raise self.fail_with
        self.commits.append(len(entries))
        return super().append_many(entries)


def _wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def _queue_behind_a_busy_commit(writer: SessionWriter, results: dict[int, object]) -> list[threading.Thread]:
    """Hold the writer as a commit in progress would, and let THREADS threads append meanwhile."""

    def append(n: int) -> None:
        try:
            results[n] = writer.append("note", data={"n": n})
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[n] = exc

    threads = [threading.Thread(target=append, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    _wait_until(lambda: len(writer._queue) == THREADS)
    return threads


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)


def test_appends_queued_behind_a_commit_share_the_next_one(tmp_path: Path) -> None:
    journal = CountingJournal(tmp_path / "j.sqlite3")
    session = journal.create_session(make_plan())
    writer = SessionWriter(journal, session.id)
    results: dict[int, object] = {}
    with writer._lock:
        threads = _queue_behind_a_busy_commit(writer, results)
        assert results == {}, "nobody returns before its entry is written"
    _join(threads)
    assert journal.commits == [THREADS], "one commit for every queued entry"
    seqs = sorted(r.seq for r in results.values())  # type: ignore[attr-defined]
    assert seqs == list(range(1, THREADS + 1))
    assert sorted(e.data["n"] for e in journal.entries(session.id)) == list(range(THREADS))
    # Alone, an append is its own commit.
    writer.append("note", data={"n": "alone"})
    assert journal.commits == [THREADS, 1]


def test_a_failed_shared_commit_fails_every_append_in_it(tmp_path: Path) -> None:
    journal = CountingJournal(tmp_path / "j.sqlite3")
    session = journal.create_session(make_plan())
    writer = SessionWriter(journal, session.id)
    journal.fail_with = JournalError("The journal is gone.")
    results: dict[int, object] = {}
    with writer._lock:
        threads = _queue_behind_a_busy_commit(writer, results)
    _join(threads)
    assert all(isinstance(r, JournalError) for r in results.values()) and len(results) == THREADS
    assert journal.entries(session.id) == []
    journal.fail_with = None
    assert writer.append("note").seq == 1, "the writer still works after a failed commit"


def test_under_the_crash_hook_every_append_is_its_own_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crash sweep kills the process after the N-th append, so each append must be a boundary of its own."""
    monkeypatch.setenv("V6WIZARD_CRASH_AFTER_APPEND", "1000")
    journal = CountingJournal(tmp_path / "j.sqlite3")
    session = journal.create_session(make_plan())
    writer = SessionWriter(journal, session.id)
    results: dict[int, object] = {}
    with writer._lock:
        threads = _queue_behind_a_busy_commit(writer, results)
    _join(threads)
    assert journal.commits == [1] * THREADS
