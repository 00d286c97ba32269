"""Shared waits for Lambda function updates: one poller reads every function being waited on.

A functions step starts every function's update at once, then each action's thread
waits here until its function's update is no longer `InProgress`. One poller thread
reads each waiting function (GetFunction, whose quota of its own leaves Lambda's
control-plane budget to the updates and publishes) at most once per interval; the
interval starts at `FIRST_DELAY` and grows with the wait, a tenth of the time waited
so far up to `MAX_DELAY`, so a wait is at most about a tenth longer than the update
(a dual-stack update runs one to two minutes) while a hundred waits cost a handful
of reads per second. Reads only.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import botocore.exceptions

from v6wizard.aws.session import AwsAccess
from v6wizard.aws.verify import is_not_found
from v6wizard.errors import AwsCallFailed

FIRST_DELAY = 0.5
"""Seconds from an update's call to the first read of its function."""
MAX_DELAY = 5.0
"""The longest interval between two reads of one function."""
GROWTH = 0.1
"""The interval as a share of the time waited so far."""
UPDATE_TIMEOUT = 900.0
"""Seconds a function update may stay InProgress before the wait fails (Lambda's own waiter gives up at 5 minutes)."""
READERS = 8
"""Reads in flight at once within one round (the request budget paces them further)."""


def read_delay(waited: float) -> float:
    """Seconds from one read of a waiting function to the next, `waited` s into its wait."""
    return min(MAX_DELAY, max(FIRST_DELAY, GROWTH * waited))


@dataclass
class _Waiter:
    name: str
    since: float
    next_read: float
    deadline: float
    done: threading.Event = field(default_factory=threading.Event)
    config: dict[str, Any] | None = None
    error: BaseException | None = None


class FunctionWatch:
    """Waits on many functions' updates with one poller; shared by a step's action threads."""

    def __init__(self, access: AwsAccess, *, timeout: float = UPDATE_TIMEOUT) -> None:
        self.access = access
        self.timeout = timeout
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._waiters: list[_Waiter] = []
        self._poller: threading.Thread | None = None
        self.reads: Counter[str] = Counter()
        """GetFunction reads made, by function name (tests and the bench read it)."""

    @property
    def waiting(self) -> int:
        """Functions whose update is being waited on now."""
        with self._lock:
            return len(self._waiters)

    def settled(self, name: str) -> dict[str, Any]:
        """Block until the function's last update is no longer InProgress; its configuration ({} if gone).

        A failed update is an error (as Lambda's `function_updated_v2` waiter has it)."""
        now = time.monotonic()
        waiter = _Waiter(name, now, now + FIRST_DELAY, now + self.timeout)
        with self._lock:
            self._waiters.append(waiter)
            self._changed.notify()
            if self._poller is None:
                self._poller = threading.Thread(target=self._run, name="v6wizard-function-watch", daemon=True)
                self._poller.start()
        waiter.done.wait()
        if waiter.error is not None:
            raise waiter.error
        return waiter.config or {}

    # --- the poller -------------------------------------------------------------------

    def _run(self) -> None:
        with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="v6wizard-function-read") as readers:
            while True:
                with self._lock:
                    if not self._waiters:
                        self._poller = None
                        return
                    now = time.monotonic()
                    due = [w for w in self._waiters if w.next_read <= now]
                    if not due:
                        self._changed.wait(min(w.next_read for w in self._waiters) - now)
                        continue
                for waiter, outcome in zip(due, readers.map(self._read, due)):
                    self._settle(waiter, outcome)

    def _read(self, waiter: _Waiter) -> dict[str, Any] | BaseException:
        self.reads[waiter.name] += 1
        try:
            return function_settled(self.access, waiter.name)
        except Exception as exc:  # noqa: BLE001 - raised in the waiting thread
            return exc

    def _settle(self, waiter: _Waiter, outcome: dict[str, Any] | BaseException) -> None:
        now = time.monotonic()
        if isinstance(outcome, BaseException):
            waiter.error = outcome
        elif outcome.get("LastUpdateStatus") != "InProgress":
            waiter.config = outcome
        elif now >= waiter.deadline:
            waiter.error = AwsCallFailed(
                f"AWS did not finish the update of function {waiter.name} in {self.timeout:g}s.", "Timeout"
            )
        else:
            waiter.next_read = now + read_delay(now - waiter.since)
            return
        with self._lock:
            self._waiters.remove(waiter)
        waiter.done.set()


def function_settled(access: AwsAccess, name: str) -> dict[str, Any]:
    """The function's configuration now ({} when there is no such function); AwsCallFailed if its last update failed."""
    try:
        config: dict[str, Any] = access.client("lambda").get_function(FunctionName=name)["Configuration"]
    except botocore.exceptions.ClientError as exc:
        if is_not_found(exc):
            return {}
        raise
    if config.get("LastUpdateStatus") == "Failed":
        reason = config.get("LastUpdateStatusReason") or config.get("LastUpdateStatusReasonCode") or "no reason given"
        raise AwsCallFailed(f"The update of function {name} failed: {reason}.", "FunctionUpdateFailed")
    return config
