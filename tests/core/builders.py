"""Inventory builders for the pure core tests: a small, typical VPC and ways to vary it."""

from __future__ import annotations

from v6wizard.core.inventory import (
    Alias,
    CidrAssociation,
    EgressOnlyGateway,
    FunctionVersion,
    InternetGateway,
    Inventory,
    LambdaFunction,
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

VPC_BLOCK = "2600:1f18:abcd:1200::/56"
CODE = "c0de" * 16


def vpc(ipv6: str | None = None, state: str = "associated") -> Vpc:
    assocs = [CidrAssociation(association_id="vpc-cidr-assoc-6", cidr=ipv6, state=state, pool="Amazon")] if ipv6 is not None else []
    return Vpc(id="vpc-1", name="main", cidr_block="10.0.0.0/16", ipv6_associations=assocs)


def subnet(sid: str, cidr: str, ipv6: str | None = None, **extra) -> Subnet:
    assoc = CidrAssociation(association_id=f"subnet-cidr-assoc-{sid}", cidr=ipv6, state="associated") if ipv6 else None
    return Subnet(id=sid, name=sid.removeprefix("subnet-"), availability_zone="us-east-1a", cidr_block=cidr, ipv6_association=assoc, **extra)


def acl_entry(number: int, egress: bool, protocol: str = "-1", cidr: str | None = "0.0.0.0/0", action: str = "allow", **extra) -> NetworkAclEntry:
    return NetworkAclEntry(rule_number=number, egress=egress, protocol=protocol, rule_action=action, cidr_block=cidr, **extra)


def sg_rule(rule_id: str, protocol: str = "-1", cidr: str | None = "0.0.0.0/0", **extra) -> SecurityGroupRule:
    return SecurityGroupRule(rule_id=rule_id, group_id="sg-app", protocol=protocol, cidr_ipv4=cidr, **extra)


def function(name: str = "orders", subnets: tuple[str, ...] = ("subnet-priv-a", "subnet-priv-b"), **extra) -> LambdaFunction:
    values = dict(
        name=name,
        arn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
        code_sha256=CODE,
        subnet_ids=list(subnets),
        security_group_ids=["sg-app"],
        versions=[FunctionVersion(version=str(n), code_sha256=CODE, subnet_ids=list(subnets), security_group_ids=["sg-app"]) for n in (1, 2, 3)],
        aliases=[Alias(name="live", function_version="3", revision_id="r-1")],
    )
    values.update(extra)
    return LambdaFunction(**values)


def inventory(**overrides) -> Inventory:
    """A VPC with one public and two private subnets, a NAT, a custom ACL, one function."""
    values = dict(
        account_id="123456789012",
        region="us-east-1",
        vpc=vpc(),
        subnets=[
            subnet("subnet-pub-a", "10.0.0.0/24", map_public_ip_on_launch=True),
            subnet("subnet-priv-a", "10.0.1.0/24"),
            subnet("subnet-priv-b", "10.0.2.0/24"),
        ],
        route_tables=[
            RouteTable(
                id="rtb-main",
                name="private",
                main=True,
                routes=[Route(destination="10.0.0.0/16", target="local", origin="CreateRouteTable"), Route(destination="0.0.0.0/0", target="nat-1")],
            ),
            RouteTable(
                id="rtb-pub",
                name="public",
                subnet_ids=["subnet-pub-a"],
                routes=[Route(destination="10.0.0.0/16", target="local", origin="CreateRouteTable"), Route(destination="0.0.0.0/0", target="igw-1")],
            ),
        ],
        network_acls=[
            NetworkAcl(id="acl-default", is_default=True, subnet_ids=["subnet-pub-a"], entries=[acl_entry(100, False), acl_entry(100, True)]),
            NetworkAcl(
                id="acl-private",
                name="private",
                subnet_ids=["subnet-priv-a", "subnet-priv-b"],
                entries=[
                    acl_entry(100, False, cidr="10.0.0.0/16"),
                    acl_entry(110, False, protocol="6", port_from=1024, port_to=65535),
                    acl_entry(100, True),
                    acl_entry(32767, False, action="deny"),
                    acl_entry(32767, True, action="deny"),
                ],
            ),
        ],
        internet_gateways=[InternetGateway(id="igw-1")],
        nat_gateways=[NatGateway(id="nat-1", subnet_id="subnet-pub-a", state="available")],
        security_groups=[
            SecurityGroup(
                id="sg-app",
                name="app",
                egress_rules=[
                    sg_rule("sgr-all"),
                    sg_rule("sgr-db", protocol="tcp", cidr="10.0.0.0/16", from_port=5432, to_port=5432),
                    sg_rule("sgr-pl", protocol="tcp", cidr=None, prefix_list_id="pl-s3", from_port=443, to_port=443),
                    sg_rule("sgr-peer", protocol="tcp", cidr=None, referenced_group_id="sg-db", from_port=5432, to_port=5432),
                ],
            )
        ],
        functions=[function()],
    )
    values.update(overrides)
    return Inventory(**values)


def eigw(gid: str = "eigw-1") -> EgressOnlyGateway:
    return EgressOnlyGateway(id=gid)
