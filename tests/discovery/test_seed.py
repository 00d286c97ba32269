"""The demo seed leaves metrics for later screens and refuses to touch a real account."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from v6wizard.aws.session import AwsAccess, AwsTarget
from v6wizard.demo.seed import seed_demo
from v6wizard.errors import BadInput


def test_demo_has_per_version_lambda_and_nat_metrics(access: AwsAccess) -> None:
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    demo = seed_demo(access, now=now)
    cloudwatch = access.client("cloudwatch")
    window = {"StartTime": now - timedelta(hours=2), "EndTime": now + timedelta(minutes=1), "Period": 3600}

    invocations = cloudwatch.get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName="Invocations",
        Dimensions=[
            {"Name": "FunctionName", "Value": "orders-api"},
            {"Name": "Resource", "Value": "orders-api:live"},
            {"Name": "ExecutedVersion", "Value": "1"},
        ],
        Statistics=["SampleCount", "Sum"],
        **window,
    )["Datapoints"]
    assert sum(p["SampleCount"] for p in invocations) == 12  # one every 5 minutes for the last hour
    assert sum(p["Sum"] for p in invocations) > 60 * 100

    traffic = cloudwatch.get_metric_statistics(
        Namespace="AWS/NATGateway",
        MetricName="BytesOutToDestination",
        Dimensions=[{"Name": "NatGatewayId", "Value": demo.nat_gateway_ids[0]}],
        Statistics=["Sum"],
        StartTime=now - timedelta(days=2),
        EndTime=now + timedelta(minutes=1),
        Period=86400,
    )["Datapoints"]
    assert sum(p["Sum"] for p in traffic) > 1024**3  # a few GB a day


def test_seed_refuses_without_an_emulator_endpoint() -> None:
    real = AwsAccess(AwsTarget(region="us-east-1"))

    with pytest.raises(BadInput, match="only runs against the embedded emulator"):
        seed_demo(real)


@pytest.mark.parametrize("endpoint", ["https://ec2.us-east-1.amazonaws.com", "http://10.0.0.5:5000", "http://moto.example:5000"])
def test_seed_refuses_an_endpoint_off_this_machine(endpoint: str) -> None:
    """Nothing is sent: the guard runs before the first call."""
    remote = AwsAccess(AwsTarget(region="us-east-1", endpoint_url=endpoint))

    with pytest.raises(BadInput, match="127.0.0.1"):
        seed_demo(remote)
