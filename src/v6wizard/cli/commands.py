"""The list of CLI commands; each lives in its own module and imports heavy things lazily."""

from __future__ import annotations

import click

ALL: list[click.Command] = []
# Each command module appends itself with one line here:
# from v6wizard.cli.plan_cmd import plan; ALL.append(plan)
