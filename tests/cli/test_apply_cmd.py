"""`v6wizard apply`, `sessions`, `show` and `rollback` end to end against the emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from v6wizard.aws.snapshot import diff_snapshots, take_snapshot

from engine.scenario import small


def test_apply_json_then_show_sessions_and_rollback(access, run_cli, cli_calls, journal_path: Path) -> None:
    info = small(access, functions=0)
    before = take_snapshot(access, info.vpc_id)

    result = run_cli("apply", "--vpc-id", info.vpc_id, "--until", "security-groups", "--yes", "--output", "json")
    assert result.exit_code == 0, result.output
    state = json.loads(result.stdout)
    session_id = state["session"]["id"]
    assert state["session"]["status"] == "applied"
    applied = {s["name"]: s["status"] for s in state["steps"] if not s["empty"]}
    assert applied == {"vpc-cidr": "applied", "subnets": "applied", "egress-gateway": "applied", "routes": "applied", "network-acls": "applied"}
    assert "CreateEgressOnlyInternetGateway" in cli_calls.mutating

    listed = json.loads(run_cli("sessions", "--output", "json").stdout)
    assert [s["id"] for s in listed] == [session_id]

    shown = run_cli("show", session_id)
    assert shown.exit_code == 0
    assert f"✓ routes:create:{info.route_table_ids[0]}" in shown.stdout

    undone = run_cli("rollback", session_id, "--yes")
    assert undone.exit_code == 0, undone.output
    assert "is rolled back;" in undone.stdout
    assert diff_snapshots(before, take_snapshot(access, info.vpc_id)) == []


def test_apply_text_prints_one_line_per_action(access, run_cli, journal_path: Path) -> None:
    info = small(access, functions=0)
    result = run_cli("apply", "--vpc-id", info.vpc_id, "--only", "vpc-cidr,subnets", "--yes")
    assert result.exit_code == 0, result.output
    ticks = [line for line in result.stdout.splitlines() if line.startswith("✓ ")]
    assert sorted(line.split()[1] for line in ticks) == sorted(
        [f"vpc-cidr:associate:{info.vpc_id}"] + [f"subnets:associate:{s}" for s in info.subnet_ids]
    )


def test_apply_without_yes_off_a_terminal_is_refused(access, run_cli, cli_calls, journal_path: Path) -> None:
    info = small(access, functions=0)
    result = run_cli("apply", "--vpc-id", info.vpc_id)
    assert result.exit_code == 2
    assert "pass --yes" in result.stderr
    assert cli_calls.mutating == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--only", "routes,bogus"], "There is no step 'bogus'"),
        (["--until", "nope"], "There is no step 'nope'"),
        ([], "either --vpc-id"),
    ],
)
def test_bad_step_names_and_missing_target_exit_2(run_cli, cli_calls, journal_path: Path, args: list[str], words: str) -> None:
    vpc = [] if not args else ["--vpc-id", "vpc-123"]
    result = run_cli("apply", *vpc, *args, "--yes")
    assert result.exit_code == 2
    assert words in result.stderr
    assert cli_calls.mutating == []


def test_malformed_plan_file_exit_2(run_cli, tmp_path: Path, journal_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text('{"steps": 3}')
    result = run_cli("apply", "--plan", str(bad), "--yes")
    assert result.exit_code == 2
    assert "is not a v6wizard plan" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_session_exit_2(run_cli, journal_path: Path) -> None:
    for command in (["show", "v6-nope"], ["rollback", "v6-nope", "--yes"], ["resume", "v6-nope", "--yes"]):
        result = run_cli(*command)
        assert result.exit_code == 2, command
        assert "v6-nope" in result.stderr


def test_plan_file_refused_when_the_vpc_drifted(access, run_cli, cli_calls, tmp_path: Path, journal_path: Path) -> None:
    info = small(access, functions=0)
    plan_file = tmp_path / "plan.json"
    assert run_cli("plan", "--vpc-id", info.vpc_id, "--output", "json", "--out", str(plan_file)).exit_code == 0
    # Someone adds a route to the private table after the plan was made.
    access.client("ec2").create_route(
        RouteTableId=info.route_table_ids[0], DestinationCidrBlock="192.168.0.0/16", GatewayId=info.internet_gateway_id
    )
    result = run_cli("apply", "--plan", str(plan_file), "--yes")
    assert result.exit_code == 1
    assert f"route-table:{info.route_table_ids[0]}" in result.stderr
    assert "v6wizard plan" in result.stderr
    assert cli_calls.mutating == []


def test_on_a_terminal_apply_asks_and_no_changes_nothing(access, run_cli, cli_calls, journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("v6wizard.cli.apply_cmd.is_terminal", lambda: True)
    info = small(access, functions=0)
    refused = run_cli("apply", "--vpc-id", info.vpc_id, "--only", "vpc-cidr", input="n\n")
    assert refused.exit_code == 2
    assert f"Apply 1 actions (vpc-cidr) to {info.vpc_id}" in refused.output
    assert cli_calls.mutating == []
    accepted = run_cli("apply", "--vpc-id", info.vpc_id, "--only", "vpc-cidr", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert cli_calls.mutating == ["AssociateVpcCidrBlock"]


def test_a_command_runs_with_the_loaded_heap_frozen_and_gives_it_back(access, tmp_path: Path) -> None:
    """Full collections mid-run walked boto3's models (~80 ms with every action thread stopped); a run freezes what is loaded."""
    import gc

    from v6wizard.cli.apply_cmd import engine_for
    from v6wizard.journal import open_journal

    gc.unfreeze()  # whatever an earlier test in this process froze
    before = gc.get_freeze_count()
    with engine_for(access, open_journal(str(tmp_path / "j.sqlite3")), "text") as engine:
        assert gc.get_freeze_count() > before
        assert engine.journal is not None
    assert gc.get_freeze_count() == before
