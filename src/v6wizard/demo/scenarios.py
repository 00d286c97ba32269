"""Seeded accounts for tests and benches: each a function `(access) -> ScenarioInfo`.

- `demo`: the demo account (`seed_demo`).
- `half_migrated`: an Amazon /56 already on the VPC, some subnets with /64s (and one
  whose /64 was disassociated, plus a disassociated secondary IPv4 block), an egress-only gateway, one route table with `::/0`,
  one security group with its `::/0` egress twin.
- `many_subnets(n=200)`: a /16 with n /24 subnets behind one NAT.
- `ipv6_only_subnet`: an IPv6 VPC with dual-stack subnets and one IPv6-only subnet.
- `weighted_alias`: a function whose `live` alias already routes 10% to version 2.
- `bench_scale`: 200 subnets, 40 route tables, 40 security groups, 100 functions.

All run only against the emulator (see `builder.require_emulator`).
"""

from __future__ import annotations

import time
from ipaddress import IPv6Network
from typing import Any

from v6wizard.aws.session import AwsAccess
from v6wizard.demo import builder as b
from v6wizard.demo.builder import ScenarioInfo
from v6wizard.demo.seed import seed_demo

ASSOCIATE_TIMEOUT = 10.0
"""Seconds to wait for a VPC IPv6 block to leave `associating`."""


def demo(access: AwsAccess) -> ScenarioInfo:
    return seed_demo(access)


def associate_amazon_block(access: AwsAccess, vpc_id: str) -> IPv6Network:
    """Associate an Amazon /56 and poll DescribeVpcs until it is associated (there is no waiter)."""
    ec2 = access.client("ec2")
    ec2.associate_vpc_cidr_block(VpcId=vpc_id, AmazonProvidedIpv6CidrBlock=True)
    deadline = time.monotonic() + ASSOCIATE_TIMEOUT
    while True:
        vpc = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
        for assoc in vpc.get("Ipv6CidrBlockAssociationSet") or []:
            if assoc["Ipv6CidrBlockState"]["State"] == "associated":
                return IPv6Network(assoc["Ipv6CidrBlock"])
        if time.monotonic() > deadline:
            raise TimeoutError(f"the IPv6 block of {vpc_id} did not become associated in {ASSOCIATE_TIMEOUT:.0f} s")
        time.sleep(0.05)


def subnet64(block: IPv6Network, index: int) -> str:
    """The index-th /64 of a /56."""
    return str(IPv6Network((int(block.network_address) + (index << 64), 64)))


def _private_network(access: AwsAccess, vpc_id: str, name: str, public_cidr: str, private_cidrs: list[str]) -> dict[str, Any]:
    """One public subnet with an internet gateway and a NAT, private subnets routed through it."""
    public = b.create_subnet(access, vpc_id, public_cidr, b.AZS[0], f"{name}-public")
    private = b.in_parallel(
        lambda item: b.create_subnet(access, vpc_id, item[1], b.AZS[item[0] % len(b.AZS)], f"{name}-private-{item[0]}"),
        list(enumerate(private_cidrs)),
    )
    igw = b.create_internet_gateway(access, vpc_id, f"{name}-igw")
    nat = b.create_nat_gateway(access, public, f"{name}-nat")
    public_table = b.create_route_table(access, vpc_id, f"{name}-public", [public], [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}])
    private_table = b.create_route_table(access, vpc_id, f"{name}-private", [], [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat}])
    ec2 = access.client("ec2")
    b.in_parallel(lambda subnet_id: ec2.associate_route_table(RouteTableId=private_table, SubnetId=subnet_id), private)
    return {"public": public, "private": private, "igw": igw, "nat": nat, "tables": [public_table, private_table]}


def half_migrated(access: AwsAccess) -> ScenarioInfo:
    """A VPC part-way through a migration done by hand, with one lingering disassociated /64."""
    b.require_emulator(access)
    ec2 = access.client("ec2")
    role = b.ensure_role(access)
    vpc_id = b.create_vpc(access, "10.2.0.0/16", "half-migrated")
    net = _private_network(access, vpc_id, "half", "10.2.0.0/24", ["10.2.10.0/24", "10.2.11.0/24", "10.2.12.0/24"])
    # Groups made before the block exist get only the IPv4 default egress (AWS adds ::/0 to later ones).
    twin_group = b.create_security_group(access, vpc_id, "half-twinned", "egress with its IPv6 twin")
    plain_group = b.create_security_group(access, vpc_id, "half-plain", "egress IPv4 only")
    block = associate_amazon_block(access, vpc_id)
    public, (first, second, third) = net["public"], net["private"]
    # The public subnet and the first private one already hold /64s #0 and #1.
    for index, subnet_id in enumerate([public, first]):
        ec2.associate_subnet_cidr_block(SubnetId=subnet_id, Ipv6CidrBlock=subnet64(block, index))
    # The third private subnet had /64 #2 and gave it back: AWS keeps showing it as disassociated.
    gone = ec2.associate_subnet_cidr_block(SubnetId=third, Ipv6CidrBlock=subnet64(block, 2))
    ec2.disassociate_subnet_cidr_block(AssociationId=gone["Ipv6CidrBlockAssociation"]["AssociationId"])

    # A secondary IPv4 block that was added and removed again: it lingers as disassociated.
    secondary = ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="10.102.0.0/16")["CidrBlockAssociation"]["AssociationId"]
    ec2.disassociate_vpc_cidr_block(AssociationId=secondary)

    eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc_id, TagSpecifications=b.tag_spec("egress-only-internet-gateway", "half-eigw"))
    eigw_id = eigw["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
    public_table, private_table = net["tables"]
    ec2.create_route(RouteTableId=private_table, DestinationIpv6CidrBlock="::/0", EgressOnlyInternetGatewayId=eigw_id)

    twin_rules = b.authorize_egress(access, twin_group, [{"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}])

    functions = ["half-api", "half-worker"]
    b.create_function(access, role, functions[0], [first, second], [twin_group])
    b.create_function(access, role, functions[1], [second, third], [plain_group])
    return ScenarioInfo(
        name="half_migrated",
        vpc_id=vpc_id,
        vpc_cidr="10.2.0.0/16",
        function_names=functions,
        subnet_ids=[public, first, second, third],
        public_subnet_ids=[public],
        private_subnet_ids=[first, second, third],
        route_table_ids=[public_table, private_table],
        security_group_ids={"half-twinned": twin_group, "half-plain": plain_group},
        nat_gateway_ids=[net["nat"]],
        internet_gateway_id=net["igw"],
        egress_only_gateway_id=eigw_id,
        extra={
            "ipv6_block": str(block),
            "twin_rule_id": twin_rules[0],
            "ipv6_route_table_id": private_table,
            "disassociated_subnet_id": third,
            "disassociated_vpc_association_id": secondary,
            "disassociated_association_id": gone["Ipv6CidrBlockAssociation"]["AssociationId"],
        },
    )


def many_subnets(access: AwsAccess, n: int = 200, functions: int = 1) -> ScenarioInfo:
    """A /16 with `n` /24 subnets (one public, the rest private behind one NAT) and `functions` functions."""
    b.require_emulator(access)
    if not 2 <= n <= 256:
        raise ValueError("many_subnets needs between 2 and 256 subnets in a /16")
    role = b.ensure_role(access)
    vpc_id = b.create_vpc(access, "10.3.0.0/16", f"many-subnets-{n}")
    net = _private_network(access, vpc_id, "many", "10.3.0.0/24", [f"10.3.{i}.0/24" for i in range(1, n)])
    group = b.create_security_group(access, vpc_id, "many-all-egress", "any egress")
    names = ["many-fn", *(f"many-fn-{i}" for i in range(1, functions))]
    b.in_parallel(lambda name: b.create_function(access, role, name, net["private"][:2], [group]), names)
    return ScenarioInfo(
        name="many_subnets",
        vpc_id=vpc_id,
        vpc_cidr="10.3.0.0/16",
        function_names=names,
        subnet_ids=[net["public"], *net["private"]],
        public_subnet_ids=[net["public"]],
        private_subnet_ids=net["private"],
        route_table_ids=net["tables"],
        security_group_ids={"many-all-egress": group},
        nat_gateway_ids=[net["nat"]],
        internet_gateway_id=net["igw"],
    )


def ipv6_only_subnet(access: AwsAccess) -> ScenarioInfo:
    """An IPv6 VPC: two dual-stack subnets with a function, and one IPv6-only subnet."""
    b.require_emulator(access)
    ec2 = access.client("ec2")
    role = b.ensure_role(access)
    vpc_id = b.create_vpc(access, "10.4.0.0/16", "ipv6-only")
    block = associate_amazon_block(access, vpc_id)
    dual = [
        b.create_subnet(access, vpc_id, f"10.4.{i}.0/24", b.AZS[i], f"dual-{i}", Ipv6CidrBlock=subnet64(block, i)) for i in range(2)
    ]
    native = b.create_subnet(access, vpc_id, "", b.AZS[2], "v6-only", Ipv6CidrBlock=subnet64(block, 2), Ipv6Native=True)
    ec2.modify_subnet_attribute(SubnetId=native, AssignIpv6AddressOnCreation={"Value": True})
    group = b.create_security_group(access, vpc_id, "v6-all-egress", "any egress")
    b.create_function(access, role, "dual-fn", dual, [group])
    return ScenarioInfo(
        name="ipv6_only_subnet",
        vpc_id=vpc_id,
        vpc_cidr="10.4.0.0/16",
        function_names=["dual-fn"],
        subnet_ids=[*dual, native],
        private_subnet_ids=dual,
        security_group_ids={"v6-all-egress": group},
        extra={"ipv6_block": str(block), "ipv6_native_subnet_id": native},
    )


def weighted_alias(access: AwsAccess) -> ScenarioInfo:
    """A function whose `live` alias points at version 1 and routes 10% to version 2."""
    b.require_emulator(access)
    role = b.ensure_role(access)
    vpc_id = b.create_vpc(access, "10.5.0.0/16", "weighted")
    subnets = [b.create_subnet(access, vpc_id, f"10.5.{i}.0/24", b.AZS[i], f"weighted-{i}") for i in range(2)]
    group = b.create_security_group(access, vpc_id, "weighted-all-egress", "any egress")
    b.create_function(access, role, "canary-fn", subnets, [group], alias="", versions=2)
    client = access.client("lambda")
    client.create_alias(
        FunctionName="canary-fn", Name="live", FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}}
    )
    return ScenarioInfo(
        name="weighted_alias",
        vpc_id=vpc_id,
        vpc_cidr="10.5.0.0/16",
        function_names=["canary-fn"],
        subnet_ids=subnets,
        private_subnet_ids=subnets,
        security_group_ids={"weighted-all-egress": group},
        extra={"primary_version": "1", "weighted_version": "2", "weight": "0.1"},
    )


BENCH_SUBNETS = 200
BENCH_TABLES = 40
BENCH_GROUPS = 40
BENCH_FUNCTIONS = 100


def bench_scale(access: AwsAccess) -> ScenarioInfo:
    """200 subnets, 40 route tables, 40 security groups (and the default), 100 functions."""
    b.require_emulator(access)
    ec2 = access.client("ec2")
    role = b.ensure_role(access)
    vpc_id = b.create_vpc(access, "10.6.0.0/16", "bench-scale")
    subnets = b.in_parallel(
        lambda i: b.create_subnet(access, vpc_id, f"10.6.{i}.0/24", b.AZS[i % 3], f"bench-{i}"), range(BENCH_SUBNETS)
    )
    public, private = subnets[:3], subnets[3:]
    igw = b.create_internet_gateway(access, vpc_id, "bench-igw")
    nats = b.in_parallel(lambda i: b.create_nat_gateway(access, public[i], f"bench-nat-{i}"), range(3))
    public_table = b.create_route_table(access, vpc_id, "bench-public", public, [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}])
    private_count = BENCH_TABLES - 1
    private_tables = b.in_parallel(
        lambda t: b.create_route_table(
            access, vpc_id, f"bench-private-{t}", [], [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nats[t % 3]}]
        ),
        range(private_count),
    )
    b.in_parallel(
        lambda item: ec2.associate_route_table(RouteTableId=private_tables[item[0] % private_count], SubnetId=item[1]),
        list(enumerate(private)),
    )

    def make_group(g: int) -> str:
        group = b.create_security_group(access, vpc_id, f"bench-sg-{g}", "bench group")
        if g % 2:
            b.revoke_default_egress(access, group)
            b.authorize_egress(access, group, [b.tcp(443, cidr="0.0.0.0/0"), b.tcp(5432, cidr="10.20.0.0/16")])
        return group

    groups = b.in_parallel(make_group, range(BENCH_GROUPS))
    names = [f"bench-fn-{i:03d}" for i in range(BENCH_FUNCTIONS)]
    b.in_parallel(
        lambda i: b.create_function(access, role, names[i], [private[i % len(private)], private[(i + 7) % len(private)]], [groups[i % BENCH_GROUPS]]),
        range(BENCH_FUNCTIONS),
    )
    return ScenarioInfo(
        name="bench_scale",
        vpc_id=vpc_id,
        vpc_cidr="10.6.0.0/16",
        function_names=names,
        subnet_ids=subnets,
        public_subnet_ids=public,
        private_subnet_ids=private,
        route_table_ids=[public_table, *private_tables],
        security_group_ids={f"bench-sg-{g}": group for g, group in enumerate(groups)},
        nat_gateway_ids=nats,
        internet_gateway_id=igw,
    )


ALL = {
    "demo": demo,
    "half_migrated": half_migrated,
    "many_subnets": many_subnets,
    "ipv6_only_subnet": ipv6_only_subnet,
    "weighted_alias": weighted_alias,
    "bench_scale": bench_scale,
}
"""Every scenario by name, for benches and parametrized tests."""
