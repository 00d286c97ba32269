"""The cutover's flags, shared by `apply` and `resume`, and their conversion to CutoverSettings.

Every flag defaults to "not given": `apply` fills the rest with CutoverSettings' defaults,
and `resume` with the settings the session journaled, so a resume keeps its alarms and gates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from v6wizard.cli.input_checks import FiniteRange
from v6wizard.constants import MIN_INVOCATIONS_RANGE, P99_RATIO_RANGE, POLL_INTERVAL_RANGE, RATE_INCREASE_RANGE

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS: list[Callable[[F], F]] = [
    click.option("--poll-interval", type=FiniteRange(*POLL_INTERVAL_RANGE, durations=True), default=None, help="Time between health polls during a bake: seconds, or 30s, 1m (0.1 s to 1 h) [default: 30]."),
    click.option("--min-invocations", type=FiniteRange(*MIN_INVOCATIONS_RANGE, integer=True), default=None, help="Invocations of the new version needed before its rates are judged (0 to 1000000) [default: 100]."),
    click.option("--max-error-rate-increase", type=FiniteRange(*RATE_INCREASE_RANGE), default=None, help="Allowed rise of the error rate over the old version, in percentage points (0 to 100) [default: 1]."),
    click.option("--max-p99-ratio", type=FiniteRange(*P99_RATIO_RANGE), default=None, help="Allowed new/old Duration p99 (1 to 100) [default: 1.5]."),
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
    # Validated again as a whole (model_copy would not): nothing unchecked reaches the journal.
    return CutoverSettings.model_validate({**(base or CutoverSettings()).model_dump(), **given})
