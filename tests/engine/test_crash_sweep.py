"""SIGKILL a real `v6wizard apply` / `rollback` process at every journal boundary, then resume.

The crash comes from the engine's test hooks: with `V6WIZARD_CRASH_AFTER_APPEND=N`
the process kills itself right after its N-th durable journal append (after an
intent, before its call; after an outcome), with `V6WIZARD_CRASH_AFTER_CALL=N` right
after its N-th AWS call returned and before the outcome is written (AWS has the
change, the journal does not). Every boundary is hit exactly, without timing races. After each crash, `Engine.resume` must reach the same end state as an
uninterrupted run, with no duplicate gateway, route or block; the rollback is swept
the same way and must restore the pre-apply snapshot.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from v6wizard.aws.snapshot import diff_snapshots, take_snapshot
from v6wizard.engine.journaling import CRASH_CALL_ENV, CRASH_ENV
from v6wizard.engine.runner import Engine

from engine.helpers import created_counts, journal_at, make_plan, replan_leftovers
from engine.scenario import small

UNTIL = "routes"
APPENDS = 9
"""One run note, then an intent and an outcome for each of the four actions up to the routes step."""
CALLS = 4
"""One AWS call per action up to the routes step, and one inverse call each in the rollback."""
SWEEPS = [
    pytest.param(CRASH_ENV, range(1, 5), id="append-1-4"),
    pytest.param(CRASH_ENV, range(5, APPENDS + 1), id="append-5-9"),
    pytest.param(CRASH_CALL_ENV, range(1, CALLS + 1), id="call-1-4"),
]
RUN_TIMEOUT = 120


def _run(emulator, journal: Path, hook: str, crash_at: int, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, AWS_ENDPOINT_URL=emulator.endpoint, V6WIZARD_JOURNAL=str(journal), **{hook: str(crash_at)})
    return subprocess.run(
        [sys.executable, "-m", "v6wizard", *args, "--yes"], env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )


def _only_session(journal_file: Path) -> str:
    journal = journal_at(journal_file)
    try:
        return journal.sessions()[0].id
    finally:
        journal.close()


@pytest.mark.slow
@pytest.mark.parametrize(("hook", "boundaries"), SWEEPS)
def test_crash_at_every_boundary_then_resume_converges(access, emulator, tmp_path: Path, hook: str, boundaries: range) -> None:
    info = small(access, functions=0)
    subnet = info.private_subnet_ids[0]
    plan = make_plan(access, info.vpc_id, subnet_ids=[subnet])
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.model_dump_json())
    pristine = take_snapshot(access, info.vpc_id)

    for crash_at in boundaries:
        journal_file = tmp_path / f"journal-{crash_at}.sqlite3"
        crashed = _run(emulator, journal_file, hook, crash_at, "apply", "--plan", str(plan_file), "--until", UNTIL)
        assert crashed.returncode == -signal.SIGKILL, crashed.stderr
        session_id = _only_session(journal_file)

        journal = journal_at(journal_file)
        engine = Engine(access, journal)
        engine.resume(session_id)
        state = engine.state(session_id)
        assert {s.name: s.status for s in state.steps if not s.empty} == {
            "vpc-cidr": "applied", "subnets": "applied", "egress-gateway": "applied", "routes": "applied", "network-acls": "planned",
        }, f"crash at {crash_at}"
        counts = created_counts(access, info.vpc_id)
        assert (counts["eigw"], counts["ipv6-default-route"]) == (1, 1), f"crash at {crash_at}: {counts}"
        vpc = access.client("ec2").describe_vpcs(VpcIds=[info.vpc_id])["Vpcs"][0]
        live = [a for a in vpc.get("Ipv6CidrBlockAssociationSet") or [] if a["Ipv6CidrBlockState"]["State"] == "associated"]
        assert len(live) == 1
        tokens = {e.data.get("client_token") for e in journal.entries(session_id) if e.kind == "intent" and e.action_id.startswith("egress-gateway:")}
        assert len(tokens) == 1 and None not in tokens, "the ClientToken is minted once and reused on resume"
        leftovers = replan_leftovers(access, info.vpc_id, subnet_ids=[subnet])
        assert [a for a in leftovers if not a.startswith(("network-acls:", "security-groups:", "functions:"))] == []
        journal.close()

        crashed = _run(emulator, journal_file, hook, crash_at, "rollback", session_id)
        assert crashed.returncode == -signal.SIGKILL, crashed.stderr
        journal = journal_at(journal_file)
        engine = Engine(access, journal)
        engine.resume(session_id)
        assert journal.session(session_id).status == "rolled-back"
        assert diff_snapshots(pristine, take_snapshot(access, info.vpc_id)) == [], f"crash at {crash_at}"
        journal.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("hook", "crash_at", "verb"), [(CRASH_CALL_ENV, 10, "update"), (CRASH_CALL_ENV, 11, "publish"), (CRASH_ENV, 22, "publish")]
)
def test_crash_in_the_functions_step_never_publishes_twice(access, emulator, tmp_path: Path, hook: str, crash_at: int, verb: str) -> None:
    """Calls 10 and 11 are UpdateFunctionConfiguration and PublishVersion; append 22 is the publish intent."""
    info = small(access, functions=1)
    name = info.function_names[0]
    plan = make_plan(access, info.vpc_id)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.model_dump_json())
    pristine = take_snapshot(access, info.vpc_id)
    journal_file = tmp_path / "journal.sqlite3"
    crashed = _run(emulator, journal_file, hook, crash_at, "apply", "--plan", str(plan_file), "--until", "functions")
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    session_id = _only_session(journal_file)
    journal = journal_at(journal_file)
    engine = Engine(access, journal)
    in_doubt = [a.id for a in engine.state(session_id).in_doubt]
    assert in_doubt == [f"functions:{verb}:{name}"]
    engine.resume(session_id)
    state = engine.state(session_id)
    assert state.step("functions").status == "applied", in_doubt
    versions = [v["Version"] for v in access.client("lambda").list_versions_by_function(FunctionName=name)["Versions"]]
    assert versions == ["$LATEST", "1", "2"], f"in doubt before resume: {in_doubt}"
    assert state.outputs[f"functions:publish:{name}"]["Version"] == "2"
    engine.rollback(session_id)
    assert diff_snapshots(pristine, take_snapshot(access, info.vpc_id)) == []
    journal.close()
