"""Whole-plan properties over generated VPCs: coverage, placeholder wiring, idempotency."""

from __future__ import annotations

from ipaddress import IPv6Network

from hypothesis import given, settings
from hypothesis import strategies as st

from v6wizard.core.inventory import (
    Alias,
    FunctionVersion,
    Inventory,
    NetworkAcl,
    Route,
    RouteTable,
    SecurityGroup,
)
from v6wizard.core.plan import Plan, PlanOptions, nth_subnet64, placeholders
from v6wizard.core.planner import build_plan

from .builders import CODE, acl_entry, eigw, function, inventory, sg_rule, subnet, vpc
from .simulate import apply_plan

ACL_TEMPLATES = [
    dict(protocol="-1"),
    dict(protocol="6", port_from=443, port_to=443),
    dict(protocol="6", cidr="10.0.0.0/8", port_from=22, port_to=22),
    dict(protocol="6", action="deny", port_from=22, port_to=22),
    dict(protocol="1", icmp_type=8, icmp_code=0),
    dict(protocol="1", icmp_type=-1, icmp_code=-1),
    dict(protocol="17", port_from=53, port_to=53),
    dict(protocol="-1", cidr=None, ipv6_cidr_block="::/0"),
]
SG_TEMPLATES = [
    dict(protocol="-1"),
    dict(protocol="tcp", from_port=443, to_port=443),
    dict(protocol="tcp", cidr="10.0.0.0/16", from_port=5432, to_port=5432),
    dict(protocol="icmp", from_port=8, to_port=0),
    dict(protocol="udp", cidr=None, cidr_ipv6="::/0", from_port=53, to_port=53),
    dict(protocol="udp", from_port=53, to_port=53),
    dict(protocol="tcp", cidr=None, prefix_list_id="pl-1", from_port=443, to_port=443),
]


@st.composite
def scenarios(draw) -> tuple[Inventory, PlanOptions]:
    prefixlen = draw(st.sampled_from([56, 60]))
    block = f"2600:1f18:abcd:1200::/{prefixlen}" if draw(st.booleans()) else None
    count = 1 << (64 - prefixlen)
    octets = draw(st.lists(st.integers(0, 255), min_size=1, max_size=20 if prefixlen == 60 else 8, unique=True))
    free = list(range(count))
    subnets = []
    for n, octet in enumerate(octets):
        kind = draw(st.sampled_from(["plain", "plain", "has64", "native"]))
        if kind == "has64" and block and free:
            index = draw(st.sampled_from(free))
            free.remove(index)
            subnets.append(subnet(f"subnet-{n}", f"10.0.{octet}.0/24", ipv6=nth_subnet64(block, index), assign_ipv6_on_creation=draw(st.booleans())))
        elif kind == "native":
            subnets.append(subnet(f"subnet-{n}", "", ipv6_native=True))
        else:
            subnets.append(subnet(f"subnet-{n}", f"10.0.{octet}.0/24"))
    ids = [s.id for s in subnets]
    gateways = [eigw("eigw-1")] if draw(st.booleans()) else []
    main_v6 = draw(st.sampled_from([None, "pcx-1"] + (["eigw-1"] if gateways else [])))
    # The main table's IPv4 egress: NAT (the usual case), a transit gateway, or none (isolated).
    main_v4 = draw(st.sampled_from(["nat-1", "nat-1", "tgw-1", None]))
    main_routes = ([Route(destination="0.0.0.0/0", target=main_v4)] if main_v4 else []) + (
        [Route(destination="::/0", target=main_v6)] if main_v6 else [])
    public_ids = draw(st.lists(st.sampled_from(ids), unique=True))
    tables = [
        RouteTable(id="rtb-main", main=True, routes=main_routes),
        RouteTable(id="rtb-pub", subnet_ids=public_ids, routes=[Route(destination="0.0.0.0/0", target="igw-1")]),
    ]
    acl_entries = []
    for egress in (False, True):
        numbers = draw(st.lists(st.sampled_from([90, 99, 100, 101, 102, 110, 111, 200]), unique=True, max_size=5))
        for number in numbers:
            template = dict(draw(st.sampled_from(ACL_TEMPLATES)))
            acl_entries.append(acl_entry(number, egress, **template))
    acls = [
        NetworkAcl(id="acl-default", is_default=True, subnet_ids=[], entries=[acl_entry(100, False), acl_entry(100, True), *draw(
            st.sampled_from([[], [acl_entry(110, False, protocol="6", port_from=443, port_to=443)],
                             [acl_entry(90, True, protocol="6", action="deny", port_from=25, port_to=25)]]))]),
        NetworkAcl(id="acl-custom", subnet_ids=draw(st.lists(st.sampled_from(ids), unique=True)), entries=acl_entries),
    ]
    templates = draw(st.lists(st.sampled_from(range(len(SG_TEMPLATES))), unique=True))
    groups = [SecurityGroup(id="sg-app", name="app", egress_rules=[sg_rule(f"sgr-{i}", **SG_TEMPLATES[i]) for i in templates])]
    functions = []
    for n in range(draw(st.integers(0, 3))):
        alias = draw(st.sampled_from(["normal", "normal", "none", "weighted", "provisioned", "latest"]))
        aliases = {
            "normal": [Alias(name="live", function_version="3")],
            "none": [],
            "weighted": [Alias(name="live", function_version="2", additional_weights={"3": 0.5})],
            "provisioned": [Alias(name="live", function_version="3", provisioned_concurrency=2)],
            "latest": [Alias(name="live", function_version="$LATEST")],
        }[alias]
        released = CODE if draw(st.integers(0, 4)) else "0ld" * 10
        fn_subnets = tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True)))
        versions = [FunctionVersion(version=str(v), code_sha256=released) for v in (1, 2, 3)]
        functions.append(function(f"fn-{n}", subnets=fn_subnets, versions=versions, aliases=aliases))
    inv = inventory(
        vpc=vpc(block) if block else vpc(),
        subnets=subnets,
        route_tables=tables,
        network_acls=acls,
        egress_only_gateways=gateways,
        security_groups=groups,
        functions=functions,
    )
    chosen = draw(st.one_of(st.none(), st.lists(st.sampled_from(ids), unique=True)))
    options = PlanOptions(subnet_ids=chosen, assign_ipv6_on_creation=draw(st.booleans()), public_ipv6_route=draw(st.booleans()))
    return inv, options


def _assert_placeholders_are_wired(plan: Plan, vpc_block_known: bool) -> None:
    seen: dict[str, list[str]] = {}
    for action in plan.actions():
        for name in placeholders(action.call.params):
            if name in ("session", "client_token"):
                continue
            if name.startswith("subnet64:"):
                assert not vpc_block_known, "a /64 placeholder although the block is known"
                continue
            source, _, key = name.rpartition(".")
            assert source in seen, f"{action.id} uses {source} before it is planned"
            assert key in seen[source], f"{source} does not record {key}"
            assert source in action.after_actions, f"{action.id} does not wait for {source}"
        for name in placeholders(action.inverse.params if action.inverse else {}):
            source, _, key = name.rpartition(".")
            assert source in {*seen, action.id} and key in (seen.get(source) or action.outputs)
        seen[action.id] = action.outputs


@settings(max_examples=80, deadline=None)
@given(scenario=scenarios())
def test_applying_a_plan_then_replanning_yields_an_empty_plan(scenario) -> None:
    inv, options = scenario
    plan = build_plan(inv, options)
    assert len({a.id for a in plan.actions()}) == len(plan.actions())
    _assert_placeholders_are_wired(plan, inv.vpc.ipv6_block is not None)
    done = apply_plan(inv, plan)
    again = build_plan(done, options)
    assert again.is_empty, [a.id for a in again.actions()]


@settings(max_examples=80, deadline=None)
@given(scenario=scenarios())
def test_every_chosen_subnet_is_covered_or_reported_and_64s_never_overlap(scenario) -> None:
    inv, options = scenario
    plan = build_plan(inv, options)
    step = plan.step("subnets")
    planned = {a.resource_id: a.call.params["Ipv6CidrBlock"] for a in step.actions if a.kind == "associate-subnet-ipv6"}
    blocked = " ".join(f.message for f in step.findings if f.kind == "blocker")
    noted = {f.resource_id for f in step.findings if f.kind == "info"}
    chosen = [s for s in inv.subnets if options.subnet_ids is None or s.id in options.subnet_ids]
    for s in chosen:
        assert s.ipv6_cidr or s.id in planned or s.id in noted or s.id in blocked, f"{s.id} is neither covered nor reported"
    block = inv.vpc.ipv6_block
    if block is not None:
        held = [IPv6Network(s.ipv6_cidr) for s in inv.subnets if s.ipv6_cidr]
        new = [IPv6Network(c) for c in planned.values()]
        assert all(n.subnet_of(IPv6Network(block.cidr)) and n.prefixlen == 64 for n in new)
        everything = held + new
        assert len(everything) == len(set(everything)), "a /64 is handed out twice"
    else:
        indexes = [c for c in planned.values()]
        assert len(indexes) == len(set(indexes)) and all(c.startswith("${subnet64:") for c in indexes)


def test_a_half_migrated_vpc_plans_only_what_is_left() -> None:
    inv = inventory()
    first = build_plan(inv)
    # apply only the network steps, as an operator running `apply --until routes` would
    partial = Plan.model_validate(first.model_dump() | {"steps": [
        s if s.name in ("vpc-cidr", "subnets", "egress-gateway", "routes") else s.model_copy(update={"actions": []}) for s in first.steps]})
    middle = apply_plan(inv, partial)
    second = build_plan(middle)
    assert [s.name for s in second.steps if s.actions] == ["network-acls", "security-groups", "functions", "cutover"]
    assert second.action("functions:update:orders").call.params["VpcConfig"]["SubnetIds"] == ["subnet-priv-a", "subnet-priv-b"]
    assert not any(a.after_actions and a.after_actions[0].startswith("vpc-cidr") for a in second.actions())


def test_a_fully_migrated_vpc_plans_nothing_whatever_the_options() -> None:
    options = PlanOptions(assign_ipv6_on_creation=True, public_ipv6_route=True)
    inv = inventory()
    first = build_plan(inv, options)
    assert {a.kind for a in first.actions()} == {
        "associate-vpc-ipv6", "associate-subnet-ipv6", "enable-assign-ipv6", "create-egress-gateway", "create-route",
        "create-nacl-entry", "authorize-sg-egress", "update-function-config", "publish-version", "cutover-alias"}
    done = apply_plan(inv, first)
    for again in (build_plan(done, options), build_plan(done)):
        assert again.is_empty, [a.id for a in again.actions()]
        assert not [f for f in again.findings if f.kind in ("conflict", "blocker")]
