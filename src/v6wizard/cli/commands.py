"""The list of CLI commands; each lives in its own module and imports heavy things lazily."""

from __future__ import annotations

import click

from v6wizard.cli.demo_cmd import demo
from v6wizard.cli.plan_cmd import plan
from v6wizard.cli.apply_cmd import apply
from v6wizard.cli.sessions_cmd import resume, rollback, sessions, show
from v6wizard.cli.journal_cmd import journal

ALL: list[click.Command] = [plan, demo]
ALL += [apply, sessions, show, resume, rollback]
ALL += [journal]
# Each further command module appends itself with one line here.
from v6wizard.cli.export_cmd import export  # noqa: E402 - registered after the others, like each later command

ALL.append(export)

from v6wizard.cli.savings_cmd import savings  # noqa: E402

ALL.append(savings)

from v6wizard.cli.readiness_cmd import readiness  # noqa: E402

ALL.append(readiness)
