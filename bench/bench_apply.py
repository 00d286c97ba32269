"""Apply and rollback of the 200-subnet scenario with 50 ms added to every request.

    python bench/bench_apply.py [--subnets N] [--latency SECONDS] [--concurrency N] [--subnet-concurrency N] [--runs N] [--write]

Starts the emulator (strictness layer on) in its own process, as AWS would be (in
this one its CPU would hold the engine's GIL), seeds `many_subnets(N)`, plans it, then
with `--latency` seconds of server-side delay per request (a network stand-in)
starts a session, applies every step up to `functions` and rolls it all back. It
reports:

- mutating calls per operation (a botocore before-call hook, so botocore's own
  retries are not counted) against the minimum the plan needs: one call per action
  to apply, one per action with an inverse to roll back;
- wall time against a critical-path lower bound: steps run one after another; per
  step, the longer of its longest `after_actions` chain and its mutating calls spread
  over the calls the engine allows in flight (`--concurrency`, or `--subnet-concurrency`
  for the subnets step), one round trip per call, plus the wait AWS imposes after a
  call, at least one round trip: the emulator keeps a new VPC block `associating` for
  `ASSOCIATING_SECONDS` and a function update (the apply's, and the rollback's restore)
  `InProgress` for `UPDATE_SECONDS`, so no client can see them settle sooner. It counts
  no other read, no journal write and no CPU;
- the postcondition reads made (DescribeSubnets per subnet action);
- journal append latency p50/p99 as the action threads see it (until their entry is
  durable, waiting for a shared commit included), and the commits made: appends made
  while a commit is in progress share the next one (one fsync for all of them).

--write replaces the "## Apply and rollback" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from readme import write_section

SECTION = "## Apply and rollback"
UNTIL = "functions"
SUBNET_KINDS = ("associate-subnet-ipv6", "enable-assign-ipv6")
"""Kinds of a step the engine runs with `subnet_concurrency` calls in flight (Engine._action_runner)."""
READING = (
    "Reading it: the mutating calls should equal the plan's minimum (botocore's retries are not counted). The bound "
    "counts only the mutating calls (one round trip each, as many in flight as the engine allows) and the waits AWS "
    "imposes; on top of it the engine makes, per step, one batched precondition read, per action one postcondition read "
    "(shared: one DescribeSubnets for every subnet action waiting at that moment) and two fsync'd journal appends "
    "(intent before the call, outcome after the postcondition), serialized through one writer."
)
HISTORY = (
    "Before and after the batched postconditions (same machine, same day, 50 ms, concurrency 8). Before: one "
    "DescribeSubnets per subnet action (200 per phase), each action holding its pool slot through its own read, "
    "a function update waited out with GetFunctionConfiguration polls and then Lambda's waiter: apply 8.78 s (5.32x), "
    "rollback 7.26 s (4.54x) with the emulator in the bench's process (10.10 s / 6.12x and 7.58 s / 4.74x in the "
    "previous README run). After, emulator still in-process: apply 5.29 s (3.21x), rollback 5.23 s (3.27x), 27-29 "
    "DescribeSubnets per phase. The emulator now runs in its own process (in-process, moto's CPU held the engine's GIL, "
    "which AWS never does). The 1.5x target is not met on this machine, and the floor is not the engine's waiting: "
    "with `--latency 0` the same run takes about 4.1 s to apply and 2.9 s to roll back (moto's CPU, boto3's and the "
    "journal's on a 2-core VM shared with other builds), so 50 ms per request adds under a second; "
    "`--subnet-concurrency 16` halves the bound but not the wall time here (4.58 s apply, 4.36x). Against AWS, where "
    "the server's CPU is not ours, the remaining gap is the per-step reads (precondition and postcondition, about two "
    "round trips per step) and the journal's serialized fsyncs (the summed column). AWS throttles mutating EC2 calls "
    "per API with a token bucket, so `subnet_concurrency` stays bounded and botocore's standard retries absorb a "
    "`RequestLimitExceeded`."
)


def _imposed_wait(action: Any, rollback: bool) -> float:
    """Seconds the emulator keeps this action's effect unsettled after its call (0: none)."""
    from v6wizard.emulator.strict_ec2 import ASSOCIATING_SECONDS
    from v6wizard.emulator.strict_lambda import UPDATE_SECONDS

    if action.kind == "update-function-config":
        return UPDATE_SECONDS  # the update, and the rollback's UpdateFunctionConfiguration back
    if action.kind == "associate-vpc-ipv6" and not rollback:
        return ASSOCIATING_SECONDS
    return 0.0


def _critical_path(actions: list[Any], concurrency: int, subnet_concurrency: int, rtt: float, *, rollback: bool = False) -> float:
    """Lower bound on wall time: steps in order; within a step, chain depth vs pool throughput, plus its longest imposed wait."""
    by_step: dict[str, list[Any]] = {}
    for action in actions:
        if rollback and action.inverse is None:
            continue
        by_step.setdefault(action.step, []).append(action)
    total = 0.0
    for step_actions in by_step.values():
        ids = {a.id for a in step_actions}
        depth: dict[str, int] = {}

        def chain(action: Any) -> int:
            if action.id not in depth:
                deps = [d for d in action.after_actions if d in ids]
                depth[action.id] = 1 + max((chain(next(a for a in step_actions if a.id == d)) for d in deps), default=0)
            return depth[action.id]

        longest = max(chain(a) for a in step_actions)
        imposed = max(_imposed_wait(a, rollback) for a in step_actions)
        slots = subnet_concurrency if all(a.kind in SUBNET_KINDS for a in step_actions) else concurrency
        total += rtt * max(longest, math.ceil(len(step_actions) / slots)) + (max(rtt, imposed) if imposed else 0.0)
    return total


class _ChildEmulator:
    """The emulator in a child process; `latency` is set through its stdin."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--child"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.endpoint = self.process.stdout.readline().strip()

    def set_latency(self, seconds: float) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{seconds}\n")
        self.process.stdin.flush()
        self.process.stdout.readline()  # the child's acknowledgement: the latency is in force

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _serve() -> None:
    """Child mode: run the emulator, print its endpoint, take latencies from stdin until it closes."""
    from v6wizard.emulator import start_emulator

    emulator = start_emulator(strict=True)
    print(emulator.endpoint, flush=True)
    for line in sys.stdin:
        emulator.faults.latency = float(line)
        print("ok", flush=True)
    emulator.stop()


def _ratio(wall: float, bound: float) -> str:
    return f"{wall / bound:.2f}" if bound > 0 else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subnets", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--subnet-concurrency", type=int, default=0, help="calls in flight in the subnets step (default: --concurrency)")
    parser.add_argument("--runs", type=int, default=3, help="apply + rollback cycles; the report gives medians")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    os.environ.setdefault("AWS_REGION", "us-east-1")
    from v6wizard.aws.session import AwsAccess, AwsTarget
    from v6wizard.aws.snapshot import diff_snapshots, take_snapshot
    from v6wizard.demo import scenarios
    from v6wizard.engine.journaling import SessionWriter
    from v6wizard.engine.runner import Engine
    from v6wizard.journal import open_journal
    from v6wizard.planning import make_plan
    from v6wizard.core.plan import PlanOptions

    emulator = _ChildEmulator()
    calls: list[str] = []

    def record(model: Any = None, **_: Any) -> None:
        if model is not None:
            calls.append(model.name)

    access = AwsAccess(AwsTarget(region="us-east-1", endpoint_url=emulator.endpoint), event_hooks=[("before-call", record)])
    t0 = time.perf_counter()
    info = scenarios.many_subnets(access, n=args.subnets)
    seed_s = time.perf_counter() - t0
    plan = make_plan(access, info.vpc_id, PlanOptions())
    actions = plan.actions([s for s in ("vpc-cidr", "subnets", "egress-gateway", "routes", "network-acls", "security-groups", "functions")])
    before = take_snapshot(access, info.vpc_id)

    journal = open_journal(str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    appends: list[float] = []
    commits: list[int] = []
    writer_append = SessionWriter.append
    journal_append_many = journal.append_many

    def timed_append(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return writer_append(self, *args, **kwargs)
        finally:
            appends.append(time.perf_counter() - start)

    def counted_commit(entries: Any) -> Any:
        commits.append(len(entries))
        return journal_append_many(entries)

    SessionWriter.append = timed_append  # type: ignore[method-assign]
    journal.append_many = counted_commit  # type: ignore[method-assign]
    subnet_concurrency = args.subnet_concurrency or args.concurrency
    engine = Engine(access, journal, concurrency=args.concurrency, subnet_concurrency=subnet_concurrency)

    def phase(run: Any) -> dict[str, Any]:
        calls.clear()
        appends.clear()
        commits.clear()
        t0 = time.perf_counter()
        run()
        return {
            "wall": time.perf_counter() - t0,
            "calls": Counter(op for op in calls if not op.startswith(("Describe", "List", "Get"))),
            "subnet_reads": calls.count("DescribeSubnets"),
            "appends": list(appends),
            "commits": len(commits),
        }

    runs: list[dict[str, dict[str, Any]]] = []
    restored = True
    for _ in range(args.runs):
        plan = make_plan(access, info.vpc_id, PlanOptions())
        emulator.set_latency(args.latency)
        session = engine.start(plan)
        runs.append({
            "apply": phase(lambda: engine.apply(session.id, until=UNTIL)),
            "rollback": phase(lambda: engine.rollback(session.id)),
        })
        emulator.set_latency(0)
        restored = restored and diff_snapshots(before, take_snapshot(access, info.vpc_id)) == []
    emulator.stop()

    need = {
        "apply": Counter(a.call.operation for a in actions),
        "rollback": Counter(a.inverse.operation for a in actions if a.inverse is not None),
    }
    bound = {
        "apply": _critical_path(actions, args.concurrency, subnet_concurrency, args.latency),
        "rollback": _critical_path(actions, args.concurrency, subnet_concurrency, args.latency, rollback=True),
    }
    appends_ms = sorted(ms * 1000 for run in runs for name in run for ms in run[name]["appends"])
    p50 = statistics.median(appends_ms)
    p99 = appends_ms[max(0, math.ceil(len(appends_ms) * 0.99) - 1)]
    commit_count = sum(run[name]["commits"] for run in runs for name in run)

    lines = [
        SECTION,
        "",
        f"`python bench/bench_apply.py --subnets {args.subnets} --latency {args.latency} --concurrency {args.concurrency} "
        f"--subnet-concurrency {subnet_concurrency} --runs {args.runs} --write` "
        f"on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}; "
        f"moto behind the strictness layer in its own process, +{args.latency * 1000:.0f} ms per request. Scenario `many_subnets({args.subnets})` "
        f"(seeded in {seed_s:.1f} s); steps up to `{UNTIL}` ({len(actions)} actions).",
        "",
        "| phase | operation | calls | plan minimum |",
        "|---|---|---:|---:|",
    ]
    for name in ("apply", "rollback"):
        made = runs[0][name]["calls"]
        for op in sorted(set(made) | set(need[name])):
            most = max(run[name]["calls"][op] for run in runs)
            lines.append(f"| {name} | {op} | {made[op]}{'' if most == made[op] else f' (up to {most})'} | {need[name][op]} |")
    lines += [
        "",
        f"Medians of {args.runs} runs (each: plan, start, apply, full rollback), min-max in brackets:",
        "",
        "| phase | wall s | critical-path bound s | ratio | journal appends / commits | DescribeSubnets |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in ("apply", "rollback"):
        walls = [run[name]["wall"] for run in runs]
        wall = statistics.median(walls)
        lines.append(
            f"| {name} | {wall:.2f} ({min(walls):.2f}-{max(walls):.2f}) | {bound[name]:.2f} | {_ratio(wall, bound[name])} "
            f"({_ratio(min(walls), bound[name])}-{_ratio(max(walls), bound[name])}) "
            f"| {len(runs[0][name]['appends'])} / {statistics.median(run[name]['commits'] for run in runs):.0f} "
            f"| {statistics.median(run[name]['subnet_reads'] for run in runs):.0f} |"
        )
    lines += [
        "",
        f"Journal appends: {len(appends_ms)}, p50 {p50:.2f} ms, p99 {p99:.2f} ms as the action threads wait for them "
        f"(durable on return; SQLite, WAL, synchronous=FULL), in {commit_count} commits.",
        f"Every rollback restored the pre-apply snapshot: {'yes' if restored else 'NO'}.",
        "",
        READING,
        "",
        HISTORY,
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        write_section(SECTION, report)
    sys.exit(0 if restored else 1)


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _serve()
    else:
        main()
