"""`--sdk-endpoints`: the functions step adds AWS_ENDPOINT_URL_<SERVICE_ID>, rollback removes exactly those keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from v6wizard.core.plan import PlanOptions
from v6wizard.emulator.dns_server import DnsServer
from v6wizard.engine.runner import Engine
from v6wizard.journal import open_journal
from v6wizard.planning import make_plan

from .conftest import Account

SECRET = "hunter2-SECRET-VALUE"
ADDED = {"AWS_ENDPOINT_URL_DYNAMODB": "https://dynamodb.us-east-1.api.aws", "AWS_ENDPOINT_URL_SQS": "https://sqs.us-east-1.api.aws"}


def variables(access: Any, name: str) -> dict[str, str]:
    return access.client("lambda").get_function_configuration(FunctionName=name)["Environment"]["Variables"]


def test_apply_adds_the_settings_and_rollback_restores_the_variables_exactly(access: Any, dns: DnsServer, account: Account, tmp_path: Path) -> None:
    before = variables(access, "reader")
    plan = make_plan(access, account.vpc_id, PlanOptions(sdk_endpoints=True, dns_server=dns.address))
    update = plan.action("functions:update:reader")
    assert update.call.params["AddEnvironmentVariables"] == ADDED
    assert update.inverse is not None and update.inverse.params["RemoveEnvironmentVariables"] == sorted(ADDED)
    assert SECRET not in plan.model_dump_json()
    versions_before = len(access.client("lambda").list_versions_by_function(FunctionName="reader")["Versions"])

    journal = open_journal(str(tmp_path / "j.sqlite3"))
    engine = Engine(access, journal)
    session = engine.start(plan)
    engine.apply(session.id, until="functions")
    assert variables(access, "reader") == {**before, **ADDED}
    versions = access.client("lambda").list_versions_by_function(FunctionName="reader")["Versions"]
    assert len(versions) == versions_before + 1  # still one new version per function
    assert all(versions[-1]["Environment"]["Variables"].get(k) == v for k, v in ADDED.items())

    engine.rollback(session.id)
    assert variables(access, "reader") == before
    entries = "\n".join(e.model_dump_json() for e in journal.entries(session.id))
    assert SECRET not in entries and "123456789012/jobs" not in entries
    assert "AWS_ENDPOINT_URL_DYNAMODB" in entries  # the key names are journaled


def test_a_key_set_since_the_plan_is_never_overwritten(access: Any, dns: DnsServer, account: Account, tmp_path: Path) -> None:
    plan = make_plan(access, account.vpc_id, PlanOptions(sdk_endpoints=True, dns_server=dns.address))
    lam = access.client("lambda")
    lam.update_function_configuration(FunctionName="reader", Environment={"Variables": {"AWS_ENDPOINT_URL_SQS": "https://mine.example"}})
    from v6wizard.demo.builder import wait_function_ready

    wait_function_ready(access, "reader")
    engine = Engine(access, open_journal(str(tmp_path / "j.sqlite3")))
    session = engine.start(plan)
    try:
        engine.apply(session.id, until="functions")
    except Exception as exc:  # noqa: BLE001 - the refusal is what this test checks
        assert "never overwrites" in str(exc)
    else:
        raise AssertionError("the apply should have refused to overwrite AWS_ENDPOINT_URL_SQS")
    assert variables(access, "reader") == {"AWS_ENDPOINT_URL_SQS": "https://mine.example"}


def test_plan_preview_shows_keys_and_urls_never_existing_values(run_cli: Any, cli_calls: Any, dns: DnsServer, account: Account) -> None:
    for output in ("text", "json", "markdown"):
        result = run_cli("plan", "--vpc-id", account.vpc_id, "--sdk-endpoints", "--output", output)
        assert result.exit_code == 0, result.output
        assert "AWS_ENDPOINT_URL_DYNAMODB" in result.output and "https://sqs.us-east-1.api.aws" in result.output
        assert SECRET not in result.output and "123456789012/jobs" not in result.output
        if output == "text":
            assert "NAT stays for: ecr" in result.output
    assert cli_calls.mutating == []


def test_without_the_option_nothing_of_the_environment_is_planned(access: Any, dns: DnsServer, account: Account) -> None:
    plan = make_plan(access, account.vpc_id, PlanOptions(dns_server=dns.address))
    assert "AddEnvironmentVariables" not in plan.action("functions:update:reader").call.params
    assert plan.readiness is None


def test_cli_apply_and_rollback_with_sdk_endpoints_never_print_a_value(run_cli: Any, access: Any, dns: DnsServer, account: Account, journal_path: Path) -> None:
    before = variables(access, "reader")
    applied = run_cli("apply", "--vpc-id", account.vpc_id, "--sdk-endpoints", "--until", "functions", "--yes")
    assert applied.exit_code == 0, applied.output
    assert variables(access, "reader") == {**before, **ADDED}
    listed = run_cli("sessions", "--output", "json")
    session = json.loads(listed.stdout)[0]["id"]
    shown = run_cli("show", session, "--output", "json")
    rolled = run_cli("rollback", session, "--yes")
    assert rolled.exit_code == 0, rolled.output
    assert variables(access, "reader") == before
    for result in (applied, shown, rolled):
        assert SECRET not in result.output and "123456789012/jobs" not in result.output
    assert SECRET.encode() not in journal_path.read_bytes()
