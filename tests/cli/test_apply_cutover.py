"""`apply --only cutover` with its flags, and a resume that keeps the cutover settings it was given."""

from __future__ import annotations

import json

import pytest

from v6wizard.aws.session import AwsAccess
from v6wizard.demo import scenarios

FAST = ["--schedule", "10%:1s,100%", "--poll-interval", "0.2", "--min-invocations", "0"]


@pytest.fixture
def dual_stack_versions(access: AwsAccess, run_cli, journal_path):
    """The demo with every step up to `functions` applied: each function has a dual-stack version to cut over to."""
    info = scenarios.demo(access)
    result = run_cli("apply", "--vpc-id", info.vpc_id, "--until", "functions", "--yes")
    assert result.exit_code == 0, result.output
    return info


def _live(access: AwsAccess, name: str) -> dict:
    return access.client("lambda").get_alias(FunctionName=name, Name="live")


def test_cutover_walks_the_schedule_and_finalizes_every_alias(access, run_cli, dual_stack_versions) -> None:
    info = dual_stack_versions
    before = {name: _live(access, name)["FunctionVersion"] for name in info.function_names}
    result = run_cli("apply", "--vpc-id", info.vpc_id, "--only", "cutover", *FAST, "--yes")
    assert result.exit_code == 0, result.output
    for name in info.function_names:
        alias = _live(access, name)
        assert alias["FunctionVersion"] != before[name]
        assert not (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights")
        config = access.client("lambda").get_function_configuration(FunctionName=name, Qualifier=alias["FunctionVersion"])
        assert config["VpcConfig"]["Ipv6AllowedForDualStack"] is True


def test_resume_keeps_the_alarms_the_cutover_was_given(access, run_cli, dual_stack_versions) -> None:
    info = dual_stack_versions
    refused = run_cli("apply", "--vpc-id", info.vpc_id, "--only", "cutover", *FAST, "--alarm", "orders-p99-high", "--yes")
    assert refused.exit_code == 1
    assert "orders-p99-high" in refused.stderr
    session_id = json.loads(run_cli("sessions", "--output", "json").stdout)[0]["id"]

    again = run_cli("resume", session_id, "--yes")
    assert again.exit_code == 1
    assert "orders-p99-high" in again.stderr, "resume dropped the journaled --alarm"
    assert all(_live(access, name)["FunctionVersion"] == "1" for name in info.function_names)
