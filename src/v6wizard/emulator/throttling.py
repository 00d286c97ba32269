"""EC2's and Lambda's request token buckets, answering as AWS does when a bucket is empty.

On when `Timing.buckets` is set (tests: `emulator.timing.buckets = True`; the demo and
benchmarks: `V6WIZARD_EMULATOR_BUCKETS=1`). AWS's default quotas:

- EC2 throttles each API on its own bucket per account and Region: non-mutating
  actions 100 tokens refilled at 20 per second, mutating ones 200 at 5 per second;
  beyond them `RequestLimitExceeded`, HTTP 503
  (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html);
- Lambda allows 15 requests per second per Region across its control plane and 100
  for GetFunction; beyond them `TooManyRequestsException`, HTTP 429
  (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). Lambda
  publishes no burst: a bucket holds one second's requests.

`refused` counts the requests answered with a throttle, by (service, operation).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from v6wizard.emulator.timing import Timing
from v6wizard.emulator.wsgi import Answer, Call, Layer, ec2_error, rest_json_error

EC2_READ = (100.0, 20.0)
EC2_WRITE = (200.0, 5.0)
LAMBDA_CONTROL = (15.0, 15.0)
LAMBDA_GET_FUNCTION = (100.0, 100.0)
"""(bucket size, refill per second)."""

_READ_PREFIXES = ("Describe", "Get", "List")


def _bucket_of(call: Call) -> tuple[str, tuple[float, float]] | None:
    if call.service == "ec2" and call.protocol == "ec2":
        return call.operation, EC2_READ if call.operation.startswith(_READ_PREFIXES) else EC2_WRITE
    if call.service == "lambda" and call.operation:
        if call.operation == "GetFunction":
            return "GetFunction", LAMBDA_GET_FUNCTION
        if call.operation in ("Invoke", "InvokeAsync", "GetPolicy"):
            return None
        return "control-plane", LAMBDA_CONTROL
    return None


class _Bucket:
    def __init__(self, size: float, rate: float) -> None:
        self.size, self.rate = size, rate
        self.tokens = size
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.size, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class RequestBuckets(Layer):
    """Throttles EC2 and Lambda requests beyond AWS's default token buckets (when `timing.buckets`)."""

    def __init__(self, timing: Timing) -> None:
        self.timing = timing
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str, str, str], _Bucket] = {}
        self.refused: Counter[tuple[str, str]] = Counter()
        """Requests answered with a throttle, by (service, operation)."""
        self.admitted: Counter[tuple[str, str]] = Counter()
        """Requests let through while the buckets were on, by (service, operation)."""

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
            self.refused.clear()
            self.admitted.clear()

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if not self.timing.buckets:
            return None
        found = _bucket_of(call)
        if found is None:
            return None
        name, (size, rate) = found
        key = (call.account, call.region, call.service, name)
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(size, rate)
            allowed = bucket.take()
            (self.admitted if allowed else self.refused)[(call.service, call.operation)] += 1
        if allowed:
            return None
        if call.service == "ec2":
            return ec2_error("RequestLimitExceeded", "Request limit exceeded.", 503)
        return rest_json_error("TooManyRequestsException", "Rate exceeded", 429, Reason="CallerRateLimitExceeded")
