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
  the functions' aliases). A second bound is this rig's: a lone call at the round trip
  measured just before the runs, the subnets step at what a bare client took to make
  only that step's calls at the same concurrency on this emulator (`_bare_subnet_calls`,
  fastest of `BARE_RUNS`), and no step faster than the emulator's CPU can serve its
  calls one after another (moto runs under one GIL);
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
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from child_process import LineChild
from plan_steps import longest_chain, steps_of
from readme import write_section

SECTION = "## Apply and rollback"
UNPACED = "lambda=10000,lambda-get-function=10000,ec2-read=10000,ec2-write=10000"
"""The default --api-rate: quotas out of the way (200 subnets' ModifySubnetAttribute twice a run is 400
calls against AWS's bucket of 200 refilled at 5 a second; bench_timings.py runs with AWS's quotas)."""
UNTIL = "functions"
ROUND_TRIP_SAMPLES = 15
BARE_RUNS = 2
"""Times the subnets step's calls are made bare (see `_bare_subnet_calls`); the bound takes the fastest."""
SNAPSHOT_ROUND_TRIPS = 2
"""A full rollback ends by comparing the VPC with its pre-apply snapshot: every read at once, then the functions' aliases."""
SUBNET_KINDS = ("associate-subnet-ipv6", "enable-assign-ipv6")
"""Kinds of a step the engine runs with `subnet_concurrency` calls in flight (Engine._action_runner)."""
READING = (
    "Reading it: the mutating calls should equal the plan's minimum (botocore's retries are not counted). Both bounds "
    "follow the same critical path: steps one after another; in a step, its mutating calls (one round trip each, as "
    "many in flight as the engine allows), the waits the emulator imposes (a new VPC block reads `associating` for "
    "0.2 s, a function update `InProgress` for 0.3 s) and, for the full rollback, the closing comparison with the "
    "pre-apply snapshot (two round trips). They count no read, no journal write and no CPU of the engine's own, which "
    "on top of them makes, per step, one batched precondition read (read while the step before runs), per action a "
    "postcondition read (subnet actions share one DescribeSubnets per ~0.25 s of arrivals) and two fsync'd journal "
    "appends (intent before the call, outcome after the postcondition; appends made during a commit share the next). "
    "The first bound prices every call at the added latency, as if the emulator and botocore took no time. The "
    "second prices each call at what it costs on this rig: a lone call at the idle round trip (median of 15 sequential "
    "DescribeVpcs, measured just before the runs), and the subnets step at what a bare client took to make just that "
    "step's calls at the same concurrency (above), so no client of this emulator can beat it. The issue's target, at "
    "most 1.5x the critical-path lower bound, is judged against the second, this rig's; the first ratio is the one to "
    "compare with a machine where the emulator's own time is small."
)
HISTORY = (
    "What changed (2026-11-23, third session), measured side by side on this machine (the session's first commit and "
    "the new tree alternating, `--runs 3` each, three times, at one of this VM's slower moments): apply 3.49-3.61 s "
    "before and 3.25-3.26 s after, rollback 3.75-3.80 s before and 3.08-3.23 s after; at a quicker moment the new "
    "tree gave apply 3.09-3.18 s and rollback 2.91-3.00 s (this VM's noise is about +-0.15 s between runs of the same "
    "tree, and the bound on this rig moves with it). Changes: (1) the emulator's moto looks up a resource's tags directly "
    "instead of scanning every tag with a regex, and compares wildcard-free filter values for equality instead of "
    "fnmatch per object and value (DescribeSubnets of 24 subnets by filter: ~40 to ~20 ms of emulator CPU); (2) the "
    "engine reads a session's plan once and only the journal entries appended since its last read (deriving state "
    "before each step re-read and re-validated the whole journal, 10-25 ms a step); (3) reads started early: a "
    "publish's versions-before read overlaps its function's update, a rollback checks its gateway's tags at the start, "
    "the first step's drift check overlaps the run's journal writes, and the closing snapshot reads everything the VPC "
    "block cannot change while the block is removed (the functions' aliases alongside the subnets); (4) the "
    "SubnetWatch is told how many postconditions a step will wait for and reads at once after the last instead of "
    "waiting for arrivals to pause; (5) the CLI (and this bench) runs with the loaded heap frozen, as the TUI does: a "
    "full collection mid-run took ~80 ms with every action thread stopped; (6) a process that only serves the "
    "emulator switches threads every 1 ms instead of 5 (`emulator.server.tune_for_serving`: `demo --serve` and this "
    "bench's child), so a small request does not queue behind a big answer being written: about 0.1 s per phase in "
    "alternating runs. Tried and left out: caching moto's attribute lookups while it writes an answer (no clear gain); "
    "a 1 ms switch interval in the engine's process as well (no clear gain). Where the rest goes: the subnets step "
    "takes 1.7-1.9 s, and a bare client making only its 200 calls takes 1.6-1.8 s here: with 8 requests in flight the "
    "emulator (one GIL, a thread and a connection per request, ~4-5 ms of CPU each) answers in 65-70 ms, not 50. Every "
    "other step is its call and its postcondition read, two round trips, against one in the bounds. Earlier (second "
    "session): the journal's group commit, concurrent snapshot reads, gathered subnet postconditions, the next step's "
    "drift check read during the current one, waits that read every 50 ms for their first second, paired reads at "
    "once, and two cached moto lookups took apply from 4.4 s to 3.2-3.5 s and rollback from 4.3 s to 3.4-3.7 s. "
    "HTTP/1.1 keep-alive in the emulator is not possible (werkzeug 3 sends `Connection: close` whatever the handler's "
    "protocol). Later (2026-12-01), measured on AWS's timings (next section), two of the early reads of (3) saved "
    "nothing visible and were removed: the rollback's gateway-tag read at its start and the closing snapshot read in "
    "two parts; the functions step now starts every update at once, paced by the request budget, which this bench "
    "raises out of the way. Apply and rollback are each about 0.2 s slower here than before it (3.05 and 2.91 s): "
    "the shared wait reads a function first 0.5 s after its update's call (the emulator's update lasts 0.3 s; AWS's "
    "take a minute or more), where the per-function poll read every 50 ms."
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
    actions: list[Any],
    concurrency: int,
    subnet_concurrency: int,
    rtt: float,
    *,
    service: float = 0.0,
    rollback: bool = False,
    measured: dict[str, float] | None = None,
) -> float:
    """Lower bound on wall time: steps in order; within a step, the longest of its chain depth, its calls spread over
    the slots, and its calls served one after another (`service` s of the server's CPU each), plus its longest imposed
    wait. A step in `measured` takes the time its calls were measured to take instead."""
    total = 0.0
    for step_actions in steps_of(actions, rollback=rollback):
        longest = longest_chain(step_actions)
        imposed = max(_imposed_wait(a, rollback) for a in step_actions)
        slots = subnet_concurrency if all(a.kind in SUBNET_KINDS for a in step_actions) else concurrency
        calls = rtt * max(longest, math.ceil(len(step_actions) / slots))
        step = step_actions[0].step
        calls = (measured or {}).get(step, max(calls, service * len(step_actions)))
        total += calls + (max(rtt, imposed) if imposed else 0.0)
    if rollback:
        total += SNAPSHOT_ROUND_TRIPS * rtt
    return total


def _bare_subnet_calls(access: Any, emulator: "_ChildEmulator", vpc_id: str, slots: int, latency: float) -> tuple[float, float]:
    """Seconds a client that makes only the subnets step's calls takes on this rig: every subnet's
    AssociateSubnetCidrBlock, `slots` at a time, then every DisassociateSubnetCidrBlock, at `latency`.
    Nothing else (no journal, no drift check, no postcondition read), so no engine can make the same calls
    sooner here. The VPC's block is added before and removed after, untimed; the subnets end as they began."""
    from concurrent.futures import ThreadPoolExecutor

    from v6wizard.core.plan import nth_subnet64

    ec2 = access.client("ec2")
    association = ec2.associate_vpc_cidr_block(VpcId=vpc_id, AmazonProvidedIpv6CidrBlock=True)["Ipv6CidrBlockAssociation"]

    def vpc_block() -> str:
        for item in ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0].get("Ipv6CidrBlockAssociationSet") or []:
            if item["AssociationId"] == association["AssociationId"] and item["Ipv6CidrBlockState"]["State"] == "associated":
                return str(item["Ipv6CidrBlock"])
        return ""

    while not (block := vpc_block()):
        time.sleep(0.05)
    subnets = sorted(s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"])
    emulator.set_latency(latency)
    with ThreadPoolExecutor(max_workers=slots) as pool:
        started = time.perf_counter()
        answers = list(pool.map(lambda n: ec2.associate_subnet_cidr_block(SubnetId=subnets[n], Ipv6CidrBlock=nth_subnet64(block, n)), range(len(subnets))))
        associating = time.perf_counter() - started
        ids = [a["Ipv6CidrBlockAssociation"]["AssociationId"] for a in answers]
        started = time.perf_counter()
        list(pool.map(lambda association_id: ec2.disassociate_subnet_cidr_block(AssociationId=association_id), ids))
        disassociating = time.perf_counter() - started
    emulator.set_latency(0)
    ec2.disassociate_vpc_cidr_block(AssociationId=association["AssociationId"])
    return associating, disassociating


class _ChildEmulator(LineChild):
    """The emulator in a child process; `latency` is set through its stdin."""

    def __init__(self) -> None:
        super().__init__(__file__)

    def set_latency(self, seconds: float) -> None:
        self.ask(f"{seconds}")  # answered once the latency is in force

    def cpu_seconds(self) -> float:
        """CPU time the emulator's process has used so far."""
        return float(self.ask("cpu"))


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
    parser.add_argument(
        "--api-rate", default=UNPACED,
        help="the engine's request budget (CLASS=RPS,...); by default raised far above AWS's quotas, which "
        "bench_timings.py measures: this bench measures the engine's own cost per round trip",
    )
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
    subnet_concurrency = args.subnet_concurrency or args.concurrency
    bare = [_bare_subnet_calls(access, emulator, info.vpc_id, subnet_concurrency, args.latency) for _ in range(BARE_RUNS)]
    bare_calls = {"apply": min(a for a, _ in bare), "rollback": min(d for _, d in bare)}
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
    from v6wizard.aws.rate_limit import RequestBudget, parse_rates

    engine = Engine(
        access, journal, concurrency=args.concurrency, subnet_concurrency=subnet_concurrency,
        budget=RequestBudget(parse_rates(args.api_rate)),
    )

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
        name: _critical_path(
            actions, args.concurrency, subnet_concurrency, measured_rtt, service=service, rollback=name == "rollback",
            measured={"subnets": bare_calls[name]},
        )
        for name in ("apply", "rollback")
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
        f"moto behind the strictness layer in its own process, +{args.latency * 1000:.0f} ms per request; "
        f"the engine's request budget {'raised out of the way (AWS quotas: see the next section)' if args.api_rate == UNPACED else '`' + args.api_rate + '`'}. Scenario `many_subnets({args.subnets})` "
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
        f"| phase | wall s | bound s, {args.latency * 1000:.0f} ms per call | ratio | bound s on this rig ({measured_rtt * 1000:.1f} ms round trip; subnets step's calls made bare) | ratio | journal appends / commits | DescribeSubnets |",
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
    nominal_subnets = args.latency * math.ceil(sum(1 for a in actions if a.step == "subnets") / subnet_concurrency)
    lines += [
        "",
        f"A bare client that makes only the subnets step's {sum(1 for a in actions if a.step == 'subnets')} calls, "
        f"{subnet_concurrency} at a time, and nothing else took {bare_calls['apply']:.2f} s to associate the blocks and "
        f"{bare_calls['rollback']:.2f} s to disassociate them (fastest of {BARE_RUNS}), against {nominal_subnets:.2f} s at "
        f"{args.latency * 1000:.0f} ms per call; the idle round trip was {measured_rtt * 1000:.1f} ms and the emulator's "
        f"CPU {service * 1000:.1f} ms per call.",
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
