"""The executor: the only code in v6wizard that calls mutating AWS APIs.

Everything that changes an account (the engine's actions, their inverses, the
cutover's alias updates) goes through `Executor.invoke`. A dry-run executor refuses
every call, so a preview can never change anything.

Throttling and 5xx answers are retried by botocore's standard mode (see
`aws.session`). Lambda's `ResourceConflictException` (an update still in progress)
is not retried by botocore, so the executor backs off and retries it here.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import botocore.exceptions
from botocore import xform_name

from v6wizard.aws.errors import error_code
from v6wizard.aws.function_env_update import changes_environment, merged_params
from v6wizard.aws.session import AwsAccess
from v6wizard.errors import V6WizardError

CONFLICT_CODES = frozenset({"ResourceConflictException"})
"""Lambda says another update is in progress; waiting and retrying is the fix."""
CONFLICT_ATTEMPTS = 8
CONFLICT_BASE_DELAY = 0.2
CONFLICT_MAX_DELAY = 5.0


class DryRunRefused(V6WizardError):
    """A mutating call was attempted in dry-run mode."""


class Executor:
    """Makes the AWS calls the engine asks for, through the shared clients."""

    def __init__(self, access: AwsAccess, *, dry_run: bool = False, sleep: Any = time.sleep) -> None:
        self.access = access
        self.dry_run = dry_run
        self._sleep = sleep
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        """Mutating calls made, by operation name (the benchmark reads it)."""

    def invoke(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Call `operation` (e.g. CreateRoute) on `service` with `params`; returns AWS's response.

        botocore's ClientError propagates; the engine journals its code and decides.
        """
        if self.dry_run:
            raise DryRunRefused(f"Dry run: {service} {operation} was not called.")
        if service == "lambda" and changes_environment(params):
            return self.invoke_environment_update(operation, params)
        method = getattr(self.access.client(service), xform_name(operation))
        return self._with_conflict_retries(operation, lambda: method(**params), CONFLICT_CODES)

    def invoke_environment_update(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """`--sdk-endpoints`: an UpdateFunctionConfiguration that adds or removes environment keys.

        Each attempt reads the live variables and writes them back with only the planned keys
        changed, conditional on the RevisionId read; an update in progress (409) or a change
        in between (412) is waited out and read again. The response (which holds every value)
        is reduced to the RevisionId before it leaves.
        """
        client = self.access.client("lambda")
        method = getattr(client, xform_name(operation))

        def attempt() -> dict[str, Any]:
            response = method(**merged_params(client, params))
            return {"RevisionId": response.get("RevisionId", ""), "FunctionName": response.get("FunctionName", "")}

        return self._with_conflict_retries(operation, attempt, CONFLICT_CODES | {"PreconditionFailedException"})

    def _with_conflict_retries(self, operation: str, call: Callable[[], dict[str, Any]], retried: frozenset[str]) -> dict[str, Any]:
        """Make `call`, counted; a conflict in `retried` is waited out and tried again, up to CONFLICT_ATTEMPTS."""
        attempt = 0
        while True:
            with self._lock:
                self.calls[operation] += 1
            try:
                return call()
            except botocore.exceptions.ClientError as exc:
                attempt += 1
                if error_code(exc) not in retried or attempt >= CONFLICT_ATTEMPTS:
                    raise
                # Full jitter: several functions updated at once must not retry in lockstep.
                self._sleep(random.uniform(0, min(CONFLICT_MAX_DELAY, CONFLICT_BASE_DELAY * 2**attempt)))
