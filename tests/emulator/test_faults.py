"""Injected faults, latency, the request log, and reset clearing them."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.retries.standard import ExponentialBackoff

from v6wizard.aws.session import RETRY_ATTEMPTS, AwsAccess
from v6wizard.emulator import Emulator

from .helpers import error_code


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep botocore's real retry decisions and counts, without its randomized seconds of sleep between attempts."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)


def test_ec2_throttling_then_success_converges_with_standard_retries(emulator: Emulator, access: AwsAccess) -> None:
    emulator.faults.throttle("ec2", "DescribeVpcs", times=2)
    vpcs = access.client("ec2").describe_vpcs()["Vpcs"]
    assert isinstance(vpcs, list)
    assert emulator.requests.count("ec2", "DescribeVpcs") == 3


def test_lambda_throttling_is_a_429_that_botocore_retries(emulator: Emulator, access: AwsAccess) -> None:
    rule = emulator.faults.throttle("lambda", "ListFunctions", times=1)
    assert access.client("lambda").list_functions()["Functions"] == []
    assert rule.hits == 1
    assert emulator.requests.operations("lambda") == ["ListFunctions", "ListFunctions"]


def test_access_denied_surfaces_and_is_not_retried(emulator: Emulator, access: AwsAccess) -> None:
    emulator.faults.deny("ec2", "CreateVpc")
    assert error_code(access.client("ec2").create_vpc, CidrBlock="10.0.0.0/16") == "UnauthorizedOperation"
    emulator.faults.deny("lambda", "GetAlias")
    assert error_code(access.client("lambda").get_alias, FunctionName="fn", Name="live") == "AccessDeniedException"
    assert emulator.requests.count("ec2", "CreateVpc") == 1


def test_server_errors_exhaust_retries_and_surface(emulator: Emulator, access: AwsAccess) -> None:
    emulator.faults.server_error("ec2", "DescribeSubnets", times=None)
    assert error_code(access.client("ec2").describe_subnets) == "InternalError"
    # retries={"max_attempts": N} means N retries after the first attempt in botocore.
    assert emulator.requests.count("ec2", "DescribeSubnets") == 1 + RETRY_ATTEMPTS


def test_probabilistic_faults_are_repeatable_with_a_seed(emulator: Emulator, access: AwsAccess) -> None:
    def failures() -> list[bool]:
        emulator.reset()
        emulator.faults.seed(7)
        emulator.faults.add("ec2", "DescribeVpcs", "InternalError", status=400, probability=0.5)
        outcomes = []
        for _ in range(8):
            try:
                access.client("ec2").describe_vpcs()
                outcomes.append(False)
            except Exception:  # noqa: BLE001 - a ClientError is the outcome being counted
                outcomes.append(True)
        return outcomes

    first = failures()
    assert first == failures()
    assert 0 < sum(first) < 8


def test_added_latency_applies_to_every_request(emulator: Emulator, access: AwsAccess) -> None:
    ec2: Any = access.client("ec2")
    ec2.describe_vpcs()
    emulator.faults.latency = 0.2
    started = time.monotonic()
    ec2.describe_vpcs()
    assert time.monotonic() - started >= 0.2


def test_reset_clears_faults_log_and_strictness_state(emulator: Emulator, access: AwsAccess) -> None:
    ec2 = access.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_egress_only_internet_gateway(VpcId=vpc, ClientToken="same-token")
    emulator.faults.deny("ec2")
    emulator.reset()
    assert emulator.faults.rules == []
    assert emulator.requests.entries == []
    fresh = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    gateway = ec2.create_egress_only_internet_gateway(VpcId=fresh, ClientToken="same-token")["EgressOnlyInternetGateway"]
    assert gateway["Attachments"][0]["VpcId"] == fresh
