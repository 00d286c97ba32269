"""Discovery and plan at scale, and the CLI's start-up cost.

    python bench/bench_discovery.py [--runs N] [--write]

Starts the emulator (with its strictness layer), seeds `bench_scale` (200 subnets,
40 route tables, 40 security groups, 100 functions), then times discovery and
`build_plan`, counting API calls per operation with a botocore before-call hook and
comparing them with the minimum number of pages AWS would need. Also times
`v6wizard --help` against `python -c pass` and asserts that `--help` imports neither
boto3 nor textual. --write replaces the "## Discovery and plan" section of
bench/README.md with the results.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from typing import Any

from readme import write_section

SECTION = "## Discovery and plan"


def min_pages(inventory: Any, function_count_in_region: int) -> dict[str, int]:
    """The fewest calls AWS needs per operation at the page sizes discovery asks for."""
    from v6wizard.aws.paging import PAGE_SIZES

    rules = sum(len(g.egress_rules) for g in inventory.security_groups)
    counts = {
        "DescribeVpcs": 1,
        "DescribeSubnets": len(inventory.subnets),
        "DescribeRouteTables": len(inventory.route_tables),
        "DescribeNetworkAcls": len(inventory.network_acls),
        "DescribeInternetGateways": len(inventory.internet_gateways),
        "DescribeEgressOnlyInternetGateways": len(inventory.egress_only_gateways),
        "DescribeNatGateways": len(inventory.nat_gateways),
        "DescribeSecurityGroups": len(inventory.security_groups),
        # Ingress rules come back too; egress rules are a lower bound on what the filter returns.
        "DescribeSecurityGroupRules": rules,
        "ListFunctions": function_count_in_region,
    }
    pages = {op: max(1, math.ceil(n / PAGE_SIZES.get(op, 1000))) for op, n in counts.items()}
    for op in ("GetFunction", "ListVersionsByFunction", "ListAliases", "ListProvisionedConcurrencyConfigs"):
        pages[op] = len(inventory.functions)
    return pages


def bench_discovery(runs: int) -> dict[str, Any]:
    from v6wizard.aws.discovery import discover
    from v6wizard.aws.session import AwsAccess, AwsTarget
    from v6wizard.demo import scenarios
    from v6wizard.emulator import start_emulator

    calls: Counter[str] = Counter()

    def count(model: Any = None, **_: Any) -> None:
        calls[model.name] += 1

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    emulator = start_emulator(strict=True)
    try:
        access = AwsAccess(AwsTarget(region="us-east-1", endpoint_url=emulator.endpoint), event_hooks=[("before-call", count)])
        started = time.perf_counter()
        info = scenarios.bench_scale(access)
        seed_s = time.perf_counter() - started
        walls = []
        inventory = None
        for _ in range(runs):
            calls.clear()
            started = time.perf_counter()
            inventory = discover(access, info.vpc_id)
            walls.append(time.perf_counter() - started)
        assert inventory is not None
        per_run = dict(calls)
        plan = bench_plan(inventory)
    finally:
        emulator.stop()
    return {
        "seed_s": seed_s,
        "walls": walls,
        "calls": per_run,
        "pages": min_pages(inventory, len(info.function_names)),
        "inventory": inventory,
        "plan": plan,
    }


def bench_plan(inventory: Any) -> dict[str, Any] | None:
    try:
        from v6wizard.core.plan import PlanOptions
        from v6wizard.core.planner import build_plan
    except ImportError:
        return None  # the planner has not landed yet: discovery timings stand alone
    walls = []
    plan = None
    for _ in range(5):
        started = time.perf_counter()
        plan = build_plan(inventory, PlanOptions())
        walls.append(time.perf_counter() - started)
    assert plan is not None
    actions = sum(len(step.actions) for step in plan.steps)
    return {"median_s": statistics.median(walls), "actions": actions}


def _median_run(argv: list[str], runs: int) -> float:
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


def bench_help(runs: int) -> dict[str, Any]:
    """`v6wizard --help` vs a bare interpreter, and which heavy modules --help imports."""
    importtime = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "v6wizard", "--help"], check=True, capture_output=True, text=True
    ).stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in importtime.splitlines() if "|" in line}
    heavy = sorted(name for name in imported if name.split(".")[0] in ("boto3", "botocore", "textual"))
    assert not heavy, f"`v6wizard --help` imports {', '.join(heavy)}"
    return {
        "help_s": _median_run([sys.executable, "-m", "v6wizard", "--help"], runs),
        "bare_s": _median_run([sys.executable, "-c", "pass"], runs),
        "modules": len(imported),
    }


def report(result: dict[str, Any], cli: dict[str, Any], runs: int) -> str:
    inventory = result["inventory"]
    lines = [
        SECTION,
        "",
        f"`python bench/bench_discovery.py --runs {runs} --write` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {date.today().isoformat()}; moto behind the strictness layer, on loopback.",
        "",
        f"Scenario `bench_scale`: {len(inventory.subnets)} subnets, {len(inventory.route_tables)} route tables "
        f"(incl. main), {len(inventory.security_groups)} security groups (incl. default), {len(inventory.functions)} "
        f"functions. Seeding took {result['seed_s']:.1f} s.",
        "",
        f"Discovery wall time: median {statistics.median(result['walls']):.2f} s over {runs} runs "
        f"(min {min(result['walls']):.2f}, max {max(result['walls']):.2f}).",
        "",
        "| operation | calls | min pages on AWS |",
        "|---|---:|---:|",
    ]
    operations = sorted(set(result["calls"]) | set(result["pages"]))
    for op in operations:
        lines.append(f"| {op} | {result['calls'].get(op, 0)} | {result['pages'].get(op, '-')} |")
    lines.append(f"| **total** | {sum(result['calls'].values())} | {sum(result['pages'].values())} |")
    lines += [
        "",
        "Calls equal pages: one filtered call per page per resource type, all VPC-wide reads concurrent, "
        "then the security-group rules of every group in one filtered call and the four unavoidable "
        "per-function reads run concurrently (16 threads). moto 5.2.5 ignores `MaxResults`/`MaxItems` and "
        "answers everything in one page, so where AWS needs more pages (ListFunctions at 50 per page) the "
        "emulator shows fewer calls than AWS will take.",
        "",
    ]
    plan = result["plan"]
    if plan is None:
        lines.append("`build_plan`: not measured (the planner was not importable when this ran).")
    else:
        lines.append(f"`build_plan(inventory, PlanOptions())`: median {plan['median_s'] * 1000:.1f} ms for {plan['actions']} actions.")
    lines += [
        "",
        f"`v6wizard --help`: median {cli['help_s'] * 1000:.0f} ms vs `python -c pass` {cli['bare_s'] * 1000:.0f} ms "
        f"({cli['modules']} modules imported; none from boto3, botocore or textual, asserted with `-X importtime`).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write the results into bench/README.md")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per emulator request otherwise
    result = bench_discovery(args.runs)
    cli = bench_help(args.runs)
    text = report(result, cli, args.runs)
    print(text)
    if args.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
