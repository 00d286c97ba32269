"""The network steps: VPC block, subnet /64s, egress-only gateway, routes."""

from __future__ import annotations

from ipaddress import IPv6Network

from v6wizard.core.inventory import EgressOnlyGateway, Route, RouteTable
from v6wizard.core.plan import STEP_ORDER, PlanOptions, nth_subnet64
from v6wizard.core.planner import build_plan

from .builders import VPC_BLOCK, eigw, inventory, subnet, vpc


def test_plan_has_every_step_in_order_and_carries_the_inventory_fingerprint() -> None:
    inv = inventory()
    plan = build_plan(inv, PlanOptions())
    assert [s.name for s in plan.steps] == list(STEP_ORDER)
    assert plan.fingerprint == inv.fingerprint()
    assert plan.resource_digests == inv.resource_digests()
    assert len({a.id for a in plan.actions()}) == len(plan.actions())


def test_vpc_without_ipv6_gets_an_amazon_block_with_its_disassociation_as_inverse() -> None:
    action = build_plan(inventory()).action("vpc-cidr:associate:vpc-1")
    assert action.kind == "associate-vpc-ipv6"
    assert action.call.operation == "AssociateVpcCidrBlock"
    assert action.call.params == {"VpcId": "vpc-1", "AmazonProvidedIpv6CidrBlock": True}
    assert action.outputs == ["AssociationId", "Ipv6CidrBlock"]
    assert action.postcondition.check == "vpc-ipv6-associated"
    assert action.inverse is not None and action.inverse.params == {"AssociationId": "${vpc-cidr:associate:vpc-1.AssociationId}"}
    assert "last" in action.inverse_note
    assert "vpc:vpc-1" in action.depends_on_resources


def test_ipam_and_byoip_sources_shape_the_association_call() -> None:
    ipam = build_plan(inventory(), PlanOptions(cidr_source="ipam", ipam_pool_id="ipam-pool-1", ipam_netmask_length=52))
    assert ipam.action("vpc-cidr:associate:vpc-1").call.params == {"VpcId": "vpc-1", "Ipv6IpamPoolId": "ipam-pool-1", "Ipv6NetmaskLength": 52}
    byoip = build_plan(inventory(), PlanOptions(cidr_source="byoip", byoip_pool_id="ipv6pool-ec2-1", byoip_cidr="2001:db8:1200::/56"))
    assert byoip.action("vpc-cidr:associate:vpc-1").call.params == {
        "VpcId": "vpc-1", "Ipv6Pool": "ipv6pool-ec2-1", "Ipv6CidrBlock": "2001:db8:1200::/56"}
    pool_only = build_plan(inventory(), PlanOptions(cidr_source="byoip", byoip_pool_id="ipv6pool-ec2-1"))
    assert pool_only.action("vpc-cidr:associate:vpc-1").call.params == {"VpcId": "vpc-1", "Ipv6Pool": "ipv6pool-ec2-1"}


def test_existing_or_associating_vpc_block_is_not_associated_again() -> None:
    assert build_plan(inventory(vpc=vpc(VPC_BLOCK))).step("vpc-cidr").is_empty
    associating = build_plan(inventory(vpc=vpc("", state="associating")))
    assert associating.step("vpc-cidr").is_empty
    assert [f.kind for f in associating.step("vpc-cidr").findings] == ["info"]


def test_subnets_use_placeholders_until_the_vpc_block_exists() -> None:
    plan = build_plan(inventory())
    action = plan.action("subnets:associate:subnet-priv-a")
    assert action.kind == "associate-subnet-ipv6"
    # 10.0.1.0/24 asks for /64 number 1: the IPv6 layout mirrors the IPv4 one.
    assert action.call.params == {"SubnetId": "subnet-priv-a", "Ipv6CidrBlock": "${subnet64:1}"}
    assert action.after_actions == ["vpc-cidr:associate:vpc-1"]
    assert action.inverse is not None
    assert action.inverse.params == {"AssociationId": "${subnets:associate:subnet-priv-a.AssociationId}"}
    assert action.outputs == ["AssociationId", "Ipv6CidrBlock"]


def test_subnets_get_concrete_64s_once_the_vpc_block_is_known() -> None:
    plan = build_plan(inventory(vpc=vpc(VPC_BLOCK)))
    cidrs = {a.resource_id: a.call.params["Ipv6CidrBlock"] for a in plan.step("subnets").actions}
    assert cidrs == {
        "subnet-pub-a": nth_subnet64(VPC_BLOCK, 0),
        "subnet-priv-a": nth_subnet64(VPC_BLOCK, 1),
        "subnet-priv-b": nth_subnet64(VPC_BLOCK, 2),
    }
    assert all(IPv6Network(c).subnet_of(IPv6Network(VPC_BLOCK)) for c in cidrs.values())
    assert all(a.after_actions == [] for a in plan.step("subnets").actions)


def test_a_64_held_by_any_subnet_is_never_handed_out_again() -> None:
    # priv-b already holds /64 number 1, the one priv-a would prefer; an unchosen subnet holds number 3.
    subnets = [
        subnet("subnet-priv-a", "10.0.1.0/24"),
        subnet("subnet-priv-b", "10.0.2.0/24", ipv6=nth_subnet64(VPC_BLOCK, 1)),
        subnet("subnet-other", "10.0.9.0/24", ipv6=nth_subnet64(VPC_BLOCK, 3)),
        subnet("subnet-pub-a", "10.0.0.0/24"),
    ]
    options = PlanOptions(subnet_ids=["subnet-priv-a", "subnet-priv-b", "subnet-pub-a"])
    plan = build_plan(inventory(vpc=vpc(VPC_BLOCK), subnets=subnets), options)
    cidrs = {a.resource_id: a.call.params["Ipv6CidrBlock"] for a in plan.step("subnets").actions}
    assert cidrs == {"subnet-priv-a": nth_subnet64(VPC_BLOCK, 2), "subnet-pub-a": nth_subnet64(VPC_BLOCK, 0)}


def test_replanning_gives_the_same_allocation() -> None:
    first = build_plan(inventory(vpc=vpc(VPC_BLOCK)))
    reordered = inventory(vpc=vpc(VPC_BLOCK))
    reordered = reordered.model_copy(update={"subnets": list(reversed(reordered.subnets))})
    second = build_plan(reordered)
    as_map = lambda p: {a.id: a.call.params for a in p.step("subnets").actions}  # noqa: E731
    assert as_map(first) == as_map(second)


def test_ipv6_only_subnets_are_skipped_with_a_note() -> None:
    subnets = [subnet("subnet-priv-a", "10.0.1.0/24"), subnet("subnet-v6", "", ipv6_native=True)]
    step = build_plan(inventory(subnets=subnets)).step("subnets")
    assert [a.resource_id for a in step.actions] == ["subnet-priv-a"]
    assert [(f.kind, f.resource_id) for f in step.findings] == [("info", "subnet-v6")]


def test_full_block_plans_what_fits_and_reports_the_rest_as_a_blocker() -> None:
    small = "2600:1f18:abcd:1200::/63"  # two /64s, one already taken
    subnets = [
        subnet("subnet-a", "10.0.1.0/24", ipv6=nth_subnet64(small, 0)),
        subnet("subnet-b", "10.0.2.0/24"),
        subnet("subnet-c", "10.0.3.0/24"),
    ]
    step = build_plan(inventory(vpc=vpc(small), subnets=subnets, functions=[])).step("subnets")
    assert [(a.resource_id, a.call.params["Ipv6CidrBlock"]) for a in step.actions] == [("subnet-b", nth_subnet64(small, 1))]
    blockers = [f for f in step.findings if f.kind == "blocker"]
    assert len(blockers) == 1 and "subnet-c" in blockers[0].message and "subnet-b" not in blockers[0].message


def test_assign_on_create_follows_the_association_and_covers_subnets_that_already_have_a_64() -> None:
    subnets = [subnet("subnet-priv-a", "10.0.1.0/24"), subnet("subnet-priv-b", "10.0.2.0/24", ipv6=nth_subnet64(VPC_BLOCK, 2))]
    plan = build_plan(inventory(vpc=vpc(VPC_BLOCK), subnets=subnets), PlanOptions(assign_ipv6_on_creation=True))
    ids = [a.id for a in plan.step("subnets").actions]
    assert ids == ["subnets:associate:subnet-priv-a", "subnets:assign-on-create:subnet-priv-a", "subnets:assign-on-create:subnet-priv-b"]
    on = plan.action("subnets:assign-on-create:subnet-priv-a")
    assert on.kind == "enable-assign-ipv6"
    assert on.call.params == {"SubnetId": "subnet-priv-a", "AssignIpv6AddressOnCreation": {"Value": True}}
    assert on.inverse is not None and on.inverse.params["AssignIpv6AddressOnCreation"] == {"Value": False}
    assert on.after_actions == ["subnets:associate:subnet-priv-a"]
    assert plan.action("subnets:assign-on-create:subnet-priv-b").after_actions == []


def test_egress_gateway_preview_says_data_out_is_still_billed() -> None:
    """The gateway has no hourly or processing charge, but data transfer out is billed either way (DESIGN.md)."""
    after = build_plan(inventory()).action("egress-gateway:create:vpc-1").after
    assert "no hourly or processing charge; data sent out is billed as usual" in after
    assert "data charge" not in after


def test_egress_gateway_is_created_tagged_with_a_client_token_when_a_route_needs_it() -> None:
    plan = build_plan(inventory())
    action = plan.action("egress-gateway:create:vpc-1")
    assert action.kind == "create-egress-gateway"
    assert action.call.params["ClientToken"] == "${client_token}"
    assert action.call.params["TagSpecifications"] == [{
        "ResourceType": "egress-only-internet-gateway",
        "Tags": [{"Key": "v6wizard:session", "Value": "${session}"}, {"Key": "Name", "Value": "v6wizard-vpc-1"}],
    }]
    assert action.outputs == ["EgressOnlyInternetGatewayId"]
    assert action.inverse is not None and action.inverse.operation == "DeleteEgressOnlyInternetGateway"
    route = plan.action("routes:create:rtb-main")
    assert route.call.params["EgressOnlyInternetGatewayId"] == "${egress-gateway:create:vpc-1.EgressOnlyInternetGatewayId}"
    assert "egress-gateway:create:vpc-1" in route.after_actions


def test_existing_egress_gateway_is_reused_by_its_concrete_id() -> None:
    plan = build_plan(inventory(egress_only_gateways=[eigw("eigw-9")]))
    assert plan.step("egress-gateway").is_empty
    route = plan.action("routes:create:rtb-main")
    assert route.call.params == {"RouteTableId": "rtb-main", "DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": "eigw-9"}
    assert "eigw:eigw-9" in route.depends_on_resources
    assert route.inverse is not None and route.inverse.params == {"RouteTableId": "rtb-main", "DestinationIpv6CidrBlock": "::/0"}


def test_public_tables_keep_ipv4_egress_unless_asked_then_route_to_the_igw() -> None:
    plain = build_plan(inventory())
    assert [a.resource_id for a in plain.step("routes").actions] == ["rtb-main"]
    assert any(f.kind == "info" and f.resource_id == "rtb-pub" for f in plain.step("routes").findings)
    public = build_plan(inventory(), PlanOptions(public_ipv6_route=True))
    route = public.action("routes:create:rtb-pub")
    assert route.call.params == {"RouteTableId": "rtb-pub", "DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1"}


def test_no_egress_gateway_when_no_private_table_needs_one() -> None:
    plan = build_plan(inventory(), PlanOptions(subnet_ids=["subnet-pub-a"], function_names=[]))
    assert plan.step("egress-gateway").is_empty
    assert plan.step("routes").is_empty


def test_an_existing_ipv6_default_route_is_a_conflict_and_never_overwritten() -> None:
    inv = inventory()
    tables = [
        t.model_copy(update={"routes": [*t.routes, Route(destination="::/0", target="pcx-7")]}) if t.id == "rtb-main" else t
        for t in inv.route_tables
    ]
    step = build_plan(inv.model_copy(update={"route_tables": tables})).step("routes")
    assert step.is_empty
    conflicts = [f for f in step.findings if f.kind == "conflict"]
    assert len(conflicts) == 1 and conflicts[0].resource_id == "rtb-main" and "pcx-7" in conflicts[0].message


def test_explicitly_associated_tables_are_used_instead_of_the_main_table() -> None:
    inv = inventory()
    own = RouteTable(id="rtb-b", subnet_ids=["subnet-priv-b"], routes=[Route(destination="0.0.0.0/0", target="nat-1")])
    plan = build_plan(inv.model_copy(update={"route_tables": [*inv.route_tables, own]}))
    assert sorted(a.resource_id for a in plan.step("routes").actions) == ["rtb-b", "rtb-main"]
    assert "subnet-priv-b" not in plan.action("routes:create:rtb-main").before


def test_a_block_still_being_allocated_means_placeholders_without_waiting_on_a_new_association() -> None:
    step = build_plan(inventory(vpc=vpc("", state="associating"))).step("subnets")
    action = next(a for a in step.actions if a.resource_id == "subnet-priv-b")
    assert action.call.params["Ipv6CidrBlock"] == "${subnet64:2}"
    assert action.after_actions == []


def _with_tables(*extra: RouteTable):
    inv = inventory()
    return inv.model_copy(update={"route_tables": [*inv.route_tables, *extra]})


def test_only_nat_egress_tables_get_a_route_to_the_egress_only_gateway() -> None:
    local = Route(destination="10.0.0.0/16", target="local", origin="CreateRouteTable")
    isolated = RouteTable(id="rtb-iso", subnet_ids=["subnet-priv-a"], routes=[local])
    transit = RouteTable(id="rtb-tgw", subnet_ids=["subnet-priv-b"], routes=[local, Route(destination="0.0.0.0/0", target="tgw-1")])
    plan = build_plan(_with_tables(isolated, transit))
    step = plan.step("routes")
    # Neither an isolated table nor one egressing through a transit gateway is given internet egress.
    assert step.is_empty
    reviews = {f.resource_id: f.message for f in step.findings if f.kind == "review"}
    assert set(reviews) == {"rtb-iso", "rtb-tgw"}
    assert "no IPv4 default route" in reviews["rtb-iso"]
    assert "tgw-1" in reviews["rtb-tgw"] and "not to a NAT gateway" in reviews["rtb-tgw"]
    # No route needs it, so no gateway is created either.
    assert plan.step("egress-gateway").is_empty


def test_firewall_and_peering_egress_are_reviewed_not_routed() -> None:
    for target in ("eni-fw1", "pcx-1", "vpce-fw1"):
        table = RouteTable(id="rtb-x", subnet_ids=["subnet-priv-a"], routes=[Route(destination="0.0.0.0/0", target=target)])
        step = build_plan(_with_tables(table)).step("routes")
        assert [a.resource_id for a in step.actions] == ["rtb-main"], target
        assert any(f.kind == "review" and f.resource_id == "rtb-x" and target in f.message for f in step.findings)


def test_an_attaching_egress_gateway_is_reused_not_duplicated() -> None:
    plan = build_plan(inventory(egress_only_gateways=[EgressOnlyGateway(id="eigw-new", state="attaching")]))
    assert plan.step("egress-gateway").is_empty
    assert plan.action("routes:create:rtb-main").call.params["EgressOnlyInternetGatewayId"] == "eigw-new"
