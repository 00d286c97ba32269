"""Turn botocore exceptions into one-sentence user errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import botocore.exceptions

from v6wizard.errors import AwsCallFailed, CredentialsError, V6WizardError

if TYPE_CHECKING:
    from v6wizard.aws.session import AwsTarget

_CREDENTIAL_CODES = {
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "AuthFailure",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
}


def error_code(exc: BaseException) -> str:
    """AWS's error code for a ClientError, else the exception's class name."""
    if isinstance(exc, botocore.exceptions.ClientError):
        return str(exc.response.get("Error", {}).get("Code", "")) or "ClientError"
    return type(exc).__name__


def error_message(exc: BaseException) -> str:
    if isinstance(exc, botocore.exceptions.ClientError):
        return str(exc.response.get("Error", {}).get("Message", "")) or str(exc)
    return str(exc)


def _fix_hint(target: AwsTarget | None) -> str:
    if target is not None and target.profile:
        return f"run `aws sso login --profile {target.profile}` or refresh the profile's keys"
    return "set AWS_PROFILE (and run `aws sso login` for SSO) or export fresh AWS credentials"


def translate(exc: BaseException, target: AwsTarget | None = None, doing: str = "") -> V6WizardError:
    """One exception type per thing that can go wrong, with a sentence that says what to do."""
    if isinstance(exc, V6WizardError):
        return exc
    where = f" in {target.describe()}" if target is not None else ""
    if isinstance(exc, (botocore.exceptions.NoCredentialsError, botocore.exceptions.PartialCredentialsError)):
        return CredentialsError(f"No AWS credentials were found{where}; {_fix_hint(target)}.")
    token_errors: tuple[type[BaseException], ...] = tuple(
        getattr(botocore.exceptions, name)
        for name in ("SSOTokenLoadError", "UnauthorizedSSOTokenError", "TokenRetrievalError", "SSOError")
        if hasattr(botocore.exceptions, name)
    )
    if isinstance(exc, token_errors):
        return CredentialsError(f"Your AWS SSO session has expired or is missing{where}; {_fix_hint(target)}.")
    if isinstance(exc, botocore.exceptions.ProfileNotFound):
        return CredentialsError(f"{exc}; run `aws configure list-profiles` to see the profiles you have.")
    if isinstance(exc, botocore.exceptions.NoRegionError):
        return CredentialsError("No AWS region is set; pass --region or set AWS_REGION.")
    if isinstance(exc, botocore.exceptions.EndpointConnectionError):
        return AwsCallFailed(f"Could not reach AWS at {exc.kwargs.get('endpoint_url', 'its endpoint')}{where}; check the region, endpoint and network.", "EndpointConnectionError")
    if isinstance(exc, botocore.exceptions.ClientError):
        code = error_code(exc)
        if code in _CREDENTIAL_CODES:
            return CredentialsError(f"AWS rejected your credentials ({code}){where}; {_fix_hint(target)}.")
        action = f" while {doing}" if doing else ""
        message = error_message(exc).rstrip(".")
        return AwsCallFailed(f"AWS refused{action}: {code}: {message}.", code)
    if isinstance(exc, botocore.exceptions.BotoCoreError):
        return AwsCallFailed(f"The AWS SDK failed{where}: {exc}.", type(exc).__name__)
    return AwsCallFailed(f"Unexpected error{where}: {type(exc).__name__}: {exc}.", type(exc).__name__)


def is_throttle(exc: Any) -> bool:
    return error_code(exc) in {"RequestLimitExceeded", "Throttling", "ThrottlingException", "TooManyRequestsException"}
