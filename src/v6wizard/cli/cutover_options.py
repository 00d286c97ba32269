"""The cutover's flags, shared by `apply` and `resume`, and their conversion to CutoverSettings.

Every flag defaults to "not given": `apply` fills the rest with CutoverSettings' defaults,
and `resume` with the settings the session journaled, so a resume keeps its alarms and gates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS: list[Callable[[F], F]] = [
    click.option("--poll-interval", type=click.FloatRange(min=0.1), default=None, help="Seconds between health polls during a bake [default: 30]."),
    click.option("--min-invocations", type=click.IntRange(min=0), default=None, help="Invocations of the new version needed before its rates are judged [default: 100]."),
    click.option("--max-error-rate-increase", type=click.FloatRange(min=0), default=None, help="Allowed rise of the error rate over the old version, in percentage points [default: 1]."),
    click.option("--max-p99-ratio", type=click.FloatRange(min=1), default=None, help="Allowed new/old Duration p99 [default: 1.5]."),
    click.option("--alarm", "alarms", multiple=True, metavar="NAME", help="A CloudWatch alarm that must not be in ALARM (repeatable)."),
    click.option("--ignore-alarms", is_flag=True, default=None, help="Start even if a named alarm is in ALARM (hotfixes)."),
    click.option("--all-or-nothing", is_flag=True, default=None, help="If one function fails its gates, roll every function back."),
    click.option("--create-alias", is_flag=True, default=None, help="Create the alias on the current version where a function has none."),
    click.option("--repair-alias", "repair", type=click.Choice(["finalize", "reset"]), default=None, help="Repair a leftover split alias first: finalize to its new version, or reset to its old one."),
]

_FIELDS = ("poll_interval", "min_invocations", "max_error_rate_increase", "max_p99_ratio", "ignore_alarms", "all_or_nothing", "create_alias", "repair")


def cutover_options(func: F) -> F:
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


def given_settings(flags: dict[str, Any]) -> dict[str, Any]:
    """The cutover fields the operator gave explicitly (popped from `flags`)."""
    given = {name: flags.pop(name) for name in _FIELDS if name in flags}
    alarms = flags.pop("alarms", ())
    if alarms:
        given["alarms"] = list(alarms)
    return {name: value for name, value in given.items() if value is not None}


def settings_from(given: dict[str, Any], base: Any | None = None) -> Any | None:
    """CutoverSettings: `base` (journaled or default) with the given fields on top; None when nothing was given and no base."""
    from v6wizard.engine.cutover import CutoverSettings

    if not given and base is None:
        return None
    return (base or CutoverSettings()).model_copy(update=given)
