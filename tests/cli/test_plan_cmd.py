"""`v6wizard plan`: previews in three formats, read-only, and bad input refused with exit 2."""

from __future__ import annotations

import json

import pytest

from v6wizard.aws.session import AwsAccess
from v6wizard.core.plan import STEP_ORDER, Plan
from v6wizard.demo import scenarios


@pytest.fixture
def demo(access: AwsAccess):
    return scenarios.demo(access)


def test_text_plan_lists_every_step_and_makes_only_read_calls(run_cli, demo, cli_calls) -> None:
    result = run_cli("plan", "--vpc-id", demo.vpc_id)
    assert result.exit_code == 0, result.output
    assert "AssociateVpcCidrBlock" in result.output
    assert "CreateEgressOnlyInternetGateway" in result.output
    assert cli_calls, "the plan made no AWS calls at all"
    assert cli_calls.mutating == []


def test_json_plan_is_one_document_that_parses_as_a_plan(run_cli, demo, cli_calls) -> None:
    result = run_cli("plan", "--vpc-id", demo.vpc_id, "--output", "json")
    assert result.exit_code == 0
    plan = Plan.model_validate_json(result.stdout)
    assert [step.name for step in plan.steps] == list(STEP_ORDER)
    assert plan.vpc_id == demo.vpc_id
    assert len(plan.step("functions").actions) >= 4
    assert cli_calls.mutating == []


def test_markdown_plan_goes_to_the_out_file(run_cli, demo, tmp_path) -> None:
    out = tmp_path / "plan.md"
    result = run_cli("plan", "--vpc-id", demo.vpc_id, "--output", "markdown", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    text = out.read_text()
    assert text.startswith("#") and "egress" in text.lower()


def test_function_filter_limits_the_functions_step(run_cli, demo) -> None:
    one = demo.function_names[0]
    result = run_cli("plan", "--vpc-id", demo.vpc_id, "--function", one, "--output", "json")
    plan = Plan.model_validate_json(result.stdout)
    assert {a.resource_id for a in plan.step("functions").actions} == {one}


def test_unknown_vpc_is_refused_listing_the_region_vpcs(run_cli, demo, cli_calls) -> None:
    result = run_cli("plan", "--vpc-id", "vpc-0000000000doesnot")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert demo.vpc_id in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli_calls.mutating == []


def test_function_not_in_the_vpc_is_refused(run_cli, demo, cli_calls) -> None:
    result = run_cli("plan", "--vpc-id", demo.vpc_id, "--function", "not-a-function-here")
    assert result.exit_code == 2
    assert "not-a-function-here" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli_calls.mutating == []


@pytest.mark.parametrize(
    "flags",
    [
        ["--cidr-source", "ipam"],
        ["--cidr-source", "ipam", "--ipam-pool-id", "ipam-pool-1", "--ipam-netmask-length", "57"],
        ["--subnet", "subnet-nope"],
        ["--cidr-source", "byoip", "--byoip-pool-id", "ipv6pool-ec2-1", "--byoip-cidr", "not-a-cidr"],
        ["--schedule", "50%:5m,10%:5m,100%"],
        ["--schedule", "10%:5m,50%"],
    ],
)
def test_invalid_options_are_refused_with_exit_2(run_cli, demo, flags, cli_calls) -> None:
    result = run_cli("plan", "--vpc-id", demo.vpc_id, *flags)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("v6wizard: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli_calls.mutating == []


def test_missing_credentials_give_one_sentence_and_exit_2(run_cli, demo, monkeypatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = run_cli("plan", "--vpc-id", demo.vpc_id)
    assert result.exit_code == 2
    assert "credentials" in result.stderr.lower()
    assert "Traceback" not in result.output


def test_a_misspelt_region_is_refused_before_any_call(run_cli, cli_calls) -> None:
    result = run_cli("plan", "--vpc-id", "vpc-1", "--region", "us-esat-1")
    assert result.exit_code == 2
    assert "us-esat-1" in result.stderr
    assert cli_calls == []


def test_unknown_profile_is_refused(run_cli) -> None:
    result = run_cli("plan", "--vpc-id", "vpc-1", "--profile", "nope")
    assert result.exit_code == 2
    assert "nope" in result.stderr


def test_expired_credentials_say_how_to_log_in_again(run_cli, demo, emulator) -> None:
    emulator.faults.add("ec2", "DescribeVpcs", "ExpiredToken", status=400, message="The security token included in the request is expired")
    result = run_cli("plan", "--vpc-id", demo.vpc_id)
    assert result.exit_code == 2
    assert "ExpiredToken" in result.stderr and "sso login" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
