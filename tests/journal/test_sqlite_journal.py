"""The SQLite journal on disk: private file, WAL + synchronous=FULL, durable across reopen,
refuses newer, foreign and corrupt files with one sentence, and where it lives by default."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from v6wizard.errors import JournalError, UnknownSession
from v6wizard.journal import default_journal_path, open_journal
from v6wizard.journal.base import JournalEntry
from v6wizard.journal.sqlite import SCHEMA_VERSION, SqliteJournal


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_file_is_0600_in_a_0700_dir_even_with_a_lax_umask(sqlite_path: Path, plan) -> None:
    import os

    previous = os.umask(0o022)
    try:
        journal = SqliteJournal(sqlite_path)
        journal.create_session(plan)
    finally:
        os.umask(previous)
    assert _mode(sqlite_path) == 0o600
    assert _mode(sqlite_path.parent) == 0o700
    wal = sqlite_path.with_name(sqlite_path.name + "-wal")
    assert wal.exists() and _mode(wal) == 0o600, "SQLite gives the WAL the database's mode"
    journal.close()


def test_wal_and_synchronous_full_are_on_the_connection(sqlite_journal: SqliteJournal) -> None:
    db = sqlite_journal._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_wal_mode_is_persistent_in_the_file(sqlite_journal: SqliteJournal, sqlite_path: Path) -> None:
    other = sqlite3.connect(sqlite_path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_sessions_and_entries_survive_reopen(sqlite_path: Path, plan) -> None:
    journal = SqliteJournal(sqlite_path)
    info = journal.create_session(plan, {"subnets": ["subnet-1"]})
    journal.append(JournalEntry(session_id=info.id, action_id="a", kind="intent", params={"VpcId": "vpc-0abc"}))
    journal.set_status(info.id, "interrupted")
    journal.close()
    reopened = SqliteJournal(sqlite_path)
    assert reopened.session(info.id).status == "interrupted"
    assert [(e.seq, e.params) for e in reopened.entries(info.id)] == [(1, {"VpcId": "vpc-0abc"})]
    assert reopened.plan(info.id) == plan
    assert reopened.snapshot(info.id) == {"subnets": ["subnet-1"]}
    assert reopened.append(JournalEntry(session_id=info.id, action_id="a", kind="outcome")).seq == 2
    reopened.close()


def test_a_journal_from_a_newer_schema_is_refused(sqlite_path: Path) -> None:
    SqliteJournal(sqlite_path).close()
    db = sqlite3.connect(sqlite_path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(JournalError) as refused:
        SqliteJournal(sqlite_path)
    assert str(refused.value) == (
        f"The journal {sqlite_path} was written by a newer v6wizard (schema {SCHEMA_VERSION + 1}); upgrade v6wizard."
    )
    assert refused.value.exit_code == 2


def test_a_non_sqlite_file_is_refused_naming_the_path_and_left_alone(sqlite_path: Path) -> None:
    sqlite_path.parent.mkdir(parents=True)
    garbage = b"this is not a database\n" * 200
    sqlite_path.write_bytes(garbage)
    with pytest.raises(JournalError, match=rf"The journal {sqlite_path} is damaged or unreadable \(file is not a database\)"):
        SqliteJournal(sqlite_path)
    assert sqlite_path.read_bytes() == garbage, "never a silent reset"


def test_a_damaged_journal_is_refused_when_read(sqlite_path: Path, plan) -> None:
    journal = SqliteJournal(sqlite_path)
    info = journal.create_session(plan)
    for n in range(50):
        journal.append(JournalEntry(session_id=info.id, action_id="a", kind="note", data={"pad": "x" * 500, "n": n}))
    journal.close()
    with sqlite3.connect(sqlite_path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(sqlite_path.read_bytes())
    page = 4096
    data[page : len(data)] = b"\xff" * (len(data) - page)  # keep the header, wreck every page after it
    sqlite_path.write_bytes(bytes(data))
    with pytest.raises(JournalError, match=rf"The journal {sqlite_path} is damaged"):
        reopened = SqliteJournal(sqlite_path)
        reopened.entries(info.id)


def test_another_programs_sqlite_file_is_not_taken_over(sqlite_path: Path) -> None:
    sqlite_path.parent.mkdir(parents=True)
    db = sqlite3.connect(sqlite_path)
    db.execute("CREATE TABLE photos (id INTEGER)")
    db.commit()
    db.close()
    with pytest.raises(JournalError, match="is an SQLite file but not a v6wizard journal"):
        SqliteJournal(sqlite_path)
    with sqlite3.connect(sqlite_path) as db:
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_schema")] == ["photos"]


def test_an_unwritable_place_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(JournalError, match=r"cannot be opened .*check the path and its permissions"):
        SqliteJournal(blocker / "journal.sqlite3")


def test_open_journal_uses_env_then_default_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    default = default_journal_path()
    assert default == Path(os.environ["XDG_STATE_HOME"]) / "v6wizard" / "journal.sqlite3"
    journal = open_journal(None)
    assert journal.location == str(default) and default.exists()
    journal.close()
    monkeypatch.setenv("V6WIZARD_JOURNAL", str(tmp_path / "env.sqlite3"))
    from_env = open_journal(None)
    assert from_env.location == str(tmp_path / "env.sqlite3")
    from_env.close()
    explicit = open_journal(str(tmp_path / "explicit.sqlite3"))
    assert explicit.location == str(tmp_path / "explicit.sqlite3")
    explicit.close()


def test_open_journal_refuses_a_bad_table_name() -> None:
    with pytest.raises(JournalError, match="does not name a DynamoDB table"):
        open_journal("dynamodb://x")


def test_a_journal_held_busy_by_another_process_is_one_sentence(sqlite_path: Path, plan) -> None:
    journal = SqliteJournal(sqlite_path, busy_timeout_ms=50)
    info = journal.create_session(plan)
    other = sqlite3.connect(sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(JournalError, match=r"stayed busy for 0.05 s: another v6wizard process is writing it"):
            journal.append(JournalEntry(session_id=info.id, action_id="", kind="note"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert journal.append(JournalEntry(session_id=info.id, action_id="", kind="note")).seq == 1
    journal.close()


def test_an_existing_journal_readable_by_others_is_made_private(sqlite_path: Path) -> None:
    SqliteJournal(sqlite_path).close()
    sqlite_path.chmod(0o644)
    SqliteJournal(sqlite_path).close()
    assert _mode(sqlite_path) == 0o600


def test_an_unreadable_entry_is_a_journal_error_not_a_traceback(sqlite_path: Path, plan) -> None:
    journal = SqliteJournal(sqlite_path)
    info = journal.create_session(plan)
    journal.close()
    with sqlite3.connect(sqlite_path) as db:
        db.execute("INSERT INTO entries VALUES (?, 1, '{not json')", (info.id,))
    reopened = SqliteJournal(sqlite_path)
    with pytest.raises(JournalError, match="is damaged or unreadable"):
        reopened.entries(info.id)
    reopened.close()


def test_append_many_is_all_or_nothing(sqlite_journal: SqliteJournal, plan) -> None:
    """One transaction: an entry for an unknown session leaves the batch's other entries unwritten."""
    info = sqlite_journal.create_session(plan)
    batch = [JournalEntry(session_id=info.id, action_id="", kind="note"), JournalEntry(session_id="no-such-session", action_id="", kind="note")]
    with pytest.raises(UnknownSession):
        sqlite_journal.append_many(batch)
    assert sqlite_journal.entries(info.id) == []
