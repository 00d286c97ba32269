"""The demo's live traffic follows each alias's weights, so a demo cutover is judged on real numbers: healthy
functions pass their gates, and the one with a failing new version is rolled back by its error-rate gate."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from v6wizard.aws.metrics import read_version_stats
from v6wizard.aws.session import AwsAccess
from v6wizard.demo import scenarios
from v6wizard.core.gates import evaluate_gates
from v6wizard.demo.traffic import FAILING_FUNCTION, DemoTraffic
from v6wizard.engine.cutover import CutoverSettings


def split_alias(access: AwsAccess, name: str, weight: float) -> tuple[str, str]:
    """Publish a second version of `name` and split its live alias; returns (old, new)."""
    lam = access.client("lambda")
    # A configuration change makes PublishVersion mint a new version (unchanged returns the old one).
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"REVISION": "2"}})
    lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
    new = lam.publish_version(FunctionName=name)["Version"]
    lam.update_alias(FunctionName=name, Name="live", FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {new: weight}})
    return "1", new


def test_a_tick_routes_each_call_by_the_alias_weights(access: AwsAccess) -> None:
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
    assert stats[extra].invocations + stats[alias["FunctionVersion"]].invocations == 1000
    assert abs(stats[extra].invocations - 1000 * weight) < 5 * (1000 * weight * (1 - weight)) ** 0.5
    assert stats[extra].p99_ms == 90.0  # 99% of invocations take 90 ms or less


def test_at_an_even_split_each_version_reports_its_own_count(access: AwsAccess) -> None:
    """Lambda routes each call on its own: at 50% the two versions' totals differ, and add up to the calls made.

    An exact split (the weights times the total) wrote the same count for both versions at every tick."""
    info = scenarios.demo(access)
    name = "orders-api"
    old, new = split_alias(access, name, 0.5)
    start = datetime.now(timezone.utc) - timedelta(seconds=1)
    traffic = DemoTraffic(access, [name], per_tick=301)
    for tick in range(4):
        traffic.tick(start + timedelta(seconds=1 + tick))
    stats = read_version_stats(access.client("cloudwatch"), name, "live", [old, new], start, start + timedelta(minutes=1))
    assert stats[old].invocations + stats[new].invocations == 4 * 301
    assert stats[old].invocations != stats[new].invocations
    assert info.function_names  # the demo's other functions were not touched
    assert all(s.invocations > 450 for s in stats.values())


def test_the_failing_functions_new_version_fails_its_error_rate_gate(access: AwsAccess) -> None:
    """The demo's failing function: its new version's errors reach CloudWatch and the real gates reject it."""
    scenarios.demo(access)
    old, new = split_alias(access, FAILING_FUNCTION, 0.1)
    start = datetime.now(timezone.utc) - timedelta(seconds=1)
    traffic = DemoTraffic(access, [FAILING_FUNCTION, "orders-api"])
    for tick in range(4):
        traffic.tick(start + timedelta(seconds=1 + tick))
    stats = read_version_stats(access.client("cloudwatch"), FAILING_FUNCTION, "live", [old, new], start, start + timedelta(minutes=1))
    assert stats[new].error_rate > 4.0 > stats[old].error_rate
    verdict = evaluate_gates(stats[old], stats[new], CutoverSettings().thresholds())
    assert verdict.outcome == "fail" and "error-rate gate failed" in verdict.reason


def test_a_cutover_against_the_demo_traffic_rolls_back_only_the_failing_function(access: AwsAccess, run_cli, journal_path) -> None:
    """Default min-invocations (100): every stage is judged on the generated traffic, not waved through.
    Every function but the failing one ends on its new version; the failing one is rolled back by its gate."""
    info = scenarios.demo(access)
    assert run_cli("apply", "--vpc-id", info.vpc_id, "--until", "functions", "--yes").exit_code == 0
    traffic = DemoTraffic(access, info.function_names, interval=0.1, per_tick=400).start()
    try:
        result = run_cli("apply", "--vpc-id", info.vpc_id, "--only", "cutover", "--schedule", "10%:2s,100%", "--poll-interval", "0.5", "--output", "json", "--yes")
    finally:
        traffic.stop()
    assert result.exit_code == 1, result.output
    assert "failed a health gate" in result.output and FAILING_FUNCTION in result.output
    for name in info.function_names:
        alias = access.client("lambda").get_alias(FunctionName=name, Name="live")
        assert not (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights")
        if name == FAILING_FUNCTION:
            assert alias["FunctionVersion"] == "1", "the failed gate put the alias back on the old version"
        else:
            assert alias["FunctionVersion"] != "1", f"{name} finished its cutover"


def test_traffic_refuses_an_endpoint_off_this_machine() -> None:
    from v6wizard.aws.session import AwsTarget
    from v6wizard.errors import BadInput

    with pytest.raises(BadInput):
        DemoTraffic(AwsAccess(AwsTarget(region="us-east-1", endpoint_url="https://lambda.us-east-1.amazonaws.com")), ["fn"]).start()
