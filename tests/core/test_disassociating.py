"""A block being disassociated counts as gone, for the VPC as for its subnets (discovery parsing + plan)."""

from __future__ import annotations

from v6wizard.aws.discovery_ec2 import subnet_from, vpc_from
from v6wizard.core.planner import build_plan

from .builders import inventory

LEAVING = {"State": "disassociating"}


def test_a_disassociating_vpc_block_is_dropped_like_a_disassociating_subnet_block_and_a_new_one_is_planned() -> None:
    vpc = vpc_from({
        "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
        "Ipv6CidrBlockAssociationSet": [{
            "AssociationId": "vpc-cidr-assoc-old", "Ipv6CidrBlock": "2600:1f18:abcd:1200::/56",
            "Ipv6CidrBlockState": LEAVING, "Ipv6Pool": "Amazon",
        }],
    })
    subnet = subnet_from({
        "SubnetId": "subnet-priv-a", "AvailabilityZone": "us-east-1a", "CidrBlock": "10.0.1.0/24",
        "Ipv6CidrBlockAssociationSet": [{
            "AssociationId": "subnet-cidr-assoc-old", "Ipv6CidrBlock": "2600:1f18:abcd:1201::/64", "Ipv6CidrBlockState": LEAVING,
        }],
    })
    assert subnet.ipv6_association is None
    assert vpc.ipv6_associations == []
    inv = inventory(vpc=vpc.model_copy(update={"name": "main"}))
    assert [a.id for a in build_plan(inv).step("vpc-cidr").actions] == ["vpc-cidr:associate:vpc-1"]
