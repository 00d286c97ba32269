"""A normalized describe of one VPC and its functions, to prove a rollback restored it.

`take_snapshot` reads the VPC, its subnets, route tables, network ACLs, gateways,
security group rules, and the configuration and aliases of the Lambda functions
attached to it, and keeps only what a migration could change: volatile fields
(revision ids, timestamps, states in transit) and disassociated CIDR associations
are dropped, lists are sorted. Two snapshots compare with `==`. Published Lambda
versions are left out on purpose: they are immutable and stay after a rollback.

The reads are independent, so they run at once (a full rollback ends with a
snapshot, and a dozen sequential round trips were most of its last second).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from v6wizard.aws.discovery_ec2 import ROUTE_TARGET_KEYS, tags_of
from v6wizard.aws.paging import batches, paginate
from v6wizard.aws.session import AwsAccess
from v6wizard.aws.verify import attached_egress_gateways

Snapshot = dict[str, Any]

_LIVE = ("associated", "associating")
def _live_blocks(associations: list[dict[str, Any]] | None, state_key: str, cidr_key: str) -> list[str]:
    return sorted(
        a.get(cidr_key, "") for a in associations or [] if a.get(state_key, {}).get("State") in _LIVE
    )


def _vpc(ec2: Any, vpc_id: str) -> dict[str, Any]:
    vpc = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    return {
        "id": vpc["VpcId"],
        "cidr_block": vpc.get("CidrBlock"),
        "ipv4_blocks": _live_blocks(vpc.get("CidrBlockAssociationSet"), "CidrBlockState", "CidrBlock"),
        "ipv6_blocks": _live_blocks(vpc.get("Ipv6CidrBlockAssociationSet"), "Ipv6CidrBlockState", "Ipv6CidrBlock"),
        "tags": tags_of(vpc),
    }


def _subnets(ec2: Any, vpc_filter: list[dict[str, Any]]) -> list[dict[str, Any]]:
    subnets = paginate(ec2, "DescribeSubnets", "Subnets", Filters=vpc_filter)
    return sorted(
        (
            {
                "id": s["SubnetId"],
                "cidr_block": s.get("CidrBlock", ""),
                "ipv6_blocks": _live_blocks(s.get("Ipv6CidrBlockAssociationSet"), "Ipv6CidrBlockState", "Ipv6CidrBlock"),
                "assign_ipv6_on_creation": bool(s.get("AssignIpv6AddressOnCreation")),
                "tags": tags_of(s),
            }
            for s in subnets
        ),
        key=lambda s: s["id"],
    )


def _route(route: dict[str, Any]) -> dict[str, Any]:
    destination = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock") or route.get("DestinationPrefixListId")
    target = next((route[k] for k in ROUTE_TARGET_KEYS if route.get(k)), "")
    return {"destination": destination, "target": target}


def _route_tables(ec2: Any, vpc_filter: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tables = paginate(ec2, "DescribeRouteTables", "RouteTables", Filters=vpc_filter)
    result = []
    for table in tables:
        # The local route for the VPC's IPv6 block comes and goes with the block itself.
        routes = [_route(r) for r in table.get("Routes", []) if not (r.get("GatewayId") == "local" and r.get("DestinationIpv6CidrBlock"))]
        result.append(
            {
                "id": table["RouteTableId"],
                "subnet_ids": sorted(a["SubnetId"] for a in table.get("Associations", []) if a.get("SubnetId")),
                "main": any(a.get("Main") for a in table.get("Associations", [])),
                "routes": sorted(routes, key=lambda r: (str(r["destination"]), r["target"])),
                "tags": tags_of(table),
            }
        )
    return sorted(result, key=lambda t: t["id"])


AWS_DEFAULT_ACL_IPV6_RULES = {(101, "allow"), (32768, "deny")}
"""The ::/0 rules AWS itself adds to a stock default ACL when the VPC gets an IPv6 block.
They may outlive the block, and v6wizard never creates them (its twins avoid rule 101),
so a snapshot leaves them out: a rollback is judged on what v6wizard did."""


def _added_by_aws(entry: dict[str, Any]) -> bool:
    return (
        entry.get("Ipv6CidrBlock") == "::/0"
        and str(entry.get("Protocol")) == "-1"
        and (entry.get("RuleNumber"), entry.get("RuleAction")) in AWS_DEFAULT_ACL_IPV6_RULES
    )


def _network_acls(ec2: Any, vpc_filter: list[dict[str, Any]]) -> list[dict[str, Any]]:
    acls = paginate(ec2, "DescribeNetworkAcls", "NetworkAcls", Filters=vpc_filter)
    result = []
    for acl in acls:
        entries = [
            {
                "rule_number": e.get("RuleNumber"),
                "egress": bool(e.get("Egress")),
                "protocol": str(e.get("Protocol")),
                "action": e.get("RuleAction"),
                "cidr": e.get("CidrBlock") or e.get("Ipv6CidrBlock"),
                "ports": [e.get("PortRange", {}).get("From"), e.get("PortRange", {}).get("To")],
            }
            for e in acl.get("Entries", [])
            if not (acl.get("IsDefault") and _added_by_aws(e))
        ]
        result.append(
            {
                "id": acl["NetworkAclId"],
                "subnet_ids": sorted(a["SubnetId"] for a in acl.get("Associations", []) if a.get("SubnetId")),
                "entries": sorted(entries, key=lambda e: (e["egress"], e["rule_number"], str(e["cidr"]))),
            }
        )
    return sorted(result, key=lambda a: a["id"])


def _internet_gateways(ec2: Any, vpc_id: str) -> list[str]:
    igws = paginate(ec2, "DescribeInternetGateways", "InternetGateways", Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])
    return sorted(g["InternetGatewayId"] for g in igws)


def _egress_only_gateways(ec2: Any, vpc_id: str) -> list[str]:
    return sorted(g.id for g in attached_egress_gateways(ec2, vpc_id))


def _nat_gateways(ec2: Any, vpc_filter: list[dict[str, Any]]) -> list[str]:
    return sorted(
        n["NatGatewayId"]
        for n in paginate(ec2, "DescribeNatGateways", "NatGateways", Filter=vpc_filter)
        if n.get("State") in ("pending", "available")
    )


def _security_group_rules(ec2: Any, vpc_filter: list[dict[str, Any]]) -> list[dict[str, Any]]:
    group_ids = [g["GroupId"] for g in paginate(ec2, "DescribeSecurityGroups", "SecurityGroups", Filters=vpc_filter)]
    if not group_ids:
        return []
    rules = [
        rule
        for batch in batches(group_ids)
        for rule in paginate(ec2, "DescribeSecurityGroupRules", "SecurityGroupRules", Filters=[{"Name": "group-id", "Values": batch}])
    ]
    return sorted(
        (
            {
                "id": r["SecurityGroupRuleId"],
                "group_id": r["GroupId"],
                "egress": bool(r.get("IsEgress")),
                "protocol": str(r.get("IpProtocol")),
                "ports": [r.get("FromPort"), r.get("ToPort")],
                "cidr": r.get("CidrIpv4") or r.get("CidrIpv6") or r.get("PrefixListId") or (r.get("ReferencedGroupInfo") or {}).get("GroupId"),
                "tags": tags_of(r),
            }
            for r in rules
        ),
        key=lambda r: r["id"],
    )


def _function(lam: Any, fn: dict[str, Any]) -> dict[str, Any]:
    vpc = fn.get("VpcConfig") or {}
    aliases = paginate(lam, "ListAliases", "Aliases", FunctionName=fn["FunctionName"])
    return {
        "name": fn["FunctionName"],
        "code_sha256": fn.get("CodeSha256"),
        "role": fn.get("Role"),
        "subnet_ids": sorted(vpc.get("SubnetIds") or []),
        "security_group_ids": sorted(vpc.get("SecurityGroupIds") or []),
        "ipv6_allowed_for_dual_stack": bool(vpc.get("Ipv6AllowedForDualStack")),
        "aliases": sorted(
            (
                {
                    "name": a["Name"],
                    "version": a.get("FunctionVersion"),
                    "weights": (a.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {},
                }
                for a in aliases
            ),
            key=lambda a: a["name"],
        ),
    }


def _functions(
    lam: Any,
    pool: ThreadPoolExecutor,
    functions: Future[list[dict[str, Any]]],
    subnets: Future[list[dict[str, Any]]],
    likely: frozenset[str],
) -> list[dict[str, Any]]:
    """The functions attached to the VPC's subnets, each with its aliases. The aliases of the `likely` ones
    (still in some VPC) are read as soon as the function list arrives, without waiting for the subnets."""
    listed = functions.result()
    early = {
        fn["FunctionName"]: pool.submit(_function, lam, fn)
        for fn in listed
        if fn["FunctionName"] in likely and (fn.get("VpcConfig") or {}).get("SubnetIds")
    }
    subnet_ids = {s["id"] for s in subnets.result()}
    # A function's VpcConfig.VpcId is unreliable in the emulator; subnet ids are right everywhere.
    attached = [fn for fn in listed if subnet_ids.intersection((fn.get("VpcConfig") or {}).get("SubnetIds") or [])]
    reads = [early.get(fn["FunctionName"]) or pool.submit(_function, lam, fn) for fn in attached]
    return sorted((f.result() for f in reads), key=lambda f: f["name"])


READERS = 8
"""Reads in flight while taking a snapshot."""

SECTIONS = ("vpc", "subnets", "route_tables", "network_acls", "security_group_rules", "gateways", "functions")
"""The top-level parts of a snapshot."""
VPC_BLOCK_SECTIONS = frozenset({"vpc", "network_acls"})
"""What the VPC's own IPv6 block can change: the VPC, and the IPv6 rules AWS adds to its default network ACL with it."""


def take_snapshot(
    access: AwsAccess, vpc_id: str, likely_functions: Iterable[str] = (), sections: Iterable[str] = SECTIONS
) -> Snapshot:
    """The normalized state of a VPC and the functions attached to it, for before/after comparison.

    `sections` reads only those parts (a rollback reads what its last step cannot change while that step
    runs, and the rest after it). `likely_functions` (e.g. those of an earlier snapshot) only makes it
    faster: their aliases are read alongside the VPC's subnets instead of after them; what is attached
    is decided the same way.
    """
    wanted = set(sections)
    ec2, lam = access.client("ec2"), access.client("lambda")
    vpc_filter = [{"Name": "vpc-id", "Values": [vpc_id]}]
    readers: dict[str, Callable[[], Any]] = {
        "vpc": lambda: _vpc(ec2, vpc_id),
        "route_tables": lambda: _route_tables(ec2, vpc_filter),
        "network_acls": lambda: _network_acls(ec2, vpc_filter),
        "security_group_rules": lambda: _security_group_rules(ec2, vpc_filter),
    }
    gateway_readers: dict[str, Callable[[], Any]] = {
        "internet": lambda: _internet_gateways(ec2, vpc_id),
        "egress_only": lambda: _egress_only_gateways(ec2, vpc_id),
        "nat": lambda: _nat_gateways(ec2, vpc_filter),
    }
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="snapshot") as pool:
        # The functions' attachment is decided by the subnets, so they are read for either.
        subnets = pool.submit(_subnets, ec2, vpc_filter) if wanted & {"subnets", "functions"} else None
        functions = pool.submit(paginate, lam, "ListFunctions", "Functions") if "functions" in wanted else None
        parts = {key: pool.submit(read) for key, read in readers.items() if key in wanted}
        gateways = {key: pool.submit(read) for key, read in gateway_readers.items()} if "gateways" in wanted else {}
        snapshot: Snapshot = {key: part.result() for key, part in parts.items()}
        if functions is not None and subnets is not None:
            snapshot["functions"] = _functions(lam, pool, functions, subnets, frozenset(likely_functions))
        if subnets is not None and "subnets" in wanted:
            snapshot["subnets"] = subnets.result()
        if gateways:
            snapshot["gateways"] = {key: part.result() for key, part in gateways.items()}
        return snapshot


def diff_snapshots(before: Snapshot, after: Snapshot) -> list[str]:
    """Top-level sections that differ, with the first difference in each, for test and log messages."""
    problems = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            problems.append(f"{key}: {before.get(key)!r} != {after.get(key)!r}")
    return problems
