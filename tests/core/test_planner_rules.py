"""The filter steps: network ACL twins and security group egress twins."""

from __future__ import annotations

from v6wizard.core.inventory import NetworkAcl, SecurityGroup
from v6wizard.core.plan import PlanOptions
from v6wizard.core.planner import build_plan

from .builders import VPC_BLOCK, acl_entry, inventory, sg_rule, vpc


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


def test_deny_entries_to_anywhere_are_twinned_before_the_allow_twins_they_guard() -> None:
    inv = _with_acl(acl_entry(90, False, protocol="6", action="deny", port_from=22, port_to=22), acl_entry(100, False))
    step = build_plan(inv).step("network-acls")
    deny, allow = step.actions
    assert deny.call.params == {
        "NetworkAclId": "acl-private", "RuleNumber": 91, "Protocol": "6", "RuleAction": "deny", "Egress": False,
        "Ipv6CidrBlock": "::/0", "PortRange": {"From": 22, "To": 22},
    }
    assert deny.title.startswith("Deny ingress tcp port 22 for ::/0")
    assert allow.call.params["RuleNumber"] == 101 and allow.call.params["RuleAction"] == "allow"
    # SSH over IPv6 stays closed: the deny twin is evaluated before the allow-all twin.
    assert deny.call.params["RuleNumber"] < allow.call.params["RuleNumber"]
    assert not [f for f in step.findings if f.kind == "review"]


def test_deny_twin_keeps_its_order_when_its_neighbour_number_is_taken() -> None:
    inv = _with_acl(acl_entry(90, True, protocol="6", action="deny", port_from=25, port_to=25), acl_entry(91, True))
    numbers = {a.call.params["RuleAction"]: a.call.params["RuleNumber"] for a in build_plan(inv).step("network-acls").actions}
    assert numbers["deny"] < numbers["allow"] and numbers == {"deny": 89, "allow": 92}


def test_an_existing_ipv6_deny_twin_is_not_planned_again_and_an_allow_does_not_count_as_one() -> None:
    deny = dict(protocol="6", port_from=22, port_to=22)
    inv = _with_acl(acl_entry(90, False, action="deny", **deny), acl_entry(91, False, cidr=None, ipv6_cidr_block="::/0", action="deny", **deny))
    assert build_plan(inv).step("network-acls").is_empty
    inv = _with_acl(acl_entry(90, False, action="deny", **deny), acl_entry(91, False, cidr=None, ipv6_cidr_block="::/0", **deny))
    assert [a.call.params["RuleAction"] for a in build_plan(inv).step("network-acls").actions] == ["deny"]


def _default_acl_inventory(entries, block: str | None = None):
    inv = inventory(vpc=vpc(block) if block else vpc())
    acls = [a.model_copy(update={"entries": entries}) if a.is_default else a for a in inv.network_acls]
    return inv.model_copy(update={"network_acls": acls})


PUBLIC_ONLY = PlanOptions(subnet_ids=["subnet-pub-a"], function_names=[])


def test_an_edited_default_acl_is_twinned_like_a_custom_one_avoiding_rule_101() -> None:
    entries = [
        acl_entry(100, False), acl_entry(110, False, protocol="6", port_from=443, port_to=443),
        acl_entry(100, True), acl_entry(32767, False, action="deny"), acl_entry(32767, True, action="deny"),
    ]
    step = build_plan(_default_acl_inventory(entries), PUBLIC_ONLY).step("network-acls")
    # Ingress was edited, so AWS adds no IPv6 rule there; egress is stock and gets AWS's rule 101.
    assert [(a.call.params["Egress"], a.call.params["RuleNumber"]) for a in step.actions] == [(False, 99), (False, 111)]
    assert all(a.resource_id == "acl-default" for a in step.actions)


def test_a_default_acl_without_ipv6_rules_in_a_vpc_that_has_its_block_is_twinned() -> None:
    entries = [acl_entry(100, False), acl_entry(100, True)]
    step = build_plan(_default_acl_inventory(entries, VPC_BLOCK), PUBLIC_ONLY).step("network-acls")
    assert [(a.call.params["Egress"], a.call.params["RuleNumber"]) for a in step.actions] == [(False, 99), (True, 99)]


def test_a_stock_default_acl_or_one_with_ipv6_rules_keeps_the_note() -> None:
    stock = [acl_entry(100, False), acl_entry(100, True)]
    v6 = [acl_entry(101, e, cidr=None, ipv6_cidr_block="::/0") for e in (False, True)]
    extra = [acl_entry(110, False, protocol="6", port_from=443, port_to=443)]
    for entries, block in ((stock, None), ([*stock, *v6], VPC_BLOCK), ([*stock, *extra, *v6], VPC_BLOCK)):
        step = build_plan(_default_acl_inventory(entries, block), PUBLIC_ONLY).step("network-acls")
        assert step.is_empty and [(f.kind, f.resource_id) for f in step.findings] == [("info", "acl-default")]


def test_an_all_traffic_ipv6_egress_rule_covers_every_twin() -> None:
    inv = _with_rules(
        sg_rule("sgr-https", protocol="tcp", from_port=443, to_port=443),
        sg_rule("sgr-echo", protocol="icmp", from_port=8, to_port=0),
        sg_rule("sgr-v6all", cidr=None, cidr_ipv6="::/0"),
    )
    step = build_plan(inv).step("security-groups")
    assert step.is_empty
    assert not [f for f in step.findings if "ICMPv6" in f.message]


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
