"""The demo's live traffic follows each alias's weights, so a demo cutover passes its gates on real numbers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from v6wizard.aws.metrics import read_version_stats
from v6wizard.aws.session import AwsAccess
from v6wizard.demo import scenarios
from v6wizard.demo.traffic import DemoTraffic


def test_a_tick_splits_invocations_by_the_alias_weights(access: AwsAccess) -> None:
    info = scenarios.weighted_alias(access)
    name = info.function_names[0]
    alias = access.client("lambda").get_alias(FunctionName=name, Name="live")
    (extra, weight), = alias["RoutingConfig"]["AdditionalVersionWeights"].items()
    start = datetime.now(timezone.utc) - timedelta(seconds=1)
    traffic = DemoTraffic(access, [name], per_tick=1000)
    traffic.tick(start + timedelta(seconds=1))
    stats = read_version_stats(
        access.client("cloudwatch"), name, "live", [alias["FunctionVersion"], extra], start, start + timedelta(minutes=1)
    )
    assert stats[extra].invocations == round(1000 * weight)
    assert stats[alias["FunctionVersion"]].invocations == round(1000 * (1 - weight))
    assert stats[extra].p99_ms == 90.0  # 99% of invocations take 90 ms or less


def test_a_cutover_against_the_demo_traffic_passes_its_gates(access: AwsAccess, run_cli, journal_path) -> None:
    """Default min-invocations (100): the stage is judged on the generated traffic, not waved through."""
    info = scenarios.demo(access)
    assert run_cli("apply", "--vpc-id", info.vpc_id, "--until", "functions", "--yes").exit_code == 0
    traffic = DemoTraffic(access, info.function_names, interval=0.1, per_tick=400).start()
    try:
        result = run_cli("apply", "--vpc-id", info.vpc_id, "--only", "cutover", "--schedule", "10%:2s,100%", "--poll-interval", "0.5", "--output", "json", "--yes")
    finally:
        traffic.stop()
    assert result.exit_code == 0, result.output
    state = json.loads(result.stdout)
    assert {s["name"]: s["status"] for s in state["steps"]}["cutover"] == "applied"
    for name in info.function_names:
        alias = access.client("lambda").get_alias(FunctionName=name, Name="live")
        assert alias["FunctionVersion"] != "1" and not (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights")


def test_traffic_refuses_an_endpoint_off_this_machine() -> None:
    from v6wizard.aws.session import AwsTarget
    from v6wizard.errors import BadInput

    with pytest.raises(BadInput):
        DemoTraffic(AwsAccess(AwsTarget(region="us-east-1", endpoint_url="https://lambda.us-east-1.amazonaws.com")), ["fn"]).start()
