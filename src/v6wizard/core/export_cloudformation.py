"""The migration as a CloudFormation template, and for an applied session the resources-to-import
document of an `IMPORT` change set with the real identifiers.

Every resource has `DeletionPolicy: Retain` (and `UpdateReplacePolicy: Retain`), so a stack that
adopts them and is later deleted leaves the network as it is. The identifier properties of each
type are the `primaryIdentifier` of its CloudFormation registry schema; a type whose schema has
no `read` handler cannot be imported (the test checks both against cfn-lint's bundled schemas).
Resource import support: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-supported-resources.html
"""

from __future__ import annotations

import json
from typing import Any

from v6wizard.core.export_source import ExportFile, ExportSource, Names, is_placeholder, placeholder_action, readable, subnet64_index
from v6wizard.core.plan import Action

IMPORT_IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "AWS::EC2::VPCCidrBlock": ("Id", "VpcId"),
    "AWS::EC2::SubnetCidrBlock": ("Id",),
    "AWS::EC2::EgressOnlyInternetGateway": ("Id",),
    "AWS::EC2::Route": ("RouteTableId", "CidrBlock"),
    "AWS::EC2::SecurityGroupEgress": ("Id",),
}
"""Importable types and their identifier properties (their schemas' primaryIdentifier). Route import
arrived in 2024 (aws-cloudformation/cloudformation-coverage-roadmap#1038). Its `CidrBlock` identifier is
typed ipv4-network in the schema; for an IPv6 route we give the route's destination (`::/0`), which is
what its read handler matches on as far as we know: not checked against real CloudFormation."""

NOT_IMPORTABLE: dict[str, str] = {
    "AWS::EC2::NetworkAclEntry": (
        "CloudFormation cannot import it: the type is not on the resource-import list "
        "(its registry schema has no read handler). Leave the entries the session created "
        "unmanaged, or delete them and let the stack create them in a later update."
    ),
}

VPC_BLOCK_PARAMETER = "VpcIpv6CidrBlock"


def build_template(source: ExportSource) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The template and, for an applied session, the resources to import (empty otherwise)."""
    names = Names("pascal")
    resources: dict[str, Any] = {}
    imports: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    pending: list[dict[str, str]] = []
    logical: dict[str, str] = {}
    """Action id -> logical id of the resource it creates."""
    parameters: dict[str, Any] = {}
    for action in source.plan.actions():
        made = _resource(source, action, names, logical, parameters)
        if made is None:
            continue
        logical_id, type_, properties, identifier = made
        record = source.record(action)
        if source.is_applied and record is None:
            # an IMPORT change set may only import: a resource the session has not created cannot ride along
            pending.append({"Resource": logical_id, "Type": type_, "Action": action.id})
            continue
        if source.is_applied and type_ in NOT_IMPORTABLE:
            skipped.append({"Resource": logical_id, "Type": type_, "Id": _describe_id(properties), "Reason": NOT_IMPORTABLE[type_]})
            continue
        resources[logical_id] = {"Type": type_, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": properties}
        logical[action.id] = logical_id
        if record is not None and identifier:
            imports.append({"ResourceType": type_, "LogicalResourceId": logical_id, "ResourceIdentifier": identifier})
    plan = source.plan
    where = f"session {source.session_id}" if source.session_id else "a plan not yet applied"
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"IPv6 for {plan.vpc_id} ({plan.region}), made by v6wizard from {where}.",
    }
    if parameters:
        template["Parameters"] = parameters
    template["Resources"] = resources
    notes = {"NotImported": skipped} if skipped else {}
    if pending:
        notes["NotAppliedYet"] = pending
    if notes:
        template["Metadata"] = {"v6wizard": notes}
    return template, imports


def _resource(
    source: ExportSource, action: Action, names: Names, logical: dict[str, str], parameters: dict[str, Any]
) -> tuple[str, str, dict[str, Any], dict[str, str]] | None:
    params = source.params(action)
    out = lambda key: source.output(action.id, key)  # noqa: E731 - a short look-up
    if action.kind == "associate-vpc-ipv6":
        props: dict[str, Any] = {"VpcId": params["VpcId"]}
        for key in ("AmazonProvidedIpv6CidrBlock", "Ipv6IpamPoolId", "Ipv6NetmaskLength", "Ipv6Pool", "Ipv6CidrBlock"):
            if key in params:
                props[key] = params[key]
        ident = {"Id": out("AssociationId"), "VpcId": params["VpcId"]} if out("AssociationId") else {}
        return names.make(readable(source, params["VpcId"]), "Ipv6"), "AWS::EC2::VPCCidrBlock", props, ident
    if action.kind == "associate-subnet-ipv6":
        block: Any = params["Ipv6CidrBlock"]
        index = subnet64_index(block)
        if index is not None:
            parameters.setdefault(VPC_BLOCK_PARAMETER, {
                "Type": "String",
                "Description": "The VPC's IPv6 block once associated (the subnets' /64s are carved from it in order).",
            })
            block = {"Fn::Select": [index, {"Fn::Cidr": [{"Ref": VPC_BLOCK_PARAMETER}, 256, 64]}]}
        props = {"SubnetId": params["SubnetId"], "Ipv6CidrBlock": block}
        ident = {"Id": out("AssociationId")} if out("AssociationId") else {}
        return names.make(readable(source, params["SubnetId"]), "Ipv6"), "AWS::EC2::SubnetCidrBlock", props, ident
    if action.kind == "create-egress-gateway":
        ident = {"Id": out("EgressOnlyInternetGatewayId")} if out("EgressOnlyInternetGatewayId") else {}
        tags = [t for spec in params.get("TagSpecifications", []) for t in spec.get("Tags", []) if not is_placeholder(t["Value"])]
        props = {"VpcId": params["VpcId"]} | ({"Tags": tags} if tags else {})
        return names.make(readable(source, params["VpcId"]), "EgressGateway"), "AWS::EC2::EgressOnlyInternetGateway", props, ident
    if action.kind == "create-route":
        props = {"RouteTableId": params["RouteTableId"], "DestinationIpv6CidrBlock": params["DestinationIpv6CidrBlock"]}
        if "GatewayId" in params:
            props["GatewayId"] = params["GatewayId"]
        else:
            target = placeholder_action(action.call.params["EgressOnlyInternetGatewayId"])
            gateway = {"Ref": logical[target[0]]} if target and target[0] in logical else params["EgressOnlyInternetGatewayId"]
            props["EgressOnlyInternetGatewayId"] = gateway
        applied = source.record(action) is not None
        ident = {"RouteTableId": params["RouteTableId"], "CidrBlock": params["DestinationIpv6CidrBlock"]} if applied else {}
        return names.make(readable(source, params["RouteTableId"]), "Ipv6Default"), "AWS::EC2::Route", props, ident
    if action.kind == "create-nacl-entry":
        props = {
            "NetworkAclId": params["NetworkAclId"],
            "RuleNumber": int(params["RuleNumber"]),
            "Protocol": int(params["Protocol"]),
            "RuleAction": params["RuleAction"],
            "Egress": bool(params["Egress"]),
            "Ipv6CidrBlock": params["Ipv6CidrBlock"],
        }
        if "PortRange" in params:
            props["PortRange"] = dict(params["PortRange"])
        if "IcmpTypeCode" in params:
            props["Icmp"] = dict(params["IcmpTypeCode"])
        direction = "Egress" if params["Egress"] else "Ingress"
        return names.make(readable(source, params["NetworkAclId"]), direction, str(params["RuleNumber"]), "Ipv6"), "AWS::EC2::NetworkAclEntry", props, {}
    if action.kind == "authorize-sg-egress":
        permission = params["IpPermissions"][0]
        ipv6 = permission["Ipv6Ranges"][0]
        props = {"GroupId": params["GroupId"], "IpProtocol": permission["IpProtocol"], "CidrIpv6": ipv6["CidrIpv6"]}
        if "FromPort" in permission:
            props |= {"FromPort": permission["FromPort"], "ToPort": permission["ToPort"]}
        if ipv6.get("Description"):
            props["Description"] = ipv6["Description"]
        ident = {"Id": out("SecurityGroupRuleId")} if out("SecurityGroupRuleId") else {}
        what = "All" if permission["IpProtocol"] == "-1" else f"{permission['IpProtocol']} {permission.get('FromPort')}"
        return names.make(readable(source, params["GroupId"]), what, "Ipv6"), "AWS::EC2::SecurityGroupEgress", props, ident
    return None


def _describe_id(properties: dict[str, Any]) -> str:
    direction = "egress" if properties["Egress"] else "ingress"
    return f"{properties['NetworkAclId']} {direction} rule {properties['RuleNumber']}"


def cloudformation_files(source: ExportSource, stem: str) -> list[ExportFile]:
    """The template; for an applied session also `<stem>.import.json` (`--resources-to-import`)."""
    template, imports = build_template(source)
    files = [ExportFile(name=f"{stem}.template.json", text=json.dumps(template, indent=2) + "\n")]
    if imports:
        files.append(ExportFile(name=f"{stem}.import.json", text=json.dumps(imports, indent=2) + "\n", role="import"))
    return files
