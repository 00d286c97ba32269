"""`v6wizard savings` and the plan's savings section: bad input refused, read-only, the documented JSON."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from v6wizard.aws.session import AwsAccess
from v6wizard.core.plan import Plan
from v6wizard.demo import builder as b
from v6wizard.demo import scenarios

# Logs Insights queries read logs; StartQuery and StopQuery change no resource (IAM lists them as read actions).
QUERY_CALLS = ("StartQuery", "StopQuery")


@pytest.fixture
def demo(access: AwsAccess):
    return scenarios.demo(access)


@pytest.mark.parametrize("days", ["0", "999", "-3"])
def test_days_outside_one_to_455_exit_2_before_any_aws_call(run_cli, cli_calls, days: str) -> None:
    result = run_cli("savings", "--vpc-id", "vpc-123", "--days", days)
    assert result.exit_code == 2
    assert "--days must be from 1 to 455" in result.output and "Traceback" not in result.output
    assert cli_calls == []


def test_vpc_id_and_session_together_exit_2(run_cli, cli_calls) -> None:
    result = run_cli("savings", "--vpc-id", "vpc-1", "--session", "s-1")
    assert result.exit_code == 2 and "either --vpc-id or --session" in result.output and cli_calls == []


def test_a_vpc_without_nat_has_nothing_to_save_and_exits_0(run_cli, access, cli_calls) -> None:
    vpc_id = b.create_vpc(access, "10.9.0.0/16", "no-nat")
    b.create_subnet(access, vpc_id, "10.9.1.0/24", b.AZS[0], "only")
    result = run_cli("savings", "--vpc-id", vpc_id)
    assert result.exit_code == 0, result.output
    assert f"{vpc_id} has no NAT gateway: there is nothing to save on NAT." in result.output
    assert cli_calls.mutating == []


def test_json_has_the_documented_fields_and_the_demo_uses_flow_logs(run_cli, demo, cli_calls) -> None:
    result = run_cli("savings", "--vpc-id", demo.vpc_id, "--output", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {"vpc_id", "region", "window_days", "basis", "prices", "nat_gateways", "monthly_now_usd", "monthly_movable_usd",
            "daily_processed_gb"} <= set(document)
    assert set(document["prices"]) >= {"nat_hour_usd", "nat_gb_usd", "ipv4_hour_usd", "source", "as_of"}
    nat = document["nat_gateways"][0]
    assert {"id", "processed_gb", "monthly", "source_subnets", "migrated_subnets"} <= set(nat)
    assert set(nat["monthly"]) >= {"hours_usd", "processing_usd", "ipv4_usd", "total_usd"}
    assert set(document["monthly_movable_usd"]) == {"low", "high"}
    assert document["vpc_id"] == demo.vpc_id and document["window_days"] == 14
    assert document["basis"] == "flow-logs"
    assert 0 < document["monthly_movable_usd"]["high"] < document["monthly_now_usd"]
    assert len(document["daily_processed_gb"]) == 14 and all(day["gb"] > 0 for day in document["daily_processed_gb"])
    assert [op for op in cli_calls.mutating if op not in QUERY_CALLS] == []


def test_an_unknown_region_gets_the_sentence_and_gb_without_cost(run_cli, access, emulator, monkeypatch) -> None:
    from v6wizard.aws.session import AwsTarget

    region = "af-south-1"
    other = AwsAccess(AwsTarget(region=region, endpoint_url=emulator.endpoint))
    vpc_id = b.create_vpc(other, "10.8.0.0/16", "far")
    public = b.create_subnet(other, vpc_id, "10.8.0.0/24", f"{region}a", "pub")
    b.create_nat_gateway(other, public, "nat")
    result = run_cli("savings", "--vpc-id", vpc_id, "--region", region)
    assert result.exit_code == 0, result.output
    assert f"No NAT gateway prices are on file for {region}" in result.output
    for flag in ("--nat-hour-price", "--nat-gb-price", "--ipv4-hour-price"):
        assert flag in result.output
    assert "$" not in result.output and "GB a month" in result.output
    ranked = run_cli("savings", "--region", region)
    assert ranked.exit_code == 0 and f"{vpc_id}: 1 NAT, now 0.0 GB a month" in ranked.output and "n/a" not in ranked.output
    assert f"No NAT gateway prices are on file for {region}" in ranked.output
    priced = run_cli("savings", "--vpc-id", vpc_id, "--region", region, "--nat-hour-price", "0.06", "--nat-gb-price", "0.06", "--output", "json")
    assert json.loads(priced.stdout)["monthly_now_usd"] == pytest.approx(0.06 * 730 + 0.005 * 730)


def test_without_vpc_id_every_vpc_with_nat_is_ranked(run_cli, demo, cli_calls) -> None:
    result = run_cli("savings", "--output", "json")
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)["vpcs"]
    assert [r["vpc_id"] for r in ranked] == [demo.vpc_id]  # the staging VPC has no NAT gateway
    assert ranked[0]["basis"] == "routes-only"
    assert cli_calls.mutating == []


def test_the_plan_carries_the_savings_of_its_chosen_subnets(run_cli, demo, cli_calls) -> None:
    chosen = demo.private_subnet_ids[0]
    result = run_cli("plan", "--vpc-id", demo.vpc_id, "--subnet", chosen, "--output", "json")
    assert result.exit_code == 0, result.output
    plan = Plan.model_validate_json(result.stdout)
    assert plan.savings is not None
    serving = [n for n in plan.savings.nat_gateways if n.migrated_subnets]
    assert [n.migrated_subnets for n in serving] == [[chosen]]
    assert plan.savings.basis == "routes-only"
    assert cli_calls.mutating == []
    text = run_cli("plan", "--vpc-id", demo.vpc_id, "--subnet", chosen)
    assert "IPv6 could take off: $0.00 to $" in text.output
    markdown = run_cli("plan", "--vpc-id", demo.vpc_id, "--output", "markdown")
    assert "## NAT savings for" in markdown.output


def _session_with_cutover(access, demo, journal_path, finished_ago: timedelta) -> str:
    from v6wizard.core.plan import PlanOptions
    from v6wizard.journal import open_journal
    from v6wizard.journal.base import JournalEntry
    from v6wizard.planning import make_plan

    plan = make_plan(access, demo.vpc_id, PlanOptions())
    journal = open_journal(str(journal_path))
    try:
        info = journal.create_session(plan)
        now = datetime.now(timezone.utc)
        first = plan.actions()[0]
        entries = [JournalEntry(session_id=info.id, action_id=first.id, kind="intent", at=now - timedelta(days=3))]
        entries += [JournalEntry(session_id=info.id, action_id=a.id, kind="outcome", at=now - finished_ago) for a in plan.step("cutover").actions]
        journal.append_many(entries)
    finally:
        journal.close()
    return info.id


def test_session_says_too_early_before_a_day_of_after_data(run_cli, access, demo, journal_path, cli_calls) -> None:
    session_id = _session_with_cutover(access, demo, journal_path, timedelta(hours=3))
    result = run_cli("savings", "--session", session_id)
    assert result.exit_code == 0, result.output
    assert "Too early to tell: fewer than 24 whole hours of NAT metrics since the cutover finished" in result.output
    assert cli_calls.mutating == []


def test_session_compares_per_day_before_and_after(run_cli, access, demo, journal_path, cli_calls) -> None:
    session_id = _session_with_cutover(access, demo, journal_path, timedelta(days=2))
    result = run_cli("savings", "--session", session_id, "--output", "json")
    assert result.exit_code == 0, result.output
    assert cli_calls.mutating == []
    outcome = json.loads(result.stdout)
    assert outcome["too_early"] is False and outcome["before"] and outcome["after"]
    # The demo's traffic did not change, so the change is small beside the daily GB.
    assert abs(outcome["change_gb_per_day"]) < outcome["before_gb_per_day"]
    assert outcome["change_monthly_usd"] == pytest.approx(outcome["change_gb_per_day"] * 30.4 * 0.045)


def test_a_region_of_the_table_is_priced_from_its_row_with_the_row_s_source(run_cli, emulator) -> None:
    from v6wizard.aws.session import AwsTarget
    from v6wizard.core.prices import PRICE_TABLE

    region = "eu-central-1"
    other = AwsAccess(AwsTarget(region=region, endpoint_url=emulator.endpoint))
    vpc_id = b.create_vpc(other, "10.9.0.0/16", "frankfurt")
    public = b.create_subnet(other, vpc_id, "10.9.0.0/24", f"{region}a", "pub")
    b.create_nat_gateway(other, public, "nat")
    result = run_cli("savings", "--vpc-id", vpc_id, "--region", region, "--output", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    row = PRICE_TABLE[region]
    assert document["prices"] == {"nat_hour_usd": 0.052, "nat_gb_usd": 0.052, "ipv4_hour_usd": 0.005, "source": row.source, "as_of": row.as_of}
    assert document["monthly_now_usd"] == pytest.approx(0.052 * 730 + 0.005 * 730)  # the gateway's hours and its one address
