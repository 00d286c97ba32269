"""The region overview summarizes every VPC with a constant number of calls."""

from __future__ import annotations

from collections import Counter
from typing import Any

from v6wizard.aws.discovery import region_overview
from v6wizard.aws.session import AwsAccess
from v6wizard.demo import scenarios
from v6wizard.demo.seed import seed_demo


def test_overview_counts_each_vpc(access: AwsAccess, recorder: Any) -> None:
    demo = seed_demo(access)
    half = scenarios.half_migrated(access)
    v6 = scenarios.ipv6_only_subnet(access)
    recorder.operations.clear()

    overview = region_overview(access)

    assert overview.account_id == "123456789012" and overview.region == "us-east-1"
    by_id = {v.id: v for v in overview.vpcs}
    assert {demo.vpc_id, demo.staging_vpc_id, half.vpc_id, v6.vpc_id} <= set(by_id)

    prod = by_id[demo.vpc_id]
    assert (prod.name, prod.cidr_block, prod.ipv6_state, prod.ipv6_cidr) == ("prod-main", "10.0.0.0/16", "none", None)
    assert (prod.subnet_count, prod.subnets_with_ipv6, prod.nat_gateway_count, prod.function_count) == (6, 0, 3, 4)

    staging = by_id[demo.staging_vpc_id]
    assert (staging.subnet_count, staging.nat_gateway_count, staging.function_count) == (2, 0, 0)

    partial = by_id[half.vpc_id]
    assert partial.ipv6_state == "partial" and partial.ipv6_cidr == half.extra["ipv6_block"]
    # Two of four subnets hold a /64; the third's was disassociated and does not count.
    assert (partial.subnet_count, partial.subnets_with_ipv6, partial.nat_gateway_count, partial.function_count) == (4, 2, 1, 2)

    dual = by_id[v6.vpc_id]
    assert dual.ipv6_state == "dual-stack" and (dual.subnet_count, dual.subnets_with_ipv6, dual.function_count) == (3, 3, 1)

    default = [v for v in overview.vpcs if v.is_default]
    assert len(default) == 1 and default[0].function_count == 0

    # A constant set of calls, however many VPCs, subnets and functions there are.
    assert Counter(recorder.operations) == Counter(
        {"DescribeVpcs": 1, "DescribeSubnets": 1, "DescribeNatGateways": 1, "ListFunctions": 1, "GetCallerIdentity": 1}
    )
