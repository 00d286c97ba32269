"""The planner: `build_plan(inventory, options) -> Plan`, a pure function.

It checks the options against the inventory (one clear sentence per mistake), then
asks each step planner in turn; they share a `PlanContext` so later steps can name
earlier actions. Work already done in the account is never planned again, so the
plan of a fully migrated VPC is empty.

The egress-only gateway is planned only when a route needs it: the routes step runs
first in code and says so, while the steps still come out in STEP_ORDER.
"""

from __future__ import annotations

from ipaddress import IPv6Network

from v6wizard.core.iac_ownership import resource_names, with_iac_findings
from v6wizard.core.inventory import Inventory
from v6wizard.core.plan import Plan, PlanOptions, Step
from v6wizard.core.planner_context import PlanContext
from v6wizard.core.planner_functions import assess_functions, plan_cutover, plan_functions
from v6wizard.core.planner_network import (
    existing_eigw,
    plan_egress_gateway,
    plan_routes,
    plan_subnets,
    plan_vpc_cidr,
)
from v6wizard.core.planner_privatelink import add_endpoint_ingress
from v6wizard.core.planner_rules import plan_network_acls, plan_security_groups
from v6wizard.core.planner_sdk_endpoints import add_sdk_endpoints
from v6wizard.core.readiness import ReadinessReport, VpcEndpoint
from v6wizard.core.schedule import validate_schedule
from v6wizard.errors import InvalidOption, UnknownFunction

IPAM_NETMASKS = range(44, 61, 4)
"""Netmask lengths AWS accepts for a VPC IPv6 block from an IPAM or BYOIP pool: /44 to /60 in steps of 4."""

DEFAULT_IPAM_NETMASK = PlanOptions.model_fields["ipam_netmask_length"].default


def build_plan(
    inventory: Inventory,
    options: PlanOptions | None = None,
    readiness: ReadinessReport | None = None,
    endpoints: list[VpcEndpoint] | None = None,
) -> Plan:
    """The eight steps, in STEP_ORDER, that take the inventory's VPC to dual-stack.

    `readiness` (needed by `sdk_endpoints`) and the VPC's `endpoints` (for the IPv6 ingress
    of dual-stack interface endpoints; the readiness report's when not given) are inputs
    like the inventory, so the same reads give the same plan.

    Raises UnknownFunction for a function not attached to the VPC and InvalidOption
    for an unknown subnet or a malformed CIDR source or schedule.
    """
    options = options or PlanOptions()
    validate_options(inventory, options, readiness)
    ctx = PlanContext(
        inventory=inventory,
        options=options,
        subnets=[s for s in inventory.subnets if options.subnet_ids is None or s.id in options.subnet_ids],
        functions=[f for f in inventory.functions if options.function_names is None or f.name in options.function_names],
        readiness=readiness,
        endpoints=endpoints if endpoints is not None else (readiness.endpoints if readiness is not None else []),
    )
    ctx.eigw_id = existing_eigw(ctx)
    vpc_cidr = plan_vpc_cidr(ctx)
    subnets = plan_subnets(ctx)
    routes = plan_routes(ctx)
    egress_gateway = plan_egress_gateway(ctx)
    network_acls = plan_network_acls(ctx)
    blockers = assess_functions(ctx)
    security_groups = add_endpoint_ingress(ctx, plan_security_groups(ctx), subnets)
    functions = add_sdk_endpoints(ctx, plan_functions(ctx, blockers))
    cutover = plan_cutover(ctx)
    steps: list[Step] = [vpc_cidr, subnets, egress_gateway, routes, network_acls, security_groups, functions, cutover]
    steps = with_iac_findings(steps, ctx)
    return Plan(
        account_id=inventory.account_id,
        region=inventory.region,
        vpc_id=inventory.vpc.id,
        options=options,
        steps=steps,
        fingerprint=inventory.fingerprint(),
        resource_digests=inventory.resource_digests(),
        resource_names=resource_names(inventory),
        readiness=readiness,
    )


def validate_options(inventory: Inventory, options: PlanOptions, readiness: ReadinessReport | None = None) -> None:
    """Refuse options that cannot describe a migration of this VPC."""
    vpc_id = inventory.vpc.id
    if options.function_names is not None:
        missing = [name for name in options.function_names if inventory.function(name) is None]
        if missing:
            raise UnknownFunction(
                f"No Lambda function named {', '.join(missing)} is attached to {vpc_id}; "
                "list the VPC's functions with `v6wizard plan --vpc-id` and pick from them."
            )
    if options.subnet_ids is not None:
        missing = [sid for sid in options.subnet_ids if inventory.subnet(sid) is None]
        if missing:
            raise InvalidOption(f"Subnet {', '.join(missing)} is not in {vpc_id}; choose among the VPC's own subnets.")
    _refuse_options_of_another_source(options)
    if options.cidr_source == "ipam":
        if not options.ipam_pool_id:
            raise InvalidOption("An IPv6 block from IPAM needs an IPAM pool id (ipam-...).")
        if options.ipam_netmask_length not in IPAM_NETMASKS:
            raise InvalidOption(
                f"An IPAM netmask of /{options.ipam_netmask_length} is not allowed for a VPC; "
                "use /44 to /60 in steps of 4 (e.g. /56)."
            )
    if options.cidr_source == "byoip":
        if not options.byoip_pool_id:
            raise InvalidOption("An IPv6 block from BYOIP needs the BYOIP pool id (ipv6pool-ec2-...).")
        if options.byoip_cidr is not None:
            try:
                network = IPv6Network(options.byoip_cidr)
            except ValueError:
                raise InvalidOption(
                    f"The BYOIP block {options.byoip_cidr!r} is not a valid IPv6 network such as 2001:db8:1200::/56."
                ) from None
            if network.prefixlen not in IPAM_NETMASKS:
                raise InvalidOption(
                    f"The BYOIP block {options.byoip_cidr} is a /{network.prefixlen}, which AWS does not accept for a VPC; "
                    "use /44 to /60 in steps of 4 (e.g. /56)."
                )
    if not options.alias_name.strip():
        raise InvalidOption("The alias name for the cutover is empty; give one, e.g. live.")
    validate_schedule(options.schedule)
    if options.sdk_endpoints and readiness is None:
        raise InvalidOption("--sdk-endpoints needs the readiness report; make the plan with `v6wizard plan --sdk-endpoints`.")


def _refuse_options_of_another_source(options: PlanOptions) -> None:
    """An IPAM or BYOIP option given with another CIDR source would be silently ignored: refuse it."""
    given = {
        "ipam": [flag for flag, set_ in (("--ipam-pool-id", options.ipam_pool_id),
                                          ("--ipam-netmask-length", options.ipam_netmask_length != DEFAULT_IPAM_NETMASK)) if set_],
        "byoip": [flag for flag, set_ in (("--byoip-pool-id", options.byoip_pool_id), ("--byoip-cidr", options.byoip_cidr)) if set_],
    }
    for source, flags in given.items():
        if flags and options.cidr_source != source:
            raise InvalidOption(
                f"{' and '.join(flags)} only appl{'y' if len(flags) > 1 else 'ies'} with --cidr-source {source}, "
                f"not {options.cidr_source}; "
                f"add --cidr-source {source} or drop {'them' if len(flags) > 1 else 'it'}."
            )
