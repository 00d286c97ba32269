"""Fixtures for the emulator tests: a VPC with an associated IPv6 block, a subnet, a VPC function."""

from __future__ import annotations

from typing import Any

import pytest

from v6wizard.aws.session import AwsAccess

from .helpers import wait_associated, zipped_handler


@pytest.fixture
def ec2(access: AwsAccess) -> Any:
    return access.client("ec2")


@pytest.fixture
def lam(access: AwsAccess) -> Any:
    return access.client("lambda")


@pytest.fixture
def dual_stack(ec2: Any) -> dict[str, Any]:
    """A VPC with an associated Amazon /56 and one subnet without a block yet."""
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.associate_vpc_cidr_block(VpcId=vpc_id, AmazonProvidedIpv6CidrBlock=True)
    block = wait_associated(ec2, vpc_id)
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    return {"vpc": vpc_id, "block": block["Ipv6CidrBlock"], "association": block["AssociationId"], "subnet": subnet_id}


@pytest.fixture
def function(access: AwsAccess, ec2: Any, lam: Any, dual_stack: dict[str, Any]) -> dict[str, Any]:
    """A VPC-attached function in the dual-stack fixture's subnet (which has no IPv6 block yet)."""
    role = access.client("iam").create_role(RoleName="fn-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    group = ec2.create_security_group(VpcId=dual_stack["vpc"], GroupName="fn", Description="fn")["GroupId"]
    lam.create_function(
        FunctionName="fn",
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": zipped_handler()},
        VpcConfig={"SubnetIds": [dual_stack["subnet"]], "SecurityGroupIds": [group]},
    )
    return {**dual_stack, "name": "fn", "group": group}
