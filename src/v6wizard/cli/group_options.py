"""Options given before the subcommand (`v6wizard --region R plan ...`) work exactly as after it, or are refused.

The group takes `--dry-run`, `--profile`, `--region`, `--endpoint-url` and `--journal` so
the wizard (no subcommand) can use them. Given before a subcommand, each is handed to
that subcommand as if written after it. A subcommand that has no use for one refuses it
(exit 2) instead of ignoring it, and the same option given in both places with two
values is refused too. `--dry-run` is accepted by the read-only commands, which change
nothing anyway.
"""

from __future__ import annotations

import functools
from typing import Any

import click
from click.core import ParameterSource

from v6wizard.errors import EXIT_BAD_INPUT

GROUP_OPTIONS = ("dry_run", "profile", "region", "endpoint_url", "journal")
_META_KEY = "v6wizard.group_options"

READ_ONLY_COMMANDS = frozenset({"plan", "sessions", "show", "savings", "readiness", "export"})
"""Commands that make no change, for which `--dry-run` holds by construction."""


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def remember_group_options(ctx: click.Context) -> None:
    """Called by the group: keep the options given on its command line for the subcommand."""
    ctx.meta[_META_KEY] = {
        name: ctx.params[name]
        for name in GROUP_OPTIONS
        if name in ctx.params and ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE
    }


def _refuse(message: str) -> None:
    click.echo(f"v6wizard: {message}", err=True)
    raise SystemExit(EXIT_BAD_INPUT)


def takes_group_options(command: click.Command) -> click.Command:
    """Wrap a subcommand's callback so the group's options reach it (or refuse where they cannot)."""
    callback = command.callback
    if callback is None or getattr(callback, "_takes_group_options", False):
        return command
    names = {param.name for param in command.params}

    @functools.wraps(callback)
    def merged(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        for name, value in ctx.meta.get(_META_KEY, {}).items():
            if name not in names:
                if name == "dry_run" and command.name in READ_ONLY_COMMANDS:
                    continue
                _refuse(f"{_flag(name)} does not apply to `v6wizard {command.name}`; leave it out.")
            if ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE and kwargs[name] != value:
                _refuse(
                    f"{_flag(name)} was given twice with different values ({value!r} before `{command.name}`, "
                    f"{kwargs[name]!r} after it); give it once."
                )
            kwargs[name] = value
        return callback(*args, **kwargs)

    merged._takes_group_options = True  # type: ignore[attr-defined]
    command.callback = merged
    return command

