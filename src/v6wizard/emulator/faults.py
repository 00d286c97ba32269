"""Fault injection, added latency and a server-side request log, controlled in-process.

Tests and benchmarks reach these through the running emulator:

    emulator.faults.throttle("ec2", "CreateRoute", times=2)
    emulator.faults.deny("lambda", "UpdateAlias")
    emulator.faults.latency = 0.05
    emulator.requests.count("ec2", "CreateRoute")

`ControlLayer` is the outermost layer: it logs every call, sleeps the added
latency, answers injected faults before anything else sees the request, and
clears every layer's state when moto's reset endpoint is called.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from v6wizard.emulator.server import WsgiApp
from v6wizard.emulator.wsgi import Call, StartResponse, error_for, forward

_THROTTLE = {
    "ec2": ("RequestLimitExceeded", 503, "Request limit exceeded."),
    "lambda": ("TooManyRequestsException", 429, "Rate exceeded"),
}
_DENY = {
    "ec2": ("UnauthorizedOperation", 403, "You are not authorized to perform this operation."),
    "lambda": ("AccessDeniedException", 403, "User is not authorized to perform this action."),
}
_SERVER_ERROR = {
    "ec2": ("InternalError", 500, "An internal error has occurred."),
    "lambda": ("ServiceException", 500, "The service encountered an internal error."),
}


@dataclass
class FaultRule:
    """Answer matching calls with an AWS error instead of passing them to moto."""

    service: str
    operation: str | None
    code: str
    status: int
    message: str
    times: int | None = None
    """How many more calls fail; None for every call."""
    probability: float = 1.0
    hits: int = 0

    def matches(self, call: Call) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        return call.service == self.service and self.operation in (None, call.operation)


class FaultInjector:
    """Rules that turn matching calls into AWS errors, plus a per-request delay."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._random = random.Random(seed)
        self.rules: list[FaultRule] = []
        self.latency = 0.0
        """Seconds added to every request (e.g. 0.05 to bench against a realistic round trip)."""

    def add(
        self,
        service: str,
        operation: str | None,
        code: str,
        *,
        status: int = 400,
        message: str | None = None,
        times: int | None = None,
        probability: float = 1.0,
    ) -> FaultRule:
        """Fail `operation` (None: any) of `service` with `code`/`status`, `times` times or always."""
        rule = FaultRule(service, operation, code, status, message or f"Injected fault: {code}.", times, probability)
        with self._lock:
            self.rules.append(rule)
        return rule

    def throttle(self, service: str, operation: str | None = None, *, times: int | None = 1, probability: float = 1.0) -> FaultRule:
        """AWS's throttling answer for the service (EC2 RequestLimitExceeded 503, Lambda 429)."""
        code, status, message = _THROTTLE.get(service, ("ThrottlingException", 400, "Rate exceeded"))
        return self.add(service, operation, code, status=status, message=message, times=times, probability=probability)

    def deny(self, service: str, operation: str | None = None, *, times: int | None = None) -> FaultRule:
        """A missing permission: EC2 UnauthorizedOperation, Lambda AccessDeniedException (403)."""
        code, status, message = _DENY.get(service, ("AccessDenied", 403, "User is not authorized to perform this action."))
        return self.add(service, operation, code, status=status, message=message, times=times)

    def server_error(self, service: str, operation: str | None = None, *, times: int | None = 1) -> FaultRule:
        """A 5xx from the service, which botocore retries."""
        code, status, message = _SERVER_ERROR.get(service, ("InternalFailure", 500, "Internal failure."))
        return self.add(service, operation, code, status=status, message=message, times=times)

    def seed(self, value: int) -> None:
        """Make probabilistic rules repeatable."""
        with self._lock:
            self._seed = value
            self._random = random.Random(value)

    def reset(self) -> None:
        with self._lock:
            self.rules.clear()
            self.latency = 0.0
            self._random = random.Random(self._seed)

    def pick(self, call: Call) -> FaultRule | None:
        """The rule that fails this call, if any; consumes one of its `times`."""
        with self._lock:
            for rule in self.rules:
                if not rule.matches(call):
                    continue
                if rule.probability < 1.0 and self._random.random() >= rule.probability:
                    continue
                if rule.times is not None:
                    rule.times -= 1
                rule.hits += 1
                return rule
        return None


class RequestLog:
    """Every call the emulator received, as (service, operation), in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[str, str]] = []

    def record(self, service: str, operation: str) -> None:
        with self._lock:
            self._entries.append((service, operation))

    @property
    def entries(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._entries)

    def operations(self, service: str | None = None) -> list[str]:
        return [op for svc, op in self.entries if service in (None, svc)]

    def count(self, service: str, operation: str | None = None) -> int:
        return sum(1 for svc, op in self.entries if svc == service and operation in (None, op))

    def counts(self) -> Counter[tuple[str, str]]:
        return Counter(self.entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class ControlLayer:
    """The outermost middleware: request log, latency, injected faults, and reset of all layer state."""

    def __init__(self, resets: Iterable[Callable[[], None]] = ()) -> None:
        self.faults = FaultInjector()
        self.requests = RequestLog()
        self.timing: Any = None
        """The stack's Timing (emulator.timing): windows and whether the token buckets are on."""
        self.buckets: Any = None
        """The stack's RequestBuckets (emulator.throttling), with its counts of refused requests."""
        self._resets = [self.faults.reset, self.requests.clear, *resets]

    def __call__(self, app: WsgiApp) -> WsgiApp:
        def control(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            call = Call.of(environ)
            if call.service == "moto-api":
                answer = forward(app, environ)
                if call.path.rstrip("/") == "/moto-api/reset" and answer.ok:
                    for reset in self._resets:
                        reset()
                return answer.send(start_response)
            self.requests.record(call.service, call.operation)
            environ["v6wizard.call"] = call
            if self.faults.latency > 0:
                time.sleep(self.faults.latency)  # a simulated network round trip, not a wait for a result
            rule = self.faults.pick(call)
            if rule is not None:
                return error_for(call, rule.code, rule.message, rule.status).send(start_response)
            return app(environ, start_response)

        return control
