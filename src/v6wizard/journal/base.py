"""The journal's records and the interface every journal backend implements.

A session is one migration of one VPC. Its journal is append-only: for each action,
an `intent` is written before the AWS call (with the resolved parameters and any
idempotency token), then an `outcome` with the ids AWS returned, or a `failure`
with AWS's error code. Rollback writes the same records with phase `rollback`.
Credentials never appear here: entries carry only API parameters and results.
"""

from __future__ import annotations

import abc
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

from v6wizard.core.plan import Plan
from v6wizard.journal.ids import current_run_id

SessionStatus = Literal[
    "planned",
    "applying",
    "applied",
    "failed",
    "interrupted",
    "rolling-back",
    "rolled-back",
]

EntryKind = Literal["intent", "outcome", "failure", "note", "stage"]
"""stage: a cutover stage change (stage index, weight, start time) in `data`."""

Phase = Literal["apply", "rollback"]


_SNAPSHOT = TypeAdapter(dict[str, Any])


def dump_snapshot(snapshot: dict[str, Any]) -> bytes:
    """A pre-apply snapshot as JSON (datetimes and other describe values included)."""
    return _SNAPSHOT.dump_json(snapshot)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class SessionInfo(BaseModel):
    """One migration session: which account, region and VPC, and where it stands."""

    id: str
    account_id: str
    region: str
    vpc_id: str
    status: SessionStatus = "planned"
    plan_fingerprint: str
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @classmethod
    def for_plan(cls, plan: Plan, session_id: str) -> SessionInfo:
        """A new session of `plan`: its account, region, VPC and fingerprint, planned, made now."""
        now = utcnow()
        return cls(
            id=session_id,
            account_id=plan.account_id,
            region=plan.region,
            vpc_id=plan.vpc_id,
            plan_fingerprint=plan.fingerprint,
            created_at=now,
            updated_at=now,
        )


class JournalEntry(BaseModel):
    """One append-only record of a session."""

    seq: int = 0
    """Position in the session, assigned by the journal on append (1, 2, 3...)."""
    session_id: str
    action_id: str
    """The plan action this is about ("" for session-level notes)."""
    phase: Phase = "apply"
    kind: EntryKind
    at: datetime = Field(default_factory=utcnow)
    params: dict[str, Any] = Field(default_factory=dict)
    """intent: the resolved call parameters as sent (including ClientToken)."""
    outputs: dict[str, Any] = Field(default_factory=dict)
    """outcome: the ids and values AWS returned (the action's `outputs` keys)."""
    error_code: str = ""
    error_message: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    """Anything else: cutover stage, weight, stage start, gate verdicts, notes."""


class LockOwner(BaseModel):
    """Who holds a VPC's live session: one run (one process) of one session."""

    session_id: str
    run_id: str = Field(default_factory=current_run_id)
    """The holding process's run (`journal.ids.current_run_id`): another run of the same
    session is refused while this one's lease is live."""
    host: str
    pid: int
    user: str
    started_at: datetime = Field(default_factory=utcnow)
    lease_until: datetime

    def describe(self) -> str:
        return f"{self.user} on {self.host} (pid {self.pid}, since {self.started_at:%Y-%m-%d %H:%M} UTC)"


class Journal(abc.ABC):
    """The journal interface. Backends: SQLite (embedded default), DynamoDB (teams)."""

    location: str
    """Where the journal lives, for messages (a path or dynamodb://TABLE)."""

    @abc.abstractmethod
    def create_session(self, plan: Plan, snapshot: dict[str, Any] | None = None) -> SessionInfo:
        """Start a session for a plan; `snapshot` is the normalized pre-apply state."""

    @abc.abstractmethod
    def sessions(self, account_id: str | None = None, region: str | None = None) -> list[SessionInfo]:
        """Sessions, newest first, optionally for one account and region."""

    @abc.abstractmethod
    def session(self, session_id: str) -> SessionInfo:
        """One session; raises UnknownSession."""

    @abc.abstractmethod
    def plan(self, session_id: str) -> Plan:
        """The plan the session was started with."""

    @abc.abstractmethod
    def snapshot(self, session_id: str) -> dict[str, Any] | None:
        """The normalized pre-apply state recorded with the session."""

    @abc.abstractmethod
    def set_status(self, session_id: str, status: SessionStatus) -> None: ...

    @abc.abstractmethod
    def append(self, entry: JournalEntry) -> JournalEntry:
        """Append durably (fsync'd before returning); returns the entry with its seq."""

    def append_many(self, entries: list[JournalEntry]) -> list[JournalEntry]:
        """Append several entries in order, durably, before returning; each with its seq.

        The default appends one by one; a backend that can make them durable together (one
        transaction, one fsync) overrides it, which is what lets concurrent action threads
        share a commit (`engine.journaling.SessionWriter`).
        """
        return [self.append(entry) for entry in entries]

    @abc.abstractmethod
    def entries(self, session_id: str, after: int = 0) -> list[JournalEntry]:
        """A session's entries in append order: every one, or those with a seq above `after`
        (what a reader that has the first `after` still lacks; the journal is append-only)."""

    @abc.abstractmethod
    def acquire_lock(self, vpc_id: str, owner: LockOwner) -> None:
        """Take the VPC's live-session lock; raises SessionLocked naming the holder.

        Succeeds when the lock is free, expired, or already held by the same session.
        """

    @abc.abstractmethod
    def renew_lock(self, vpc_id: str, owner: LockOwner) -> None: ...

    @abc.abstractmethod
    def release_lock(self, vpc_id: str, session_id: str) -> None: ...

    @abc.abstractmethod
    def lock_holder(self, vpc_id: str) -> LockOwner | None: ...

    @abc.abstractmethod
    def force_unlock(self, vpc_id: str) -> None: ...

    def close(self) -> None:
        """Release resources; the default does nothing."""
