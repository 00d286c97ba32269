"""Options before the subcommand work as after it; the lock holds in every phase; bad journaled settings never block a rollback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import pytest

from v6wizard.cli.input_checks import FiniteRange
from v6wizard.constants import POLL_INTERVAL_RANGE
from v6wizard.engine.state import CUTOVER_SETTINGS_NOTE
from v6wizard.journal import lock_owner, open_journal
from v6wizard.journal.base import JournalEntry

from engine.scenario import small

FAST = ["--schedule", "10%:1s,100%", "--poll-interval", "0.2", "--min-invocations", "0"]


def _placed(position: str, option: list[str], command: list[str]) -> list[str]:
    return [*option, *command] if position == "before" else [*command, *option]


def _session_ids(run_cli, journal: Path | None = None) -> list[str]:
    extra = ["--journal", str(journal)] if journal else []
    return [s["id"] for s in json.loads(run_cli("sessions", "--output", "json", *extra).stdout)]


@pytest.mark.parametrize("position", ["before", "after"])
def test_journal_is_the_one_read_in_either_position(position: str, access, run_cli, journal_path: Path, tmp_path: Path) -> None:
    info = small(access, functions=0)
    other = tmp_path / "other.sqlite3"
    assert run_cli(*_placed(position, ["--journal", str(other)], ["apply", "--vpc-id", info.vpc_id, "--only", "vpc-cidr", "--yes"])).exit_code == 0
    listed = run_cli(*_placed(position, ["--journal", str(other)], ["sessions", "--output", "json"]))
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)) == 1
    assert not journal_path.exists(), "the default journal (V6WIZARD_JOURNAL) was used instead"


@pytest.mark.parametrize("position", ["before", "after"])
def test_endpoint_url_is_the_one_called_in_either_position(position: str, access, run_cli, cli_calls) -> None:
    info = small(access, functions=0)
    result = run_cli(*_placed(position, ["--endpoint-url", "http://127.0.0.1:1"], ["plan", "--vpc-id", info.vpc_id]))
    assert result.exit_code == 1, result.output
    assert "127.0.0.1:1" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("position", ["before", "after"])
def test_region_is_the_one_used_in_either_position(position: str, access, run_cli) -> None:
    info = small(access, functions=0)  # in us-east-1
    result = run_cli(*_placed(position, ["--region", "eu-west-1"], ["plan", "--vpc-id", info.vpc_id]))
    assert result.exit_code == 2, result.output
    assert info.vpc_id in result.stderr and "eu-west-1" in result.stderr


@pytest.mark.parametrize("position", ["before", "after"])
def test_profile_is_the_one_used_in_either_position(position: str, access, run_cli) -> None:
    info = small(access, functions=0)
    result = run_cli(*_placed(position, ["--profile", "nosuch"], ["plan", "--vpc-id", info.vpc_id]))
    assert result.exit_code == 2, result.output
    assert "'nosuch'" in result.stderr


@pytest.mark.parametrize("position", ["before", "after"])
def test_dry_run_apply_in_either_position_associates_nothing(position: str, access, run_cli, cli_calls, journal_path: Path) -> None:
    info = small(access, functions=0)
    result = run_cli(*_placed(position, ["--dry-run"], ["apply", "--vpc-id", info.vpc_id, "--until", "vpc-cidr", "--yes"]))
    assert result.exit_code == 0, result.output
    assert "AssociateVpcCidrBlock" in result.stdout and cli_calls.mutating == []
    vpc = access.client("ec2").describe_vpcs(VpcIds=[info.vpc_id])["Vpcs"][0]
    assert not vpc.get("Ipv6CidrBlockAssociationSet")
    assert _session_ids(run_cli) == []


def test_journal_init_creates_the_table_that_a_refusal_names(access, run_cli) -> None:
    refused = run_cli("sessions", "--journal", "dynamodb://team-journal")
    assert refused.exit_code == 2 and "v6wizard journal init dynamodb://team-journal" in refused.stderr
    assert "team-journal" not in access.client("dynamodb").list_tables()["TableNames"], "a refusal must not create it"
    made = run_cli("journal", "init", "dynamodb://team-journal")
    assert made.exit_code == 0, made.output
    assert run_cli("--journal", "dynamodb://team-journal", "sessions").exit_code == 0


def _hold(journal_path: Path, vpc_id: str, session_id: str) -> None:
    """Another live run (our parent process, on this host) holds the VPC for `session_id`."""
    journal = open_journal(str(journal_path))
    journal.acquire_lock(vpc_id, lock_owner(session_id).model_copy(update={"run_id": "another-run", "pid": os.getppid(), "user": "alice"}))
    journal.close()


@pytest.mark.parametrize("steps", [["--until", "functions"], ["--only", "cutover"], ["--until", "vpc-cidr"]])
def test_a_second_apply_is_refused_while_a_run_holds_the_vpc_and_leaves_no_session(steps, access, run_cli, cli_calls, journal_path: Path) -> None:
    info = small(access, functions=1, alias="live")
    assert run_cli("apply", "--vpc-id", info.vpc_id, "--until", "functions", "--yes").exit_code == 0
    first = _session_ids(run_cli)
    # The first session's run is in its cutover: it holds the VPC's lock.
    _hold(journal_path, info.vpc_id, first[0])

    second = run_cli("apply", "--vpc-id", info.vpc_id, *steps, *FAST, "--yes")
    assert second.exit_code == 1, second.output
    assert f"session {first[0]}, held by alice" in second.stderr
    assert cli_calls.mutating == []
    assert _session_ids(run_cli) == first, "a refused run left a session behind"


def test_a_rollback_ignores_journaled_settings_that_do_not_validate_and_says_so(access, run_cli, journal_path: Path) -> None:
    info = small(access, functions=1, alias="live")
    name = info.function_names[0]
    applied = run_cli("apply", "--vpc-id", info.vpc_id, *FAST, "--yes")
    assert applied.exit_code == 0, applied.output
    session_id = _session_ids(run_cli)[0]
    assert access.client("lambda").get_alias(FunctionName=name, Name="live")["FunctionVersion"] != "1"
    # What an older version journaled for `--poll-interval nan`.
    journal = open_journal(str(journal_path))
    journal.append(JournalEntry(session_id=session_id, action_id="", kind="note", data={
        "note": CUTOVER_SETTINGS_NOTE, "cutover_settings": {"poll_interval": None, "max_p99_ratio": "inf", "min_invocations": 0},
    }))
    journal.close()

    undone = run_cli("rollback", session_id, "--step", "cutover", "--yes")
    assert undone.exit_code == 0, undone.output
    assert "Ignored the journaled cutover settings max_p99_ratio, poll_interval" in undone.output
    assert access.client("lambda").get_alias(FunctionName=name, Name="live")["FunctionVersion"] == "1"


@pytest.mark.parametrize(("text", "seconds"), [("45", 45.0), ("30s", 30.0), ("1m", 60.0), ("0.5h", 1800.0), ("0.1", 0.1)])
def test_poll_interval_takes_durations_as_the_schedule_does(text: str, seconds: float) -> None:
    assert FiniteRange(*POLL_INTERVAL_RANGE, durations=True).convert(text, None, None) == seconds


@pytest.mark.parametrize("text", ["nan", "inf", "-1", "0", "2h", "1e309", "5 minutes", ""])
def test_poll_interval_refuses_what_is_not_a_finite_duration_in_range(text: str) -> None:
    with pytest.raises(click.BadParameter):
        FiniteRange(*POLL_INTERVAL_RANGE, durations=True).convert(text, None, None)
