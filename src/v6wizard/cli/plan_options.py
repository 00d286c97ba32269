"""The plan options shared by `plan` and `apply`, and their conversion to PlanOptions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from v6wizard.constants import DEFAULT_SCHEDULE

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS: list[Callable[[F], F]] = [
    click.option("--function", "functions", multiple=True, metavar="NAME", help="Migrate only this function (repeatable); default: every function in the VPC."),
    click.option("--subnet", "subnets", multiple=True, metavar="ID", help="Migrate only this subnet (repeatable); default: every subnet."),
    click.option("--cidr-source", type=click.Choice(["amazon", "ipam", "byoip"]), default="amazon", show_default=True, help="Where the VPC's IPv6 block comes from."),
    click.option("--ipam-pool-id", default=None, help="IPAM pool id (with --cidr-source ipam)."),
    click.option("--ipam-netmask-length", type=int, default=56, show_default=True, help="Netmask of the IPAM allocation."),
    click.option("--byoip-pool-id", default=None, help="BYOIP IPv6 pool id (with --cidr-source byoip)."),
    click.option("--byoip-cidr", default=None, help="A specific block from the BYOIP pool."),
    click.option("--assign-on-create", is_flag=True, help="Turn on AssignIpv6AddressOnCreation for migrated subnets."),
    click.option("--public-route", is_flag=True, help="Also give public subnets ::/0 to their internet gateway."),
    click.option("--alias", "alias_name", default="live", show_default=True, help="The alias the cutover shifts."),
    click.option("--schedule", default=DEFAULT_SCHEDULE, show_default=True, help="Cutover stages, PERCENT%[:BAKE] separated by commas."),
    click.option("--sdk-endpoints", is_flag=True, help="Also set AWS_ENDPOINT_URL_<SERVICE> on each function for its services with an opt-in dual-stack endpoint (see `v6wizard readiness`)."),
    click.option("--dns-server", envvar="V6WIZARD_DNS_SERVER", default=None, metavar="HOST[:PORT]", help="Resolver for readiness's AAAA lookups (env V6WIZARD_DNS_SERVER)."),
]


def plan_options(func: F) -> F:
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


def build_options(
    *,
    functions: tuple[str, ...] = (),
    subnets: tuple[str, ...] = (),
    cidr_source: str = "amazon",
    ipam_pool_id: str | None = None,
    ipam_netmask_length: int = 56,
    byoip_pool_id: str | None = None,
    byoip_cidr: str | None = None,
    assign_on_create: bool = False,
    public_route: bool = False,
    alias_name: str = "live",
    schedule: str = DEFAULT_SCHEDULE,
    sdk_endpoints: bool = False,
    dns_server: str | None = None,
    **_: Any,
) -> Any:
    """PlanOptions from the parsed flags; a bad schedule raises InvalidOption."""
    from v6wizard.core.plan import PlanOptions
    from v6wizard.core.schedule import parse_schedule

    return PlanOptions(
        cidr_source=cidr_source,  # type: ignore[arg-type]
        ipam_pool_id=ipam_pool_id,
        ipam_netmask_length=ipam_netmask_length,
        byoip_pool_id=byoip_pool_id,
        byoip_cidr=byoip_cidr,
        subnet_ids=list(subnets) or None,
        function_names=list(functions) or None,
        assign_ipv6_on_creation=assign_on_create,
        public_ipv6_route=public_route,
        alias_name=alias_name,
        schedule=parse_schedule(schedule),
        sdk_endpoints=sdk_endpoints,
        dns_server=dns_server or None,
    )
