"""The VPC lock a run holds, with a lease renewed in the background while it runs."""

from __future__ import annotations

import getpass
import os
import socket
import threading
from datetime import timedelta
from collections.abc import Callable
from types import TracebackType

from v6wizard.errors import V6WizardError
from v6wizard.journal.base import Journal, LockOwner, utcnow

LEASE_SECONDS = 120.0
"""How long a lock outlives its holder if the process dies; renewed every third of it."""


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "unknown"


class HeldLock:
    """Context manager: acquire the VPC's lock for a session, renew it, release it at the end."""

    def __init__(
        self,
        journal: Journal,
        vpc_id: str,
        session_id: str,
        lease_seconds: float = LEASE_SECONDS,
        on_lost: Callable[[], None] = lambda: None,
    ) -> None:
        self.journal = journal
        self.vpc_id = vpc_id
        self.session_id = session_id
        self.lease_seconds = lease_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = utcnow()
        self._on_lost = on_lost
        self.lost: V6WizardError | None = None
        """Set when renewing failed (another run broke the lock); the run must stop."""

    def owner(self) -> LockOwner:
        return LockOwner(
            session_id=self.session_id,
            host=socket.gethostname(),
            pid=os.getpid(),
            user=_user(),
            started_at=self._started,
            lease_until=utcnow() + timedelta(seconds=self.lease_seconds),
        )

    def __enter__(self) -> HeldLock:
        self.journal.acquire_lock(self.vpc_id, self.owner())
        self._thread = threading.Thread(target=self._renew, name="v6wizard-lease", daemon=True)
        self._thread.start()
        return self

    def _renew(self) -> None:
        while not self._stop.wait(self.lease_seconds / 3):
            try:
                self.journal.renew_lock(self.vpc_id, self.owner())
            except V6WizardError as exc:
                # Someone forced the lock away from us: stop between actions, never run on unlocked.
                self.lost = exc
                self._on_lost()
                return

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self.lost is None:
            self.journal.release_lock(self.vpc_id, self.session_id)
