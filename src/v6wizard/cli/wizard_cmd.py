"""`v6wizard` with no command: the TUI against the user's AWS credentials."""

from __future__ import annotations

from typing import Any

import click


def run_wizard(ctx: click.Context, *, dry_run: bool, **aws: Any) -> int:
    raise click.UsageError("The wizard is not built yet.")
