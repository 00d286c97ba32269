"""The CLI when things go wrong: AccessDenied mid-step, a broken journal, secrets never written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from v6wizard.aws.snapshot import diff_snapshots, take_snapshot

from engine.scenario import small

SECRET = "test-secret-key-never-written-anywhere"
TOKEN = "session-token-that-must-never-be-written"


def test_access_denied_mid_step_exits_1_and_rollback_undoes_what_was_done(access, emulator, run_cli, journal_path: Path) -> None:
    info = small(access, functions=0)
    before = take_snapshot(access, info.vpc_id)
    emulator.faults.deny("ec2", "CreateNetworkAclEntry")
    result = run_cli("apply", "--vpc-id", info.vpc_id, "--until", "network-acls", "--yes")
    emulator.faults.reset()
    assert result.exit_code == 1
    assert "UnauthorizedOperation" in result.stderr
    session_id = json.loads(run_cli("sessions", "--output", "json").stdout)[0]["id"]
    assert f"v6wizard resume {session_id}" in result.stderr and f"v6wizard rollback {session_id}" in result.stderr
    assert "Traceback" not in result.output
    assert "✗ network-acls:create:" in result.stdout

    state = json.loads(run_cli("show", session_id, "--output", "json").stdout)
    statuses = {s["name"]: s["status"] for s in state["steps"] if not s["empty"]}
    assert statuses["routes"] == "applied" and statuses["network-acls"] == "failed"

    undone = run_cli("rollback", session_id, "--yes")
    assert undone.exit_code == 0, undone.output
    assert diff_snapshots(before, take_snapshot(access, info.vpc_id)) == []


def test_resume_after_access_denied_finishes_the_step(access, emulator, run_cli, journal_path: Path) -> None:
    info = small(access, functions=0)
    emulator.faults.deny("ec2", "CreateRoute")
    assert run_cli("apply", "--vpc-id", info.vpc_id, "--until", "routes", "--yes").exit_code == 1
    emulator.faults.reset()
    session_id = json.loads(run_cli("sessions", "--output", "json").stdout)[0]["id"]
    resumed = run_cli("resume", session_id, "--yes", "--output", "json")
    assert resumed.exit_code == 0, resumed.output
    state = json.loads(resumed.stdout)
    assert {s["name"]: s["status"] for s in state["steps"]}["routes"] == "applied"


def test_force_unlock_off_a_terminal_needs_yes(access, run_cli, journal_path: Path) -> None:
    info = small(access, functions=0)
    assert run_cli("apply", "--vpc-id", info.vpc_id, "--only", "vpc-cidr", "--yes").exit_code == 0
    session_id = json.loads(run_cli("sessions", "--output", "json").stdout)[0]["id"]
    result = run_cli("resume", session_id, "--force-unlock")
    assert result.exit_code == 2
    assert "pass --yes" in result.stderr


@pytest.mark.parametrize("content", [b"this is not a database at all" * 40, b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_corrupted_journal_is_refused_in_one_sentence(run_cli, journal_path: Path, content: bytes) -> None:
    journal_path.write_bytes(content)
    for command in (["sessions"], ["show", "v6-x"], ["resume", "v6-x", "--yes"]):
        result = run_cli(*command)
        assert result.exit_code == 2, command
        assert "Traceback" not in result.output
        assert str(journal_path) in result.stderr


def test_no_secret_reaches_the_journal_or_the_output(access, run_cli, journal_path: Path, monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    info = small(access, functions=1)
    # Everything v6wizard logs, and what its libraries log at their usual levels. (botocore's
    # own DEBUG wire log prints request headers, token included: v6wizard never turns it on.)
    caplog.set_level("INFO")
    caplog.set_level("DEBUG", logger="v6wizard")
    result = run_cli("apply", "--vpc-id", info.vpc_id, "--until", "functions", "--yes", "--output", "json")
    assert result.exit_code == 0, result.output
    session_id = json.loads(result.stdout)["session"]["id"]
    assert run_cli("rollback", session_id, "--yes").exit_code == 0
    files = [p for p in journal_path.parent.iterdir() if p.name.startswith(journal_path.name)]
    blobs = [p.read_bytes() for p in files] + [result.output.encode(), caplog.text.encode()]
    assert len(blobs[0]) > 1000, "the journal must hold the run"
    for blob in blobs:
        assert SECRET.encode() not in blob
        assert TOKEN.encode() not in blob
        assert b"AKIATESTTESTTEST0000" not in blob


def test_a_journal_from_a_newer_v6wizard_is_refused(run_cli, journal_path: Path) -> None:
    import sqlite3

    assert run_cli("sessions").exit_code == 0  # creates an empty journal of this version
    with sqlite3.connect(journal_path) as db:
        db.execute("PRAGMA user_version = 99")
    result = run_cli("sessions")
    assert result.exit_code == 2
    assert "newer v6wizard" in result.stderr
    assert "Traceback" not in result.output
