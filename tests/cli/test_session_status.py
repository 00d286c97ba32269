"""The session's status the CLI reports is derived from its steps: partly applied, partly rolled back, rolled back."""

from __future__ import annotations

import json
from pathlib import Path

from engine.scenario import small


def test_apply_until_a_step_is_partly_applied_everywhere_then_partly_and_fully_rolled_back(access, run_cli, journal_path: Path) -> None:
    info = small(access, functions=0)
    applied = run_cli("apply", "--vpc-id", info.vpc_id, "--until", "routes", "--yes")
    assert applied.exit_code == 0, applied.output
    # vpc-cidr, subnets, egress-gateway and routes are applied; network-acls is not.
    assert "is partly applied: 4 of 5 steps applied;" in applied.stdout
    assert " is applied;" not in applied.stdout

    listed = json.loads(run_cli("sessions", "--output", "json").stdout)
    assert len(listed) == 1
    session_id = listed[0]["id"]
    assert listed[0]["status"] == "partly-applied"
    assert listed[0]["last_run"] == "applied"
    assert listed[0]["status_text"] == "partly applied: 4 of 5 steps applied"
    steps = {s["name"]: s["status"] for s in listed[0]["steps"]}
    assert steps["routes"] == "applied" and steps["network-acls"] == "planned"
    assert "partly applied: 4 of 5 steps applied" in run_cli("sessions").stdout

    shown = json.loads(run_cli("show", session_id, "--output", "json").stdout)
    assert shown["status"] == "partly-applied" and shown["status_text"] == "partly applied: 4 of 5 steps applied"
    assert run_cli("show", session_id).stdout.startswith(f"Session {session_id}: partly applied: 4 of 5 steps applied,")

    one = run_cli("rollback", session_id, "--step", "routes", "--yes", "--output", "json")
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout)["status"] == "partly-rolled-back"
    assert json.loads(run_cli("sessions", "--output", "json").stdout)[0]["status_text"] == "partly rolled back: 3 of 5 steps still applied"

    every = run_cli("rollback", session_id, "--yes")
    assert every.exit_code == 0, every.output
    assert f"Session {session_id} is rolled back;" in every.stdout
    assert json.loads(run_cli("sessions", "--output", "json").stdout)[0]["status"] == "rolled-back"


def test_resume_of_a_fully_rolled_back_session_says_nothing_to_resume_and_exits_2(access, run_cli, cli_calls, journal_path: Path) -> None:
    info = small(access, functions=0)
    assert run_cli("apply", "--vpc-id", info.vpc_id, "--only", "vpc-cidr", "--yes").exit_code == 0
    session_id = json.loads(run_cli("sessions", "--output", "json").stdout)[0]["id"]
    assert run_cli("rollback", session_id, "--yes").exit_code == 0

    resumed = run_cli("resume", session_id, "--yes")
    assert resumed.exit_code == 2
    assert "nothing to resume" in resumed.stderr
    assert "rolled back every step" not in resumed.output
    assert cli_calls.mutating == []
