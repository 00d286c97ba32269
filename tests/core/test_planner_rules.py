"""The filter steps: network ACL twins and security group egress twins."""

from __future__ import annotations

from v6wizard.core.inventory import NetworkAcl, SecurityGroup
from v6wizard.core.plan import PlanOptions
from v6wizard.core.planner import build_plan

from .builders import acl_entry, inventory, sg_rule


def _with_acl(*entries, **extra) -> object:
    inv = inventory()
    acl = NetworkAcl(id="acl-private", subnet_ids=["subnet-priv-a", "subnet-priv-b"], entries=list(entries), **extra)
    acls = [a for a in inv.network_acls if a.id != "acl-private"] + [acl]
    return inv.model_copy(update={"network_acls": acls})


def _with_rules(*rules) -> object:
    inv = inventory()
    return inv.model_copy(update={"security_groups": [SecurityGroup(id="sg-app", name="app", egress_rules=list(rules))]})


def test_only_ipv4_allow_entries_to_anywhere_get_twins_in_both_directions() -> None:
    step = build_plan(inventory()).step("network-acls")
    assert [a.id for a in step.actions] == [
        "network-acls:create:acl-private:ingress:111",
        "network-acls:create:acl-private:egress:101",
    ]
    ingress = step.actions[0]
    assert ingress.kind == "create-nacl-entry"
    assert ingress.call.params == {
        "NetworkAclId": "acl-private", "RuleNumber": 111, "Protocol": "6", "RuleAction": "allow", "Egress": False,
        "Ipv6CidrBlock": "::/0", "PortRange": {"From": 1024, "To": 65535},
    }
    assert ingress.inverse is not None
    assert ingress.inverse.params == {"NetworkAclId": "acl-private", "RuleNumber": 111, "Egress": False}


def test_the_default_acl_is_left_alone_with_a_note() -> None:
    plan = build_plan(inventory(), PlanOptions(subnet_ids=["subnet-pub-a"], function_names=[]))
    step = plan.step("network-acls")
    assert step.is_empty
    assert [(f.kind, f.resource_id) for f in step.findings] == [("info", "acl-default")]


def test_an_existing_equivalent_ipv6_entry_means_no_twin() -> None:
    inv = _with_acl(acl_entry(100, True), acl_entry(101, True, cidr=None, ipv6_cidr_block="::/0"))
    assert build_plan(inv).step("network-acls").is_empty


def test_twin_number_stays_next_to_the_original_when_plus_one_is_taken() -> None:
    inv = _with_acl(acl_entry(90, True, cidr="10.0.0.0/8"), acl_entry(100, True), acl_entry(101, True, protocol="6", cidr="10.0.0.0/8", port_from=22, port_to=22))
    step = build_plan(inv).step("network-acls")
    assert [a.call.params["RuleNumber"] for a in step.actions] == [99]
    assert not [f for f in step.findings if f.kind == "review"]


def test_twin_numbered_away_from_the_original_asks_for_review() -> None:
    inv = _with_acl(acl_entry(99, True, cidr="10.0.0.0/8"), acl_entry(100, True), acl_entry(101, True, cidr="10.1.0.0/16"))
    step = build_plan(inv).step("network-acls")
    assert [a.call.params["RuleNumber"] for a in step.actions] == [102]
    assert any(f.kind == "review" and "102" in f.message for f in step.findings)


def test_icmp_becomes_icmpv6_with_the_matching_type_and_a_review() -> None:
    inv = _with_acl(acl_entry(100, False, protocol="1", icmp_type=8, icmp_code=0), acl_entry(120, False, protocol="1", icmp_type=5, icmp_code=0))
    step = build_plan(inv).step("network-acls")
    assert [a.call.params for a in step.actions] == [{
        "NetworkAclId": "acl-private", "RuleNumber": 101, "Protocol": "58", "RuleAction": "allow", "Egress": False,
        "Ipv6CidrBlock": "::/0", "IcmpTypeCode": {"Type": 128, "Code": 0},
    }]
    reviews = [f.message for f in step.findings if f.kind == "review"]
    assert any("ICMPv6" in m and "100" in m for m in reviews)
    assert any("type 5" in m for m in reviews)  # redirect has no IPv6 twin


def test_deny_entries_are_not_twinned_but_reviewed() -> None:
    step = build_plan(_with_acl(acl_entry(90, False, protocol="6", action="deny", port_from=22, port_to=22), acl_entry(100, False))).step("network-acls")
    assert [a.call.params["RuleNumber"] for a in step.actions] == [101]
    assert any(f.kind == "review" and "deny rule 90" in f.message for f in step.findings)


def test_security_group_twin_of_an_anywhere_rule() -> None:
    plan = build_plan(inventory())
    assert [a.id for a in plan.step("security-groups").actions] == ["security-groups:authorize:sg-app:sgr-all"]
    action = plan.action("security-groups:authorize:sg-app:sgr-all")
    assert action.kind == "authorize-sg-egress"
    assert action.call.params == {
        "GroupId": "sg-app",
        "IpPermissions": [{"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": "v6wizard twin of sgr-all"}]}],
        "TagSpecifications": [{"ResourceType": "security-group-rule", "Tags": [{"Key": "v6wizard:session", "Value": "${session}"}]}],
    }
    assert action.outputs == ["SecurityGroupRuleId"]
    assert action.inverse is not None and action.inverse.params == {
        "GroupId": "sg-app", "SecurityGroupRuleIds": ["${security-groups:authorize:sg-app:sgr-all.SecurityGroupRuleId}"]}


def test_narrow_ipv4_and_prefix_list_rules_are_reviewed_and_group_references_ignored() -> None:
    step = build_plan(inventory()).step("security-groups")
    reviewed = sorted(f.message.split()[2] for f in step.findings if f.kind == "review")
    assert reviewed == ["sgr-db", "sgr-pl"]
    assert not any("sgr-peer" in f.message for f in step.findings)


def test_port_rules_keep_their_ports_and_existing_twins_are_respected() -> None:
    inv = _with_rules(
        sg_rule("sgr-https", protocol="tcp", from_port=443, to_port=443),
        sg_rule("sgr-dns", protocol="udp", from_port=53, to_port=53),
        sg_rule("sgr-dns6", protocol="udp", cidr=None, cidr_ipv6="::/0", from_port=53, to_port=53),
    )
    actions = build_plan(inv).step("security-groups").actions
    assert [a.id for a in actions] == ["security-groups:authorize:sg-app:sgr-https"]
    perm = actions[0].call.params["IpPermissions"][0]
    assert (perm["IpProtocol"], perm["FromPort"], perm["ToPort"]) == ("tcp", 443, 443)


def test_only_groups_of_chosen_functions_are_touched() -> None:
    assert build_plan(inventory(), PlanOptions(function_names=[])).step("security-groups").is_empty


def test_a_function_group_missing_from_the_inventory_is_reviewed_not_guessed() -> None:
    inv = inventory()
    fn = inv.functions[0].model_copy(update={"security_group_ids": ["sg-app", "sg-gone"]})
    step = build_plan(inv.model_copy(update={"functions": [fn]})).step("security-groups")
    assert [a.resource_id for a in step.actions] == ["sg-app"]
    assert any(f.kind == "review" and f.resource_id == "sg-gone" for f in step.findings)
