"""Discovery of each seeded scenario yields an Inventory that matches what was created."""

from __future__ import annotations

from ipaddress import IPv6Network

from v6wizard.aws.discovery import discover
from v6wizard.aws.session import AwsAccess
from v6wizard.demo import scenarios
from v6wizard.demo.seed import CORP_RANGE, DATABASE_RANGE, FUNCTIONS, seed_demo


def test_demo_inventory_holds_the_whole_vpc(access: AwsAccess) -> None:
    demo = seed_demo(access)
    inv = discover(access, demo.vpc_id)

    assert inv.account_id == "123456789012" and inv.region == "us-east-1"
    assert (inv.vpc.id, inv.vpc.name, inv.vpc.cidr_block) == (demo.vpc_id, "prod-main", "10.0.0.0/16")
    assert [a.state for a in inv.vpc.ipv4_associations] == ["associated"]
    assert inv.vpc.ipv6_associations == [] and inv.vpc.ipv6_block is None
    assert sorted(s.id for s in inv.subnets) == sorted(demo.subnet_ids)
    assert {s.availability_zone for s in inv.subnets} == {"us-east-1a", "us-east-1b", "us-east-1c"}
    assert all(inv.subnet(s).map_public_ip_on_launch for s in demo.public_subnet_ids)
    assert not any(inv.subnet(s).map_public_ip_on_launch for s in demo.private_subnet_ids)

    # Routing: public subnets reach the internet gateway, each private one its AZ's NAT.
    assert [g.id for g in inv.internet_gateways] == [demo.internet_gateway_id]
    assert sorted(n.id for n in inv.nat_gateways) == sorted(demo.nat_gateway_ids)
    assert all(n.state in ("pending", "available") for n in inv.nat_gateways)
    for subnet_id in demo.public_subnet_ids:
        table = inv.route_table_for(subnet_id)
        assert table is not None and table.is_public and not table.main
    for subnet_id, nat_id in zip(demo.private_subnet_ids, demo.nat_gateway_ids):
        table = inv.route_table_for(subnet_id)
        assert table is not None and not table.is_public
        assert table.route_to("0.0.0.0/0").target == nat_id
        assert table.route_to("10.0.0.0/16").target == "local"
        assert table.route_to("::/0") is None
    main = inv.main_route_table()
    assert main is not None and main.subnet_ids == [] and len(inv.route_tables) == 5

    # Network ACLs: the custom one guards the private subnets with allow-all IPv4 entries.
    custom = next(a for a in inv.network_acls if not a.is_default)
    assert custom.id == demo.network_acl_ids[0]
    assert custom.subnet_ids == sorted(demo.private_subnet_ids)
    allows = [(e.egress, e.rule_number, e.cidr_block) for e in custom.entries if e.rule_action == "allow"]
    assert allows == [(False, 100, "0.0.0.0/0"), (True, 100, "0.0.0.0/0")]
    default = next(a for a in inv.network_acls if a.is_default)
    assert sorted(default.subnet_ids) == sorted(demo.public_subnet_ids)

    # Security groups: egress rules by rule id, with the CIDR / prefix-list destinations.
    restricted = inv.security_group(demo.security_group_ids["lambda-restricted"])
    destinations = sorted((r.protocol, r.from_port, r.cidr_ipv4 or r.prefix_list_id) for r in restricted.egress_rules)
    assert destinations == sorted(
        [("tcp", 443, "0.0.0.0/0"), ("tcp", 5432, DATABASE_RANGE), ("tcp", 8443, demo.prefix_list_id)]
    )
    assert all(r.rule_id.startswith("sgr-") and r.group_id == restricted.id and r.is_egress for r in restricted.egress_rules)
    live_rules = access.client("ec2").describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [restricted.id]}])
    assert {r.rule_id for r in restricted.egress_rules} == {
        r["SecurityGroupRuleId"] for r in live_rules["SecurityGroupRules"] if r["IsEgress"]
    }
    all_egress = inv.security_group(demo.security_group_ids["lambda-all-egress"])
    assert [(r.protocol, r.cidr_ipv4) for r in all_egress.egress_rules] == [("-1", "0.0.0.0/0")]
    assert {g.name for g in inv.security_groups} == {"default", "lambda-all-egress", "lambda-restricted"}
    assert CORP_RANGE  # the prefix list's entry; the rule names the list, not the range

    # Functions: attached ones only, with their version 1 and `live` alias on it.
    assert [f.name for f in inv.functions] == sorted(name for name, _, _ in FUNCTIONS)
    for name, azs, group in FUNCTIONS:
        fn = inv.function(name)
        assert fn.subnet_ids == [demo.private_subnet_ids[i] for i in azs]
        assert fn.security_group_ids == [demo.security_group_ids[group]]
        assert (fn.runtime, fn.state, fn.last_update_status) == ("python3.12", "Active", "Successful")
        assert fn.role.endswith(":role/v6wizard-demo-lambda") and not fn.ipv6_allowed_for_dual_stack
        assert [v.version for v in fn.versions] == ["1"]
        assert fn.versions[0].code_sha256 == fn.code_sha256 and fn.versions[0].subnet_ids == fn.subnet_ids
        live = fn.alias("live")
        assert live is not None and live.function_version == "1" and not live.is_weighted
        assert live.revision_id == access.client("lambda").get_alias(FunctionName=name, Name="live")["RevisionId"]
        assert live.provisioned_concurrency == 0
        assert fn.tags == {"app": name.split("-")[0]}


def test_half_migrated_keeps_live_ipv6_state_and_drops_disassociated_blocks(access: AwsAccess) -> None:
    info = scenarios.half_migrated(access)
    inv = discover(access, info.vpc_id)

    block = inv.vpc.ipv6_block
    assert block is not None and block.state == "associated" and block.pool == "Amazon"
    assert IPv6Network(block.cidr) == IPv6Network(info.extra["ipv6_block"]) and IPv6Network(block.cidr).prefixlen == 56
    assert block.cidr == str(IPv6Network(block.cidr))  # canonical text, whatever the endpoint wrote
    # The removed secondary IPv4 block still shows in AWS's answer, but not in the Inventory.
    raw = access.client("ec2").describe_vpcs(VpcIds=[info.vpc_id])["Vpcs"][0]["CidrBlockAssociationSet"]
    gone = info.extra["disassociated_vpc_association_id"]
    assert any(a["AssociationId"] == gone and a["CidrBlockState"]["State"] == "disassociated" for a in raw)
    assert [a.cidr for a in inv.vpc.ipv4_associations] == ["10.2.0.0/16"]

    public, first, second, third = info.subnet_ids
    assert inv.subnet(public).ipv6_cidr == str(scenarios.subnet64(IPv6Network(block.cidr), 0))
    assert inv.subnet(first).ipv6_cidr == str(scenarios.subnet64(IPv6Network(block.cidr), 1))
    assert inv.subnet(first).ipv6_association.state == "associated"
    assert inv.subnet(second).ipv6_association is None
    assert inv.subnet(third).ipv6_association is None  # its /64 was disassociated

    assert [g.id for g in inv.egress_only_gateways] == [info.egress_only_gateway_id]
    assert inv.egress_only_gateways[0].state == "attached"
    private_table = next(t for t in inv.route_tables if t.id == info.extra["ipv6_route_table_id"])
    assert private_table.route_to("::/0").target == info.egress_only_gateway_id
    assert private_table.route_to(block.cidr).target == "local"
    public_table = inv.route_table_for(public)
    assert public_table.is_public and public_table.route_to("::/0") is None

    twinned = inv.security_group(info.security_group_ids["half-twinned"])
    twin = next(r for r in twinned.egress_rules if r.cidr_ipv6 == "::/0")
    assert twin.rule_id == info.extra["twin_rule_id"] and twin.protocol == "-1"
    plain = inv.security_group(info.security_group_ids["half-plain"])
    assert [(r.cidr_ipv4, r.cidr_ipv6) for r in plain.egress_rules] == [("0.0.0.0/0", None)]
    assert [f.name for f in inv.functions] == ["half-api", "half-worker"]


def test_ipv6_only_subnet_is_marked_native(access: AwsAccess) -> None:
    info = scenarios.ipv6_only_subnet(access)
    inv = discover(access, info.vpc_id)

    native = inv.subnet(info.extra["ipv6_native_subnet_id"])
    assert native.ipv6_native and native.cidr_block == "" and native.assign_ipv6_on_creation
    assert native.ipv6_cidr is not None
    dual = [inv.subnet(s) for s in info.private_subnet_ids]
    assert all(not s.ipv6_native and s.cidr_block and s.ipv6_cidr for s in dual)
    fn = inv.function("dual-fn")
    assert fn.subnet_ids == info.private_subnet_ids


def test_weighted_alias_keeps_its_routing_weights(access: AwsAccess) -> None:
    info = scenarios.weighted_alias(access)
    inv = discover(access, info.vpc_id)

    fn = inv.function("canary-fn")
    assert [v.version for v in fn.versions] == ["1", "2"]
    assert all(v.code_sha256 == fn.code_sha256 for v in fn.versions)
    live = fn.alias("live")
    assert live.function_version == "1" and live.additional_weights == {"2": 0.1} and live.is_weighted
    assert live.revision_id == access.client("lambda").get_alias(FunctionName="canary-fn", Name="live")["RevisionId"]


def test_functions_of_other_vpcs_are_left_out(access: AwsAccess) -> None:
    demo = seed_demo(access)
    weighted = scenarios.weighted_alias(access)

    assert [f.name for f in discover(access, weighted.vpc_id).functions] == ["canary-fn"]
    assert "canary-fn" not in {f.name for f in discover(access, demo.vpc_id).functions}
    staging = discover(access, demo.staging_vpc_id)
    assert staging.functions == [] and len(staging.subnets) == 2 and staging.nat_gateways == []
