"""The headless CLI: `v6wizard` and its commands.

Importing this module must stay cheap: `v6wizard --help` imports neither boto3 nor
textual (a test checks). Each command imports what it needs inside its body.
"""

from __future__ import annotations

import click

from v6wizard import __version__
from v6wizard.cli.common import aws_options, run_guarded
from v6wizard.cli.group_options import remember_group_options, takes_group_options


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@aws_options
@click.option("--dry-run", is_flag=True, help="Preview everything; apply nothing.")
@click.version_option(__version__, prog_name="v6wizard")
@click.pass_context
def cli(ctx: click.Context, dry_run: bool, **aws: object) -> None:
    """Migrate an AWS VPC and its Lambda functions to dual-stack IPv6.

    With no command, opens the wizard against your AWS credentials.
    """
    if ctx.invoked_subcommand is not None:
        remember_group_options(ctx)
    else:
        from v6wizard.cli.wizard_cmd import run_wizard

        run_guarded(lambda: run_wizard(ctx, dry_run=dry_run, **aws))


def _register() -> None:
    from v6wizard.cli import commands

    for command in commands.ALL:
        # Options given before the subcommand reach it, or are refused (cli/group_options.py).
        cli.add_command(takes_group_options(command))


_register()


def main() -> None:
    cli(prog_name="v6wizard")
