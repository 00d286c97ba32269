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
  no other read, no journal write and no CPU, except that a full rollback ends with
  the snapshot comparison the issue asks for (two round trips: its reads at once, then
  the functions' aliases). A second bound is this rig's: the round trip measured just
  before the runs, and no step faster than the emulator's CPU can serve its calls one
  after another (moto runs under one GIL);
- the postcondition reads made (DescribeSubnets per subnet action);
- journal append latency p50/p99 as the action threads see it (until their entry is
  durable, waiting for a shared commit included), and the commits made: appends made
  while a commit is in progress share the next one (one fsync for all of them).

--write replaces the "## Apply and rollback" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
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
ROUND_TRIP_SAMPLES = 15
SNAPSHOT_ROUND_TRIPS = 2
"""A full rollback ends by comparing the VPC with its pre-apply snapshot: every read at once, then the functions' aliases."""
SUBNET_KINDS = ("associate-subnet-ipv6", "enable-assign-ipv6")
"""Kinds of a step the engine runs with `subnet_concurrency` calls in flight (Engine._action_runner)."""
READING = (
    "Reading it: the mutating calls should equal the plan's minimum (botocore's retries are not counted). The bound "
    "counts only the mutating calls (one round trip each, as many in flight as the engine allows), the waits the "
    "emulator imposes (a new VPC block reads `associating` for 0.2 s, a function update `InProgress` for 0.3 s) and, "
    "for the full rollback, the closing comparison with the pre-apply snapshot (two round trips); on top of "
    "it the engine makes, per step, one batched precondition read (read while the step before runs), per action a "
    "postcondition read (subnet actions share one DescribeSubnets per ~0.25 s of arrivals) and two fsync'd journal "
    "appends (intent before the call, outcome after the postcondition; appends made during a commit share the next). "
    "The first bound takes the added latency as the round trip; the second, this rig's, takes the median of 15 "
    "sequential DescribeVpcs for one VPC at that latency, measured just before the runs (what the smallest call costs "
    "here: werkzeug opens a connection and a thread per request, botocore signs and parses; no client avoids it), and "
    "lets no step go faster than the emulator's process can serve its calls one after another (its CPU per call "
    "measured over the same 15 calls). The issue's target, at most 1.5x, is judged here against the first."
)
HISTORY = (
    "What changed on 2026-11-23 (second session), each measured side by side on this machine, 50 ms, concurrency 8. "
    "Start of the session: apply 4.41 s, rollback 4.26 s against bounds of 1.65 s and 1.60 s that counted one round "
    "trip per imposed wait (2.67x each); with the waits the emulator really imposes counted, those bounds are 2.05 s "
    "and 1.80 s (2.15x, 2.37x). Changes: (1) the journal's group commit (`Journal.append_many`, one SQLite transaction "
    "and fsync for every append queued during a commit): 413 appends per phase in about 70 commits; (2) the full "
    "rollback's closing snapshot reads at once (0.8 s to 0.3 s); (3) the SubnetWatch gathers arrivals into about "
    "10 DescribeSubnets per subnet step instead of 27 (each costs moto ~21 ms of CPU for 24 subnets and our parser "
    "as much, while the calls queue behind it); (4) the next step's drift check is read while the current step "
    "runs (one round trip per step, and the subnets step's 200-subnet read, 0.23 s, now overlaps the VPC block's "
    "wait); (5) waits read every 50 ms for their first second instead of doubling from 50 ms; (6) the egress "
    "precondition and the published-version postcondition make their two reads at once; (7) the emulator caches two "
    "of moto's per-request lookups (its package listing, a class's method names), halving moto's CPU per call (7.5 ms "
    "to 4.2 ms, measured as above). Apply went from 4.4 s to 3.2-3.5 s and rollback from 4.3 s to 3.4-3.7 s "
    "(medians of 3-5 runs, this VM's noise is +-0.3 s). Where the rest goes: the subnets step is 1.8-2.0 s of calls "
    "that are 65-75 ms each with 8 in flight (7.7 on average: the slots stay full), against 50 ms in the nominal "
    "bound and 57 ms idle: the emulator and the engine (botocore, pydantic, SQLite) share two cores, so a call in a "
    "busy stretch waits for CPU on one side or the other; the journal's fsyncs (p50 wait 7-10 ms) sit before each "
    "call; a rollback's function restore and gateway deletion read before and after their call. Tried and left out: "
    "HTTP/1.1 keep-alive in the emulator (werkzeug 3 sends `Connection: close` whatever the handler's protocol); "
    "pinning the emulator to one core. The issue's target (1.5x) is not met against the nominal bound (apply about "
    "1.6x, rollback about 1.9x); against this rig's bound apply is about 1.5x and rollback 1.7x."
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


def _critical_path(
    actions: list[Any], concurrency: int, subnet_concurrency: int, rtt: float, *, service: float = 0.0, rollback: bool = False
) -> float:
    """Lower bound on wall time: steps in order; within a step, the longest of its chain depth, its calls spread over
    the slots, and its calls served one after another (`service` s of the server's CPU each), plus its longest imposed wait."""
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
        calls = rtt * max(longest, math.ceil(len(step_actions) / slots))
        total += max(calls, service * len(step_actions)) + (max(rtt, imposed) if imposed else 0.0)
    if rollback:
        total += SNAPSHOT_ROUND_TRIPS * rtt
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
        self._ask(f"{seconds}")  # answered once the latency is in force

    def cpu_seconds(self) -> float:
        """CPU time the emulator's process has used so far."""
        return float(self._ask("cpu"))

    def _ask(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{line}\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _serve() -> None:
    """Child mode: run the emulator, print its endpoint, take latencies from stdin until it closes."""
    from v6wizard.emulator import start_emulator
    from v6wizard.emulator.server import tune_for_serving

    tune_for_serving()  # as `v6wizard demo --serve` does: this process only serves
    emulator = start_emulator(strict=True)
    print(emulator.endpoint, flush=True)
    for line in sys.stdin:
        if line.strip() == "cpu":
            print(time.process_time(), flush=True)
            continue
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
        gc.freeze()  # as the CLI does before a run (cli/apply_cmd.py, engine_for)
        t0 = time.perf_counter()
        run()
        return {
            "wall": time.perf_counter() - t0,
            "calls": Counter(op for op in calls if not op.startswith(("Describe", "List", "Get"))),
            "subnet_reads": calls.count("DescribeSubnets"),
            "appends": list(appends),
            "commits": len(commits),
        }

    # A round trip here: the added latency plus what the emulator (a new connection per
    # request: werkzeug closes each one) and botocore take for the smallest call.
    emulator.set_latency(args.latency)
    ec2 = access.client("ec2")
    round_trips = []
    server_cpu = emulator.cpu_seconds()
    for _ in range(ROUND_TRIP_SAMPLES):
        started = time.perf_counter()
        ec2.describe_vpcs(VpcIds=[info.vpc_id])
        round_trips.append(time.perf_counter() - started)
    service = (emulator.cpu_seconds() - server_cpu) / ROUND_TRIP_SAMPLES
    measured_rtt = statistics.median(round_trips)
    emulator.set_latency(0)

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
    measured_bound = {
        "apply": _critical_path(actions, args.concurrency, subnet_concurrency, measured_rtt, service=service),
        "rollback": _critical_path(actions, args.concurrency, subnet_concurrency, measured_rtt, service=service, rollback=True),
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
        f"| phase | wall s | bound s, {args.latency * 1000:.0f} ms per call | ratio | bound s on this rig ({measured_rtt * 1000:.1f} ms round trip, {service * 1000:.1f} ms emulator CPU per call) | ratio | journal appends / commits | DescribeSubnets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ("apply", "rollback"):
        walls = [run[name]["wall"] for run in runs]
        wall = statistics.median(walls)
        lines.append(
            f"| {name} | {wall:.2f} ({min(walls):.2f}-{max(walls):.2f}) | {bound[name]:.2f} | {_ratio(wall, bound[name])} "
            f"({_ratio(min(walls), bound[name])}-{_ratio(max(walls), bound[name])}) "
            f"| {measured_bound[name]:.2f} | {_ratio(wall, measured_bound[name])} "
            f"({_ratio(min(walls), measured_bound[name])}-{_ratio(max(walls), measured_bound[name])}) "
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
