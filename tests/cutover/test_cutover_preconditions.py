"""Cutover preconditions against the emulator: refusals name the way out and change nothing;
leftover split aliases are repaired on request; a concurrent alias change stops the cutover."""

from __future__ import annotations

from datetime import timedelta

import pytest

from v6wizard.errors import AliasChanged, AwsCallFailed, CutoverRefused, HealthGateFailed

from .clocks import FakeClock


def _weights(alias: dict) -> dict:
    return (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}


def _split(h, fn, weight: float = 0.3) -> None:
    lam = h.access.client("lambda")
    revision = lam.get_alias(FunctionName=fn.name, Name=fn.alias)["RevisionId"]
    lam.update_alias(
        FunctionName=fn.name, Name=fn.alias, FunctionVersion=fn.old,
        RoutingConfig={"AdditionalVersionWeights": {fn.new: weight}}, RevisionId=revision,
    )


def test_code_hash_mismatch_is_refused_before_any_change(harness, recorder) -> None:
    h = harness(new_code="def handler(event, context):\n    return 2\n")
    fn = h.fns[0]
    recorder.operations.clear()

    with pytest.raises(CutoverRefused, match="different code \\(CodeSha256\\)"):
        h.run()

    assert recorder.mutating == []
    assert h.alias(fn)["FunctionVersion"] == fn.old
    assert h.entries(fn) == []


def test_leftover_split_alias_is_refused_with_the_repair_options(harness, recorder) -> None:
    h = harness()
    fn = h.fns[0]
    _split(h, fn)
    recorder.operations.clear()

    with pytest.raises(CutoverRefused, match="--repair-alias finalize .* --repair-alias reset"):
        h.run()

    assert recorder.mutating == []
    assert _weights(h.alias(fn)) == {fn.new: 0.3}


def test_repair_reset_clears_the_split_then_cuts_over(harness) -> None:
    h = harness()
    fn = h.fns[0]
    _split(h, fn)
    h.healthy_traffic(fn, h.clock.now(), minutes=12)

    h.run(repair="reset")

    notes = h.entries(fn, "note")
    assert notes[0].data["repair"] == "reset" and notes[0].data["version"] == fn.old
    assert [e.data["stage"] for e in h.entries(fn, "stage")] == [0, 1, 2]
    assert h.alias(fn)["FunctionVersion"] == fn.new and _weights(h.alias(fn)) == {}


def test_repair_finalize_moves_the_alias_to_the_additional_version(harness, recorder) -> None:
    h = harness()
    fn = h.fns[0]
    _split(h, fn)
    recorder.operations.clear()

    h.run(repair="finalize")

    alias = h.alias(fn)
    assert alias["FunctionVersion"] == fn.new and _weights(alias) == {}
    assert h.entries(fn, "note")[0].data["repair"] == "finalize"
    assert h.entries(fn, "outcome")[0].data["final_version"] == fn.new
    assert recorder.mutating == ["UpdateAlias"]  # the repair itself; nothing left to shift


def test_missing_alias_is_refused_or_created_on_request(harness) -> None:
    h = harness(alias=False)
    fn = h.fns[0]

    with pytest.raises(CutoverRefused, match=f"--create-alias .* version {fn.old}"):
        h.run()

    h.healthy_traffic(fn, h.clock.now(), minutes=12)
    h.run(create_alias=True)
    assert h.entries(fn, "note")[0].data["created_alias"] == "live"
    assert h.alias(fn)["FunctionVersion"] == fn.new


def test_alarm_in_alarm_refuses_unless_ignored_and_fails_the_gate_during_a_bake(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    cloudwatch = h.access.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="orders-5xx", Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum",
        Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold",
    )
    cloudwatch.set_alarm_state(AlarmName="orders-5xx", StateValue="ALARM", StateReason="test")

    with pytest.raises(CutoverRefused, match="--ignore-alarms"):
        h.run(alarms=["orders-5xx"])
    with pytest.raises(CutoverRefused, match="do not exist"):
        h.run(alarms=["no-such-alarm"])

    h.healthy_traffic(fn, t0, minutes=12)
    with pytest.raises(HealthGateFailed, match="orders-5xx"):
        h.run(alarms=["orders-5xx"], ignore_alarms=True)
    assert h.alias(fn)["FunctionVersion"] == fn.old and _weights(h.alias(fn)) == {}


def test_someone_else_changing_the_alias_stops_the_cutover_without_touching_it(harness) -> None:
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=12)

    def other_operator(clock: FakeClock) -> None:
        if clock.now() == t0 + timedelta(minutes=2):
            _split(h, fn, weight=0.25)

    h.clock.hooks.append(other_operator)
    with pytest.raises(AliasChanged, match="Someone else changed alias orders:live"):
        h.run()

    assert _weights(h.alias(fn)) == {fn.new: 0.25}  # left exactly as the other operator set it
    assert h.entries(fn, "failure")[-1].error_code == "AliasChanged"


def test_stale_revision_id_on_update_alias_stops_the_cutover(harness, recorder) -> None:
    """A gate fails; before our rollback lands someone else moves the alias: AWS answers 412 to our RevisionId."""
    h = harness()
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=12, new_errors=50, from_minute=1)
    runner = h.runner()

    def on_event(event) -> None:
        h.events.append(event)
        if event.kind == "cutover-verdict" and event.data.get("verdict") == "fail" and "rolled_back" not in event.data:
            lam = h.access.client("lambda")
            revision = lam.get_alias(FunctionName=fn.name, Name=fn.alias)["RevisionId"]
            lam.update_alias(FunctionName=fn.name, Name=fn.alias, Description="changed by someone else", RevisionId=revision)

    runner.on_event = on_event
    with pytest.raises(AliasChanged, match="Someone else changed alias orders:live"):
        runner.run(h.plan.actions(["cutover"]), {f"functions:publish:{fn.name}": {"Version": fn.new}})

    alias = h.alias(fn)  # our rollback was refused, so the alias is exactly as the other operator left it
    assert _weights(alias) == {fn.new: 0.1} and alias["Description"] == "changed by someone else"
    # Ours at 10%, theirs, then our rollback refused for its stale RevisionId.
    assert recorder.mutating.count("UpdateAlias") == 3
    assert h.entries(fn, "failure")[-1].error_code == "AliasChanged"


def test_provisioned_concurrency_on_the_alias_is_refused(harness, recorder) -> None:
    h = harness()
    fn = h.fns[0]
    h.access.client("lambda").put_provisioned_concurrency_config(
        FunctionName=fn.name, Qualifier=fn.alias, ProvisionedConcurrentExecutions=2
    )
    recorder.operations.clear()

    with pytest.raises(CutoverRefused, match="provisioned concurrency"):
        h.run()

    assert recorder.mutating == []


def test_cloudwatch_failure_mid_bake_stops_and_leaves_the_alias_for_the_operator(harness, emulator) -> None:
    h = harness()
    fn = h.fns[0]
    emulator.faults.add("cloudwatch", "GetMetricData", "AccessDenied", status=403)

    with pytest.raises(AwsCallFailed, match="AccessDenied"):
        h.run()

    assert _weights(h.alias(fn)) == {fn.new: 0.1}
    failure = h.entries(fn, "failure")[-1]
    assert failure.error_code == "AccessDenied" and failure.data["rolled_back"] is False


def test_refused_cutover_never_repairs_or_creates_the_alias_first(harness, recorder) -> None:
    changed_code = "def handler(event, context):\n    return 2\n"
    h = harness(new_code=changed_code)
    fn = h.fns[0]
    _split(h, fn)
    recorder.operations.clear()

    with pytest.raises(CutoverRefused, match="different code \\(CodeSha256\\)"):
        h.run(repair="reset")
    assert recorder.mutating == []
    assert _weights(h.alias(fn)) == {fn.new: 0.3}  # still the leftover split, untouched

    h2 = harness(("billing",), new_code=changed_code, alias=False)
    recorder.operations.clear()
    with pytest.raises(CutoverRefused, match="different code \\(CodeSha256\\)"):
        h2.run(create_alias=True)
    assert recorder.mutating == []
    assert h2.entries(h2.fns[0]) == []


def test_new_version_with_another_role_is_refused_before_any_change(harness, recorder) -> None:
    h = harness(new_role="other-role")
    fn = h.fns[0]
    recorder.operations.clear()

    with pytest.raises(CutoverRefused, match="execution role .*other-role on version") as refused:
        h.run()

    assert "re-apply the functions step" in str(refused.value)
    assert recorder.mutating == []
    assert h.alias(fn)["FunctionVersion"] == fn.old and _weights(h.alias(fn)) == {}
