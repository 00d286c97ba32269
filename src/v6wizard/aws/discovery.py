"""Discovery: the read-only Inventory of one VPC, and the region overview for choosing one.

Only Describe/List/Get calls. Every resource type is read with a paginated call
filtered on the server by VPC (one call per page), independent reads run
concurrently on shared clients (never on the session), and the cancel flag is
checked between pages. Per-function Lambda reads (GetFunction, versions, aliases,
provisioned concurrency) are the only per-resource calls; they run concurrently too.

`on_progress` is called from worker threads with one short sentence at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import botocore.exceptions

from v6wizard.aws import discovery_ec2 as ec2p
from v6wizard.aws import discovery_lambda as lam
from v6wizard.aws import paging
from v6wizard.aws.errors import error_code, translate
from v6wizard.aws.paging import batches, check_cancel, paginate
from v6wizard.aws.session import AwsAccess
from v6wizard.core.inventory import Inventory, RegionOverview, SecurityGroupRule, VpcSummary
from v6wizard.errors import UnknownVpc

Progress = Callable[[str], None]

WORKERS = 16
"""Concurrent reads; below the clients' connection pool (32) so no request waits for a socket."""

_UNKNOWN_VPC_CODES = {"InvalidVpcID.NotFound", "InvalidVpcID.Malformed", "InvalidVpcId.NotFound"}


def discover(
    access: AwsAccess,
    vpc_id: str,
    *,
    cancel: threading.Event | None = None,
    on_progress: Progress | None = None,
) -> Inventory:
    """Read everything the planner needs about `vpc_id` and its attached Lambda functions.

    Raises UnknownVpc (listing the region's VPCs), CredentialsError, Cancelled or
    AwsCallFailed; never a botocore exception.
    """
    try:
        with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="discover") as pool:
            return _Discovery(access, pool, cancel, on_progress or _quiet).run(vpc_id)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one user sentence
        raise translate(exc, access.target, doing=f"discovering {vpc_id}") from None


def region_overview(access: AwsAccess, *, cancel: threading.Event | None = None) -> RegionOverview:
    """Every VPC of the region with its IPv6 status, in a constant number of paginated calls."""
    try:
        with ThreadPoolExecutor(max_workers=5, thread_name_prefix="overview") as pool:
            return _overview(access, pool, cancel)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one user sentence
        raise translate(exc, access.target, doing="listing the region's VPCs") from None


def _quiet(_: str) -> None:
    """The default progress sink: nobody is listening."""


class _Discovery:
    """One discovery run: the pool, the clients and the cancel flag, shared by its reads."""

    def __init__(self, access: AwsAccess, pool: ThreadPoolExecutor, cancel: threading.Event | None, progress: Progress) -> None:
        self.access = access
        self.pool = pool
        self.cancel = cancel
        self.progress = progress
        self.ec2 = access.client("ec2")
        self.lambda_ = access.client("lambda")

    def _pages(self, operation: str, key: str, label: str, **params: Any) -> list[dict[str, Any]]:
        items = paginate(self.ec2, operation, key, cancel=self.cancel, **params)
        self.progress(f"Read {len(items)} {label}.")
        return items

    def _vpc_filter(self, name: str = "vpc-id") -> list[dict[str, Any]]:
        return [{"Name": name, "Values": [self.vpc_id]}]

    def run(self, vpc_id: str) -> Inventory:
        self.vpc_id = vpc_id
        submit = self.pool.submit
        vpc_future = submit(self._describe_vpc)
        reads: dict[str, Future[list[dict[str, Any]]]] = {
            "subnets": submit(self._pages, "DescribeSubnets", "Subnets", "subnets", Filters=self._vpc_filter()),
            "route_tables": submit(self._pages, "DescribeRouteTables", "RouteTables", "route tables", Filters=self._vpc_filter()),
            "network_acls": submit(self._pages, "DescribeNetworkAcls", "NetworkAcls", "network ACLs", Filters=self._vpc_filter()),
            "internet_gateways": submit(
                self._pages, "DescribeInternetGateways", "InternetGateways", "internet gateways",
                Filters=self._vpc_filter("attachment.vpc-id"),
            ),
            # The egress-only API filters on tags only: read them all and keep this VPC's.
            "egress_only": submit(
                self._pages, "DescribeEgressOnlyInternetGateways", "EgressOnlyInternetGateways", "egress-only gateways"
            ),
            "nat_gateways": submit(
                self._pages, "DescribeNatGateways", "NatGateways", "NAT gateways",
                Filter=[*self._vpc_filter(), {"Name": "state", "Values": ec2p.LIVE_NAT_STATES}],
            ),
            "security_groups": submit(self._pages, "DescribeSecurityGroups", "SecurityGroups", "security groups", Filters=self._vpc_filter()),
            "functions": submit(lam.list_functions, self.lambda_, self.cancel),
        }
        vpc_item = vpc_future.result()
        got = {name: future.result() for name, future in reads.items()}
        check_cancel(self.cancel)

        rules = self._security_group_rules([g["GroupId"] for g in got["security_groups"]])
        subnet_ids = {s["SubnetId"] for s in got["subnets"]}
        functions = self._functions(lam.attached_to(got["functions"], subnet_ids))

        account_id = vpc_item.get("OwnerId") or self.access.identity().account_id
        return Inventory(
            account_id=account_id,
            region=self.access.region,
            vpc=ec2p.vpc_from(vpc_item),
            subnets=sorted((ec2p.subnet_from(s) for s in got["subnets"]), key=lambda s: s.id),
            route_tables=sorted((ec2p.route_table_from(t) for t in got["route_tables"]), key=lambda t: t.id),
            network_acls=sorted((ec2p.network_acl_from(a) for a in got["network_acls"]), key=lambda a: a.id),
            internet_gateways=sorted((ec2p.internet_gateway_from(g) for g in got["internet_gateways"]), key=lambda g: g.id),
            egress_only_gateways=sorted(
                (g for g in (ec2p.egress_only_gateway_for(item, vpc_id) for item in got["egress_only"]) if g is not None),
                key=lambda g: g.id,
            ),
            nat_gateways=sorted((ec2p.nat_gateway_from(n) for n in got["nat_gateways"]), key=lambda n: n.id),
            security_groups=sorted(
                (ec2p.security_group_from(g, rules.get(g["GroupId"], [])) for g in got["security_groups"]),
                key=lambda g: g.id,
            ),
            functions=functions,
        )

    def _describe_vpc(self) -> dict[str, Any]:
        check_cancel(self.cancel)
        try:
            answer = self.ec2.describe_vpcs(VpcIds=[self.vpc_id])
        except botocore.exceptions.ClientError as exc:
            if error_code(exc) in _UNKNOWN_VPC_CODES:
                raise self._unknown_vpc() from None
            raise
        vpcs = answer.get("Vpcs") or []
        if not vpcs:
            raise self._unknown_vpc()
        self.progress(f"Read VPC {self.vpc_id}.")
        return vpcs[0]

    def _unknown_vpc(self) -> UnknownVpc:
        vpcs = paginate(self.ec2, "DescribeVpcs", "Vpcs", cancel=self.cancel)
        names = []
        for item in sorted(vpcs, key=lambda v: v["VpcId"]):
            name = ec2p.tags_of(item).get("Name", "")
            names.append(f"{item['VpcId']} ({name})" if name else item["VpcId"])
        region = self.access.region
        if not names:
            return UnknownVpc(f"VPC {self.vpc_id} does not exist in {region}, which has no VPCs; check --region.")
        return UnknownVpc(f"VPC {self.vpc_id} does not exist in {region}; its VPCs are: {', '.join(names)}.")

    def _security_group_rules(self, group_ids: list[str]) -> dict[str, list[SecurityGroupRule]]:
        """All rules of the groups, with one filtered call per page per batch of group ids."""
        futures = [
            self.pool.submit(
                paginate, self.ec2, "DescribeSecurityGroupRules", "SecurityGroupRules",
                cancel=self.cancel, Filters=[{"Name": "group-id", "Values": batch}],
            )
            for batch in batches(sorted(group_ids), paging.FILTER_VALUE_LIMIT)
        ]
        by_group: dict[str, list[SecurityGroupRule]] = {}
        count = 0
        for future in futures:
            for item in future.result():
                rule = ec2p.rule_from(item)
                by_group.setdefault(rule.group_id, []).append(rule)
                count += 1
        self.progress(f"Read {count} security group rules.")
        return by_group

    def _functions(self, listed: list[dict[str, Any]]) -> list[Any]:
        client, cancel, submit = self.lambda_, self.cancel, self.pool.submit
        pending = [
            (
                item,
                submit(lam.get_function, client, item["FunctionName"]),
                submit(lam.list_versions, client, item["FunctionName"], cancel),
                submit(lam.list_aliases, client, item["FunctionName"], cancel),
                submit(lam.provisioned_by_alias, client, item["FunctionName"], cancel),
            )
            for item in listed
        ]
        functions = [
            lam.function_from(item, detail.result(), versions.result(), aliases.result(), provisioned.result())
            for item, detail, versions, aliases, provisioned in pending
        ]
        self.progress(f"Read {len(functions)} Lambda functions attached to the VPC.")
        return functions


def _overview(access: AwsAccess, pool: ThreadPoolExecutor, cancel: threading.Event | None) -> RegionOverview:
    ec2, lambda_ = access.client("ec2"), access.client("lambda")
    vpcs_f = pool.submit(paginate, ec2, "DescribeVpcs", "Vpcs", cancel=cancel)
    subnets_f = pool.submit(paginate, ec2, "DescribeSubnets", "Subnets", cancel=cancel)
    nats_f = pool.submit(
        paginate, ec2, "DescribeNatGateways", "NatGateways", cancel=cancel,
        Filter=[{"Name": "state", "Values": ec2p.LIVE_NAT_STATES}],
    )
    functions_f = pool.submit(lam.list_functions, lambda_, cancel)
    identity_f = pool.submit(access.identity)

    subnet_vpc: dict[str, str] = {}
    subnet_counts: dict[str, int] = {}
    ipv6_counts: dict[str, int] = {}
    for item in subnets_f.result():
        vpc_id = item["VpcId"]
        subnet_vpc[item["SubnetId"]] = vpc_id
        subnet_counts[vpc_id] = subnet_counts.get(vpc_id, 0) + 1
        if ec2p.live_subnet_ipv6(item) is not None:
            ipv6_counts[vpc_id] = ipv6_counts.get(vpc_id, 0) + 1
    nat_counts: dict[str, int] = {}
    for item in nats_f.result():
        nat_counts[item["VpcId"]] = nat_counts.get(item["VpcId"], 0) + 1
    function_counts: dict[str, int] = {}
    for item in functions_f.result():
        vpc_ids = {subnet_vpc[s] for s in lam.function_subnets(item) if s in subnet_vpc}
        for vpc_id in vpc_ids:
            function_counts[vpc_id] = function_counts.get(vpc_id, 0) + 1

    summaries = []
    for item in sorted(vpcs_f.result(), key=lambda v: v["VpcId"]):
        vpc = ec2p.vpc_from(item)
        block = vpc.ipv6_block
        subnets, with_ipv6 = subnet_counts.get(vpc.id, 0), ipv6_counts.get(vpc.id, 0)
        if block is None:
            state = "none"
        elif block.state == "associating":
            state = "associating"
        elif with_ipv6 < subnets:
            state = "partial"
        else:
            state = "dual-stack"
        summaries.append(
            VpcSummary(
                id=vpc.id,
                name=vpc.name,
                cidr_block=vpc.cidr_block,
                is_default=vpc.is_default,
                ipv6_cidr=block.cidr if block is not None else None,
                ipv6_state=state,
                subnet_count=subnets,
                subnets_with_ipv6=with_ipv6,
                nat_gateway_count=nat_counts.get(vpc.id, 0),
                function_count=function_counts.get(vpc.id, 0),
            )
        )
    return RegionOverview(account_id=identity_f.result().account_id, region=access.region, vpcs=summaries)
