"""Postcondition checks and waits: is an action's effect present in AWS, and with which ids?

`probe` answers, for one action kind and the parameters it was (or will be) called
with, whether its effect exists now, and returns the ids the journal records (the
association id, the gateway id, the rule id, the version). The engine uses it three
ways: to verify a call (wait until present and ready), to reconcile an intent whose
outcome was never written (present: record it; absent: redo the call), and to
verify a rollback (wait until absent). Reads only: Describe/List/Get and waiters.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from ipaddress import ip_network
from typing import Any

import botocore.exceptions

from v6wizard.aws.discovery_ec2 import egress_only_gateway_for, tags_of
from v6wizard.aws.errors import error_code
from v6wizard.aws.function_env_update import changes_environment, environment_matches
from v6wizard.aws.paging import paginate
from v6wizard.aws.session import AwsAccess
from v6wizard.aws.verify_ingress import probe_ingress_rule
from v6wizard.core.inventory import OURS_TAG, EgressOnlyGateway
from v6wizard.errors import AwsCallFailed

LIVE_STATES = ("associated", "associating")
NOT_FOUND_SUFFIXES = (".NotFound", "NotFoundException", ".Malformed")
VERIFY_TIMEOUT = 120.0
"""Seconds to wait for AWS to reach a postcondition (a VPC block can take a while)."""
FAST_FOR = 1.0
"""Seconds a wait keeps reading at its first, short interval before it backs off."""

_PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}


@dataclass(frozen=True)
class Probe:
    """An action's effect as found in AWS: the outputs to journal, and whether it has settled."""

    outputs: dict[str, Any] = field(default_factory=dict)
    ready: bool = True
    """False while AWS is still working (a block `associating`, a function update `InProgress`)."""


@dataclass(frozen=True)
class ProbeContext:
    """What a probe needs besides the call parameters."""

    session_id: str
    known: dict[str, Any] = field(default_factory=dict)
    """Outputs already journaled for the action (match by id when we have one)."""
    data: dict[str, Any] = field(default_factory=dict)
    """The intent's extra data, e.g. `versions_before` for publish-version."""


def is_not_found(exc: BaseException) -> bool:
    return isinstance(exc, botocore.exceptions.ClientError) and error_code(exc).endswith(NOT_FOUND_SUFFIXES)


def _same_cidr(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    try:
        return ip_network(a) == ip_network(b)
    except ValueError:
        return a == b


def _protocol(value: Any) -> str:
    text = str(value).lower()
    return _PROTOCOLS.get(text, text)


def _port(value: Any) -> int:
    return -1 if value is None else int(value)


# --- probes, one per action kind -------------------------------------------------


def _probe_vpc_block(access: AwsAccess, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    vpcs = access.client("ec2").describe_vpcs(VpcIds=[params["VpcId"]])["Vpcs"]
    wanted = ctx.known.get("AssociationId")
    associations = (vpcs[0].get("Ipv6CidrBlockAssociationSet") or []) if vpcs else []
    for assoc in associations:
        state = assoc.get("Ipv6CidrBlockState", {}).get("State", "")
        if wanted and assoc.get("AssociationId") != wanted:
            continue
        # Once we know our association, `disassociating` still counts: a rollback waits it out.
        if state in LIVE_STATES or (wanted and state == "disassociating"):
            outputs = {"AssociationId": assoc["AssociationId"], "Ipv6CidrBlock": assoc.get("Ipv6CidrBlock", "")}
            return Probe(outputs, ready=state == "associated" and bool(outputs["Ipv6CidrBlock"]))
    return None


def _subnet(access: AwsAccess, subnet_id: str) -> dict[str, Any] | None:
    try:
        subnets = access.client("ec2").describe_subnets(SubnetIds=[subnet_id])["Subnets"]
    except botocore.exceptions.ClientError as exc:
        if is_not_found(exc):
            return None
        raise
    return subnets[0] if subnets else None


def subnet_block_in(subnet: dict[str, Any] | None, params: dict[str, Any]) -> Probe | None:
    """The planned IPv6 block's association in a described subnet (None: not there, or no subnet)."""
    for assoc in (subnet or {}).get("Ipv6CidrBlockAssociationSet") or []:
        state = assoc.get("Ipv6CidrBlockState", {}).get("State", "")
        if state in LIVE_STATES and _same_cidr(assoc.get("Ipv6CidrBlock"), params.get("Ipv6CidrBlock")):
            outputs = {"AssociationId": assoc["AssociationId"], "Ipv6CidrBlock": assoc["Ipv6CidrBlock"]}
            return Probe(outputs, ready=state == "associated")
    return None


def assign_on_create_in(subnet: dict[str, Any] | None, params: dict[str, Any]) -> Probe | None:
    """Probe() when a described subnet's AssignIpv6AddressOnCreation is the planned value."""
    wanted = bool((params.get("AssignIpv6AddressOnCreation") or {}).get("Value", True))
    if subnet is not None and bool(subnet.get("AssignIpv6AddressOnCreation")) == wanted:
        return Probe()
    return None


SUBNET_CHECKS: dict[str, Callable[[dict[str, Any] | None, dict[str, Any]], Probe | None]] = {
    "associate-subnet-ipv6": subnet_block_in,
    "enable-assign-ipv6": assign_on_create_in,
}
"""Action kinds whose effect is read from the subnet alone, so a SubnetWatch can check many at once."""


def _probe_subnet_block(access: AwsAccess, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    return subnet_block_in(_subnet(access, params["SubnetId"]), params)


def _probe_assign_on_create(access: AwsAccess, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    return assign_on_create_in(_subnet(access, params["SubnetId"]), params)


def attached_egress_gateways(ec2: Any, vpc_id: str) -> list[EgressOnlyGateway]:
    """The egress-only gateways attached (or attaching) to `vpc_id`; the API has no VPC filter."""
    items = paginate(ec2, "DescribeEgressOnlyInternetGateways", "EgressOnlyInternetGateways")
    return [gateway for item in items if (gateway := egress_only_gateway_for(item, vpc_id)) is not None]


def _probe_egress_gateway(access: AwsAccess, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    wanted = ctx.known.get("EgressOnlyInternetGatewayId")
    for gateway in attached_egress_gateways(access.client("ec2"), params["VpcId"]):
        ours = gateway.tags.get(OURS_TAG) == ctx.session_id
        if (wanted and gateway.id == wanted) or (not wanted and ours):
            return Probe({"EgressOnlyInternetGatewayId": gateway.id})
    return None


_ROUTE_TARGETS = ("EgressOnlyInternetGatewayId", "GatewayId", "NatGatewayId", "TransitGatewayId")


def _route_destination(params: dict[str, Any]) -> str:
    return params.get("DestinationIpv6CidrBlock") or params.get("DestinationCidrBlock") or ""


def _probe_route(access: AwsAccess, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    try:
        tables = access.client("ec2").describe_route_tables(RouteTableIds=[params["RouteTableId"]])["RouteTables"]
    except botocore.exceptions.ClientError as exc:
        if is_not_found(exc):
            return None
        raise
    destination = _route_destination(params)
    target = next((params[k] for k in _ROUTE_TARGETS if params.get(k)), None)
    for route in tables[0].get("Routes", []) if tables else []:
        found = route.get("DestinationIpv6CidrBlock") or route.get("DestinationCidrBlock")
        if _same_cidr(found, destination) and (target is None or target in {route.get(k) for k in _ROUTE_TARGETS}):
            return Probe()
    return None


def _probe_nacl_entry(access: AwsAccess, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    try:
        acls = access.client("ec2").describe_network_acls(NetworkAclIds=[params["NetworkAclId"]])["NetworkAcls"]
    except botocore.exceptions.ClientError as exc:
        if is_not_found(exc):
            return None
        raise
    for entry in acls[0].get("Entries", []) if acls else []:
        if (
            int(entry.get("RuleNumber", -1)) == int(params["RuleNumber"])
            and bool(entry.get("Egress")) == bool(params["Egress"])
            and _same_cidr(entry.get("Ipv6CidrBlock") or entry.get("CidrBlock"), params.get("Ipv6CidrBlock") or params.get("CidrBlock"))
        ):
            return Probe()
    return None


def sg_rules_like(access: AwsAccess, params: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Egress rules of the group with the same protocol, ports and IPv6 range as the call; None if no group."""
    ec2 = access.client("ec2")
    permission = params["IpPermissions"][0]
    cidr = (permission.get("Ipv6Ranges") or [{}])[0].get("CidrIpv6")
    protocol = _protocol(permission.get("IpProtocol"))
    rules: list[dict[str, Any]] = []
    try:
        for page in ec2.get_paginator("describe_security_group_rules").paginate(
            Filters=[{"Name": "group-id", "Values": [params["GroupId"]]}]
        ):
            rules.extend(page.get("SecurityGroupRules", []))
    except botocore.exceptions.ClientError as exc:
        if is_not_found(exc):
            return None
        raise
    return [
        rule
        for rule in rules
        if rule.get("IsEgress")
        and _same_cidr(rule.get("CidrIpv6"), cidr)
        and _protocol(rule.get("IpProtocol")) == protocol
        and (
            protocol == "-1"
            or (
                _port(rule.get("FromPort")) == _port(permission.get("FromPort"))
                and _port(rule.get("ToPort")) == _port(permission.get("ToPort"))
            )
        )
    ]


def _probe_sg_rule(access: AwsAccess, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    wanted_id = ctx.known.get("SecurityGroupRuleId")
    for rule in sg_rules_like(access, params) or []:
        if (wanted_id and rule["SecurityGroupRuleId"] == wanted_id) or (
            not wanted_id and tags_of(rule).get(OURS_TAG) == ctx.session_id
        ):
            return Probe({"SecurityGroupRuleId": rule["SecurityGroupRuleId"]})
    return None


def function_config(access: AwsAccess, name: str, qualifier: str | None = None) -> dict[str, Any] | None:
    kwargs: dict[str, Any] = {"FunctionName": name}
    if qualifier:
        kwargs["Qualifier"] = qualifier
    try:
        # GetFunction has a quota of its own (100 per second), so these reads leave Lambda's
        # control-plane budget (15 per second) to the updates and publishes.
        return access.client("lambda").get_function(**kwargs)["Configuration"]  # type: ignore[no-any-return]
    except botocore.exceptions.ClientError as exc:
        if is_not_found(exc):
            return None
        raise


def _vpc_config_matches(config: dict[str, Any], wanted: dict[str, Any]) -> bool:
    live = config.get("VpcConfig") or {}
    return (
        sorted(live.get("SubnetIds") or []) == sorted(wanted.get("SubnetIds") or [])
        and sorted(live.get("SecurityGroupIds") or []) == sorted(wanted.get("SecurityGroupIds") or [])
        and bool(live.get("Ipv6AllowedForDualStack")) == bool(wanted.get("Ipv6AllowedForDualStack"))
    )


def _probe_function_config(access: AwsAccess, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    return function_config_in(function_config(access, params["FunctionName"]), params)


def function_config_in(config: dict[str, Any] | None, params: dict[str, Any]) -> Probe | None:
    """The planned network configuration in a read function configuration (None: not there)."""
    if not config or not _vpc_config_matches(config, params.get("VpcConfig") or {}):
        return None
    if changes_environment(params) and not environment_matches(config, params):
        return None
    settled = config.get("LastUpdateStatus") in (None, "Successful") and config.get("State") in (None, "Active")
    return Probe({"RevisionId": config.get("RevisionId", "")}, ready=settled)


def published_version_in(config: dict[str, Any] | None) -> Probe | None:
    """A read published version (GetFunction with its number as qualifier) as a publish's postcondition:
    its number and code hash, if it is dual-stack (None otherwise, or when there is none)."""
    if not config or not str(config.get("Version", "")).isdigit():
        return None
    if not (config.get("VpcConfig") or {}).get("Ipv6AllowedForDualStack"):
        return None
    return Probe({"Version": config["Version"], "CodeSha256": config.get("CodeSha256", "")})


def published_versions(access: AwsAccess, name: str) -> list[dict[str, Any]]:
    versions: list[dict[str, Any]] = []
    for page in access.client("lambda").get_paginator("list_versions_by_function").paginate(FunctionName=name):
        versions.extend(v for v in page.get("Versions", []) if v.get("Version", "").isdigit())
    return versions


def latest_version_number(access: AwsAccess, name: str) -> int:
    """The highest published version number of a function (0 when none)."""
    return max((int(v["Version"]) for v in published_versions(access, name)), default=0)


def read_ahead(read: Callable[[], Any]) -> Future[Any]:
    """Start one read now in its own thread; whoever needs it later takes `.result()` (its error, if any)."""
    future: Future[Any] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(read())
        except BaseException as exc:  # noqa: BLE001 - raised again where the result is taken
            future.set_exception(exc)

    threading.Thread(target=run, name="v6wizard-read-ahead", daemon=True).start()
    return future


def gateway_tags(access: AwsAccess, gateway_id: str) -> dict[str, str] | None:
    """An egress-only gateway's tags (None: no such gateway)."""
    gateways = access.client("ec2").describe_egress_only_internet_gateways(EgressOnlyInternetGatewayIds=[gateway_id]).get(
        "EgressOnlyInternetGateways", []
    )
    return tags_of(gateways[0]) if gateways else None


def at_once(*reads: Callable[[], Any]) -> list[Any]:
    """Independent reads made concurrently (one round trip instead of several); their results in order."""
    started = [read_ahead(read) for read in reads]
    return [future.result() for future in started]


def _probe_published_version(access: AwsAccess, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    name = params["FunctionName"]
    latest, versions = at_once(lambda: function_config(access, name), lambda: published_versions(access, name))
    if latest is None:
        return None
    floor = int(ctx.data.get("versions_before", 0))
    wanted = ctx.known.get("Version")
    for version in sorted(versions, key=lambda v: int(v["Version"])):
        number = int(version["Version"])
        if (wanted and version["Version"] != str(wanted)) or (not wanted and number <= floor):
            continue
        if version.get("CodeSha256") == latest.get("CodeSha256") and (
            (version.get("VpcConfig") or {}).get("Ipv6AllowedForDualStack")
        ):
            return Probe({"Version": version["Version"], "CodeSha256": version["CodeSha256"]})
    return None


PROBES: dict[str, Callable[[AwsAccess, dict[str, Any], ProbeContext], Probe | None]] = {
    "associate-vpc-ipv6": _probe_vpc_block,
    "associate-subnet-ipv6": _probe_subnet_block,
    "enable-assign-ipv6": _probe_assign_on_create,
    "create-egress-gateway": _probe_egress_gateway,
    "create-route": _probe_route,
    "create-nacl-entry": _probe_nacl_entry,
    "authorize-sg-egress": _probe_sg_rule,
    "authorize-sg-ingress": probe_ingress_rule,
    "update-function-config": _probe_function_config,
    "publish-version": _probe_published_version,
}


def probe(access: AwsAccess, kind: str, params: dict[str, Any], ctx: ProbeContext) -> Probe | None:
    """The effect of an action of `kind` called with `params`, if AWS has it now."""
    return PROBES[kind](access, params, ctx)


# --- waits ---------------------------------------------------------------------------


def poll(
    check: Callable[[], Any],
    *,
    what: str,
    timeout: float = VERIFY_TIMEOUT,
    first_delay: float = 0.05,
    max_delay: float = 5.0,
    on_wait: Callable[[str], None] | None = None,
) -> Any:
    """Call `check` until it returns something truthy; AwsCallFailed after `timeout`.

    For the first `FAST_FOR` seconds it reads every `first_delay` (most of AWS's
    asynchronous changes here settle within a second, and doubling from the start
    overshot them by up to the last delay), then backs off.
    """
    started = time.monotonic()
    deadline = started + timeout
    delay = first_delay
    told = False
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AwsCallFailed(f"AWS did not reach the expected state in {timeout:g}s: {what}.", "Timeout")
        if on_wait is not None and not told:
            on_wait(f"waiting for AWS: {what}")
            told = True
        time.sleep(delay)
        if time.monotonic() - started >= FAST_FOR:
            delay = min(max_delay, delay * 2)


def wait_present(
    access: AwsAccess, kind: str, params: dict[str, Any], ctx: ProbeContext, *, what: str, on_wait: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Wait until the effect is present and settled; returns its outputs."""

    def check() -> dict[str, Any] | None:
        found = probe(access, kind, params, ctx)
        return {"outputs": found.outputs} if found is not None and found.ready else None

    return poll(check, what=what, on_wait=on_wait)["outputs"]


def wait_absent(
    access: AwsAccess, kind: str, params: dict[str, Any], ctx: ProbeContext, *, what: str, on_wait: Callable[[str], None] | None = None
) -> None:
    """Wait until the effect is gone (a rollback's postcondition)."""
    poll(lambda: probe(access, kind, params, ctx) is None, what=what, on_wait=on_wait)
