"""The savings ranking of a whole region: calls against the minimum, wall time against the round trips.

    python bench/bench_savings.py [--vpcs 50] [--nats 3] [--days 14] [--latency 0.05] [--runs 3] [--write]

Starts the emulator (strictness layer on, and `--latency` seconds added to every
request, standing in for the distance to AWS), seeds `--vpcs` VPCs with `--nats` NAT
gateways each, every gateway serving one private subnet and carrying `--days` days of
hourly BytesInFromSource/BytesInFromDestination, then times
`read_region_savings` (what `v6wizard savings` without --vpc-id does). Each call's own
duration is taken between botocore's before-call and after-call events; the sum of
the unavoidable round trips is the longest chain of dependent calls (DescribeNatGateways,
then GetMetricData's pages or DescribeAddresses, beside DescribeSubnets and
DescribeRouteTables). --write replaces the "## Savings" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import Any

from readme import write_section

BYTE_METRICS = ("BytesInFromSource", "BytesInFromDestination", "BytesOutToDestination", "BytesOutToSource")
"""What the reader asks for of each gateway (v6wizard.aws.savings_metrics.QUERY_PREFIXES), seeded alike."""

SECTION = "## Savings"
NOW = datetime.now(timezone.utc).replace(minute=30, second=0, microsecond=0)


def seed(access: Any, vpcs: int, nats: int, days: int) -> list[str]:
    from v6wizard.aws.savings_reads import window
    from v6wizard.demo import builder as b

    end = window(days, NOW)[1]
    cloudwatch = access.client("cloudwatch")

    def one_vpc(index: int) -> list[str]:
        vpc_id = b.create_vpc(access, f"10.{index}.0.0/16", f"bench-{index}")
        igw = b.create_internet_gateway(access, vpc_id, f"igw-{index}")
        public = b.create_subnet(access, vpc_id, f"10.{index}.0.0/24", b.AZS[0], "public")
        b.create_route_table(access, vpc_id, "public", [public], [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}])
        found = []
        for n in range(nats):
            nat = b.create_nat_gateway(access, public, f"nat-{index}-{n}")
            private = b.create_subnet(access, vpc_id, f"10.{index}.{10 + n}.0/24", b.AZS[n % len(b.AZS)], f"private-{n}")
            b.create_route_table(access, vpc_id, f"private-{n}", [private], [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat}])
            found.append(nat)
        return found

    nat_ids = [nat for group in b.in_parallel(one_vpc, range(vpcs)) for nat in group]
    datums = [
        {"MetricName": name, "Dimensions": [{"Name": "NatGatewayId", "Value": nat}],
         "Timestamp": end - timedelta(hours=h + 1) + timedelta(minutes=5), "Value": float(1_000_000 * (1 + i % 7) * (1 + h % 24)), "Unit": "Bytes"}
        for i, nat in enumerate(nat_ids) for h in range(days * 24) for name in BYTE_METRICS
    ]
    b.in_parallel(lambda chunk: cloudwatch.put_metric_data(Namespace="AWS/NATGateway", MetricData=chunk),
                  [datums[i : i + 1000] for i in range(0, len(datums), 1000)])
    return nat_ids


class Timer:
    """Per-operation call counts and each call's duration, from botocore's before-call and after-call events."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.durations: dict[str, list[float]] = defaultdict(list)
        self._lock = threading.Lock()

    def before(self, model: Any = None, context: Any = None, **_: Any) -> None:
        if context is not None:
            context["bench_started"] = time.perf_counter()

    def after(self, model: Any = None, context: Any = None, **_: Any) -> None:
        elapsed = time.perf_counter() - (context or {}).get("bench_started", time.perf_counter())
        with self._lock:
            self.calls[model.name] += 1
            self.durations[model.name].append(elapsed)

    def clear(self) -> None:
        self.calls.clear()
        self.durations.clear()

    def critical_path(self) -> float:
        d = {op: sum(v) for op, v in self.durations.items()}
        nat_then = d.get("DescribeNatGateways", 0) + max(d.get("GetMetricData", 0), d.get("DescribeAddresses", 0))
        return max(nat_then, d.get("DescribeSubnets", 0), d.get("DescribeRouteTables", 0))


def minimum_calls(vpcs: int, nats: int, days: int) -> dict[str, int]:
    from v6wizard.aws.paging import PAGE_SIZES
    from v6wizard.aws.savings_metrics import minimum_calls as metric_calls

    subnets, tables = vpcs * (1 + nats), vpcs * (2 + nats)  # + each VPC's main table
    return {
        "DescribeNatGateways": max(1, math.ceil(vpcs * nats / PAGE_SIZES["DescribeNatGateways"])),
        "DescribeSubnets": max(1, math.ceil(subnets / PAGE_SIZES["DescribeSubnets"])),
        "DescribeRouteTables": max(1, math.ceil(tables / PAGE_SIZES["DescribeRouteTables"])),
        "DescribeAddresses": max(1, math.ceil(vpcs * nats / 200)),
        "GetMetricData": metric_calls(vpcs * nats * len(BYTE_METRICS), days * 24),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vpcs", type=int, default=50)
    parser.add_argument("--nats", type=int, default=3)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

    from v6wizard.aws.savings_reads import read_region_savings
    from v6wizard.aws.session import AwsAccess, AwsTarget
    from v6wizard.core.prices import price_for
    from v6wizard.emulator import start_emulator

    timer = Timer()
    emulator = start_emulator(strict=True)
    try:
        target = AwsTarget(region="us-east-1", endpoint_url=emulator.endpoint)
        started = time.perf_counter()
        seed(AwsAccess(target), args.vpcs, args.nats, args.days)
        seed_s = time.perf_counter() - started
        emulator.faults.latency = args.latency
        access = AwsAccess(target, event_hooks=[("before-call", timer.before), ("after-call", timer.after)])
        walls, paths, report = [], [], None
        cold = 0.0
        for run in range(args.runs + 1):
            timer.clear()
            started = time.perf_counter()
            report = read_region_savings(access, days=args.days, prices=price_for("us-east-1"), now=NOW)
            if run == 0:  # loads the service models and opens the connections: reported apart
                cold = time.perf_counter() - started
                continue
            walls.append(time.perf_counter() - started)
            paths.append(timer.critical_path())
    finally:
        emulator.stop()
    assert report is not None and len(report.vpcs) == args.vpcs
    minimum = minimum_calls(args.vpcs, args.nats, args.days)
    wall, path = statistics.median(walls), statistics.median(paths)
    lines = [
        SECTION, "",
        f"`python bench/bench_savings.py --vpcs {args.vpcs} --nats {args.nats} --days {args.days} --latency {args.latency} "
        f"--runs {args.runs} --write` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{date.today()}; moto behind the strictness layer, {args.latency * 1000:.0f} ms added to every request.",
        "",
        f"A region of {args.vpcs} VPCs with {args.nats} NAT gateways each, {args.days} days of hourly byte metrics "
        f"({args.vpcs * args.nats * len(BYTE_METRICS)} GetMetricData queries of {args.days * 24} datapoints). Seeding took {seed_s:.1f} s. "
        "What `v6wizard savings` without --vpc-id reads:",
        "",
        "| operation | calls | minimum on AWS |", "|---|---:|---:|",
    ]
    for op in sorted(set(minimum) | set(timer.calls)):
        lines.append(f"| {op} | {timer.calls.get(op, 0)} | {minimum.get(op, 0)} |")
    lines.append(f"| **total** | {sum(timer.calls.values())} | {sum(minimum.values())} |")
    lines += [
        "",
        f"Wall time: median {wall * 1000:.0f} ms over {args.runs} runs (min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f}); "
        f"the unavoidable round trips (DescribeNatGateways, then the longer of GetMetricData's pages and DescribeAddresses, "
        f"beside DescribeSubnets and DescribeRouteTables) sum to {path * 1000:.0f} ms: {wall / path:.2f}x. "
        f"A first, cold run (botocore loading the EC2 and CloudWatch models, connections opening) took {cold * 1000:.0f} ms and is not counted.",
        "",
        "GetMetricData carries at most 500 queries and returns at most 100,800 datapoints a page, and a page never "
        "carries two requests' datapoints; the reader cuts its queries into the batches that take the fewest calls in "
        "all (`aws/savings_metrics.py` `batch_plan`; each gateway has four byte metrics, and 600 queries of 336 hourly points are exactly two pages: two calls of 300; "
        "tests/savings/test_metric_batches.py checks every size against a brute-force count). The emulator pages and refuses as AWS does "
        "(`emulator/cloudwatch_metric_data.py`); moto alone answers any number of queries in one page. "
        "moto answers each describe in one page whatever `MaxResults` says, so where AWS needs more pages "
        "(DescribeRouteTables at 100 a page) the emulator shows fewer calls than AWS will take.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    # moto ignores MaxResults and answers a describe in one page, so those show at most AWS's pages;
    # GetMetricData's pages are the emulator's, as AWS cuts them, so it must equal the minimum.
    ok = timer.calls.get("GetMetricData", 0) == minimum["GetMetricData"]
    ok = ok and all(timer.calls.get(op, 0) <= n for op, n in minimum.items()) and wall <= 1.5 * path
    if args.write:
        write_section(SECTION, text)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
