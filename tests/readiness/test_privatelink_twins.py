"""A dual-stack interface endpoint whose groups admit the function subnets over IPv4 only gets IPv6 twins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest

from v6wizard.core.plan import PlanOptions
from v6wizard.engine.runner import Engine
from v6wizard.journal import open_journal
from v6wizard.planning import make_plan

from .conftest import Account


def endpoint_group(access: Any, account: Account, ip_address_type: str = "dualstack") -> str:
    ec2 = access.client("ec2")
    group = ec2.create_security_group(VpcId=account.vpc_id, GroupName=f"endpoint-{ip_address_type}", Description="endpoint")["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.30.0.0/16"}]}]
    )
    ec2.create_vpc_endpoint(
        VpcId=account.vpc_id, ServiceName="com.amazonaws.us-east-1.secretsmanager", VpcEndpointType="Interface",
        SubnetIds=account.private, SecurityGroupIds=[group], PrivateDnsEnabled=True,
        IpAddressType=ip_address_type, DnsOptions={"DnsRecordIpType": ip_address_type},
    )
    return group


def ipv6_ingress(access: Any, group: str) -> list[dict[str, Any]]:
    rules = access.client("ec2").describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
    return [r for r in rules if not r["IsEgress"] and r.get("CidrIpv6")]


def test_twins_are_applied_per_function_subnet_then_undone(access: Any, account: Account, tmp_path: Path) -> None:
    group = endpoint_group(access, account)
    plan = make_plan(access, account.vpc_id, PlanOptions())
    twins = [a for a in plan.step("security-groups").actions if a.kind == "authorize-sg-ingress"]
    assert sorted(a.id.rsplit(":", 1)[1] for a in twins) == sorted(account.private)  # not the public subnet
    engine = Engine(access, open_journal(str(tmp_path / "j.sqlite3")))
    session = engine.start(plan)
    engine.apply(session.id, until="security-groups")
    subnets = access.client("ec2").describe_subnets(SubnetIds=account.private)["Subnets"]
    blocks = sorted(s["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"] for s in subnets)
    rules = ipv6_ingress(access, group)
    assert sorted(r["CidrIpv6"] for r in rules) == blocks
    assert all((r["IpProtocol"], r["FromPort"], r["ToPort"]) == ("tcp", 443, 443) for r in rules)
    engine.rollback(session.id)
    assert ipv6_ingress(access, group) == []


def test_an_ipv4_endpoint_gets_no_twins(access: Any, account: Account) -> None:
    endpoint_group(access, account, "ipv4")
    plan = make_plan(access, account.vpc_id, PlanOptions())
    assert [a for a in plan.actions() if a.kind == "authorize-sg-ingress"] == []


def test_the_emulator_refuses_a_duplicate_ingress_rule_as_aws_does(access: Any, account: Account) -> None:
    ec2 = access.client("ec2")
    permission = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "2600:1f18::/64"}]}]
    ec2.authorize_security_group_ingress(GroupId=account.group, IpPermissions=permission)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.authorize_security_group_ingress(GroupId=account.group, IpPermissions=permission)
    assert refused.value.response["Error"]["Code"] == "InvalidPermission.Duplicate"


def test_a_stale_revision_id_is_refused_with_412(access: Any, account: Account) -> None:
    lam = access.client("lambda")
    revision = lam.get_function_configuration(FunctionName="reader")["RevisionId"]
    lam.update_function_configuration(FunctionName="reader", Description="changed", RevisionId=revision)
    from v6wizard.demo.builder import wait_function_ready

    wait_function_ready(access, "reader")
    assert lam.get_function_configuration(FunctionName="reader")["RevisionId"] != revision
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        lam.update_function_configuration(FunctionName="reader", Description="again", RevisionId=revision)
    assert refused.value.response["Error"]["Code"] == "PreconditionFailedException"
