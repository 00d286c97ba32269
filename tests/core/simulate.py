"""A pure stand-in for "apply every action": the inventory AWS would report afterwards.

Each action kind is mirrored by the smallest inventory change its call makes, with
placeholders resolved through `plan.resolve` exactly as the engine will, so a
placeholder naming an output nobody records fails here too.
"""

from __future__ import annotations

from typing import Any

from v6wizard.core.inventory import (
    CidrAssociation,
    EgressOnlyGateway,
    FunctionVersion,
    Inventory,
    NetworkAclEntry,
    Route,
    SecurityGroupRule,
)
from v6wizard.core.plan import Action, Plan, resolve

SIMULATED_BLOCK = "2600:1f18:7777:ab00::/56"


def _block_for(params: dict[str, Any]) -> str:
    if "Ipv6CidrBlock" in params:
        return params["Ipv6CidrBlock"]
    if "Ipv6NetmaskLength" in params:
        return f"2600:1f18:7777:ab00::/{params['Ipv6NetmaskLength']}"
    return SIMULATED_BLOCK


def apply_plan(inventory: Inventory, plan: Plan) -> Inventory:
    """The inventory after every action of `plan` succeeded, in plan order."""
    inv = inventory
    outputs: dict[str, dict[str, Any]] = {}
    for action in plan.actions():
        vpc_block = inv.vpc.ipv6_block.cidr if inv.vpc.ipv6_block else None
        params = resolve(action.call.params, outputs=outputs, session_id="sess-1", client_token="tok-1", vpc_block=vpc_block)
        inv, recorded = _apply(inv, action, params, len(outputs))
        assert set(recorded) == set(action.outputs), f"{action.id} records {sorted(recorded)}, declares {action.outputs}"
        outputs[action.id] = recorded
    return inv


def _apply(inv: Inventory, action: Action, p: dict[str, Any], serial: int) -> tuple[Inventory, dict[str, Any]]:
    kind = action.kind
    if kind == "associate-vpc-ipv6":
        block = _block_for(p)
        assoc = CidrAssociation(association_id=f"vpc-cidr-assoc-sim{serial}", cidr=block, state="associated", pool="Amazon")
        vpc = inv.vpc.model_copy(update={"ipv6_associations": [*inv.vpc.ipv6_associations, assoc]})
        inv = _aws_default_acl_rules(inv.model_copy(update={"vpc": vpc}))
        return inv, {"AssociationId": assoc.association_id, "Ipv6CidrBlock": block}
    if kind == "associate-subnet-ipv6":
        assoc = CidrAssociation(association_id=f"subnet-cidr-assoc-sim{serial}", cidr=p["Ipv6CidrBlock"], state="associated")
        inv = _replace(inv, "subnets", p["SubnetId"], ipv6_association=assoc)
        return inv, {"AssociationId": assoc.association_id, "Ipv6CidrBlock": assoc.cidr}
    if kind == "enable-assign-ipv6":
        return _replace(inv, "subnets", p["SubnetId"], assign_ipv6_on_creation=p["AssignIpv6AddressOnCreation"]["Value"]), {}
    if kind == "create-egress-gateway":
        gateway = EgressOnlyGateway(id=f"eigw-sim{serial}", tags={t["Key"]: t["Value"] for t in p["TagSpecifications"][0]["Tags"]})
        inv = inv.model_copy(update={"egress_only_gateways": [*inv.egress_only_gateways, gateway]})
        return inv, {"EgressOnlyInternetGatewayId": gateway.id}
    if kind == "create-route":
        table = next(t for t in inv.route_tables if t.id == p["RouteTableId"])
        assert table.route_to(p["DestinationIpv6CidrBlock"]) is None, "RouteAlreadyExists"
        target = p.get("EgressOnlyInternetGatewayId") or p["GatewayId"]
        route = Route(destination=p["DestinationIpv6CidrBlock"], target=target)
        return _replace(inv, "route_tables", table.id, routes=[*table.routes, route]), {}
    if kind == "create-nacl-entry":
        acl = next(a for a in inv.network_acls if a.id == p["NetworkAclId"])
        assert all((e.rule_number, e.egress) != (p["RuleNumber"], p["Egress"]) for e in acl.entries), "NetworkAclEntryAlreadyExists"
        ports = p.get("PortRange", {})
        icmp = p.get("IcmpTypeCode", {})
        entry = NetworkAclEntry(
            rule_number=p["RuleNumber"], egress=p["Egress"], protocol=p["Protocol"], rule_action=p["RuleAction"],
            ipv6_cidr_block=p["Ipv6CidrBlock"], port_from=ports.get("From"), port_to=ports.get("To"),
            icmp_type=icmp.get("Type"), icmp_code=icmp.get("Code"),
        )
        return _replace(inv, "network_acls", acl.id, entries=[*acl.entries, entry]), {}
    if kind == "authorize-sg-egress":
        group = next(g for g in inv.security_groups if g.id == p["GroupId"])
        perm = p["IpPermissions"][0]
        rule = SecurityGroupRule(
            rule_id=f"sgr-sim{serial}", group_id=group.id, protocol=perm["IpProtocol"], from_port=perm.get("FromPort"),
            to_port=perm.get("ToPort"), cidr_ipv6=perm["Ipv6Ranges"][0]["CidrIpv6"],
        )
        return _replace(inv, "security_groups", group.id, egress_rules=[*group.egress_rules, rule]), {"SecurityGroupRuleId": rule.rule_id}
    fn = inv.function(p["FunctionName"])
    assert fn is not None
    if kind == "update-function-config":
        return _replace_fn(inv, fn.name, ipv6_allowed_for_dual_stack=p["VpcConfig"]["Ipv6AllowedForDualStack"]), {}
    if kind == "publish-version":
        number = str(max((int(v.version) for v in fn.versions), default=0) + 1)
        version = FunctionVersion(version=number, code_sha256=fn.code_sha256, ipv6_allowed_for_dual_stack=fn.ipv6_allowed_for_dual_stack,
                                  subnet_ids=fn.subnet_ids, security_group_ids=fn.security_group_ids)
        return _replace_fn(inv, fn.name, versions=[*fn.versions, version]), {"Version": number, "CodeSha256": fn.code_sha256}
    if kind == "cutover-alias":
        assert fn.version(p["FunctionVersion"]) is not None, "the alias must point at a published version"
        aliases = [a.model_copy(update={"function_version": p["FunctionVersion"], "additional_weights": {}}) if a.name == p["Name"] else a for a in fn.aliases]
        return _replace_fn(inv, fn.name, aliases=aliases), {}
    raise AssertionError(f"no simulation for {kind}")


def _aws_default_acl_rules(inv: Inventory) -> Inventory:
    """What AWS does to the default ACL as the VPC gets its block: rule 101 allow-all ::/0
    (and the ::/0 built-in deny) in each direction that still holds only its stock rules."""
    for acl in inv.network_acls:
        if not acl.is_default:
            continue
        added = []
        for egress in (False, True):
            rules = {(e.rule_number, e.protocol, e.rule_action, e.cidr_block, e.ipv6_cidr_block) for e in acl.entries if e.egress == egress}
            stock = {(100, "-1", "allow", "0.0.0.0/0", None), (32767, "-1", "deny", "0.0.0.0/0", None)}
            if rules and rules <= stock and (100, "-1", "allow", "0.0.0.0/0", None) in rules:
                added += [
                    NetworkAclEntry(rule_number=101, egress=egress, protocol="-1", rule_action="allow", ipv6_cidr_block="::/0"),
                    NetworkAclEntry(rule_number=32768, egress=egress, protocol="-1", rule_action="deny", ipv6_cidr_block="::/0"),
                ]
        if added:
            inv = _replace(inv, "network_acls", acl.id, entries=[*acl.entries, *added])
    return inv


def _replace(inv: Inventory, field: str, item_id: str, **changes: Any) -> Inventory:
    items = [i.model_copy(update=changes) if i.id == item_id else i for i in getattr(inv, field)]
    return inv.model_copy(update={field: items})


def _replace_fn(inv: Inventory, name: str, **changes: Any) -> Inventory:
    functions = [f.model_copy(update=changes) if f.name == name else f for f in inv.functions]
    return inv.model_copy(update={"functions": functions})
