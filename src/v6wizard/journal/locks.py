"""The session lock's shared pieces: who we are (`lock_owner`) and the refusal sentence.

One live session per VPC. A lock carries a lease: the holder renews it while it runs,
and a lease that ran out belongs to a dead run that anyone may take over.
"""

from __future__ import annotations

import getpass
import os
import socket
from datetime import datetime, timedelta, timezone

from v6wizard.errors import SessionLocked
from v6wizard.journal.base import LockOwner

DEFAULT_LEASE_SECONDS = 120
"""Long enough to ride out a slow AWS call between renewals, short enough to recover a dead run."""


def current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # Containers may run under a uid with no passwd entry and no USER variable.
        return f"uid {os.getuid()}"


def lock_owner(session_id: str, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> LockOwner:
    """The lock owner for this process: host, pid, user, now, and a lease of lease_seconds."""
    now = datetime.now(timezone.utc)
    return LockOwner(
        session_id=session_id,
        host=socket.gethostname(),
        pid=os.getpid(),
        user=current_user(),
        started_at=now,
        lease_until=now + timedelta(seconds=lease_seconds),
    )


def is_live(owner: LockOwner, now: datetime | None = None) -> bool:
    return owner.lease_until > (now or datetime.now(timezone.utc))


def locked_error(vpc_id: str, holder: LockOwner) -> SessionLocked:
    """The one sentence that says who holds the VPC and how to proceed."""
    return SessionLocked(
        f"{vpc_id} is being migrated by session {holder.session_id}, held by {holder.describe()} "
        f"until {holder.lease_until:%H:%M:%S} UTC; wait, or run "
        f"`v6wizard resume {holder.session_id} --force-unlock` if that run is dead."
    )
