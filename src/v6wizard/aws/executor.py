"""The executor: the only code in v6wizard that calls mutating AWS APIs.

Everything that changes an account (the engine's actions, their inverses, the
cutover's alias updates) goes through `Executor.invoke`. A dry-run executor refuses
every call, so a preview can never change anything.
"""

from __future__ import annotations

from typing import Any

from botocore import xform_name

from v6wizard.aws.session import AwsAccess
from v6wizard.errors import V6WizardError


class DryRunRefused(V6WizardError):
    """A mutating call was attempted in dry-run mode."""


class Executor:
    """Makes the AWS calls the engine asks for, through the shared clients."""

    def __init__(self, access: AwsAccess, *, dry_run: bool = False) -> None:
        self.access = access
        self.dry_run = dry_run

    def invoke(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Call `operation` (e.g. CreateRoute) on `service` with `params`; returns AWS's response.

        botocore's ClientError propagates; the engine journals its code and decides.
        """
        if self.dry_run:
            raise DryRunRefused(f"Dry run: {service} {operation} was not called.")
        client = self.access.client(service)
        method = getattr(client, xform_name(operation))
        return method(**params)
