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


def _append_while_busy(writer: SessionWriter) -> dict[int, object]:
    """Hold the writer as a commit in progress would while THREADS threads append; what each append returned or raised."""
    results: dict[int, object] = {}

    def append(n: int) -> None:
        try:
            results[n] = writer.append("note", data={"n": n})
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[n] = exc

    threads = [threading.Thread(target=append, args=(n,)) for n in range(THREADS)]
    with writer._lock:
        for thread in threads:
            thread.start()
        _wait_until(lambda: len(writer._queue) == THREADS)
        assert results == {}, "nobody returns before its entry is written"
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


@pytest.fixture
def journal(tmp_path: Path) -> CountingJournal:
    return CountingJournal(tmp_path / "j.sqlite3")


@pytest.fixture
def writer(journal: CountingJournal) -> SessionWriter:
    return SessionWriter(journal, journal.create_session(make_plan()).id)


def test_appends_queued_behind_a_commit_share_the_next_one(journal: CountingJournal, writer: SessionWriter) -> None:
    results = _append_while_busy(writer)
    assert journal.commits == [THREADS], "one commit for every queued entry"
    seqs = sorted(r.seq for r in results.values())  # type: ignore[attr-defined]
    assert seqs == list(range(1, THREADS + 1))
    assert sorted(e.data["n"] for e in journal.entries(writer.session_id)) == list(range(THREADS))
    # Alone, an append is its own commit.
    writer.append("note", data={"n": "alone"})
    assert journal.commits == [THREADS, 1]


def test_a_failed_shared_commit_fails_every_append_in_it(journal: CountingJournal, writer: SessionWriter) -> None:
    journal.fail_with = JournalError("The journal is gone.")
    results = _append_while_busy(writer)
    assert all(isinstance(r, JournalError) for r in results.values()) and len(results) == THREADS
    assert journal.entries(writer.session_id) == []
    journal.fail_with = None
    assert writer.append("note").seq == 1, "the writer still works after a failed commit"


def test_under_the_crash_hook_every_append_is_its_own_commit(journal: CountingJournal, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crash sweep kills the process after the N-th append, so each append must be a boundary of its own."""
    monkeypatch.setenv("V6WIZARD_CRASH_AFTER_APPEND", "1000")
    writer = SessionWriter(journal, journal.create_session(make_plan()).id)
    _append_while_busy(writer)
    assert journal.commits == [1] * THREADS
