"""The session lock's shared pieces: who we are (`lock_owner`), who may take a lock, and the refusal sentence.

One live session per VPC, held by one run: a process, told apart by its run id, host
and pid, so a second `resume` of the same session elsewhere is refused too. A lock
carries a lease: the holder renews it while it runs, and a lease that ran out belongs
to a dead run that anyone may take over. A run that died on this very machine (same
boot and pid namespace, its pid gone) holds nothing either, so resuming after a crash
need not wait out the lease.
"""

from __future__ import annotations

import getpass
import os
import socket
from datetime import datetime, timedelta, timezone

from v6wizard.errors import SessionLocked
from v6wizard.journal.base import LockOwner
from v6wizard.journal.ids import current_run_id, process_space

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


def run_key(owner: LockOwner) -> str:
    """What names one run of one session: equal keys are the same run."""
    return f"{owner.session_id} {owner.run_id} {owner.host} {owner.pid}"


def this_run_key(session_id: str) -> str:
    """The run key of this process working on `session_id` (what `release_lock` may free)."""
    return f"{session_id} {current_run_id()} {socket.gethostname()} {os.getpid()}"


def run_is_gone(holder: LockOwner) -> bool:
    """True only when the holder ran in this boot and pid namespace, on this host, and its pid is gone."""
    space = holder.run_id.rpartition("#")[0]
    # Without a known process space (not Linux) a pid proves nothing; on Windows
    # os.kill(pid, 0) would even terminate the process.
    if not space or space != process_space() or holder.host != socket.gethostname() or holder.pid == os.getpid():
        return False
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # another user's live process
    return False


def is_held(holder: LockOwner) -> bool:
    """The holder's run may still be working: its lease is live and it is not known to be dead."""
    return is_live(holder) and not run_is_gone(holder)


def may_take(holder: LockOwner | None, owner: LockOwner) -> bool:
    """Whether `owner` may write the lock over `holder`: free, the same run, expired, or a dead local run."""
    return holder is None or run_key(holder) == run_key(owner) or not is_held(holder)


def locked_error(vpc_id: str, holder: LockOwner) -> SessionLocked:
    """The one sentence that says who holds the VPC and how to proceed."""
    return SessionLocked(
        f"{vpc_id} is being migrated by session {holder.session_id}, held by {holder.describe()} "
        f"until {holder.lease_until:%H:%M:%S} UTC; wait, or run "
        f"`v6wizard resume {holder.session_id} --force-unlock` if that run is dead."
    )
