"""Corrections where moto answers differently from AWS (always on)."""

from __future__ import annotations

from typing import Any

from v6wizard.aws.session import AwsAccess


def _default_acl(ec2: Any, vpc_id: str) -> dict[str, Any]:
    return ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]


def _ipv6_rules(acl: dict[str, Any], egress: bool) -> set[tuple[int, str]]:
    return {(e["RuleNumber"], e["RuleAction"]) for e in acl["Entries"] if e.get("Ipv6CidrBlock") == "::/0" and e["Egress"] == egress}


def test_a_stock_default_acl_gets_aws_ipv6_rules_with_the_vpc_block(access: AwsAccess) -> None:
    ec2 = access.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    assert _ipv6_rules(_default_acl(ec2, vpc), egress=False) == set()
    ec2.associate_vpc_cidr_block(VpcId=vpc, AmazonProvidedIpv6CidrBlock=True)
    acl = _default_acl(ec2, vpc)
    assert _ipv6_rules(acl, egress=False) == {(101, "allow"), (32768, "deny")}
    assert _ipv6_rules(acl, egress=True) == {(101, "allow"), (32768, "deny")}


def test_a_modified_direction_of_the_default_acl_gets_no_ipv6_allow(access: AwsAccess) -> None:
    ec2 = access.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    acl_id = _default_acl(ec2, vpc)["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=acl_id, RuleNumber=90, Protocol="6", RuleAction="deny", Egress=False, CidrBlock="0.0.0.0/0", PortRange={"From": 22, "To": 22})
    ec2.associate_vpc_cidr_block(VpcId=vpc, AmazonProvidedIpv6CidrBlock=True)
    acl = _default_acl(ec2, vpc)
    assert _ipv6_rules(acl, egress=False) == set()
    assert _ipv6_rules(acl, egress=True) == {(101, "allow"), (32768, "deny")}


def test_an_ipv4_secondary_block_adds_no_ipv6_rules(access: AwsAccess) -> None:
    ec2 = access.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.1.0.0/16")
    assert _ipv6_rules(_default_acl(ec2, vpc), egress=True) == set()
