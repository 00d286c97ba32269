"""A fixed account for the snapshot tests: moto's ids are random, so snapshots are fed these instead.

The plan comes from the real planner; only the inventory it reads is written by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from v6wizard.aws.session import Identity
from v6wizard.core.inventory import (
    Alias,
    CidrAssociation,
    FunctionVersion,
    InternetGateway,
    Inventory,
    LambdaFunction,
    NatGateway,
    NetworkAcl,
    NetworkAclEntry,
    RegionOverview,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
    VpcSummary,
)
from v6wizard.core.plan import Plan, PlanOptions
from v6wizard.core.prices import PRICE_TABLE
from v6wizard.core.savings import HourlyBytes, NatReading, SavingsEstimate, SavingsReadings, estimate_savings
from v6wizard.core.savings_render import RegionSavings
from v6wizard.core.planner import build_plan
from v6wizard.engine.session_status import SessionOverview
from v6wizard.journal.base import JournalEntry, SessionInfo

ACCOUNT = "123456789012"
REGION = "us-east-1"
VPC = "vpc-0a1b2c3d4e5f60001"
AT = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
IDENTITY = Identity(account_id=ACCOUNT, arn=f"arn:aws:iam::{ACCOUNT}:user/operator")
SESSION = "s-20261120-0930-ab12"


def inventory() -> Inventory:
    public = Subnet(id="subnet-0pub0000000000001", name="prod-public-a", availability_zone="us-east-1a", cidr_block="10.0.0.0/24", map_public_ip_on_launch=True)
    private_a = Subnet(id="subnet-0prv0000000000001", name="prod-private-a", availability_zone="us-east-1a", cidr_block="10.0.10.0/24")
    private_b = Subnet(id="subnet-0prv0000000000002", name="prod-private-b", availability_zone="us-east-1b", cidr_block="10.0.11.0/24")
    group_all = SecurityGroup(
        id="sg-0all000000000001",
        name="lambda-all-egress",
        egress_rules=[SecurityGroupRule(rule_id="sgr-0a1", group_id="sg-0all000000000001", protocol="-1", cidr_ipv4="0.0.0.0/0")],
    )
    group_db = SecurityGroup(
        id="sg-0res000000000001",
        name="lambda-restricted",
        egress_rules=[
            SecurityGroupRule(rule_id="sgr-0b1", group_id="sg-0res000000000001", protocol="tcp", from_port=443, to_port=443, cidr_ipv4="0.0.0.0/0"),
            SecurityGroupRule(rule_id="sgr-0b2", group_id="sg-0res000000000001", protocol="tcp", from_port=5432, to_port=5432, cidr_ipv4="10.20.0.0/16"),
        ],
    )
    functions = [
        _function("orders-api", [private_a.id, private_b.id], [group_db.id]),
        _function("notifier", [private_a.id], [group_all.id]),
    ]
    return Inventory(
        account_id=ACCOUNT,
        region=REGION,
        vpc=Vpc(
            id=VPC,
            name="prod-main",
            cidr_block="10.0.0.0/16",
            ipv4_associations=[CidrAssociation(association_id="vpc-cidr-assoc-01", cidr="10.0.0.0/16", state="associated")],
        ),
        subnets=[public, private_a, private_b],
        route_tables=[
            RouteTable(id="rtb-0main0000000001", main=True, routes=[Route(destination="10.0.0.0/16", target="local", origin="CreateRouteTable")]),
            RouteTable(
                id="rtb-0pub00000000001",
                name="prod-public",
                subnet_ids=[public.id],
                routes=[Route(destination="10.0.0.0/16", target="local", origin="CreateRouteTable"), Route(destination="0.0.0.0/0", target="igw-0abc000000000001")],
            ),
            RouteTable(
                id="rtb-0prv00000000001",
                name="prod-private",
                subnet_ids=[private_a.id, private_b.id],
                routes=[Route(destination="10.0.0.0/16", target="local", origin="CreateRouteTable"), Route(destination="0.0.0.0/0", target="nat-0abc00000000001")],
            ),
        ],
        network_acls=[
            NetworkAcl(id="acl-0default00000001", is_default=True, subnet_ids=[public.id]),
            NetworkAcl(
                id="acl-0private0000001",
                name="prod-private-acl",
                subnet_ids=[private_a.id, private_b.id],
                entries=[
                    NetworkAclEntry(rule_number=100, egress=True, protocol="-1", rule_action="allow", cidr_block="0.0.0.0/0"),
                    NetworkAclEntry(rule_number=100, egress=False, protocol="-1", rule_action="allow", cidr_block="0.0.0.0/0"),
                ],
            ),
        ],
        internet_gateways=[InternetGateway(id="igw-0abc000000000001", name="prod-igw")],
        nat_gateways=[NatGateway(id="nat-0abc00000000001", subnet_id=public.id, state="available")],
        security_groups=[group_all, group_db],
        functions=functions,
        taken_at=AT,
    )


def _function(name: str, subnets: list[str], groups: list[str]) -> LambdaFunction:
    sha = "c0ffee" + name.replace("-", "")[:10]
    return LambdaFunction(
        name=name,
        arn=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
        runtime="python3.12",
        role=f"arn:aws:iam::{ACCOUNT}:role/lambda",
        code_sha256=sha,
        subnet_ids=subnets,
        security_group_ids=groups,
        versions=[FunctionVersion(version="1", code_sha256=sha, subnet_ids=subnets, security_group_ids=groups)],
        aliases=[Alias(name="live", function_version="1", revision_id="rev-1")],
    )


def overview() -> RegionOverview:
    return RegionOverview(
        account_id=ACCOUNT,
        region=REGION,
        vpcs=[
            VpcSummary(id=VPC, name="prod-main", cidr_block="10.0.0.0/16", subnet_count=3, nat_gateway_count=1, function_count=2),
            VpcSummary(
                id="vpc-0a1b2c3d4e5f60002",
                name="staging",
                cidr_block="10.1.0.0/16",
                ipv6_cidr="2600:1f18:abcd:1200::/56",
                ipv6_state="partial",
                subnet_count=2,
                subnets_with_ipv6=1,
            ),
        ],
    )


def plan() -> Plan:
    return build_plan(inventory(), PlanOptions()).model_copy(update={"created_at": AT})


def sessions() -> list[SessionOverview]:
    """The Start screen's list: one interrupted session (its status derived from the fixed journal's entries)."""
    from v6wizard.engine.session_status import overview_of
    from v6wizard.engine.state import derive_state

    info = SessionInfo(id=SESSION, account_id=ACCOUNT, region=REGION, vpc_id=VPC, status="interrupted", plan_fingerprint="f" * 16, created_at=AT, updated_at=AT)
    state = derive_state(plan(), info, entries())
    return [overview_of(state.session, state.steps)]


def entries() -> list[JournalEntry]:
    return [
        JournalEntry(seq=1, session_id=SESSION, action_id=f"vpc-cidr:associate:{VPC}", kind="intent", at=AT),
        JournalEntry(
            seq=2,
            session_id=SESSION,
            action_id=f"vpc-cidr:associate:{VPC}",
            kind="outcome",
            at=AT,
            outputs={"AssociationId": "vpc-cidr-assoc-0v6", "Ipv6CidrBlock": "2600:1f18:abcd:1200::/56"},
        ),
        JournalEntry(
            seq=3,
            session_id=SESSION,
            action_id="egress-gateway:create:" + VPC,
            kind="outcome",
            at=AT,
            outputs={"EgressOnlyInternetGatewayId": "eigw-0abc0000000001"},
        ),
    ]


def savings() -> SavingsEstimate:
    """What prod-main could save: 14 days of a daily rhythm on its NAT gateway, at the us-east-1 prices."""
    found = inventory()
    end = datetime(2026, 11, 20, tzinfo=timezone.utc)
    start = end - timedelta(days=14)
    hours = [HourlyBytes(at=start + timedelta(hours=h), bytes=(2 + (h % 24 > 8) * 4 + (h // 24) % 5) * 1e9) for h in range(14 * 24)]
    readings = SavingsReadings(window_start=start, window_end=end,
                               nats=[NatReading(nat_id=n.id, public_ips=1, hours=hours) for n in found.nat_gateways])
    return estimate_savings(vpc_id=found.vpc.id, region=found.region, window_days=14, nat_gateways=found.nat_gateways,
                            route_tables=found.route_tables, subnet_ids=[s.id for s in found.subnets], migrated_subnet_ids=None,
                            readings=readings, prices=PRICE_TABLE["us-east-1"])


def region_savings() -> RegionSavings:
    """The region's savings read: prod-main alone has a NAT gateway."""
    return RegionSavings(region=REGION, window_days=14, vpcs=[savings()])
