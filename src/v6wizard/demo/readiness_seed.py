"""The demo's readiness story: what its functions' role calls, an S3 gateway endpoint, and a DNS that answers offline.

The shared demo role gets a managed policy (s3, secretsmanager) and an inline one
(dynamodb, ecr), beside Lambda's own VPC access actions. The private route tables get
an S3 gateway endpoint. `start_demo_dns` starts a resolver on 127.0.0.1 whose answers
make each case appear once: s3 through the gateway endpoint, dynamodb with a dual-stack
endpoint (opt-in), ecr IPv4-only, secretsmanager IPv6 on its default endpoint; every
other name is NXDOMAIN. It sets V6WIZARD_DNS_SERVER so the wizard in this process uses it.
"""

from __future__ import annotations

import json
import os

from v6wizard.aws.session import AwsAccess
from v6wizard.emulator.dns_server import DnsServer, Zone

DEMO_ADDRESS6 = "2600:1f18:4000::10"
DEMO_ADDRESS4 = "52.94.0.10"

# (default hostname has AAAA, dual-stack hostname has AAAA) per service, in the demo's DNS.
DEMO_ANSWERS = {"s3": (False, True), "dynamodb": (False, True), "ecr": (False, False), "secretsmanager": (True, True), "sqs": (False, True)}

_server: DnsServer | None = None


def _policy(*actions: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]})


def seed_readiness(access: AwsAccess, vpc_id: str, role_arn: str, private_tables: list[str]) -> str:
    """Policies on the demo role and an S3 gateway endpoint on the private tables; returns the endpoint id."""
    iam = access.client("iam")
    role = role_arn.rsplit("/", 1)[-1]
    managed = iam.create_policy(PolicyName="demo-app-data", PolicyDocument=_policy("s3:GetObject", "s3:PutObject", "secretsmanager:GetSecretValue"))
    iam.attach_role_policy(RoleName=role, PolicyArn=managed["Policy"]["Arn"])
    iam.put_role_policy(RoleName=role, PolicyName="demo-app-tables", PolicyDocument=_policy("dynamodb:GetItem", "dynamodb:PutItem", "ecr:GetAuthorizationToken"))
    iam.put_role_policy(
        RoleName=role, PolicyName="demo-lambda-vpc",
        PolicyDocument=_policy("logs:CreateLogStream", "logs:PutLogEvents", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"),
    )
    region = access.region
    endpoint = access.client("ec2").create_vpc_endpoint(
        VpcId=vpc_id, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway", RouteTableIds=private_tables
    )
    return str(endpoint["VpcEndpoint"]["VpcEndpointId"])


def demo_zone(region: str) -> Zone:
    from v6wizard.aws.service_hosts import service_hosts

    zone = Zone()
    for service, hosts in service_hosts(list(DEMO_ANSWERS), region).items():
        default6, dual6 = DEMO_ANSWERS[service]
        for host, ipv6 in ((hosts.default_host, default6), (hosts.dualstack_host, dual6)):
            if host is None:
                continue
            zone.a[host] = [DEMO_ADDRESS4]
            if ipv6:
                zone.aaaa[host] = [DEMO_ADDRESS6]
            elif host == hosts.dualstack_host:
                del zone.a[host]  # no dual-stack name at all: NXDOMAIN, as for a service without one
    return zone


def start_demo_dns(region: str) -> DnsServer:
    """Start (once per process) the demo's resolver on 127.0.0.1 and point V6WIZARD_DNS_SERVER at it."""
    global _server
    if _server is None:
        _server = DnsServer(demo_zone(region)).start()
    os.environ["V6WIZARD_DNS_SERVER"] = _server.address
    return _server
