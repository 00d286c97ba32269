"""`v6wizard` with no command: the TUI against the user's AWS credentials."""

from __future__ import annotations

import click


def run_wizard(
    ctx: click.Context,
    *,
    dry_run: bool,
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    journal: str | None = None,
) -> int:
    """Open the wizard; connecting (and any credential problem) happens inside it, on the start screen."""
    from v6wizard.aws.target import AwsTarget
    from v6wizard.tui.app import run_app

    target = AwsTarget(profile=profile, region=region, endpoint_url=endpoint_url)
    return run_app(target, journal_spec=journal, dry_run=dry_run)
