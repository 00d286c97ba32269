"""EC2 describe answers turned into Inventory models (pure parsing, no calls).

Discovery (`v6wizard.aws.discovery`) fetches the pages; these functions read one
item each. Disassociated CIDR associations, deleted NAT gateways and inactive
route-table associations are dropped here, so the Inventory only holds live state.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from v6wizard.core.inventory import (
    CidrAssociation,
    EgressOnlyGateway,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    NetworkAclEntry,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
)

GONE_STATES = {"disassociating", "disassociated", "deleted", "failed"}
"""Association states that no longer hold a block, or are giving it up (AWS keeps them visible for a while)."""

LIVE_NAT_STATES = ["pending", "available"]

ROUTE_TARGET_KEYS = (
    "GatewayId",
    "EgressOnlyInternetGatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "InstanceId",
    "LocalGatewayId",
    "CarrierGatewayId",
    "CoreNetworkArn",
)


def tags_of(item: dict[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag.get("Value", "") for tag in item.get("Tags") or []}


def canonical_cidr(text: str | None) -> str | None:
    """IPv6 text in canonical form (AWS and emulators differ in leading zeros); other text unchanged."""
    if not text or ":" not in text:
        return text
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        return text


def _state(holder: dict[str, Any] | None) -> str:
    return str((holder or {}).get("State", ""))


def vpc_from(item: dict[str, Any]) -> Vpc:
    ipv4 = [
        CidrAssociation(association_id=a["AssociationId"], cidr=a.get("CidrBlock", ""), state=_state(a.get("CidrBlockState")))
        for a in item.get("CidrBlockAssociationSet") or []
        if _state(a.get("CidrBlockState")) not in GONE_STATES
    ]
    ipv6 = [
        CidrAssociation(
            association_id=a["AssociationId"],
            cidr=canonical_cidr(a.get("Ipv6CidrBlock")) or "",
            state=_state(a.get("Ipv6CidrBlockState")),
            pool=a.get("Ipv6Pool") or a.get("IpamPoolId") or None,
        )
        for a in item.get("Ipv6CidrBlockAssociationSet") or []
        if _state(a.get("Ipv6CidrBlockState")) not in GONE_STATES
    ]
    tags = tags_of(item)
    return Vpc(
        id=item["VpcId"],
        name=tags.get("Name", ""),
        cidr_block=item.get("CidrBlock", ""),
        ipv4_associations=ipv4,
        ipv6_associations=ipv6,
        is_default=bool(item.get("IsDefault", False)),
        tags=tags,
    )


def live_subnet_ipv6(item: dict[str, Any]) -> CidrAssociation | None:
    """The subnet's IPv6 block that is not disassociated (AWS allows one at a time)."""
    for assoc in item.get("Ipv6CidrBlockAssociationSet") or []:
        state = _state(assoc.get("Ipv6CidrBlockState"))
        if state not in GONE_STATES:
            cidr = canonical_cidr(assoc.get("Ipv6CidrBlock")) or ""
            return CidrAssociation(association_id=assoc["AssociationId"], cidr=cidr, state=state)
    return None


def subnet_from(item: dict[str, Any]) -> Subnet:
    tags = tags_of(item)
    return Subnet(
        id=item["SubnetId"],
        name=tags.get("Name", ""),
        availability_zone=item.get("AvailabilityZone", ""),
        cidr_block=item.get("CidrBlock", "") or "",
        ipv6_association=live_subnet_ipv6(item),
        assign_ipv6_on_creation=bool(item.get("AssignIpv6AddressOnCreation", False)),
        ipv6_native=bool(item.get("Ipv6Native", False)),
        map_public_ip_on_launch=bool(item.get("MapPublicIpOnLaunch", False)),
        tags=tags,
    )


def _route_from(item: dict[str, Any]) -> Route | None:
    destination = item.get("DestinationCidrBlock") or item.get("DestinationIpv6CidrBlock") or item.get("DestinationPrefixListId")
    if not destination:
        return None
    target = next((str(item[key]) for key in ROUTE_TARGET_KEYS if item.get(key)), "")
    return Route(
        destination=canonical_cidr(destination) or destination,
        target=target,
        state=item.get("State", "active"),
        origin=item.get("Origin", "CreateRoute"),
    )


def route_table_from(item: dict[str, Any]) -> RouteTable:
    tags = tags_of(item)
    associations = [
        a for a in item.get("Associations") or [] if _state(a.get("AssociationState")) in ("", "associated", "associating")
    ]
    routes = [route for route in (_route_from(r) for r in item.get("Routes") or []) if route is not None]
    return RouteTable(
        id=item["RouteTableId"],
        name=tags.get("Name", ""),
        main=any(a.get("Main") for a in associations),
        subnet_ids=sorted(a["SubnetId"] for a in associations if a.get("SubnetId")),
        routes=routes,
        tags=tags,
    )


def _acl_entry_from(item: dict[str, Any]) -> NetworkAclEntry:
    ports = item.get("PortRange") or {}
    icmp = item.get("IcmpTypeCode") or {}
    return NetworkAclEntry(
        rule_number=int(item["RuleNumber"]),
        egress=bool(item.get("Egress", False)),
        protocol=str(item.get("Protocol", "-1")),
        rule_action=item.get("RuleAction", "deny"),
        cidr_block=item.get("CidrBlock"),
        ipv6_cidr_block=canonical_cidr(item.get("Ipv6CidrBlock")),
        port_from=ports.get("From"),
        port_to=ports.get("To"),
        icmp_type=icmp.get("Type"),
        icmp_code=icmp.get("Code"),
    )


def network_acl_from(item: dict[str, Any]) -> NetworkAcl:
    tags = tags_of(item)
    entries = sorted((_acl_entry_from(e) for e in item.get("Entries") or []), key=lambda e: (e.egress, e.rule_number))
    return NetworkAcl(
        id=item["NetworkAclId"],
        name=tags.get("Name", ""),
        is_default=bool(item.get("IsDefault", False)),
        subnet_ids=sorted(a["SubnetId"] for a in item.get("Associations") or [] if a.get("SubnetId")),
        entries=entries,
        tags=tags,
    )


def internet_gateway_from(item: dict[str, Any]) -> InternetGateway:
    tags = tags_of(item)
    return InternetGateway(id=item["InternetGatewayId"], name=tags.get("Name", ""), tags=tags)


def egress_only_gateway_for(item: dict[str, Any], vpc_id: str) -> EgressOnlyGateway | None:
    """The gateway if it is attached (or attaching) to `vpc_id`: the API has no vpc filter."""
    for attachment in item.get("Attachments") or []:
        if attachment.get("VpcId") == vpc_id and attachment.get("State") in ("attached", "attaching"):
            return EgressOnlyGateway(id=item["EgressOnlyInternetGatewayId"], state=attachment["State"], tags=tags_of(item))
    return None


def nat_gateway_from(item: dict[str, Any]) -> NatGateway:
    return NatGateway(
        id=item["NatGatewayId"],
        subnet_id=item.get("SubnetId", ""),
        state=item.get("State", ""),
        connectivity=item.get("ConnectivityType", "public"),
        tags=tags_of(item),
    )


def _port(value: Any) -> int | None:
    return None if value is None else int(value)


def rule_from(item: dict[str, Any]) -> SecurityGroupRule:
    referenced = item.get("ReferencedGroupInfo") or {}
    return SecurityGroupRule(
        rule_id=item["SecurityGroupRuleId"],
        group_id=item["GroupId"],
        is_egress=bool(item.get("IsEgress", False)),
        protocol=str(item.get("IpProtocol", "-1")),
        from_port=_port(item.get("FromPort")),
        to_port=_port(item.get("ToPort")),
        cidr_ipv4=item.get("CidrIpv4"),
        cidr_ipv6=canonical_cidr(item.get("CidrIpv6")),
        prefix_list_id=item.get("PrefixListId"),
        referenced_group_id=referenced.get("GroupId"),
        description=item.get("Description", "") or "",
        tags=tags_of(item),
    )


def security_group_from(item: dict[str, Any], rules: list[SecurityGroupRule]) -> SecurityGroup:
    return SecurityGroup(
        id=item["GroupId"],
        name=item.get("GroupName", ""),
        description=item.get("Description", "") or "",
        egress_rules=sorted((r for r in rules if r.is_egress), key=lambda r: r.rule_id),
        tags=tags_of(item),
    )
