"""The client-side request budget: token buckets below AWS's published request rates.

Every EC2 and Lambda request an `AwsAccess` sends waits here first (a botocore
`before-send` hook, so each HTTP attempt, retries included, takes a token), so a
run with a hundred functions in flight stays inside the account's quotas instead of
leaning on throttling and retries. The rates (AWS's defaults, as published):

- Lambda: 15 requests per second per Region for the control plane (every API but
  invocations, GetFunction and GetPolicy), GetFunction 100 per second
  (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, "Lambda API requests");
- EC2: one bucket per API and Region; non-mutating actions 100 tokens refilled at
  20 per second, mutating actions 200 refilled at 5 per second
  (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).

The client refills at `HEADROOM` of each rate, so other tools in the account keep some;
what throttling remains is retried by botocore's standard mode. Accounts with raised
quotas say so with `--api-rate CLASS=RPS` (or `V6WIZARD_API_RATES`).

A library would do the bucket (pyrate-limiter, limits), but neither blocks a thread
until its token is due without polling, nor lets writes go ahead of queued reads,
which is what keeps a step's updates from waiting behind its read-ahead.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from v6wizard.errors import InvalidOption

HEADROOM = 0.8
"""The share of AWS's published refill rate the client allows itself. Bursts are AWS's own: a
full bucket at the start is what the account has when nothing else is busy, and a client bucket
of the same size refilled more slowly never holds more than AWS's."""

ENV_VAR = "V6WIZARD_API_RATES"
"""`CLASS=RPS[,CLASS=RPS]`: the account's quotas where they are raised above AWS's defaults."""


@dataclass(frozen=True)
class Quota:
    """One AWS request quota: sustained requests per second and the burst a full bucket allows."""

    rate: float
    burst: float


AWS_QUOTAS: dict[str, Quota] = {
    "lambda": Quota(rate=15, burst=15),
    "lambda-get-function": Quota(rate=100, burst=100),
    "ec2-read": Quota(rate=20, burst=100),
    "ec2-write": Quota(rate=5, burst=200),
}
"""AWS's default quotas by class (see the module docstring for the pages). Lambda publishes no
burst: a bucket of one second's requests is assumed."""

LAMBDA_OWN_QUOTA = {"GetFunction": "lambda-get-function"}
"""Lambda operations with a quota of their own; every other one shares the control plane's."""


class TokenBucket:
    """A thread-safe token bucket whose `acquire` blocks until a token is due.

    Waiters are served in order, writes (`urgent`) before reads; only the first in line
    sleeps on the clock, the rest wait to be woken, so a hundred waiting threads cost
    nothing until their turn.
    """

    def __init__(self, rate: float, burst: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and a burst of at least one")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._stamp = clock()
        self._turn = threading.Condition()
        self._urgent: deque[object] = deque()
        self._others: deque[object] = deque()
        self.waited = 0.0
        """Seconds callers spent waiting for tokens, in all."""

    def acquire(self, *, urgent: bool = False) -> float:
        """Take one token, waiting for it if none is left; the seconds waited."""
        ticket = object()
        queue = self._urgent if urgent else self._others
        started = self._clock()
        with self._turn:
            queue.append(ticket)
            try:
                while True:
                    first = self._urgent[0] if self._urgent else self._others[0]
                    self._refill()
                    if first is ticket and self._tokens >= 1:
                        self._tokens -= 1
                        queue.popleft()
                        waited = self._clock() - started
                        self.waited += waited
                        self._turn.notify_all()
                        return waited
                    self._turn.wait((1 - self._tokens) / self.rate if first is ticket else None)
            except BaseException:
                if ticket in queue:
                    queue.remove(ticket)
                    self._turn.notify_all()
                raise

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now


def bucket_class(service: str, operation: str) -> str | None:
    """The quota class of an operation (None: not budgeted here)."""
    if service == "lambda":
        return LAMBDA_OWN_QUOTA.get(operation, "lambda")
    if service == "ec2":
        return "ec2-read" if operation.startswith(("Describe", "Get", "List")) else "ec2-write"
    return None


def parse_rates(text: str) -> dict[str, float]:
    """`lambda=30,ec2-write=10` -> {"lambda": 30.0, "ec2-write": 10.0}; InvalidOption with a sentence otherwise."""
    rates: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in AWS_QUOTAS:
            raise InvalidOption(f"There is no API rate class {name!r}; the classes are {', '.join(AWS_QUOTAS)}.")
        try:
            rate = float(value)
        except ValueError:
            rate = 0.0
        if not rate > 0:
            raise InvalidOption(f"The API rate for {name} must be a number of requests per second above 0, not {value.strip()!r}.")
        rates[name] = rate
    return rates


class RequestBudget:
    """The buckets of one account and Region: one per quota class (per API for EC2), made on first use."""

    def __init__(self, rates: Mapping[str, float] | None = None, *, headroom: float = HEADROOM) -> None:
        """`rates`: requests per second by class where the account's quota differs from AWS's default."""
        self._quotas = {
            name: _raised(quota, (rates or {}).get(name), headroom) for name, quota in AWS_QUOTAS.items()
        }
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], TokenBucket] = {}

    def quota(self, name: str) -> Quota:
        """The client's own rate and burst for a class."""
        return self._quotas[name]

    def bucket(self, service: str, operation: str) -> TokenBucket | None:
        name = bucket_class(service, operation)
        if name is None:
            return None
        # EC2 throttles each API on its own bucket; Lambda shares one across its control plane.
        key = (name, operation if service == "ec2" else "")
        with self._lock:
            found = self._buckets.get(key)
            if found is None:
                quota = self._quotas[name]
                found = self._buckets[key] = TokenBucket(quota.rate, quota.burst)
            return found

    def wait(self, service: str, operation: str) -> float:
        """Block until `operation` may be sent; the seconds waited."""
        bucket = self.bucket(service, operation)
        if bucket is None:
            return 0.0
        # A write goes ahead of queued reads: a step's updates must not wait behind its read-ahead.
        return bucket.acquire(urgent=_mutating(operation))

    def before_send(self, event_name: str = "", **_: Any) -> None:
        """botocore `before-send` handler: event names read `before-send.<service-id>.<Operation>`."""
        parts = event_name.split(".")
        if len(parts) >= 3:
            self.wait(parts[1], parts[2])
        # Returning None lets botocore send the request (a value would stand in for the response).


def _mutating(operation: str) -> bool:
    return not operation.startswith(("Describe", "Get", "List"))


def _raised(quota: Quota, rate: float | None, headroom: float) -> Quota:
    """The client's share of a quota; a raised rate raises the burst in proportion."""
    if rate is None:
        return Quota(quota.rate * headroom, quota.burst)
    return Quota(rate * headroom, max(1.0, quota.burst * rate / quota.rate))


def budget_from_env(environ: Mapping[str, str]) -> RequestBudget:
    """The budget for this process: AWS's defaults, raised where `V6WIZARD_API_RATES` says."""
    return RequestBudget(parse_rates(environ.get(ENV_VAR, "")))
