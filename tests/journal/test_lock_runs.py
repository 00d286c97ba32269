"""The session lock is held by one run (one process), not by a session: a second run of the
same session is refused while the first one's lease is live, on both backends."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest

from v6wizard.errors import SessionLocked
from v6wizard.journal import lock_owner
from v6wizard.journal.base import Journal, LockOwner, utcnow
from v6wizard.journal.ids import current_run_id

SESSION = "v6-20261123-aaaaaa"


def _other_run(**changes: object) -> LockOwner:
    """The same session, held by another process: another run id and, unless told, another pid."""
    return lock_owner(SESSION).model_copy(update={"run_id": "another-run", "pid": os.getppid(), **changes})


def _dead_pid() -> int:
    """The pid of a process that ran on this machine and has exited (and was reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_a_live_run_of_the_same_session_on_another_host_is_refused(journal: Journal, second_writer: Journal) -> None:
    first = _other_run(host="box-a", pid=4242, user="alice")
    journal.acquire_lock("vpc-1", first)
    with pytest.raises(SessionLocked, match=r"session v6-20261123-aaaaaa, held by alice on box-a \(pid 4242"):
        second_writer.acquire_lock("vpc-1", lock_owner(SESSION))
    assert journal.lock_holder("vpc-1") == first


def test_a_live_run_of_the_same_session_on_this_host_is_refused(journal: Journal, second_writer: Journal) -> None:
    first = _other_run()  # our parent process: alive for as long as this test runs
    journal.acquire_lock("vpc-1", first)
    with pytest.raises(SessionLocked, match=SESSION):
        second_writer.acquire_lock("vpc-1", lock_owner(SESSION))
    with pytest.raises(SessionLocked, match=SESSION):
        second_writer.renew_lock("vpc-1", lock_owner(SESSION))
    assert journal.lock_holder("vpc-1") == first


def test_the_same_run_reacquires_and_renews(journal: Journal, second_writer: Journal) -> None:
    first = lock_owner(SESSION, lease_seconds=30)
    assert first.run_id == current_run_id()
    journal.acquire_lock("vpc-1", first)
    again = lock_owner(SESSION, lease_seconds=30)
    second_writer.acquire_lock("vpc-1", again)
    later = lock_owner(SESSION, lease_seconds=600)
    second_writer.renew_lock("vpc-1", later)
    holder = journal.lock_holder("vpc-1")
    assert holder is not None and holder.lease_until == later.lease_until
    assert holder.started_at == again.started_at, "a renewal keeps the run's start"


def test_an_expired_run_of_the_same_session_is_taken_over(journal: Journal, second_writer: Journal) -> None:
    journal.acquire_lock("vpc-1", _other_run(host="box-a", lease_until=utcnow() - timedelta(seconds=1)))
    mine = lock_owner(SESSION)
    second_writer.acquire_lock("vpc-1", mine)
    assert journal.lock_holder("vpc-1") == mine


def test_a_run_that_died_on_this_machine_is_taken_over_at_once(journal: Journal, second_writer: Journal) -> None:
    """A crashed run on this host and kernel holds nothing: resume does not wait out its lease."""
    journal.acquire_lock("vpc-1", _other_run(pid=_dead_pid(), run_id=current_run_id().rpartition("#")[0] + "#dead"))
    mine = lock_owner(SESSION)
    second_writer.acquire_lock("vpc-1", mine)
    assert journal.lock_holder("vpc-1") == mine


def test_release_by_a_stale_run_leaves_the_new_holders_lock(journal: Journal, second_writer: Journal) -> None:
    journal.acquire_lock("vpc-1", lock_owner(SESSION).model_copy(update={"lease_until": utcnow() - timedelta(seconds=1)}))
    newer = _other_run(host="box-b")
    second_writer.acquire_lock("vpc-1", newer)
    journal.release_lock("vpc-1", SESSION)  # the stale run (this process) ends and releases
    assert journal.lock_holder("vpc-1") == newer
    mine = lock_owner(SESSION)
    with pytest.raises(SessionLocked):
        journal.acquire_lock("vpc-1", mine)
    journal.force_unlock("vpc-1")
    journal.acquire_lock("vpc-1", mine)
    journal.release_lock("vpc-1", SESSION)
    assert journal.lock_holder("vpc-1") is None
