"""The errors a user can meet, each one sentence and an exit code.

Every failure that reaches a person is one of these. The CLI prints `str(error)` and
exits with `error.exit_code`; the TUI shows the same sentence in a modal. Nothing
else may escape to a user as a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


Face = Literal["cli", "tui"]
"""Who shows an error: the CLI's flags and the TUI's keys are different ways out of the same refusal."""


class V6WizardError(Exception):
    """Base class: a message meant for a person, and the exit code that goes with it.

    `hints` holds what to do next in each face's own terms (a flag for the CLI, a key
    for the TUI), so a refusal is written once and neither face shows the other's
    controls. `str()` is the CLI's sentence; the TUI asks `for_face("tui")`.
    """

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, hints: Mapping[Face, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hints: dict[Face, str] = dict(hints or {})

    def for_face(self, face: Face) -> str:
        """The message followed by `face`'s hint, if it has one."""
        hint = self.hints.get(face, "")
        return f"{self.message} {hint}" if hint else self.message

    def __str__(self) -> str:
        return self.for_face("cli")


class BadInput(V6WizardError):
    """The operator asked for something that cannot be done; nothing was changed."""

    exit_code = EXIT_BAD_INPUT


class CredentialsError(BadInput):
    """No usable AWS credentials for the chosen profile or region."""


class UnknownRegion(BadInput):
    """The region name is not one AWS has."""


class UnknownVpc(BadInput):
    """The VPC id does not exist in the region."""


class UnknownFunction(BadInput):
    """A named Lambda function is not attached to the VPC."""


class InvalidOption(BadInput):
    """A plan option (CIDR source, pool, schedule, step name) is malformed."""


class MalformedFile(BadInput):
    """A plan or journal file cannot be read."""


class JournalError(BadInput):
    """The journal is corrupt, from a newer version, or cannot be opened."""


class SessionLocked(V6WizardError):
    """Another operator holds the live session for this VPC."""


class SecretInJournal(V6WizardError):
    """A journal payload held a credential-looking value and was refused (a bug, never written)."""


class UnknownSession(BadInput):
    """No session with that id in the journal."""


class DriftDetected(V6WizardError):
    """The account changed since the plan was made; a new plan is needed."""


class AwsCallFailed(V6WizardError):
    """AWS refused or failed a call; the session stays resumable."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class HealthGateFailed(V6WizardError):
    """A cutover health gate failed and the alias was returned to the old version."""


class Cancelled(V6WizardError):
    """The operator stopped the run; the session stays resumable."""


class CutoverAborted(Cancelled):
    """The operator aborted the cutover: the aliases are back on their old versions, nothing failed."""


class CutoverRefused(V6WizardError):
    """A cutover precondition does not hold (alias, versions, code hash, alarms); nothing was shifted."""


class AliasChanged(V6WizardError):
    """Someone else changed the alias during a cutover (RevisionId mismatch); the cutover stopped."""


class LowTraffic(V6WizardError):
    """Too few invocations reached the new version to judge it; the cutover waits for the operator."""


class CutoverIncomplete(V6WizardError):
    """Several functions of one cutover did not finish; the message lists each one's reason."""


class DiscoveryHelperFailed(V6WizardError):
    """The helper process that reads the account stopped or could not start; nothing was changed, and a retry starts a new one."""
