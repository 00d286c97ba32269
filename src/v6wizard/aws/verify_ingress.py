"""Checks for `authorize-sg-ingress` (the IPv6 twins of a dual-stack interface endpoint's ingress rules).

`probe_ingress_rule`: is the planned rule there now, and with which rule id (ours by id,
or by our session tag before the id is journaled). `no_ingress_rule`: the precondition
that no rule of the same shape exists (AWS would refuse a duplicate).
"""

from __future__ import annotations

from ipaddress import ip_network
from typing import Any

import botocore.exceptions

from v6wizard.aws.discovery_ec2 import tags_of
from v6wizard.aws.errors import error_code
from v6wizard.core.inventory import OURS_TAG

_PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}


def _protocol(value: Any) -> str:
    text = str(value).lower()
    return _PROTOCOLS.get(text, text)


def _port(value: Any) -> int:
    return -1 if value is None else int(value)


def _same_cidr(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    try:
        return ip_network(a) == ip_network(b)
    except ValueError:
        return a == b


def ingress_rules_like(access: Any, params: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Ingress rules of the group with the call's protocol, ports and IPv6 range; None if no such group."""
    permission = params["IpPermissions"][0]
    cidr = (permission.get("Ipv6Ranges") or [{}])[0].get("CidrIpv6")
    protocol = _protocol(permission.get("IpProtocol"))
    rules: list[dict[str, Any]] = []
    try:
        for page in access.client("ec2").get_paginator("describe_security_group_rules").paginate(
            Filters=[{"Name": "group-id", "Values": [params["GroupId"]]}]
        ):
            rules.extend(page.get("SecurityGroupRules", []))
    except botocore.exceptions.ClientError as exc:
        if error_code(exc).endswith((".NotFound", ".Malformed")):
            return None
        raise
    return [
        rule
        for rule in rules
        if not rule.get("IsEgress")
        and _same_cidr(rule.get("CidrIpv6"), cidr)
        and _protocol(rule.get("IpProtocol")) == protocol
        and (protocol == "-1" or (_port(rule.get("FromPort")), _port(rule.get("ToPort"))) == (_port(permission.get("FromPort")), _port(permission.get("ToPort"))))
    ]


def probe_ingress_rule(access: Any, params: dict[str, Any], ctx: Any) -> Any:
    from v6wizard.aws.verify import Probe

    wanted = ctx.known.get("SecurityGroupRuleId")
    for rule in ingress_rules_like(access, params) or []:
        if (wanted and rule["SecurityGroupRuleId"] == wanted) or (not wanted and tags_of(rule).get(OURS_TAG) == ctx.session_id):
            return Probe({"SecurityGroupRuleId": rule["SecurityGroupRuleId"]})
    return None


def no_ingress_rule(access: Any, action: Any, params: dict[str, Any], session_id: str) -> str | None:
    rules = ingress_rules_like(access, params)
    if rules is None:
        return f"security group {params['GroupId']} no longer exists"
    if rules:
        cidr = params["IpPermissions"][0]["Ipv6Ranges"][0]["CidrIpv6"]
        return f"security group {params['GroupId']} already has the ingress rule {rules[0]['SecurityGroupRuleId']} from {cidr}"
    return None
