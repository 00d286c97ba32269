"""Options every command shares, and the edge that turns errors into a sentence and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from v6wizard.errors import EXIT_BAD_INPUT, V6WizardError

F = TypeVar("F", bound=Callable[..., Any])


def aws_options(func: F) -> F:
    """--profile, --region, --endpoint-url and --journal, as DESIGN.md's CLI contract says."""
    from v6wizard.cli.input_checks import check_endpoint_url, check_not_empty

    func = click.option(
        "--journal",
        envvar="V6WIZARD_JOURNAL",
        default=None,
        callback=check_not_empty,
        help="Journal path, or dynamodb://TABLE for a team journal (env V6WIZARD_JOURNAL).",
    )(func)
    func = click.option(
        "--endpoint-url",
        envvar="AWS_ENDPOINT_URL",
        default=None,
        callback=check_endpoint_url,
        help="Send AWS calls to this endpoint, e.g. the demo emulator (env AWS_ENDPOINT_URL).",
    )(func)
    func = click.option("--region", envvar="AWS_REGION", default=None, callback=check_not_empty, help="AWS region (env AWS_REGION).")(func)
    func = click.option("--profile", envvar="AWS_PROFILE", default=None, callback=check_not_empty, help="AWS profile from your config (env AWS_PROFILE).")(func)
    return func


def run_guarded(body: Callable[[], int | None]) -> None:
    """Run a command body; a V6WizardError becomes one sentence on stderr and its exit code."""
    try:
        code = body()
    except V6WizardError as exc:
        click.echo(f"v6wizard: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("v6wizard: interrupted.", err=True)
        sys.exit(130)
    sys.exit(code or 0)


def bad_input(message: str) -> None:
    """Refuse with exit 2 (nothing was changed)."""
    click.echo(f"v6wizard: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def open_cli_journal(spec: str | None, profile: str | None, region: str | None, endpoint_url: str | None, *, create: bool = False) -> Any:
    """The journal the flags name; a DynamoDB journal is reached with the same profile, region and endpoint
    (and refused if its table does not exist, unless `create`)."""
    from v6wizard.journal import open_journal

    access = None
    if spec and spec.startswith("dynamodb://"):
        from v6wizard.aws.session import AwsAccess, AwsTarget

        access = AwsAccess(AwsTarget(profile=profile, region=region, endpoint_url=endpoint_url))
    return open_journal(spec, access, create=create)
