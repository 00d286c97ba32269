"""The EC2 rules moto does not enforce are enforced by the strict layer, with AWS's codes."""

from __future__ import annotations

from typing import Any

from .helpers import error_code, subnet_block, wait_associated


def test_new_vpc_ipv6_block_reads_associating_before_associated(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    answer = ec2.associate_vpc_cidr_block(VpcId=vpc_id, AmazonProvidedIpv6CidrBlock=True)
    assert answer["Ipv6CidrBlockAssociation"]["Ipv6CidrBlockState"]["State"] == "associating"
    first = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"][0]
    assert first["Ipv6CidrBlockState"]["State"] == "associating"
    assert wait_associated(ec2, vpc_id)["AssociationId"] == first["AssociationId"]


def test_subnet_holds_at_most_one_ipv6_block(ec2: Any, dual_stack: dict[str, Any]) -> None:
    ec2.associate_subnet_cidr_block(SubnetId=dual_stack["subnet"], Ipv6CidrBlock=subnet_block(dual_stack["block"], 0))
    code = error_code(
        ec2.associate_subnet_cidr_block, SubnetId=dual_stack["subnet"], Ipv6CidrBlock=subnet_block(dual_stack["block"], 1)
    )
    assert code == "InvalidParameterValue"


def test_subnet_ipv6_state_is_plain_text(ec2: Any, dual_stack: dict[str, Any]) -> None:
    ec2.associate_subnet_cidr_block(SubnetId=dual_stack["subnet"], Ipv6CidrBlock=subnet_block(dual_stack["block"], 0))
    subnet = ec2.describe_subnets(SubnetIds=[dual_stack["subnet"]])["Subnets"][0]
    assert [a["Ipv6CidrBlockState"]["State"] for a in subnet["Ipv6CidrBlockAssociationSet"]] == ["associated"]


def test_vpc_block_in_use_by_a_subnet_cannot_be_disassociated_until_the_subnet_lets_go(
    ec2: Any, dual_stack: dict[str, Any]
) -> None:
    held = ec2.associate_subnet_cidr_block(SubnetId=dual_stack["subnet"], Ipv6CidrBlock=subnet_block(dual_stack["block"], 3))
    assert error_code(ec2.disassociate_vpc_cidr_block, AssociationId=dual_stack["association"]) == "InvalidCidrBlock.InUse"
    ec2.disassociate_subnet_cidr_block(AssociationId=held["Ipv6CidrBlockAssociation"]["AssociationId"])
    released = ec2.disassociate_vpc_cidr_block(AssociationId=dual_stack["association"])
    assert released["Ipv6CidrBlockAssociation"]["AssociationId"] == dual_stack["association"]


def test_assign_ipv6_on_creation_needs_the_block_and_must_be_off_to_disassociate(ec2: Any, dual_stack: dict[str, Any]) -> None:
    subnet = dual_stack["subnet"]
    on = {"SubnetId": subnet, "AssignIpv6AddressOnCreation": {"Value": True}}
    assert error_code(ec2.modify_subnet_attribute, **on) == "InvalidParameterValue"
    held = ec2.associate_subnet_cidr_block(SubnetId=subnet, Ipv6CidrBlock=subnet_block(dual_stack["block"], 0))
    association = held["Ipv6CidrBlockAssociation"]["AssociationId"]
    ec2.modify_subnet_attribute(**on)
    assert error_code(ec2.disassociate_subnet_cidr_block, AssociationId=association) == "InvalidCidrBlock.InUse"
    ec2.modify_subnet_attribute(SubnetId=subnet, AssignIpv6AddressOnCreation={"Value": False})
    ec2.disassociate_subnet_cidr_block(AssociationId=association)
    left = ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0].get("Ipv6CidrBlockAssociationSet", [])
    assert [a for a in left if a["Ipv6CidrBlockState"]["State"] == "associated"] == []


def test_route_to_an_existing_destination_fails(ec2: Any, dual_stack: dict[str, Any]) -> None:
    gateway = ec2.create_egress_only_internet_gateway(VpcId=dual_stack["vpc"])["EgressOnlyInternetGateway"]
    table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [dual_stack["vpc"]]}])["RouteTables"][0]
    route = {
        "RouteTableId": table["RouteTableId"],
        "DestinationIpv6CidrBlock": "::/0",
        "EgressOnlyInternetGatewayId": gateway["EgressOnlyInternetGatewayId"],
    }
    ec2.create_route(**route)
    assert error_code(ec2.create_route, **route) == "RouteAlreadyExists"


def test_duplicate_security_group_rule_fails(ec2: Any, dual_stack: dict[str, Any]) -> None:
    group = ec2.create_security_group(VpcId=dual_stack["vpc"], GroupName="g", Description="g")["GroupId"]
    rule = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]
    ec2.authorize_security_group_egress(GroupId=group, IpPermissions=rule)
    assert error_code(ec2.authorize_security_group_egress, GroupId=group, IpPermissions=rule) == "InvalidPermission.Duplicate"


def test_egress_only_gateway_client_token_is_idempotent_and_checks_parameters(ec2: Any, dual_stack: dict[str, Any]) -> None:
    first = ec2.create_egress_only_internet_gateway(VpcId=dual_stack["vpc"], ClientToken="token-1")
    again = ec2.create_egress_only_internet_gateway(VpcId=dual_stack["vpc"], ClientToken="token-1")
    gateway_id = first["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
    assert again["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"] == gateway_id
    assert len(ec2.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"]) == 1
    other_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    code = error_code(ec2.create_egress_only_internet_gateway, VpcId=other_vpc, ClientToken="token-1")
    assert code == "IdempotentParameterMismatch"


def test_concurrent_creates_with_one_client_token_make_one_gateway(ec2: Any, dual_stack: dict[str, Any]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: ec2.create_egress_only_internet_gateway(VpcId=dual_stack["vpc"], ClientToken="same"), range(8)))
    ids = {a["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"] for a in answers}
    assert len(ids) == 1
    assert len(ec2.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"]) == 1


def test_dry_run_answers_dry_run_operation_and_changes_nothing(ec2: Any, dual_stack: dict[str, Any]) -> None:
    vpc = dual_stack["vpc"]
    assert error_code(ec2.create_egress_only_internet_gateway, VpcId=vpc, DryRun=True) == "DryRunOperation"
    assert ec2.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"] == []
    gateway = ec2.create_egress_only_internet_gateway(VpcId=vpc)["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
    table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]["RouteTableId"]
    route = {"RouteTableId": table, "DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": gateway}
    assert error_code(ec2.create_route, DryRun=True, **route) == "DryRunOperation"
    routes = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]["Routes"]
    assert not [r for r in routes if r.get("DestinationIpv6CidrBlock") == "::/0"]
    group = ec2.create_security_group(VpcId=vpc, GroupName="d", Description="d")["GroupId"]
    rule = [{"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]
    assert error_code(ec2.authorize_security_group_egress, GroupId=group, IpPermissions=rule, DryRun=True) == "DryRunOperation"
    assert error_code(ec2.delete_egress_only_internet_gateway, EgressOnlyInternetGatewayId=gateway, DryRun=True) == "DryRunOperation"


def test_right_ordering_passes_end_to_end(ec2: Any, dual_stack: dict[str, Any]) -> None:
    """Associate, poll, subnet block, attribute on; then undo in reverse: attribute off, subnet, VPC block."""
    subnet = dual_stack["subnet"]
    held = ec2.associate_subnet_cidr_block(SubnetId=subnet, Ipv6CidrBlock=subnet_block(dual_stack["block"], 0))
    ec2.modify_subnet_attribute(SubnetId=subnet, AssignIpv6AddressOnCreation={"Value": True})
    ec2.modify_subnet_attribute(SubnetId=subnet, AssignIpv6AddressOnCreation={"Value": False})
    ec2.disassociate_subnet_cidr_block(AssociationId=held["Ipv6CidrBlockAssociation"]["AssociationId"])
    ec2.disassociate_vpc_cidr_block(AssociationId=dual_stack["association"])
    vpc = ec2.describe_vpcs(VpcIds=[dual_stack["vpc"]])["Vpcs"][0]
    assert [b["Ipv6CidrBlockState"]["State"] for b in vpc["Ipv6CidrBlockAssociationSet"]] == ["disassociated"]
