"""Readiness fixtures: a real DNS server on 127.0.0.1 and a VPC whose function's role calls a mix of services.

Every readiness test points its lookups at `dns` (never a resolver off this machine).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from v6wizard.aws.session import AwsAccess
from v6wizard.demo import builder as b
from v6wizard.emulator.dns_server import DnsServer, Zone

def cli_test_module(filename: str) -> Any:
    """A module of tests/cli (its fixtures and helpers), loaded by path: tests/cli is not a package."""
    path = Path(__file__).parent.parent / "cli" / filename
    spec = importlib.util.spec_from_file_location(f"v6wizard_tests_cli_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


_cli = cli_test_module("conftest.py")
run_cli = _cli.run_cli
cli_calls = _cli.cli_calls
journal_path = _cli.journal_path

ADDRESS6 = "2600:1f18::10"
ADDRESS4 = "52.94.0.10"


def answering(zone: Zone, host: str, ipv6: bool = True) -> None:
    """`host` resolves: A always, AAAA when `ipv6`."""
    zone.a[host] = [ADDRESS4]
    if ipv6:
        zone.aaaa[host] = [ADDRESS6]


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[DnsServer]:
    """The DNS server the test configures: dynamodb opt-in, secretsmanager IPv6 by default, ecr IPv4-only, s3 opt-in."""
    zone = Zone()
    answering(zone, "dynamodb.us-east-1.amazonaws.com", ipv6=False)
    answering(zone, "dynamodb.us-east-1.api.aws")
    answering(zone, "secretsmanager.us-east-1.amazonaws.com")
    answering(zone, "secretsmanager.us-east-1.api.aws")
    answering(zone, "api.ecr.us-east-1.amazonaws.com", ipv6=False)
    answering(zone, "s3.amazonaws.com", ipv6=False)
    answering(zone, "s3.dualstack.us-east-1.amazonaws.com")
    answering(zone, "sqs.us-east-1.amazonaws.com", ipv6=False)
    answering(zone, "sqs.us-east-1.api.aws")
    with DnsServer(zone) as server:
        monkeypatch.setenv("V6WIZARD_DNS_SERVER", server.address)
        yield server


@dataclass
class Account:
    vpc_id: str
    function: str
    role_name: str
    private: list[str]
    private_table: str
    group: str
    public: str


def policy(*actions: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]})


def make_role(access: AwsAccess, name: str, *, managed: list[str] = (), inline: list[str] = ()) -> str:
    """A role with one customer managed policy and one inline policy, plus Lambda's own VPC access policy."""
    iam = access.client("iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))["Role"]["Arn"]
    if managed:
        policy_arn = iam.create_policy(PolicyName=f"{name}-managed", PolicyDocument=policy(*managed))["Policy"]["Arn"]
        iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
    if inline:
        iam.put_role_policy(RoleName=name, PolicyName=f"{name}-inline", PolicyDocument=policy(*inline))
    vpc_access = policy("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces")
    iam.put_role_policy(RoleName=name, PolicyName="lambda-own", PolicyDocument=vpc_access)
    return arn


@pytest.fixture
def account(access: AwsAccess) -> Account:
    """A VPC with a NAT path, an S3 gateway endpoint on the private table, and one function whose role calls
    s3 + dynamodb (managed policy) and ecr + secretsmanager (inline); its environment names an SQS queue."""
    ec2 = access.client("ec2")
    vpc_id = b.create_vpc(access, "10.30.0.0/16", "readiness")
    public = b.create_subnet(access, vpc_id, "10.30.0.0/24", b.AZS[0], "public")
    private = [b.create_subnet(access, vpc_id, f"10.30.{i + 1}.0/24", b.AZS[i], f"private-{i}") for i in range(2)]
    igw = b.create_internet_gateway(access, vpc_id, "igw")
    b.create_route_table(access, vpc_id, "public", [public], [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}])
    nat = b.create_nat_gateway(access, public, "nat")
    table = b.create_route_table(access, vpc_id, "private", private, [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat}])
    ec2.create_vpc_endpoint(VpcId=vpc_id, ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway", RouteTableIds=[table])
    group = b.create_security_group(access, vpc_id, "fn", "function egress")
    role = make_role(access, "reader", managed=["s3:GetObject", "dynamodb:GetItem", "dynamodb:PutItem"], inline=["ecr:GetAuthorizationToken", "secretsmanager:GetSecretValue"])
    b.create_function(access, role, "reader", private, [group])
    access.client("lambda").update_function_configuration(
        FunctionName="reader",
        Environment={"Variables": {"QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", "DB_PASSWORD": "hunter2-SECRET-VALUE"}},
    )
    b.wait_function_ready(access, "reader")
    return Account(vpc_id, "reader", "reader", private, table, group, public)


def run_json(run_cli: Any, *args: str) -> dict[str, Any]:
    result = run_cli(*args, "--output", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
