"""`v6wizard savings`: what the NAT path costs, what IPv6 could take off it, and what it did. Read-only."""

from __future__ import annotations

from typing import Any

import click

from v6wizard.cli.common import aws_options, bad_input, open_cli_journal, run_guarded
from v6wizard.cli.input_checks import FiniteRange, check_not_empty
from v6wizard.constants import PRICE_OVERRIDE_RANGE

OUTPUTS = click.Choice(["text", "json", "markdown"])
PRICE = FiniteRange(*PRICE_OVERRIDE_RANGE)
"""click's FloatRange lets nan and inf through (a NaN compares false with every bound)."""


def price_options(func: Any) -> Any:
    """--nat-hour-price, --nat-gb-price and --ipv4-hour-price: override the dated price table."""
    func = click.option("--ipv4-hour-price", type=PRICE, default=None, help="USD per public IPv4 address-hour (default: the price table).")(func)
    func = click.option("--nat-gb-price", type=PRICE, default=None, help="USD per GB a NAT gateway processes (default: the price table).")(func)
    func = click.option("--nat-hour-price", type=PRICE, default=None, help="USD per NAT gateway-hour (default: the price table).")(func)
    return func


@click.command()
@aws_options
@click.option("--vpc-id", default=None, callback=check_not_empty, help="The VPC to estimate; without it, every VPC with a NAT gateway, ranked.")
@click.option("--session", "session_id", default=None, callback=check_not_empty, help="Report what this session's migration did to NAT processing.")
@click.option("--days", type=int, default=14, show_default=True, help="The window of NAT metrics to read, 1 to 455 days.")
@click.option("--output", type=OUTPUTS, default="text", show_default=True, help="text for a terminal, json for machines, markdown for a ticket.")
@price_options
def savings(vpc_id: str | None, session_id: str | None, days: int, output: str, nat_hour_price: float | None,
            nat_gb_price: float | None, ipv4_hour_price: float | None, profile: str | None, region: str | None,
            endpoint_url: str | None, journal: str | None) -> None:
    """Estimate what the NAT gateways cost and what IPv6 egress could take off them. Makes no changes."""
    from v6wizard.core.savings import check_days

    if (refusal := check_days(days)) is not None:
        bad_input(refusal)
    if vpc_id and session_id:
        bad_input("Give either --vpc-id or --session, not both.")
    overrides = {"nat_hour": nat_hour_price, "nat_gb": nat_gb_price, "ipv4_hour": ipv4_hour_price}
    run_guarded(lambda: _savings(vpc_id, session_id, days, output, overrides, profile, region, endpoint_url, journal))


def _savings(vpc_id: str | None, session_id: str | None, days: int, output: str, overrides: dict[str, float | None],
             profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None) -> int:
    from v6wizard import savings_flow
    from v6wizard.aws.session import AwsAccess, AwsTarget
    from v6wizard.core.prices import price_for
    from v6wizard.core.savings_render import render

    if session_id:
        opened = open_cli_journal(journal, profile, region, endpoint_url)
        try:
            info = opened.session(session_id)
            access = AwsAccess(AwsTarget(profile=profile, region=region or info.region, endpoint_url=endpoint_url))
            report: Any = savings_flow.session_outcome(access, opened, session_id, days=days, prices=price_for(info.region, **overrides))
        finally:
            opened.close()
    else:
        access = AwsAccess(AwsTarget(profile=profile, region=region, endpoint_url=endpoint_url))
        prices = price_for(access.region, **overrides)
        if vpc_id:
            report = savings_flow.vpc_savings(access, vpc_id, days=days, prices=prices)
        else:
            report = savings_flow.region_savings(access, days=days, prices=prices)
    click.echo(render(report, output).rstrip("\n"))
    return 0
