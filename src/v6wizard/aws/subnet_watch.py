"""Batched postcondition checks for subnet actions: one DescribeSubnets for every waiting thread.

A step associates (or disassociates) hundreds of subnet blocks concurrently. Each
action's thread still waits for its own postcondition before it journals the
outcome, but instead of one DescribeSubnets each, the threads hand their subnet to a
`SubnetWatch`: one poller thread describes every subnet currently waited on (up to
200 ids per call, a `subnet-id` filter so a vanished subnet is simply absent instead
of failing the whole batch), answers the waiters whose check holds, and polls again.
While waiters keep arriving (a step's calls are still going out) it gathers them for
up to `gather` seconds before reading, so that one read answers a few dozen actions
instead of a handful: each DescribeSubnets costs the service (and our parser) in
proportion to the subnets it returns plus a fixed part, and the calls still in flight
queue behind it. Once arrivals pause for `first_delay` (the last calls returned), or
every waiter the step said to `expect` has arrived, it reads at once; with nobody new
it backs off. Reads only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from v6wizard.aws.session import AwsAccess
from v6wizard.aws.verify import SUBNET_CHECKS, VERIFY_TIMEOUT, Probe
from v6wizard.errors import AwsCallFailed

BATCH = 200
"""Subnet ids per DescribeSubnets (AWS takes up to 200 values in one filter)."""
GATHER = 0.25
"""Longest a newly arrived waiter waits for others before its first read, while more keep arriving."""

Check = Callable[[dict[str, Any] | None], Any]
"""Given the described subnet (None when it does not exist): a truthy result ends the wait."""


@dataclass
class _Waiter:
    subnet_id: str
    check: Check
    what: str
    deadline: float
    on_wait: Callable[[str], None] | None
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None
    told: bool = False


class SubnetWatch:
    """Waits on subnet postconditions for many threads with shared DescribeSubnets calls."""

    def __init__(
        self,
        access: AwsAccess,
        *,
        timeout: float = VERIFY_TIMEOUT,
        first_delay: float = 0.05,
        max_delay: float = 2.0,
        gather: float = GATHER,
    ) -> None:
        self.access = access
        self.timeout = timeout
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.gather = gather
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._waiters: list[_Waiter] = []
        self._fresh = False
        self._first_fresh = 0.0
        """When the first waiter not yet read for arrived."""
        self._last_arrival = 0.0
        self._expected: int | None = None
        """Waiters still to arrive, when the step said how many (see `expect`); None: unknown."""
        self._poller: threading.Thread | None = None
        self.describe_calls = 0
        """DescribeSubnets calls made (the bench and tests read it)."""

    def expect(self, waiters: int) -> None:
        """`waiters` more will arrive: once the last of them has, nothing is left to gather for.

        A count too high (an action that fails before its call) only falls back to waiting for
        arrivals to pause; one too low makes an extra read."""
        with self._lock:
            self._expected = (self._expected or 0) + waiters
            self._arrived.notify()

    # --- the two waits the engine uses ------------------------------------------------

    def present(self, kind: str, params: dict[str, Any], *, what: str, on_wait: Callable[[str], None] | None = None) -> dict[str, Any]:
        """Wait until the effect of `kind` with `params` is present and settled; its outputs."""
        probe = SUBNET_CHECKS[kind]

        def check(subnet: dict[str, Any] | None) -> dict[str, Any] | None:
            found = probe(subnet, params)
            return {"outputs": found.outputs} if found is not None and found.ready else None

        return self.wait(params["SubnetId"], check, what=what, on_wait=on_wait)["outputs"]  # type: ignore[no-any-return]

    def absent(self, kind: str, params: dict[str, Any], *, what: str, on_wait: Callable[[str], None] | None = None) -> None:
        """Wait until the effect of `kind` with `params` is gone (a rollback's postcondition)."""
        probe = SUBNET_CHECKS[kind]
        self.wait(params["SubnetId"], lambda subnet: probe(subnet, params) is None, what=what, on_wait=on_wait)

    def probe(self, kind: str, params: dict[str, Any]) -> Probe | None:
        """The effect as AWS has it now (one shared read), without waiting for it to settle."""
        found: list[Probe | None] = []

        def check(subnet: dict[str, Any] | None) -> bool:
            found.append(SUBNET_CHECKS[kind](subnet, params))
            return True

        self.wait(params["SubnetId"], check, what=f"reading subnet {params['SubnetId']}")
        return found[-1]

    def wait(self, subnet_id: str, check: Check, *, what: str, on_wait: Callable[[str], None] | None = None) -> Any:
        """Block until `check(subnet)` is truthy on a read made after this call; its result."""
        waiter = _Waiter(subnet_id, check, what, time.monotonic() + self.timeout, on_wait)
        with self._lock:
            self._waiters.append(waiter)
            now = time.monotonic()
            if not self._fresh:
                self._fresh, self._first_fresh = True, now
            self._last_arrival = now
            if self._expected:
                self._expected -= 1
            self._arrived.notify()
            if self._poller is None:
                self._poller = threading.Thread(target=self._run, name="v6wizard-subnet-watch", daemon=True)
                self._poller.start()
        waiter.done.wait()
        if waiter.error is not None:
            raise waiter.error
        return waiter.result

    # --- the poller -------------------------------------------------------------------

    def _run(self) -> None:
        delay = self.first_delay
        while True:
            with self._lock:
                if not self._waiters:
                    self._poller = None
                    return
                if not self._fresh:
                    # Nobody new since the last read: back off, but wake early for a newcomer.
                    self._arrived.wait_for(lambda: self._fresh, timeout=delay)
                    delay = min(self.max_delay, delay * 2) if not self._fresh else self.first_delay
                else:
                    delay = self.first_delay
                self._gather()
                self._fresh = False
                round_ = list(self._waiters)
            self._poll(round_)

    def _gather(self) -> None:
        """While newcomers keep arriving, let them collect (up to `gather` s for the first); holds the lock."""
        while self._fresh and self._expected != 0:
            now = time.monotonic()
            until = min(self._first_fresh + self.gather, self._last_arrival + self.first_delay)
            if now >= until:
                return
            self._arrived.wait(timeout=until - now)

    def _poll(self, waiters: list[_Waiter]) -> None:
        ids = sorted({w.subnet_id for w in waiters})
        try:
            subnets = self._describe(ids)
        except Exception as exc:  # noqa: BLE001 - handed to every waiter, which raises it in its own thread
            self._finish(waiters, error=exc)
            return
        finished: list[_Waiter] = []
        now = time.monotonic()
        for waiter in waiters:
            try:
                result = waiter.check(subnets.get(waiter.subnet_id))
            except Exception as exc:  # noqa: BLE001 - same: the waiting thread raises it
                waiter.error = exc
                finished.append(waiter)
                continue
            if result:
                waiter.result = result
                finished.append(waiter)
            elif now >= waiter.deadline:
                waiter.error = AwsCallFailed(f"AWS did not reach the expected state in {self.timeout:g}s: {waiter.what}.", "Timeout")
                finished.append(waiter)
            elif waiter.on_wait is not None and not waiter.told:
                waiter.told = True
                waiter.on_wait(f"waiting for AWS: {waiter.what}")
        self._finish(finished)

    def _finish(self, waiters: list[_Waiter], error: BaseException | None = None) -> None:
        with self._lock:
            for waiter in waiters:
                if error is not None:
                    waiter.error = error
                self._waiters.remove(waiter)
                waiter.done.set()

    def _describe(self, subnet_ids: list[str]) -> dict[str, dict[str, Any]]:
        ec2 = self.access.client("ec2")
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(subnet_ids), BATCH):
            chunk = subnet_ids[start : start + BATCH]
            self.describe_calls += 1
            for page in ec2.get_paginator("describe_subnets").paginate(Filters=[{"Name": "subnet-id", "Values": chunk}]):
                found.update({s["SubnetId"]: s for s in page.get("Subnets", [])})
        return found
