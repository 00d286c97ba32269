"""The one place that makes boto3 sessions and clients.

`AwsAccess` holds one boto3 Session and makes each service's client once, under a
lock; botocore clients are thread-safe, sessions are not, so workers share the
clients and never touch the session. Every client uses botocore's `standard` retry
mode with extra attempts (EC2 throttles per API, Lambda with 429s) and carries the
user agent suffix `v6wizard/<version>`. Given a request budget (`use_budget`, see
`aws.rate_limit`), every request of every client waits for its token first.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.exceptions
from botocore.config import Config

from v6wizard import __version__
from v6wizard.aws.errors import translate
from v6wizard.aws.target import AwsTarget  # here, boto3-free, so the wizard names its target before boto3 loads
from v6wizard.errors import CredentialsError, UnknownRegion

RETRY_ATTEMPTS = 10
"""Retries after the first attempt (11 attempts in all; botocore's default allows 3 in all).
EC2 throttles per API and a migration makes bursts of calls."""

EventHook = tuple[str, Callable[..., Any]]
"""A botocore event name and its handler, e.g. ("before-call", recorder)."""


@dataclass(frozen=True)
class Identity:
    """Who the credentials belong to (STS GetCallerIdentity)."""

    account_id: str
    arn: str


@dataclass(frozen=True)
class StaticCredentials:
    """Credentials resolved once: access key, secret and session token. The repr shows only the key id."""

    access_key: str
    secret_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)


def client_config(max_pool_connections: int = 32) -> Config:
    return Config(
        retries={"mode": "standard", "max_attempts": RETRY_ATTEMPTS},
        user_agent_extra=f"v6wizard/{__version__}",
        max_pool_connections=max_pool_connections,
    )


class AwsAccess:
    """Clients for one profile, region and endpoint, made once and shared by threads."""

    def __init__(
        self,
        target: AwsTarget | None = None,
        *,
        event_hooks: Sequence[EventHook] = (),
        credential_cache: Any | None = None,
        mfa_prompter: Callable[[str], str] | None = None,
        credentials: StaticCredentials | None = None,
    ) -> None:
        """`credentials`, when given, are used instead of the profile's or environment's (a helper
        process gets its parent's this way); the profile still supplies region and config."""
        target = target or AwsTarget()
        endpoint = target.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
        self._lock = threading.Lock()
        self._clients: dict[str, Any] = {}
        self._identity: Identity | None = None
        self.budget: Any = None
        """The RequestBudget every EC2 and Lambda request waits on (see `use_budget`); None: none."""
        try:
            # boto3 reads AWS_DEFAULT_REGION but not AWS_REGION, which the AWS CLI v2 and the
            # other SDKs honour; operators expect both to work.
            self._session = boto3.Session(
                profile_name=target.profile,
                region_name=target.region or os.environ.get("AWS_REGION") or None,
                aws_access_key_id=credentials.access_key if credentials else None,
                aws_secret_access_key=credentials.secret_key if credentials else None,
                aws_session_token=credentials.token if credentials else None,
            )
        except botocore.exceptions.ProfileNotFound:
            raise CredentialsError(
                f"The AWS profile {target.profile!r} is not in your AWS config; "
                "run `aws configure list-profiles` to see the ones you have."
            ) from None
        region = self._session.region_name
        if not region:
            raise CredentialsError(
                "No AWS region is set; pass --region or set AWS_REGION (or a region in your profile)."
            )
        _check_region(self._session, region)
        self.target = AwsTarget(profile=target.profile, region=region, endpoint_url=endpoint)
        for event, handler in event_hooks:
            self._session.events.register(event, handler)
        _configure_assume_role(self._session, credential_cache, mfa_prompter)

    @property
    def region(self) -> str:
        return self.target.region or ""

    def client(self, service: str) -> Any:
        """The client for a service, made once; safe to share across threads."""
        with self._lock:
            client = self._clients.get(service)
            if client is None:
                client = self._session.client(
                    service,
                    endpoint_url=self.target.endpoint_url,
                    config=client_config(),
                )
                self._clients[service] = client
                client.meta.events.register("before-send", self._wait_for_budget)
            return client

    def use_budget(self, budget: Any) -> None:
        """Pace every request of every client (made or still to make) by `budget`, a RequestBudget
        (aws.rate_limit); None stops pacing. The engine does this for its runs."""
        self.budget = budget

    def _wait_for_budget(self, event_name: str = "", **kwargs: Any) -> None:
        budget = self.budget
        if budget is not None:
            budget.before_send(event_name=event_name, **kwargs)

    def identity(self) -> Identity:
        """The caller's account and ARN; raises CredentialsError with a fix when there are none."""
        if self._identity is None:
            try:
                answer = self.client("sts").get_caller_identity()
            except Exception as exc:  # noqa: BLE001 - every failure becomes one sentence
                raise translate(exc, self.target) from None
            self._identity = Identity(account_id=answer["Account"], arn=answer["Arn"])
        return self._identity

    def frozen_credentials(self) -> StaticCredentials:
        """The credentials in use now (refreshed first if they are temporary and about to expire).

        For handing to a helper process over a pipe; never write them anywhere.
        """
        try:
            with self._lock:  # the session is not thread-safe; the credentials object it returns is
                credentials = self._session.get_credentials()
            frozen = credentials.get_frozen_credentials() if credentials is not None else None
        except Exception as exc:  # noqa: BLE001 - every failure becomes one sentence
            raise translate(exc, self.target) from None
        if frozen is None or not frozen.access_key:
            raise translate(botocore.exceptions.NoCredentialsError(), self.target)
        return StaticCredentials(frozen.access_key, frozen.secret_key, frozen.token)


def _check_region(session: boto3.Session, region: str) -> None:
    """Refuse a misspelt region before any call goes to a host that does not exist."""
    known: set[str] = set()
    for partition in session.get_available_partitions():
        known.update(session.get_available_regions("ec2", partition_name=partition))
    if known and region not in known:
        raise UnknownRegion(
            f"{region!r} is not an AWS region this SDK knows; check --region or AWS_REGION "
            "(e.g. us-east-1, eu-west-1)."
        )


def _configure_assume_role(session: boto3.Session, cache: Any | None, prompter: Callable[[str], str] | None) -> None:
    """Point botocore's assume-role provider at the keyring cache and our MFA prompt.

    botocore keeps assume-role credentials in a plain dict (boto3) or in JSON files
    (the AWS CLI); ours live in the OS keyring, so an MFA code is asked once per role
    session rather than once per run, and nothing lands in a file.
    """
    resolver = session._session.get_component("credential_provider")
    provider = resolver.get_provider("assume-role")
    if provider is None:
        return
    if cache is None:
        from v6wizard.aws.credentials import KeyringCredentialCache

        cache = KeyringCredentialCache()
    provider.cache = cache
    if prompter is not None:
        # botocore asks for the MFA code through this callable (getpass by default).
        provider._prompter = prompter
