"""The bad-input corpus: each case is refused with its exit code and one sentence, no traceback, and no change to AWS.

Every case runs the real CLI in-process against the emulator (strictness layer on) with
a small VPC and a second, foreign VPC seeded once per module. Before and after each case
both VPCs are snapshotted (`aws.snapshot`), and the botocore recorder proves that no
mutating call was made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from v6wizard.aws.snapshot import diff_snapshots

from corpus_world import World, cli_env, run, world  # noqa: F401 - fixtures


def _edited(world: World, folder: Path, edit: Any) -> str:
    document = json.loads(world.plan_file.read_text())
    edit(document, world)
    path = folder / "edited.json"
    path.write_text(json.dumps(document))
    return str(path)


def _actions(document: dict[str, Any], step: str) -> list[dict[str, Any]]:
    return next(s for s in document["steps"] if s["name"] == step)["actions"]


def _foreign_group(document: dict[str, Any], world: World) -> None:
    _actions(document, "security-groups")[0]["call"]["params"]["GroupId"] = world.foreign_group


def _ipv4_rule(document: dict[str, Any], world: World) -> None:
    permission = _actions(document, "security-groups")[0]["call"]["params"]["IpPermissions"][0]
    permission["IpRanges"] = [{"CidrIp": "203.0.113.0/24"}]


def _duplicate_id(document: dict[str, Any], world: World) -> None:
    routes = _actions(document, "routes")
    routes.append(dict(routes[0]))


def _unknown_operation(document: dict[str, Any], world: World) -> None:
    _actions(document, "routes")[0]["call"]["operation"] = "DeleteVpc"


def _tampered_fingerprint(document: dict[str, Any], world: World) -> None:
    document["fingerprint"] = "0" * 16


def _format_99(document: dict[str, Any], world: World) -> None:
    document["format_version"] = 99


def _unknown_kind(document: dict[str, Any], world: World) -> None:
    _actions(document, "routes")[0]["kind"] = "delete-everything"


def _extra_field(document: dict[str, Any], world: World) -> None:
    _actions(document, "routes")[0]["run_as_root"] = True


def _no_undo(document: dict[str, Any], world: World) -> None:
    _actions(document, "routes")[0]["inverse"] = None


def _other_vpc(document: dict[str, Any], world: World) -> None:
    document["vpc_id"] = world.foreign_vpc


def _nan_schedule(document: dict[str, Any], world: World) -> None:
    document["options"]["schedule"][0]["bake_seconds"] = 1e300


def _extra_action(document: dict[str, Any], world: World) -> None:
    extra = dict(_actions(document, "routes")[0])
    extra["id"] = "routes:create:rtb-invented"
    _actions(document, "routes").append(extra)


PLAN_EDITS = {
    "foreign-group": (_foreign_group, "security-groups:authorize:"),
    "ipv4-rule": (_ipv4_rule, "IpRanges"),
    "duplicate-id": (_duplicate_id, "twice"),
    "unknown-operation": (_unknown_operation, "DeleteVpc"),
    "tampered-fingerprint": (_tampered_fingerprint, "fingerprint"),
    "format-99": (_format_99, "format_version 99"),
    "unknown-kind": (_unknown_kind, "kind"),
    "extra-field": (_extra_field, "run_as_root"),
    "undo-removed": (_no_undo, "inverse"),
    "other-vpc": (_other_vpc, "not that VPC's"),
    "huge-bake": (_nan_schedule, "bake_seconds"),
    "extra-action": (_extra_action, "routes:create:rtb-invented"),
}

# (arguments, exit code, a phrase the one sentence holds); {vpc}, {session} and {tmp} are filled in.
CASES: dict[str, tuple[list[str], int, str]] = {
    "endpoint-not-a-url-before": (["--endpoint-url", "notaurl", "plan", "--vpc-id", "{vpc}"], 2, "http://"),
    "endpoint-not-a-url-after": (["plan", "--vpc-id", "{vpc}", "--endpoint-url", "notaurl"], 2, "http://"),
    "endpoint-ftp": (["apply", "--vpc-id", "{vpc}", "--endpoint-url", "ftp://127.0.0.1/", "--yes"], 2, "http://"),
    "endpoint-no-host": (["--endpoint-url", "http://", "apply", "--vpc-id", "{vpc}", "--yes"], 2, "http://"),
    "endpoint-bad-port": (["plan", "--vpc-id", "{vpc}", "--endpoint-url", "http://127.0.0.1:port"], 2, "http://"),
    "region-empty-before": (["--region", "", "apply", "--vpc-id", "{vpc}", "--yes"], 2, "must not be empty"),
    "region-empty-after": (["apply", "--vpc-id", "{vpc}", "--region", "", "--yes"], 2, "must not be empty"),
    "region-unknown": (["--region", "xx-nowhere-9", "apply", "--vpc-id", "{vpc}", "--yes"], 2, "xx-nowhere-9"),
    "region-twice": (["--region", "eu-west-1", "apply", "--vpc-id", "{vpc}", "--region", "us-east-1", "--yes"], 2, "given twice"),
    "profile-empty": (["apply", "--vpc-id", "{vpc}", "--profile", "", "--yes"], 2, "must not be empty"),
    "profile-missing-before": (["--profile", "nosuch", "apply", "--vpc-id", "{vpc}", "--yes"], 2, "nosuch"),
    "journal-empty": (["--journal", "", "apply", "--vpc-id", "{vpc}", "--yes"], 2, "must not be empty"),
    "journal-missing-table-before": (["--journal", "dynamodb://no-such-table", "apply", "--vpc-id", "{vpc}", "--yes"], 2, "v6wizard journal init dynamodb://no-such-table"),
    "journal-missing-table-after": (["sessions", "--journal", "dynamodb://no-such-table"], 2, "v6wizard journal init"),
    "journal-bad-table-name": (["apply", "--vpc-id", "{vpc}", "--journal", "dynamodb://x", "--yes"], 2, "does not name a DynamoDB table"),
    "journal-init-not-dynamodb": (["journal", "init", "{tmp}/j.sqlite3"], 2, "dynamodb://TABLE"),
    "region-before-demo": (["--region", "us-east-1", "demo"], 2, "does not apply to `v6wizard demo`"),
    "only-empty": (["apply", "--vpc-id", "{vpc}", "--only", "", "--yes"], 2, "--only names no step"),
    "only-commas": (["apply", "--vpc-id", "{vpc}", "--only", ",,", "--yes"], 2, "--only names no step"),
    "only-unknown": (["apply", "--vpc-id", "{vpc}", "--only", "routes,wings", "--yes"], 2, "no step 'wings'"),
    "until-empty": (["apply", "--vpc-id", "{vpc}", "--until", "", "--yes"], 2, "--until names no step"),
    "until-blank": (["apply", "--vpc-id", "{vpc}", "--until", "  ", "--yes"], 2, "--until names no step"),
    "until-unknown": (["apply", "--vpc-id", "{vpc}", "--until", "moon", "--yes"], 2, "no step 'moon'"),
    "poll-nan": (["apply", "--vpc-id", "{vpc}", "--poll-interval", "nan", "--yes"], 2, "finite"),
    "poll-inf": (["apply", "--vpc-id", "{vpc}", "--poll-interval", "inf", "--yes"], 2, "finite"),
    "poll-zero": (["apply", "--vpc-id", "{vpc}", "--poll-interval", "0", "--yes"], 2, "0.1 to 3600"),
    "poll-negative": (["apply", "--vpc-id", "{vpc}", "--poll-interval", "-5", "--yes"], 2, "0.1 to 3600"),
    "poll-two-hours": (["apply", "--vpc-id", "{vpc}", "--poll-interval", "2h", "--yes"], 2, "0.1 to 3600"),
    "poll-bad-unit": (["apply", "--vpc-id", "{vpc}", "--poll-interval", "30x", "--yes"], 2, "duration"),
    "poll-overflow": (["apply", "--vpc-id", "{vpc}", "--poll-interval", "1e309", "--yes"], 2, "finite"),
    "poll-resume-nan": (["resume", "{session}", "--poll-interval", "nan", "--yes"], 2, "finite"),
    "min-invocations-negative": (["apply", "--vpc-id", "{vpc}", "--min-invocations", "-1", "--yes"], 2, "0 to 1e+06"),
    "min-invocations-fraction": (["apply", "--vpc-id", "{vpc}", "--min-invocations", "1.5", "--yes"], 2, "whole number"),
    "min-invocations-nan": (["apply", "--vpc-id", "{vpc}", "--min-invocations", "nan", "--yes"], 2, "whole number"),
    "error-rate-nan": (["apply", "--vpc-id", "{vpc}", "--max-error-rate-increase", "nan", "--yes"], 2, "finite"),
    "error-rate-inf": (["apply", "--vpc-id", "{vpc}", "--max-error-rate-increase", "inf", "--yes"], 2, "finite"),
    "error-rate-over-100": (["apply", "--vpc-id", "{vpc}", "--max-error-rate-increase", "101", "--yes"], 2, "0 to 100"),
    "p99-inf": (["apply", "--vpc-id", "{vpc}", "--max-p99-ratio", "inf", "--yes"], 2, "finite"),
    "p99-below-one": (["apply", "--vpc-id", "{vpc}", "--max-p99-ratio", "0.5", "--yes"], 2, "1 to 100"),
    "p99-nan": (["resume", "{session}", "--max-p99-ratio", "nan", "--yes"], 2, "finite"),
    "schedule-huge-bake": (["apply", "--vpc-id", "{vpc}", "--schedule", "10%:99999999999999999999h,100%", "--yes"], 2, "24 h"),
    "schedule-25h": (["apply", "--vpc-id", "{vpc}", "--schedule", "10%:25h,100%", "--yes"], 2, "24 h"),
    "schedule-zero-percent": (["apply", "--vpc-id", "{vpc}", "--schedule", "0%:5m,100%", "--yes"], 2, "between 0% and 100%"),
    "schedule-over-100": (["apply", "--vpc-id", "{vpc}", "--schedule", "10%:5m,150%", "--yes"], 2, "between 0% and 100%"),
    "schedule-falling": (["apply", "--vpc-id", "{vpc}", "--schedule", "50%:5m,10%:5m,100%", "--yes"], 2, "must rise"),
    "schedule-no-bake": (["apply", "--vpc-id", "{vpc}", "--schedule", "10%,100%", "--yes"], 2, "positive bake"),
    "schedule-not-ending-at-100": (["apply", "--vpc-id", "{vpc}", "--schedule", "10%:5m,90%", "--yes"], 2, "end at 100%"),
    "schedule-empty": (["apply", "--vpc-id", "{vpc}", "--schedule", "", "--yes"], 2, "empty"),
    "schedule-garbage": (["plan", "--vpc-id", "{vpc}", "--schedule", "10%:nan,100%"], 2, "PERCENT%"),
    "vpc-unknown": (["apply", "--vpc-id", "vpc-0000000000000dead", "--yes"], 2, "vpc-0000000000000dead"),
    "vpc-and-plan": (["apply", "--vpc-id", "{vpc}", "--plan", "{tmp}/plan.json", "--yes"], 2, "not both"),
    "no-yes-off-terminal": (["apply", "--vpc-id", "{vpc}"], 2, "pass --yes"),
    "plan-file-missing": (["apply", "--plan", "{tmp}/nope.json", "--yes"], 2, "Could not read"),
    "plan-file-binary": (["apply", "--plan", "{tmp}/binary.json", "--yes"], 2, "not UTF-8"),
    "plan-file-not-json": (["apply", "--plan", "{tmp}/text.json", "--yes"], 2, "not JSON"),
    "plan-file-a-list": (["apply", "--plan", "{tmp}/list.json", "--yes"], 2, "not a JSON object"),
    "rollback-step-empty": (["rollback", "{session}", "--step", "", "--yes"], 2, "no step ''"),
    "rollback-step-unknown": (["rollback", "{session}", "--step", "wings", "--yes"], 2, "no step 'wings'"),
    "rollback-unknown-session": (["rollback", "v6-19700101-000000", "--yes"], 2, "v6-19700101-000000"),
    "resume-unknown-session": (["resume", "v6-19700101-000000", "--yes"], 2, "v6-19700101-000000"),
    "show-unknown-session": (["show", "v6-19700101-000000"], 2, "v6-19700101-000000"),
    "dry-run-before-journal-init": (["--dry-run", "journal", "init", "dynamodb://some-table"], 2, "does not apply"),
    "savings-days-0": (["savings", "--vpc-id", "{vpc}", "--days", "0"], 2, "--days must be from 1 to 455"),
    "savings-days-999": (["savings", "--vpc-id", "{vpc}", "--days", "999"], 2, "--days must be from 1 to 455"),
    "savings-days-not-a-number": (["savings", "--days", "two"], 2, "'two' is not a valid integer"),
    "savings-price-nan": (["savings", "--vpc-id", "{vpc}", "--nat-gb-price", "nan"], 2, "finite"),
    "savings-price-inf": (["savings", "--vpc-id", "{vpc}", "--nat-hour-price", "inf"], 2, "finite"),
    "savings-price-overflow": (["savings", "--vpc-id", "{vpc}", "--ipv4-hour-price", "1e309"], 2, "finite"),
    "savings-price-negative": (["savings", "--vpc-id", "{vpc}", "--nat-gb-price", "-0.01"], 2, "0 to 10"),
    "savings-price-empty": (["savings", "--vpc-id", "{vpc}", "--nat-hour-price", ""], 2, "is not a number"),
    "savings-price-words": (["savings", "--ipv4-hour-price", "cheap"], 2, "is not a number"),
    "savings-vpc-unknown": (["savings", "--vpc-id", "vpc-0000000000000dead"], 2, "vpc-0000000000000dead"),
    "savings-region-unknown-before": (["--region", "xx-nowhere-9", "savings"], 2, "xx-nowhere-9"),
    "savings-region-unknown-after": (["savings", "--vpc-id", "{vpc}", "--region", "xx-nowhere-9"], 2, "xx-nowhere-9"),
    "savings-profile-missing-before": (["--profile", "nosuch", "savings", "--vpc-id", "{vpc}"], 2, "nosuch"),
    "savings-unknown-session": (["savings", "--session", "v6-19700101-000000"], 2, "v6-19700101-000000"),
    "savings-vpc-empty": (["savings", "--vpc-id", ""], 2, "must not be empty"),
    "savings-session-blank": (["savings", "--session", "  "], 2, "must not be empty"),
    "savings-output-xml": (["savings", "--vpc-id", "{vpc}", "--output", "xml"], 2, "'xml' is not one of"),
}


def _fill(args: list[str], world: World, tmp: Path) -> list[str]:
    return [a.replace("{vpc}", world.vpc_id).replace("{session}", world.session_id).replace("{tmp}", str(tmp)) for a in args]


@pytest.fixture
def tmp(tmp_path: Path, world: World) -> Path:
    (tmp_path / "binary.json").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01" * 20)
    (tmp_path / "text.json").write_text("format_version = 1\n")
    (tmp_path / "list.json").write_text("[1, 2, 3]")
    (tmp_path / "plan.json").write_text(world.plan_file.read_text())
    return tmp_path


def _check_refused(run_cli, cli_calls, world: World, args: list[str], code: int, phrase: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == code, (args, result.output)
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert phrase in message, (phrase, message)
    assert len([line for line in message.splitlines() if line.startswith(("v6wizard:", "Error:"))]) == 1, message
    assert cli_calls.mutating == [], cli_calls.mutating
    after = world.snapshot()
    assert diff_snapshots(world.baseline[world.vpc_id], after[world.vpc_id]) == []
    assert after == world.baseline


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_refused_in_one_sentence_and_changes_nothing(name: str, world: World, run, cli_calls, tmp: Path) -> None:
    args, code, phrase = CASES[name]
    _check_refused(run, cli_calls, world, _fill(args, world, tmp), code, phrase)


@pytest.mark.parametrize("name", sorted(PLAN_EDITS))
def test_an_edited_plan_file_is_refused_in_one_sentence_and_changes_nothing(name: str, world: World, run, cli_calls, tmp: Path) -> None:
    edit, phrase = PLAN_EDITS[name]
    path = _edited(world, tmp, edit)
    _check_refused(run, cli_calls, world, ["apply", "--plan", path, "--yes"], 2, phrase)


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("command", ["apply", "resume", "rollback"])
def test_dry_run_in_either_position_previews_and_changes_nothing(command: str, position: str, world: World, run, cli_calls, tmp: Path) -> None:
    tail = {"apply": ["apply", "--vpc-id", world.vpc_id, "--until", "vpc-cidr", "--yes"], "resume": ["resume", world.session_id, "--yes"], "rollback": ["rollback", world.session_id, "--yes"]}[command]
    args = ["--dry-run", *tail] if position == "before" else [*tail, "--dry-run"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Dry run:"), result.stdout
    if command != "rollback":  # nothing of the session is applied, so its rollback would make no call
        assert "AssociateVpcCidrBlock" in result.stdout
    assert cli_calls.mutating == []
    assert world.snapshot() == world.baseline
