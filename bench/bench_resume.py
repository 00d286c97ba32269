"""Resume after `kill -9` on the same machine: how long until the resumed run starts its first step.

    python bench/bench_resume.py [--runs N] [--write]

Starts `v6wizard demo --serve` (the sample account, its emulator in its own process),
then, per run, against a fresh journal:

- clean: `v6wizard apply --until functions --yes`, timed from process start to its
  first step line ("— VPC IPv6 block: ..."), which the engine prints just before that
  step's first call, and to its exit;
- crash: the same apply, killed with SIGKILL once its subnets step has started, then
  `v6wizard resume SESSION --yes`, timed the same way (its first step line comes right
  before the in-doubt actions are read and the first call is made); then a rollback to
  restore the account for the next run.

The floor is `v6wizard sessions` (imports, the journal, nothing else) on the same journal.
--write replaces the "## Resume after a crash" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from readme import write_section

SECTION = "## Resume after a crash"
TARGET_SECONDS = 2.0


def _serve() -> tuple[subprocess.Popen[str], dict[str, str], str]:
    server = subprocess.Popen(["v6wizard", "demo", "--serve"], stdout=subprocess.PIPE, text=True)
    env, vpc = dict(os.environ), ""
    deadline = time.monotonic() + 120
    assert server.stdout is not None
    while time.monotonic() < deadline and not vpc:
        line = server.stdout.readline()
        if line.strip().startswith("export "):
            for pair in line.split()[1:]:
                key, _, value = pair.partition("=")
                env[key] = value
        if "plan --vpc-id" in line:
            vpc = line.split("--vpc-id", 1)[1].split()[0]
    if not vpc:
        server.kill()
        raise SystemExit("the demo emulator did not start")
    return server, env, vpc


def _timed(args: list[str], env: dict[str, str], *, kill_on: str | None = None) -> tuple[float | None, float]:
    """(seconds to the first step line, seconds to exit or kill) for `v6wizard ARGS`."""
    started = time.monotonic()
    process = subprocess.Popen(["v6wizard", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    first: float | None = None
    for line in process.stdout:
        if first is None and line.startswith("— "):
            first = time.monotonic() - started
        if kill_on is not None and kill_on in line:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=300)
    return first, time.monotonic() - started


def _last_session(env: dict[str, str]) -> str:
    out = subprocess.run(["v6wizard", "sessions", "--output", "json"], env=env, capture_output=True, text=True, check=True).stdout
    return str(json.loads(out)[0]["id"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    server, env, vpc = _serve()
    rows: dict[str, list[float]] = {k: [] for k in ("floor", "clean_first", "clean_total", "resume_first", "resume_total")}
    try:
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                env["V6WIZARD_JOURNAL"] = str(Path(folder) / "journal.sqlite3")
                apply = ["apply", "--vpc-id", vpc, "--until", "functions", "--yes"]
                first, total = _timed(apply, env)
                rows["clean_first"].append(first or total)
                rows["clean_total"].append(total)
                subprocess.run(["v6wizard", "rollback", _last_session(env), "--yes"], env=env, capture_output=True, check=True)
                _timed(apply, env, kill_on="— Subnet /64s")
                session = _last_session(env)
                first, total = _timed(["resume", session, "--yes"], env)
                rows["resume_first"].append(first or total)
                rows["resume_total"].append(total)
                rows["floor"].append(_timed(["sessions"], env)[1])
                subprocess.run(["v6wizard", "rollback", session, "--yes"], env=env, capture_output=True, check=True)
            print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in rows.items()), file=sys.stderr)
    finally:
        server.kill()
        server.wait(timeout=10)
    median = {k: statistics.median(v) for k, v in rows.items()}
    load = os.getloadavg()[0]
    text = f"""{SECTION}

`python bench/bench_resume.py --runs {args.runs} --write` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}; `v6wizard demo --serve`'s account (emulator in its own process), each run on a fresh SQLite journal; load average {load:.1f} at the end.

| run | to its first step (s) | to exit (s) | target |
|---|---:|---:|---:|
| `apply --until functions`, clean | {median['clean_first']:.2f} | {median['clean_total']:.2f} | |
| `resume` after `kill -9` in the subnets step | {median['resume_first']:.2f} | {median['resume_total']:.2f} | first step < {TARGET_SECONDS:g} s |
| `v6wizard sessions` (imports and the journal only) | | {median['floor']:.2f} | |

Medians of {args.runs}. "First step" is process start to the first step line, which the engine prints just before that step's first read or call. A resume on the same machine does not wait for the killed run's lease (120 s): the lock records the run's boot id, pid namespace, host and pid, and a holder whose pid is gone here holds nothing (`journal/locks.py`), so a resume starts as soon as it has loaded boto3, read the session, reconciled the in-doubt actions and checked the next step's preconditions.
"""
    print(text)
    if args.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
