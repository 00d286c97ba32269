"""The list of CLI commands; each lives in its own module and imports heavy things lazily."""

from __future__ import annotations

import click

from v6wizard.cli.demo_cmd import demo
from v6wizard.cli.plan_cmd import plan

ALL: list[click.Command] = [plan, demo]
# Each further command module appends itself with one line here.
