"""Building blocks for the demo account and the test scenarios (emulator only).

These helpers create resources through boto3 in an order real AWS accepts (so the
emulator's strictness layer accepts it too). They are the one sanctioned place
outside the executor that makes mutating calls, and they refuse to run without an
emulator endpoint: nothing here may touch a real account.
"""

from __future__ import annotations

import io
import json
import time
import urllib.parse
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from v6wizard.aws.session import AwsAccess
from v6wizard.errors import BadInput

T = TypeVar("T")
R = TypeVar("R")

AZS = ("us-east-1a", "us-east-1b", "us-east-1c")
RUNTIME = "python3.12"
ROLE_NAME = "v6wizard-demo-lambda"
SEED_WORKERS = 8
FUNCTION_READY_TIMEOUT = 30.0
FUNCTION_POLL_INTERVAL = 0.05

_TRUST_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)


class ScenarioInfo(BaseModel):
    """What a seeded scenario made: the ids tests and benches need."""

    name: str
    vpc_id: str
    vpc_cidr: str = ""
    function_names: list[str] = Field(default_factory=list)
    """VPC-attached functions, sorted by name."""
    alias_name: str = "live"
    subnet_ids: list[str] = Field(default_factory=list)
    """Every subnet of the VPC, in creation order."""
    public_subnet_ids: list[str] = Field(default_factory=list)
    private_subnet_ids: list[str] = Field(default_factory=list)
    route_table_ids: list[str] = Field(default_factory=list)
    """Route tables we created (the VPC's main table not included)."""
    security_group_ids: dict[str, str] = Field(default_factory=dict)
    """Group name -> id, for the groups we created."""
    nat_gateway_ids: list[str] = Field(default_factory=list)
    internet_gateway_id: str = ""
    egress_only_gateway_id: str = ""
    network_acl_ids: list[str] = Field(default_factory=list)
    """Custom network ACLs we created."""
    other_vpc_ids: list[str] = Field(default_factory=list)
    """Further VPCs in the region, so the overview has a choice."""
    extra: dict[str, str] = Field(default_factory=dict)
    """Scenario-specific ids (e.g. the rule id of an existing ::/0 twin)."""


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def require_emulator(access: AwsAccess) -> None:
    """Seeding creates resources: refuse unless the endpoint is an emulator on this machine."""
    host = urllib.parse.urlsplit(access.target.endpoint_url or "").hostname or ""
    if host not in LOOPBACK_HOSTS and not host.startswith("127."):
        raise BadInput("Demo seeding only runs against the embedded emulator on 127.0.0.1; pass its --endpoint-url.")


def tags(name: str, **more: str) -> list[dict[str, Any]]:
    return [{"Key": "Name", "Value": name}, *({"Key": k, "Value": v} for k, v in more.items())]


def tag_spec(kind: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": tags(name)}]


def in_parallel(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`fn` over `items` on a few threads, results in input order (clients are thread-safe)."""
    with ThreadPoolExecutor(max_workers=SEED_WORKERS, thread_name_prefix="seed") as pool:
        return list(pool.map(fn, items))


def lambda_zip(name: str) -> bytes:
    """A deterministic zip (fixed timestamps), so CodeSha256 is stable across runs."""
    source = (
        "import json\n\n\n"
        f"def handler(event, context):\n    return {{'statusCode': 200, 'body': json.dumps({{'function': {name!r}}})}}\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("index.py", date_time=(2024, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        archive.writestr(info, source)
    return buffer.getvalue()


def ensure_role(access: AwsAccess) -> str:
    """The Lambda execution role (moto checks that it exists), created once per account."""
    iam = access.client("iam")
    try:
        return iam.get_role(RoleName=ROLE_NAME)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        return iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=_TRUST_POLICY)["Role"]["Arn"]


def create_vpc(access: AwsAccess, cidr: str, name: str) -> str:
    ec2 = access.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tag_spec("vpc", name))["Vpc"]["VpcId"]
    return vpc_id


def create_subnet(access: AwsAccess, vpc_id: str, cidr: str, az: str, name: str, **extra: Any) -> str:
    params: dict[str, Any] = {"VpcId": vpc_id, "AvailabilityZone": az, "TagSpecifications": tag_spec("subnet", name)}
    if cidr:
        params["CidrBlock"] = cidr
    params.update(extra)
    return access.client("ec2").create_subnet(**params)["Subnet"]["SubnetId"]


def create_internet_gateway(access: AwsAccess, vpc_id: str, name: str) -> str:
    ec2 = access.client("ec2")
    igw = ec2.create_internet_gateway(TagSpecifications=tag_spec("internet-gateway", name))["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    return igw


def create_nat_gateway(access: AwsAccess, subnet_id: str, name: str) -> str:
    ec2 = access.client("ec2")
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, AllocationId=allocation, TagSpecifications=tag_spec("natgateway", name))
    return nat["NatGateway"]["NatGatewayId"]


def create_route_table(access: AwsAccess, vpc_id: str, name: str, subnet_ids: Iterable[str], routes: Iterable[dict[str, str]]) -> str:
    """A table with the given routes (dicts of CreateRoute parameters), associated with the subnets."""
    ec2 = access.client("ec2")
    table = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=tag_spec("route-table", name))["RouteTable"]["RouteTableId"]
    for route in routes:
        ec2.create_route(RouteTableId=table, **route)
    for subnet_id in subnet_ids:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet_id)
    return table


def create_security_group(access: AwsAccess, vpc_id: str, name: str, description: str) -> str:
    ec2 = access.client("ec2")
    return ec2.create_security_group(
        GroupName=name, Description=description, VpcId=vpc_id, TagSpecifications=tag_spec("security-group", name)
    )["GroupId"]


def revoke_default_egress(access: AwsAccess, group_id: str) -> None:
    """Drop AWS's default allow-all egress rule, so only the rules we add remain."""
    access.client("ec2").revoke_security_group_egress(
        GroupId=group_id, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )


def authorize_egress(access: AwsAccess, group_id: str, permissions: list[dict[str, Any]]) -> list[str]:
    """Add egress rules; returns their rule ids."""
    answer = access.client("ec2").authorize_security_group_egress(GroupId=group_id, IpPermissions=permissions)
    return [rule["SecurityGroupRuleId"] for rule in answer.get("SecurityGroupRules", [])]


def tcp(port: int, cidr: str = "", cidr6: str = "", prefix_list: str = "") -> dict[str, Any]:
    permission: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
    if cidr:
        permission["IpRanges"] = [{"CidrIp": cidr}]
    if cidr6:
        permission["Ipv6Ranges"] = [{"CidrIpv6": cidr6}]
    if prefix_list:
        permission["PrefixListIds"] = [{"PrefixListId": prefix_list}]
    return permission


def default_acl_association(access: AwsAccess, vpc_id: str) -> dict[str, str]:
    """Subnet id -> network ACL association id, for the VPC's default ACL."""
    acls = access.client("ec2").describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "default", "Values": ["true"]}]
    )["NetworkAcls"]
    return {a["SubnetId"]: a["NetworkAclAssociationId"] for acl in acls for a in acl.get("Associations", []) if a.get("SubnetId")}


def create_network_acl(access: AwsAccess, vpc_id: str, name: str, subnet_ids: list[str], entries: list[dict[str, Any]]) -> str:
    """A custom ACL with the given entries, moved onto the subnets (from the default ACL)."""
    ec2 = access.client("ec2")
    acl = ec2.create_network_acl(VpcId=vpc_id, TagSpecifications=tag_spec("network-acl", name))["NetworkAcl"]["NetworkAclId"]
    for entry in entries:
        ec2.create_network_acl_entry(NetworkAclId=acl, **entry)
    current = default_acl_association(access, vpc_id)
    for subnet_id in subnet_ids:
        ec2.replace_network_acl_association(AssociationId=current[subnet_id], NetworkAclId=acl)
    return acl


def allow_all_entries(rule_number: int = 100) -> list[dict[str, Any]]:
    """Allow-all IPv4 entries, in and out: the usual custom ACL that needs IPv6 twins."""
    return [
        {"RuleNumber": rule_number, "Protocol": "-1", "RuleAction": "allow", "Egress": egress, "CidrBlock": "0.0.0.0/0"}
        for egress in (False, True)
    ]


def wait_function_ready(access: AwsAccess, name: str, timeout: float = FUNCTION_READY_TIMEOUT) -> None:
    """Poll until the function is Active and its last update Successful.

    botocore's waiters sleep at least a second between polls; the emulator settles in
    a fraction of that, and seeding makes hundreds of functions.
    """
    client = access.client("lambda")
    deadline = time.monotonic() + timeout
    while True:
        config = client.get_function_configuration(FunctionName=name)
        state, update = config.get("State", "Active"), config.get("LastUpdateStatus", "Successful")
        if state == "Active" and update == "Successful":
            return
        if state == "Failed" or update == "Failed":
            raise RuntimeError(f"function {name} failed to settle: {config.get('StateReason') or config.get('LastUpdateStatusReason')}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"function {name} was still {state}/{update} after {timeout:.0f} s")
        time.sleep(FUNCTION_POLL_INTERVAL)


def create_function(
    access: AwsAccess,
    role_arn: str,
    name: str,
    subnet_ids: list[str],
    group_ids: list[str],
    *,
    alias: str = "live",
    versions: int = 1,
) -> str:
    """A VPC-attached function with `versions` published versions and `alias` on the last one."""
    client = access.client("lambda")
    client.create_function(
        FunctionName=name,
        Runtime=RUNTIME,
        Role=role_arn,
        Handler="index.handler",
        Code={"ZipFile": lambda_zip(name)},
        Description=f"v6wizard demo function {name}",
        Timeout=10,
        MemorySize=256,
        VpcConfig={"SubnetIds": subnet_ids, "SecurityGroupIds": group_ids},
        Tags={"app": name.split("-")[0]},
    )
    wait_function_ready(access, name)
    version = ""
    for number in range(versions):
        if number:
            # A configuration change makes PublishVersion mint a new version (unchanged returns the old one).
            client.update_function_configuration(FunctionName=name, Environment={"Variables": {"REVISION": str(number)}})
            wait_function_ready(access, name)
        version = client.publish_version(FunctionName=name)["Version"]
    if alias:
        client.create_alias(FunctionName=name, Name=alias, FunctionVersion=version)
    return version
