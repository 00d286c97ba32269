"""`v6wizard journal init dynamodb://TABLE`: create the team journal's table (no other command creates it)."""

from __future__ import annotations

import click

from v6wizard.cli.common import open_cli_journal, run_guarded
from v6wizard.cli.input_checks import check_endpoint_url, check_not_empty


@click.group()
def journal() -> None:
    """Manage the journal."""


@journal.command()
@click.argument("spec", metavar="dynamodb://TABLE")
@click.option("--profile", envvar="AWS_PROFILE", default=None, callback=check_not_empty, help="AWS profile from your config (env AWS_PROFILE).")
@click.option("--region", envvar="AWS_REGION", default=None, callback=check_not_empty, help="AWS region (env AWS_REGION).")
@click.option("--endpoint-url", envvar="AWS_ENDPOINT_URL", default=None, callback=check_endpoint_url, help="Send AWS calls to this endpoint (env AWS_ENDPOINT_URL).")
def init(spec: str, profile: str | None, region: str | None, endpoint_url: str | None) -> None:
    """Create the DynamoDB table of a team journal (on-demand billing), or check an existing one."""
    run_guarded(lambda: _init(spec, profile, region, endpoint_url))


def _init(spec: str, profile: str | None, region: str | None, endpoint_url: str | None) -> int:
    from v6wizard.errors import BadInput
    from v6wizard.journal import DYNAMODB_SCHEME

    if not spec.startswith(DYNAMODB_SCHEME):
        raise BadInput(f"{spec!r} is not a team journal; give dynamodb://TABLE (an SQLite journal is made on first use).")
    opened = open_cli_journal(spec, profile, region, endpoint_url, create=True)
    opened.close()
    click.echo(f"The journal {opened.location} is ready; use it with --journal {opened.location}.")
    return 0
