"""The emulator's timing windows and AWS's request token buckets, switched on per test."""

from __future__ import annotations

import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from v6wizard.emulator.throttling import EC2_READ, LAMBDA_CONTROL
from v6wizard.emulator.timing import UPDATE_SECONDS, Timing


def _bare(emulator: Any, service: str) -> Any:
    """A client that does not retry, so a throttle reaches the test."""
    return boto3.client(service, region_name="us-east-1", endpoint_url=emulator.endpoint, config=Config(retries={"mode": "standard", "total_max_attempts": 1}))


def _until_refused(call: Any, limit: int) -> tuple[int, ClientError]:
    for made in range(limit):
        try:
            call()
        except ClientError as exc:
            return made, exc
    raise AssertionError(f"{limit} calls and none refused")


def test_ec2_answers_request_limit_exceeded_per_api_beyond_its_bucket(emulator: Any) -> None:
    emulator.timing.buckets = True
    ec2 = _bare(emulator, "ec2")
    passed, refused = _until_refused(ec2.describe_vpcs, 400)
    assert passed >= EC2_READ[0], "a full bucket's 100 pass"
    assert refused.response["Error"]["Code"] == "RequestLimitExceeded"
    assert refused.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    ec2.describe_subnets()  # another API has a bucket of its own
    assert emulator.buckets.refused[("ec2", "DescribeVpcs")] == 1


def test_lambda_answers_too_many_requests_beyond_its_control_plane_rate(emulator: Any) -> None:
    emulator.timing.buckets = True
    lam = _bare(emulator, "lambda")
    passed, refused = _until_refused(lam.list_functions, 100)
    assert LAMBDA_CONTROL[0] <= passed < 40
    assert refused.response["Error"]["Code"] == "TooManyRequestsException"
    assert refused.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    # ListFunctions and GetAccountSettings share the control plane's bucket.
    assert _until_refused(lam.get_account_settings, 5)[0] < 5


def test_the_buckets_are_off_unless_asked_for(emulator: Any) -> None:
    lam = _bare(emulator, "lambda")
    for _ in range(int(LAMBDA_CONTROL[0]) + 10):
        lam.list_functions()
    assert not emulator.buckets.refused


def test_an_update_window_is_set_per_test_and_a_reset_restores_it(lam: Any, function: dict[str, Any], emulator: Any) -> None:
    emulator.timing.update_seconds = 1.0
    lam.update_function_configuration(FunctionName="fn", Timeout=30)
    time.sleep(0.6)  # inside the window: AWS is still applying it
    assert lam.get_function(FunctionName="fn")["Configuration"]["LastUpdateStatus"] == "InProgress"
    time.sleep(0.5)
    assert lam.get_function(FunctionName="fn")["Configuration"]["LastUpdateStatus"] == "Successful"
    emulator.reset()
    assert emulator.timing.update_seconds == UPDATE_SECONDS


def test_windows_and_buckets_come_from_the_environment() -> None:
    timing = Timing.from_env({
        "V6WIZARD_EMULATOR_ASSOCIATING_SECONDS": "4", "V6WIZARD_EMULATOR_UPDATE_SECONDS": "20", "V6WIZARD_EMULATOR_BUCKETS": "1",
    })
    assert (timing.associating_seconds, timing.update_seconds, timing.buckets) == (4.0, 20.0, True)
    assert Timing.from_env({}) == Timing()
