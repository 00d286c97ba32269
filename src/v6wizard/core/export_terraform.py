"""The migration as Terraform (HCL): the resources it creates, `import` blocks with their real ids
for an applied session, and commented snippets for attributes of resources the team already manages.

Import id formats, from the Terraform AWS provider's documentation (website/docs/r/*.html.markdown):
- aws_vpc_ipv6_cidr_block_association: the association id (vpc-cidr-assoc-...);
- aws_egress_only_internet_gateway: the gateway id (eigw-...);
- aws_route: `ROUTETABLEID_DESTINATION`, e.g. `rtb-0abc_::/0`;
- aws_network_acl_rule: `NETWORK_ACL_ID:RULE_NUMBER:PROTOCOL:EGRESS`, e.g. `acl-0abc:101:-1:false`;
- aws_vpc_security_group_egress_rule: the rule id (sgr-...).
Subnet blocks, function settings and alias routing belong to resources the team's code already
declares (aws_subnet, aws_lambda_function, aws_lambda_alias), so they are snippets to merge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from ipaddress import IPv6Network
from typing import Any

from v6wizard.core.export_source import (
    ExportFile,
    ExportSource,
    Names,
    is_placeholder,
    placeholder_action,
    readable,
    subnet64_index,
)
from v6wizard.core.plan import Action


@dataclass(frozen=True)
class Expr:
    """A raw HCL expression (a reference or a function call), written without quotes."""

    text: str


@dataclass
class TfResource:
    """One generated resource block, and its import id when the session created it."""

    type: str
    name: str
    args: dict[str, Any]
    import_id: str | None = None
    comment: str = ""
    action_id: str = ""

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"


@dataclass
class TerraformExport:
    """The export before it is written out: resources, import blocks and snippets to merge."""

    resources: list[TfResource] = field(default_factory=list)
    snippets: list[str] = field(default_factory=list)
    """Commented HCL for attributes of resources the team manages."""
    notes: list[str] = field(default_factory=list)


def build_terraform(source: ExportSource) -> TerraformExport:
    """Every resource the plan creates, with import ids where the session created it."""
    names = Names("snake")
    out = TerraformExport()
    addresses: dict[str, str] = {}
    """Action id -> address of the resource it creates, for references between them."""
    for action in source.plan.actions():
        resource = _resource(source, action, names, addresses)
        if resource is not None:
            resource.action_id = action.id
            addresses[action.id] = resource.address
            out.resources.append(resource)
    out.snippets = _snippets(source, names, addresses)
    vpc_action = next(iter(source.created("associate-vpc-ipv6")), None)
    if vpc_action is not None and "AmazonProvidedIpv6CidrBlock" in vpc_action.call.params:
        out.notes.append(
            "The VPC block is a separate aws_vpc_ipv6_cidr_block_association so it can be imported as created. "
            "If your aws_vpc resource is where you would rather say it, `assign_generated_ipv6_cidr_block = true` "
            "there does the same; use one or the other, never both (they would fight over the block)."
        )
    return out


def _resource(source: ExportSource, action: Action, names: Names, addresses: dict[str, str]) -> TfResource | None:
    params = source.params(action)
    created = source.record(action) is not None
    if action.kind == "associate-vpc-ipv6":
        args: dict[str, Any] = {"vpc_id": params["VpcId"]}
        if params.get("AmazonProvidedIpv6CidrBlock"):
            args["assign_generated_ipv6_cidr_block"] = True
        if "Ipv6IpamPoolId" in params:
            args |= {"ipv6_ipam_pool_id": params["Ipv6IpamPoolId"], "ipv6_netmask_length": params["Ipv6NetmaskLength"]}
        if "Ipv6Pool" in params:
            args["ipv6_pool"] = params["Ipv6Pool"]
            if "Ipv6CidrBlock" in params:
                args["ipv6_cidr_block"] = params["Ipv6CidrBlock"]
        name = names.make(readable(source, params["VpcId"]), "ipv6")
        return TfResource("aws_vpc_ipv6_cidr_block_association", name, args, source.output(action.id, "AssociationId"))
    if action.kind == "create-egress-gateway":
        tags = _tags(source, params, "egress-only-internet-gateway")
        args = {"vpc_id": params["VpcId"]} | ({"tags": tags} if tags else {})
        name = names.make(readable(source, params["VpcId"]), "egress")
        return TfResource("aws_egress_only_internet_gateway", name, args, source.output(action.id, "EgressOnlyInternetGatewayId"))
    if action.kind == "create-route":
        table, destination = params["RouteTableId"], params["DestinationIpv6CidrBlock"]
        args = {"route_table_id": table, "destination_ipv6_cidr_block": destination}
        if "GatewayId" in params:
            args["gateway_id"] = params["GatewayId"]
        else:
            args["egress_only_gateway_id"] = _ref(action.call.params["EgressOnlyInternetGatewayId"], params, "EgressOnlyInternetGatewayId", addresses)
        name = names.make(readable(source, table), "ipv6", "default")
        return TfResource("aws_route", name, args, f"{table}_{destination}" if created else None)
    if action.kind == "create-nacl-entry":
        acl, number, egress = params["NetworkAclId"], int(params["RuleNumber"]), bool(params["Egress"])
        args = {
            "network_acl_id": acl,
            "rule_number": number,
            "egress": egress,
            "protocol": str(params["Protocol"]),
            "rule_action": params["RuleAction"],
            "ipv6_cidr_block": params["Ipv6CidrBlock"],
        }
        if "PortRange" in params:
            args |= {"from_port": params["PortRange"]["From"], "to_port": params["PortRange"]["To"]}
        if "IcmpTypeCode" in params:
            args |= {"icmp_type": params["IcmpTypeCode"]["Type"], "icmp_code": params["IcmpTypeCode"]["Code"]}
        name = names.make(readable(source, acl), "egress" if egress else "ingress", str(number), "ipv6")
        import_id = f"{acl}:{number}:{params['Protocol']}:{str(egress).lower()}" if created else None
        return TfResource("aws_network_acl_rule", name, args, import_id)
    if action.kind == "authorize-sg-egress":
        permission = params["IpPermissions"][0]
        ipv6 = permission["Ipv6Ranges"][0]
        args = {"security_group_id": params["GroupId"], "ip_protocol": permission["IpProtocol"], "cidr_ipv6": ipv6["CidrIpv6"]}
        if "FromPort" in permission:
            args |= {"from_port": permission["FromPort"], "to_port": permission["ToPort"]}
        if ipv6.get("Description"):
            args["description"] = ipv6["Description"]
        tags = _tags(source, params, "security-group-rule")
        if tags:
            args["tags"] = tags
        ports = f"{permission.get('FromPort')}" if permission.get("FromPort") == permission.get("ToPort") else f"{permission.get('FromPort')}-{permission.get('ToPort')}"
        what = "all" if permission["IpProtocol"] == "-1" else f"{permission['IpProtocol']}_{ports}"
        name = names.make(readable(source, params["GroupId"]), what, "ipv6")
        return TfResource("aws_vpc_security_group_egress_rule", name, args, source.output(action.id, "SecurityGroupRuleId"))
    return None


def _tags(source: ExportSource, params: dict[str, Any], resource_type: str) -> dict[str, str]:
    """The tags the call set, as the resource has them (the session tag only once it has a value)."""
    tags: dict[str, str] = {}
    for spec in params.get("TagSpecifications", []):
        if spec.get("ResourceType") == resource_type:
            for tag in spec.get("Tags", []):
                if not is_placeholder(tag["Value"]) and "${" not in tag["Value"]:
                    tags[tag["Key"]] = tag["Value"]
    return tags


def _ref(planned: Any, params: dict[str, Any], key: str, addresses: dict[str, str]) -> Any:
    """A reference to the generated resource a placeholder names, else the value as sent."""
    target = placeholder_action(planned)
    if target and target[0] in addresses:
        return Expr(f"{addresses[target[0]]}.id")
    return params.get(key, planned)


def _snippets(source: ExportSource, names: Names, addresses: dict[str, str]) -> list[str]:
    """Attribute changes of resources the team's code declares: subnets, functions, aliases."""
    snippets: list[str] = []
    vpc_action = next(iter(source.created("associate-vpc-ipv6")), None)
    prefix = _vpc_prefix(source, vpc_action)
    assign = {a.resource_id for a in source.created("enable-assign-ipv6")}
    for action in source.created("associate-subnet-ipv6"):
        params = source.params(action)
        block = params["Ipv6CidrBlock"]
        index = subnet64_index(block)
        if index is not None and vpc_action is not None:
            block = Expr(f"cidrsubnet({addresses[vpc_action.id]}.ipv6_cidr_block, {64 - prefix}, {index})")
        args: dict[str, Any] = {"ipv6_cidr_block": block}
        if action.resource_id in assign:
            args["assign_ipv6_address_on_creation"] = True
        comment = f"subnet {action.resource_id}: add to its block" + _pending(source, action)
        snippets.append(_block(f'resource "aws_subnet" "{names.make(readable(source, action.resource_id))}"', args, comment))
    function_names: dict[str, str] = {}
    for action in source.created("update-function-config"):
        vpc = source.params(action)["VpcConfig"]
        args = {"vpc_config": {"subnet_ids": vpc["SubnetIds"], "security_group_ids": vpc["SecurityGroupIds"], "ipv6_allowed_for_dual_stack": True}}
        fn = action.call.params["FunctionName"]
        function_names[fn] = names.make(fn)
        comment = f"function {fn}: set in its vpc_config (and `publish = true` to get a version to shift to)"
        snippets.append(_block(f'resource "aws_lambda_function" "{function_names[fn]}"', args, comment + _pending(source, action)))
    for action in source.created("cutover-alias"):
        params = source.params(action)
        fn, alias = params["FunctionName"], params["Name"]
        version = params["FunctionVersion"]
        value: Any = version if not is_placeholder(version) else Expr(f"aws_lambda_function.{function_names.get(fn) or names.make(fn)}.version")
        comment = f"alias {fn}:{alias}: the cutover ends on the new version with no routing_config (remove any)"
        snippets.append(_block(f'resource "aws_lambda_alias" "{names.make(fn, alias)}"', {"function_version": value}, comment + _pending(source, action)))
    return snippets


def _pending(source: ExportSource, action: Action) -> str:
    """A warning for a snippet of a session that has not applied this change (yet)."""
    return "; not applied by the session yet" if source.is_applied and source.record(action) is None else ""


def _vpc_prefix(source: ExportSource, vpc_action: Action | None) -> int:
    if vpc_action is None:
        return 56
    block = source.output(vpc_action.id, "Ipv6CidrBlock")
    if block:
        return IPv6Network(block).prefixlen
    return int(vpc_action.call.params.get("Ipv6NetmaskLength", 56))


# --- HCL text ---------------------------------------------------------------------


def hcl_value(value: Any, indent: int) -> str:
    if isinstance(value, Expr):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, list):
        return "[" + ", ".join(hcl_value(v, indent) for v in value) + "]"
    if isinstance(value, dict):
        pad = "  " * (indent + 1)
        width = max((len(_key(k)) for k in value), default=0)
        inner = "\n".join(f"{pad}{_key(k):<{width}} = {hcl_value(v, indent + 1)}" for k, v in value.items())
        return "{\n" + inner + "\n" + "  " * indent + "}"
    raise TypeError(f"no HCL form for {value!r}")


def _key(key: str) -> str:
    return key if key.replace("_", "").isalnum() and not key[0].isdigit() else json.dumps(key)


def _body(args: dict[str, Any], indent: int = 1) -> list[str]:
    pad = "  " * indent
    plain = {k: v for k, v in args.items() if not (isinstance(v, dict) and k != "tags")}
    width = max((len(k) for k in plain), default=0)
    lines = [f"{pad}{k:<{width}} = {hcl_value(v, indent)}" for k, v in plain.items()]
    for key, value in args.items():
        if key not in plain:
            lines += [f"{pad}{key} {{", *_body(value, indent + 1), f"{pad}}}"]
    return lines


def _block(header: str, args: dict[str, Any], comment: str) -> str:
    lines = [f"# {comment}", header + " {", *_body(args), "}"]
    return "\n".join("# " + line if not line.startswith("# ") else line for line in lines)


def render_terraform(source: ExportSource) -> str:
    export = build_terraform(source)
    plan = source.plan
    where = f"session {source.session_id}" if source.session_id else "a plan not yet applied"
    lines = [
        f"# IPv6 for {plan.vpc_id} (account {plan.account_id}, {plan.region}), made by v6wizard from {where}.",
        "# Needs Terraform >= 1.5 (import blocks) and the hashicorp/aws provider >= 5.0.",
    ]
    lines += [f"# Note: {note}" for note in export.notes]
    for resource in export.resources:
        lines.append("")
        if resource.import_id is None and source.is_applied:
            lines.append("# Not applied by the session: `terraform apply` creates it.")
        lines += [f'resource "{resource.type}" "{resource.name}" {{', *_body(resource.args), "}"]
        if resource.import_id:
            lines += ["", "import {", f"  to = {resource.address}", f"  id = {hcl_value(resource.import_id, 1)}", "}"]
    if export.snippets:
        lines += ["", "# --- Merge into the resources your code already declares -----------------------"]
        for snippet in export.snippets:
            lines += ["", snippet]
    return "\n".join(lines) + "\n"


def terraform_files(source: ExportSource, stem: str) -> list[ExportFile]:
    return [ExportFile(name=f"{stem}.tf", text=render_terraform(source))]
