"""A small account for engine tests: one of everything the engine touches, seeded in about a second.

One VPC with a public subnet (internet gateway) and two private subnets behind a
route table with a NAT-style IPv4 default route, a custom network ACL with allow-all
IPv4 entries, a security group with one tcp/443 egress rule to 0.0.0.0/0, and one
function in the private subnets.
"""

from __future__ import annotations

from v6wizard.aws.session import AwsAccess
from v6wizard.demo import builder as b
from v6wizard.demo.builder import ScenarioInfo


def small(access: AwsAccess, *, functions: int = 1, alias: str = "") -> ScenarioInfo:
    b.require_emulator(access)
    ec2 = access.client("ec2")
    vpc_id = b.create_vpc(access, "10.20.0.0/16", "engine-small")
    public = b.create_subnet(access, vpc_id, "10.20.0.0/24", b.AZS[0], "public")
    private = [b.create_subnet(access, vpc_id, f"10.20.{i + 1}.0/24", b.AZS[i % 3], f"private-{i}") for i in range(2)]
    igw = b.create_internet_gateway(access, vpc_id, "igw")
    b.create_route_table(access, vpc_id, "public", [public], [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}])
    nat = b.create_nat_gateway(access, public, "nat")
    private_table = b.create_route_table(
        access, vpc_id, "private", private, [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat}]
    )
    acl = b.create_network_acl(access, vpc_id, "private-acl", private, b.allow_all_entries())
    group = b.create_security_group(access, vpc_id, "fn", "function egress")
    for rule in ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]:
        if rule["IsEgress"]:
            ec2.revoke_security_group_egress(GroupId=group, SecurityGroupRuleIds=[rule["SecurityGroupRuleId"]])
    b.authorize_egress(access, group, [b.tcp(443, cidr="0.0.0.0/0")])
    role = b.ensure_role(access)
    names = [f"engine-fn-{i}" for i in range(functions)]
    b.in_parallel(lambda name: b.create_function(access, role, name, private, [group], alias=alias), names)
    return ScenarioInfo(
        name="engine-small",
        vpc_id=vpc_id,
        vpc_cidr="10.20.0.0/16",
        function_names=names,
        subnet_ids=[public, *private],
        public_subnet_ids=[public],
        private_subnet_ids=private,
        route_table_ids=[private_table],
        security_group_ids={"fn": group},
        nat_gateway_ids=[nat],
        internet_gateway_id=igw,
        network_acl_ids=[acl],
    )
