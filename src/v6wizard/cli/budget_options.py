"""`--api-rate CLASS=RPS`: the request budget of an account whose AWS quotas are raised.

The engine paces every EC2 and Lambda request below AWS's default quotas
(`aws.rate_limit`); an account with raised quotas says so here (or in
`V6WIZARD_API_RATES`), e.g. `--api-rate ec2-write=20 --api-rate lambda=30`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

META_KEY = "v6wizard.api_rates"


def _remember(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> None:
    import os

    from v6wizard.aws.rate_limit import ENV_VAR, parse_rates
    from v6wizard.errors import InvalidOption

    try:
        rates = parse_rates(os.environ.get(ENV_VAR, ""))
        rates.update(parse_rates(",".join(values)))
    except InvalidOption as exc:
        raise click.BadParameter(str(exc)) from None
    ctx.meta[META_KEY] = rates


def api_rate_option(func: F) -> F:
    return click.option(
        "--api-rate",
        "api_rates",
        multiple=True,
        metavar="CLASS=RPS",
        expose_value=False,
        callback=_remember,
        help="Your account's raised AWS request quota, requests per second, for lambda, lambda-get-function, "
        "ec2-read or ec2-write (each EC2 API); repeatable (env V6WIZARD_API_RATES=lambda=30,ec2-write=10). "
        "v6wizard refills at 80% of it.",
    )(func)


def chosen_budget() -> Any:
    """The RequestBudget for this command: AWS's defaults raised where --api-rate or the environment say."""
    from v6wizard.aws.rate_limit import RequestBudget

    ctx = click.get_current_context(silent=True)
    return RequestBudget(ctx.meta.get(META_KEY, {}) if ctx is not None else {})
