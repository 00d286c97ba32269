"""`SqliteJournal`: the embedded journal, one SQLite file under the user's state dir.

WAL with `synchronous=FULL`, so every append is on disk before it returns; the file
is created 0600 (its directory 0700) before SQLite opens it, because plans name the
account's resources. One connection serves every thread of the process behind a
lock, and every write is a `BEGIN IMMEDIATE` transaction, so sequence numbers and
the session lock stay right across processes sharing the file too. The schema
version lives in `PRAGMA user_version`; a newer one is refused, never rewritten.

The one-live-session-per-VPC lock lives in this file too, so it only keeps apart the
runs that use this same journal file (processes and users of one machine, or one
shared path). Runs on another machine, or pointed at another journal file, cannot see
it: teams that migrate the same VPCs from several machines use the team journal,
`--journal dynamodb://TABLE`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from v6wizard.core.plan import Plan
from v6wizard.errors import JournalError, UnknownSession
from v6wizard.journal.base import Journal, JournalEntry, LockOwner, SessionInfo, SessionStatus, dump_snapshot, utcnow
from v6wizard.journal.ids import new_session_id
from v6wizard.journal.locks import is_held, locked_error, may_take, run_key, this_run_key
from v6wizard.journal.secrets import assert_no_secrets

SCHEMA_VERSION = 1
APPLICATION_ID = 0x76365758
"""'v6WX' in the file header, so another program's SQLite file is never mistaken for a journal."""
BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process's transaction before giving up."""

_SCHEMA = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    vpc_id TEXT NOT NULL,
    status TEXT NOT NULL,
    plan_fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    plan_json TEXT NOT NULL,
    snapshot_json TEXT
);
CREATE TABLE entries (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    seq INTEGER NOT NULL,
    entry_json TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE locks (
    vpc_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    owner_json TEXT NOT NULL
);
"""


def create_private_file(path: Path) -> None:
    """Make the file (0600) and any missing parent dirs (0700) before SQLite can create it 0644."""
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=0o700)
        directory.chmod(0o700)  # mkdir's mode is cut by the umask; 0700 must be exact
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)  # a journal copied in or made by hand keeps no group/other access
    finally:
        os.close(fd)


class SqliteJournal(Journal):
    """The Journal interface over one SQLite file."""

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path).expanduser()
        self._busy_timeout_ms = busy_timeout_ms
        self.location = str(self.path)
        self._lock = threading.RLock()
        try:
            create_private_file(self.path)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000)
        except (OSError, sqlite3.Error) as exc:
            raise JournalError(f"The journal {self.path} cannot be opened ({exc}); check the path and its permissions.") from None
        try:
            with self._guard():
                self._open_schema()
        except JournalError:
            self._db.close()
            raise

    # --- opening -------------------------------------------------------------------

    def _open_schema(self) -> None:
        version = self._pragma("user_version")
        app_id = self._pragma("application_id")
        if app_id not in (0, APPLICATION_ID):
            raise JournalError(f"{self.path} is an SQLite file but not a v6wizard journal; pass another --journal path.")
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"The journal {self.path} was written by a newer v6wizard (schema {version}); upgrade v6wizard."
            )
        if self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise JournalError(f"The journal {self.path} cannot use write-ahead logging; put it on a local disk.")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        if version == SCHEMA_VERSION:
            return
        with self._write():
            # Another process may have created the schema while we waited for the write lock.
            if self._pragma("user_version") == 0:
                if self._db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
                    raise JournalError(f"{self.path} is an SQLite file but not a v6wizard journal; pass another --journal path.")
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _pragma(self, name: str) -> int:
        return int(self._db.execute(f"PRAGMA {name}").fetchone()[0])

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Every SQLite failure becomes a JournalError naming the file, never a traceback or a reset."""
        with self._lock:
            try:
                yield
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise self._damaged(exc) from None
                raise JournalError(
                    f"The journal {self.path} stayed busy for {self._busy_timeout_ms / 1000:g} s: another v6wizard "
                    "process is writing it; try again."
                ) from None
            except (sqlite3.DatabaseError, ValidationError, json.JSONDecodeError) as exc:
                raise self._damaged(exc) from None

    def _damaged(self, exc: Exception) -> JournalError:
        reason = str(exc).splitlines()[0]
        return JournalError(
            f"The journal {self.path} is damaged or unreadable ({reason}); move it aside to start afresh "
            "(its sessions will be forgotten), or restore a backup."
        )

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One atomic write: BEGIN IMMEDIATE takes the file's write lock up front."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    # --- sessions ------------------------------------------------------------------

    def create_session(self, plan: Plan, snapshot: dict[str, Any] | None = None) -> SessionInfo:
        assert_no_secrets(plan)
        assert_no_secrets(snapshot)
        plan_json = plan.model_dump_json()
        snapshot_json = None if snapshot is None else dump_snapshot(snapshot).decode()
        with self._guard():
            while True:
                info = SessionInfo.for_plan(plan, new_session_id())
                with self._write():
                    if self._db.execute("SELECT 1 FROM sessions WHERE id = ?", (info.id,)).fetchone():
                        continue  # a clash of 24 random bits on the same day: draw again
                    self._db.execute(
                        "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            info.id,
                            info.account_id,
                            info.region,
                            info.vpc_id,
                            info.status,
                            info.plan_fingerprint,
                            info.created_at.isoformat(),
                            info.updated_at.isoformat(),
                            plan_json,
                            snapshot_json,
                        ),
                    )
                return info

    _INFO_COLUMNS = "id, account_id, region, vpc_id, status, plan_fingerprint, created_at, updated_at"

    @staticmethod
    def _info(row: tuple[Any, ...]) -> SessionInfo:
        keys = ("id", "account_id", "region", "vpc_id", "status", "plan_fingerprint", "created_at", "updated_at")
        return SessionInfo.model_validate(dict(zip(keys, row)))

    def sessions(self, account_id: str | None = None, region: str | None = None) -> list[SessionInfo]:
        query = f"SELECT {self._INFO_COLUMNS} FROM sessions WHERE (?1 IS NULL OR account_id = ?1) AND (?2 IS NULL OR region = ?2) ORDER BY rowid DESC"
        with self._guard():
            rows = self._db.execute(query, (account_id, region)).fetchall()
            return [self._info(row) for row in rows]

    def session(self, session_id: str) -> SessionInfo:
        with self._guard():
            row = self._db.execute(f"SELECT {self._INFO_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise self._unknown(session_id)
        with self._guard():
            return self._info(row)

    def _unknown(self, session_id: str) -> UnknownSession:
        return UnknownSession(f"There is no session {session_id} in the journal {self.path}; run `v6wizard sessions` to list them.")

    def _column(self, session_id: str, column: str) -> str | None:
        with self._guard():
            row = self._db.execute(f"SELECT {column} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise self._unknown(session_id)
        return row[0]

    def plan(self, session_id: str) -> Plan:
        text = self._column(session_id, "plan_json") or ""
        with self._guard():
            return Plan.model_validate_json(text)

    def snapshot(self, session_id: str) -> dict[str, Any] | None:
        text = self._column(session_id, "snapshot_json")
        with self._guard():
            return None if text is None else json.loads(text)

    def set_status(self, session_id: str, status: SessionStatus) -> None:
        with self._guard(), self._write():
            changed = self._db.execute(
                "UPDATE sessions SET status = ?, updated_at = ? WHERE id = ?", (status, utcnow().isoformat(), session_id)
            ).rowcount
            if not changed:
                raise self._unknown(session_id)

    # --- entries -------------------------------------------------------------------

    def append(self, entry: JournalEntry) -> JournalEntry:
        return self.append_many([entry])[0]

    def append_many(self, entries: list[JournalEntry]) -> list[JournalEntry]:
        """Every entry in one transaction: one fsync of the WAL for all of them."""
        for entry in entries:
            assert_no_secrets(entry)
        stored: list[JournalEntry] = []
        with self._guard(), self._write():
            last: dict[str, int] = {}
            for entry in entries:
                if entry.session_id not in last:
                    if not self._db.execute("SELECT 1 FROM sessions WHERE id = ?", (entry.session_id,)).fetchone():
                        raise self._unknown(entry.session_id)
                    (last[entry.session_id],) = self._db.execute(
                        "SELECT coalesce(max(seq), 0) FROM entries WHERE session_id = ?", (entry.session_id,)
                    ).fetchone()
                last[entry.session_id] += 1
                stored.append(entry.model_copy(update={"seq": last[entry.session_id]}))
            self._db.executemany("INSERT INTO entries VALUES (?, ?, ?)", [(e.session_id, e.seq, e.model_dump_json()) for e in stored])
            self._db.executemany(
                "UPDATE sessions SET updated_at = ? WHERE id = ?",
                [(max(e.at for e in stored if e.session_id == sid).isoformat(), sid) for sid in last],
            )
        return stored

    def entries(self, session_id: str, after: int = 0) -> list[JournalEntry]:
        self.session(session_id)
        with self._guard():
            rows = self._db.execute(
                "SELECT entry_json FROM entries WHERE session_id = ? AND seq > ? ORDER BY seq", (session_id, after)
            ).fetchall()
            return [JournalEntry.model_validate_json(text) for (text,) in rows]

    # --- the session lock ----------------------------------------------------------

    def _holder(self, vpc_id: str) -> LockOwner | None:
        row = self._db.execute("SELECT owner_json FROM locks WHERE vpc_id = ?", (vpc_id,)).fetchone()
        return None if row is None else LockOwner.model_validate_json(row[0])

    def _take(self, vpc_id: str, owner: LockOwner, *, keep_start: bool) -> None:
        with self._guard(), self._write():
            holder = self._holder(vpc_id)
            if not may_take(holder, owner):
                raise locked_error(vpc_id, holder)  # type: ignore[arg-type]  # may_take(None, ...) is True
            if keep_start and holder is not None and run_key(holder) == run_key(owner):
                owner = owner.model_copy(update={"started_at": holder.started_at})
            self._db.execute(
                "INSERT OR REPLACE INTO locks VALUES (?, ?, ?)", (vpc_id, owner.session_id, owner.model_dump_json())
            )

    def acquire_lock(self, vpc_id: str, owner: LockOwner) -> None:
        self._take(vpc_id, owner, keep_start=False)

    def renew_lock(self, vpc_id: str, owner: LockOwner) -> None:
        """Extend our lease to owner.lease_until; SessionLocked if another run took the VPC meanwhile."""
        self._take(vpc_id, owner, keep_start=True)

    def release_lock(self, vpc_id: str, session_id: str) -> None:
        """Free the lock if this process's run of `session_id` holds it; a newer holder keeps it."""
        with self._guard(), self._write():
            holder = self._holder(vpc_id)
            if holder is not None and run_key(holder) == this_run_key(session_id):
                self._db.execute("DELETE FROM locks WHERE vpc_id = ?", (vpc_id,))

    def lock_holder(self, vpc_id: str) -> LockOwner | None:
        """The live holder, or None when the lock is free, its lease ran out or its run died here."""
        with self._guard():
            holder = self._holder(vpc_id)
        return holder if holder is not None and is_held(holder) else None

    def force_unlock(self, vpc_id: str) -> None:
        with self._guard(), self._write():
            self._db.execute("DELETE FROM locks WHERE vpc_id = ?", (vpc_id,))

    def close(self) -> None:
        with self._lock:
            self._db.close()
