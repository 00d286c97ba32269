"""Drift checks: before a step runs, does AWS still look the way the plan assumed?

Each action kind has a precondition that holds in the planned baseline and that the
session's own earlier steps do not disturb: the subnet has no IPv6 block yet, the
route table has no route for the destination, the rule is not there, the function's
network configuration is still the planned one. A broken precondition means someone
else changed the account after the plan was made; the engine stops before the step
and asks for a new plan. Reads only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import botocore.exceptions

from v6wizard.aws.session import AwsAccess
from v6wizard.aws.verify_ingress import no_ingress_rule
from v6wizard.aws.verify import LIVE_STATES, at_once, attached_egress_gateways, function_config, is_not_found, sg_rules_like
from v6wizard.core.inventory import OURS_TAG
from v6wizard.core.plan import Action, Plan
from v6wizard.errors import DriftDetected

Precondition = Callable[[AwsAccess, Action, dict[str, Any], str], str | None]
"""(access, action, resolved params, session id) -> what changed, or None when the baseline holds."""


def _missing(exc: botocore.exceptions.ClientError, what: str) -> str:
    if is_not_found(exc):
        return f"{what} no longer exists"
    raise exc


def _vpc_has_no_block(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    try:
        vpc = access.client("ec2").describe_vpcs(VpcIds=[params["VpcId"]])["Vpcs"][0]
    except botocore.exceptions.ClientError as exc:
        return _missing(exc, f"VPC {params['VpcId']}")
    for assoc in vpc.get("Ipv6CidrBlockAssociationSet") or []:
        if assoc.get("Ipv6CidrBlockState", {}).get("State") in LIVE_STATES:
            return f"VPC {params['VpcId']} now has the IPv6 block {assoc.get('Ipv6CidrBlock') or assoc['AssociationId']}"
    return None


_SUBNET_BATCH = 200
_prefetched = threading.local()


def _subnet(access: AwsAccess, subnet_id: str) -> dict[str, Any]:
    cached = getattr(_prefetched, "subnets", {}).get(subnet_id)
    if cached is not None:
        return cached
    return access.client("ec2").describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]


def _prefetch_subnets(access: AwsAccess, subnet_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The subnets in batches (one call per 200 instead of one each); {} if one is gone (checked singly then)."""
    found: dict[str, dict[str, Any]] = {}
    ec2 = access.client("ec2")
    for start in range(0, len(subnet_ids), _SUBNET_BATCH):
        try:
            batch = ec2.describe_subnets(SubnetIds=subnet_ids[start : start + _SUBNET_BATCH])["Subnets"]
        except botocore.exceptions.ClientError as exc:
            if is_not_found(exc):
                return {}
            raise
        found.update({s["SubnetId"]: s for s in batch})
    return found


def _subnet_has_no_block(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    try:
        subnet = _subnet(access, params["SubnetId"])
    except botocore.exceptions.ClientError as exc:
        return _missing(exc, f"subnet {params['SubnetId']}")
    for assoc in subnet.get("Ipv6CidrBlockAssociationSet") or []:
        if assoc.get("Ipv6CidrBlockState", {}).get("State") in LIVE_STATES:
            return f"subnet {params['SubnetId']} now has the IPv6 block {assoc.get('Ipv6CidrBlock')}"
    return None


def _subnet_assign_off(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    try:
        subnet = _subnet(access, params["SubnetId"])
    except botocore.exceptions.ClientError as exc:
        return _missing(exc, f"subnet {params['SubnetId']}")
    if subnet.get("AssignIpv6AddressOnCreation"):
        return f"subnet {params['SubnetId']} already assigns IPv6 addresses on creation"
    return None


def _no_foreign_eigw(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    ec2 = access.client("ec2")

    def vpc_exists() -> str | None:
        try:
            ec2.describe_vpcs(VpcIds=[params["VpcId"]])
        except botocore.exceptions.ClientError as exc:
            return _missing(exc, f"VPC {params['VpcId']}")
        return None

    gone, attached = at_once(vpc_exists, lambda: attached_egress_gateways(ec2, params["VpcId"]))
    if gone:
        return gone
    for gateway in attached:
        if gateway.tags.get(OURS_TAG) != session_id:
            return f"the egress-only gateway {gateway.id} was attached to {params['VpcId']}"
    return None


def _no_route(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    try:
        table = access.client("ec2").describe_route_tables(RouteTableIds=[params["RouteTableId"]])["RouteTables"][0]
    except botocore.exceptions.ClientError as exc:
        return _missing(exc, f"route table {params['RouteTableId']}")
    destination = params.get("DestinationIpv6CidrBlock") or params.get("DestinationCidrBlock")
    for route in table.get("Routes", []):
        if destination in (route.get("DestinationIpv6CidrBlock"), route.get("DestinationCidrBlock")):
            return f"route table {params['RouteTableId']} now has a route for {destination}"
    return None


def _no_nacl_entry(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    try:
        acl = access.client("ec2").describe_network_acls(NetworkAclIds=[params["NetworkAclId"]])["NetworkAcls"][0]
    except botocore.exceptions.ClientError as exc:
        return _missing(exc, f"network ACL {params['NetworkAclId']}")
    for entry in acl.get("Entries", []):
        if int(entry.get("RuleNumber", -1)) == int(params["RuleNumber"]) and bool(entry.get("Egress")) == bool(params["Egress"]):
            direction = "egress" if params["Egress"] else "ingress"
            return f"network ACL {params['NetworkAclId']} now has an {direction} rule number {params['RuleNumber']}"
    return None


def _no_sg_rule(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    # Any rule with the same shape counts, whoever made it: AWS would refuse a duplicate.
    rules = sg_rules_like(access, params)
    if rules is None:
        return f"security group {params['GroupId']} no longer exists"
    if rules:
        permission = params["IpPermissions"][0]
        return f"security group {params['GroupId']} already has the egress rule {rules[0]['SecurityGroupRuleId']} ({permission.get('IpProtocol')} to ::/0)"
    return None


def _function_baseline(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    name = params["FunctionName"]
    config = function_config(access, name)
    if config is None:
        return f"function {name} no longer exists"
    live = config.get("VpcConfig") or {}
    wanted = params.get("VpcConfig") or {}
    if sorted(live.get("SubnetIds") or []) != sorted(wanted.get("SubnetIds") or []):
        return f"function {name} now uses the subnets {', '.join(sorted(live.get('SubnetIds') or [])) or 'none'}"
    if sorted(live.get("SecurityGroupIds") or []) != sorted(wanted.get("SecurityGroupIds") or []):
        return f"function {name} now uses the security groups {', '.join(sorted(live.get('SecurityGroupIds') or [])) or 'none'}"
    if live.get("Ipv6AllowedForDualStack"):
        return f"function {name} already allows dual-stack IPv6"
    return None


def _function_code_released(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    """Publishing ships $LATEST: refuse when its code is no longer the code the plan expects to release."""
    name = params["FunctionName"]
    config = function_config(access, name)
    if config is None:
        return f"function {name} no longer exists"
    expected = params.get("CodeSha256") or action.postcondition.params.get("CodeSha256")
    if expected and config.get("CodeSha256") != expected:
        return f"function {name} has new code in $LATEST (CodeSha256 {config.get('CodeSha256')}, planned {expected})"
    return None


PRECONDITIONS: dict[str, Precondition] = {
    "associate-vpc-ipv6": _vpc_has_no_block,
    "associate-subnet-ipv6": _subnet_has_no_block,
    "enable-assign-ipv6": _subnet_assign_off,
    "create-egress-gateway": _no_foreign_eigw,
    "create-route": _no_route,
    "create-nacl-entry": _no_nacl_entry,
    "authorize-sg-egress": _no_sg_rule,
    "authorize-sg-ingress": no_ingress_rule,
    "update-function-config": _function_baseline,
    "publish-version": _function_code_released,
}


def check_precondition(access: AwsAccess, action: Action, params: dict[str, Any], session_id: str) -> str | None:
    """What changed that breaks `action`'s planned baseline, or None."""
    check = PRECONDITIONS.get(action.kind)
    return check(access, action, params, session_id) if check else None


_SUBNET_KINDS = ("associate-subnet-ipv6", "enable-assign-ipv6")


def check_step(
    access: AwsAccess, actions: list[tuple[Action, dict[str, Any]]], session_id: str, *, concurrency: int = 8
) -> dict[str, str]:
    """Preconditions of a step's actions (with their resolved params): action id -> what changed."""
    from v6wizard.engine.pool import run_ordered

    subnet_ids = sorted({p["SubnetId"] for a, p in actions if a.kind in _SUBNET_KINDS})
    subnets = _prefetch_subnets(access, subnet_ids) if len(subnet_ids) > 1 else {}
    problems: dict[str, str] = {}
    lock = threading.Lock()
    by_id = {a.id: (a, p) for a, p in actions}

    def check(action_id: str) -> None:
        _prefetched.subnets = subnets
        action, params = by_id[action_id]
        found = check_precondition(access, action, params, session_id)
        if found:
            with lock:
                problems[action_id] = found

    result = run_ordered(list(by_id), {}, check, concurrency=concurrency)
    if result.error is not None:
        raise result.error
    return {a: problems[a] for a in by_id if a in problems}


def changed_resources(plan: Plan, live_digests: dict[str, str]) -> list[str]:
    """Resources the plan's actions depend on whose digest differs from the plan's (or vanished)."""
    keys = sorted({key for action in plan.actions() for key in action.depends_on_resources})
    return [key for key in keys if key in plan.resource_digests and live_digests.get(key) != plan.resource_digests[key]]


def check_plan_fresh(access: AwsAccess, plan: Plan) -> None:
    """Before a session starts: refuse a plan whose resources changed since it was made."""
    from v6wizard.aws.discovery import discover

    changed = changed_resources(plan, discover(access, plan.vpc_id).resource_digests())
    if changed:
        raise DriftDetected(
            f"{', '.join(changed)} changed since the plan was made; make a new plan with `v6wizard plan`."
        )
