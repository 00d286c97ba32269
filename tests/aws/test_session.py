"""AwsAccess: region resolution and client configuration."""

from __future__ import annotations

import pytest

from v6wizard import __version__
from v6wizard.aws.session import RETRY_ATTEMPTS, AwsAccess, AwsTarget


def test_aws_region_is_honoured_like_aws_default_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert AwsAccess(AwsTarget()).region == "eu-west-1"


def test_clients_retry_in_standard_mode_carry_our_user_agent_and_are_made_once() -> None:
    access = AwsAccess(AwsTarget(region="us-east-1", endpoint_url="http://127.0.0.1:9"))
    ec2 = access.client("ec2")
    assert access.client("ec2") is ec2
    config = ec2.meta.config
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] == RETRY_ATTEMPTS + 1 >= 8
    assert f"v6wizard/{__version__}" in config.user_agent_extra
