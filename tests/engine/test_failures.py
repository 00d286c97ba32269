"""The engine under trouble: throttling and 5xx, drift, a held lock, cancellation, step-rollback order."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from v6wizard.aws.snapshot import diff_snapshots, take_snapshot
from v6wizard.engine.runner import Engine
from v6wizard.errors import AwsCallFailed, Cancelled, DriftDetected, InvalidOption, SessionLocked
from v6wizard.journal.base import LockOwner, utcnow

from engine.helpers import Events, created_counts, journal_at, make_plan
from engine.scenario import small


@pytest.fixture
def journal(tmp_path: Path):
    journal = journal_at(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


def test_throttling_and_server_errors_on_a_share_of_calls_still_converge(access, emulator, journal) -> None:
    info = small(access, functions=1)
    plan = make_plan(access, info.vpc_id)
    emulator.faults.seed(7)
    emulator.faults.throttle("ec2", None, times=None, probability=0.3)
    emulator.faults.throttle("lambda", None, times=None, probability=0.3)
    emulator.faults.server_error("ec2", "CreateEgressOnlyInternetGateway", times=2)
    emulator.faults.server_error("ec2", "AssociateSubnetCidrBlock", times=2)
    engine = Engine(access, journal)
    session = engine.start(plan)
    engine.apply(session.id, until="functions")
    hits = sum(rule.hits for rule in emulator.faults.rules)
    emulator.faults.reset()
    assert hits > 5, "the faults must actually have fired"
    state = engine.state(session.id)
    assert {s.name: s.status for s in state.steps if not s.empty and s.name != "cutover"} == {
        name: "applied" for name in ("vpc-cidr", "subnets", "egress-gateway", "routes", "network-acls", "security-groups", "functions")
    }
    counts = created_counts(access, info.vpc_id)
    assert counts["eigw"] == 1 and counts["ipv6-default-route"] == 1
    # One new version for the one function: retries never published twice.
    assert counts["versions"] == 1 + 1


def test_drift_between_steps_stops_before_the_changed_step(access, recorder, journal) -> None:
    info = small(access, functions=0)
    plan = make_plan(access, info.vpc_id)
    events = Events()
    engine = Engine(access, journal, on_event=events.append)
    session = engine.start(plan)
    engine.apply(session.id, until="egress-gateway")
    eigw = engine.state(session.id).outputs[f"egress-gateway:create:{info.vpc_id}"]["EgressOnlyInternetGatewayId"]
    # Another operator routes ::/0 in the private table by hand.
    access.client("ec2").create_route(
        RouteTableId=info.route_table_ids[0], DestinationIpv6CidrBlock="::/0", EgressOnlyInternetGatewayId=eigw
    )
    recorder.operations.clear()
    with pytest.raises(DriftDetected) as raised:
        engine.apply(session.id)
    assert f"route table {info.route_table_ids[0]} now has a route for ::/0" in str(raised.value)
    assert "v6wizard plan" in str(raised.value)
    assert [e.data["changes"] for e in events.of("drift")] == [
        {f"routes:create:{info.route_table_ids[0]}": f"route table {info.route_table_ids[0]} now has a route for ::/0"}
    ]
    assert recorder.mutating == []
    assert journal.session(session.id).status == "failed"


def test_a_held_lock_refuses_until_forced(access, journal) -> None:
    info = small(access, functions=0)
    engine = Engine(access, journal)
    session = engine.start(make_plan(access, info.vpc_id))
    other = LockOwner(session_id="v6-other", host="elsewhere", pid=4242, user="ops", lease_until=utcnow() + timedelta(minutes=5))
    journal.acquire_lock(info.vpc_id, other)
    with pytest.raises(SessionLocked) as raised:
        engine.apply(session.id, only=["vpc-cidr"])
    assert "ops" in str(raised.value)
    assert engine.state(session.id).step("vpc-cidr").status == "planned"
    engine.resume(session.id, force_unlock=True)
    assert engine.state(session.id).step("vpc-cidr").status == "applied"
    assert journal.lock_holder(info.vpc_id) is None


def test_cancel_stops_between_actions_and_resume_finishes(access, journal) -> None:
    info = small(access, functions=0)
    cancel = threading.Event()
    stopped = []

    def stop_after_first_subnet(event) -> None:
        if event.kind == "action-succeeded" and event.step == "subnets" and not stopped:
            stopped.append(event.action_id)
            cancel.set()

    engine = Engine(access, journal, on_event=stop_after_first_subnet, cancel=cancel, concurrency=1)
    session = engine.start(make_plan(access, info.vpc_id))
    with pytest.raises(Cancelled) as raised:
        engine.apply(session.id, until="routes")
    assert f"v6wizard resume {session.id}" in str(raised.value)
    state = engine.state(session.id)
    assert journal.session(session.id).status == "interrupted"
    assert [a.status for a in state.step("subnets").actions].count("applied") == 1
    assert state.step("egress-gateway").status == "planned"
    cancel.clear()
    engine.resume(session.id)
    assert engine.state(session.id).step("routes").status == "applied"


def test_step_rollback_refused_while_a_later_step_is_applied(access, journal) -> None:
    info = small(access, functions=0)
    before = take_snapshot(access, info.vpc_id)
    engine = Engine(access, journal)
    session = engine.start(make_plan(access, info.vpc_id))
    engine.apply(session.id, until="routes")
    with pytest.raises(InvalidOption) as raised:
        engine.rollback(session.id, step="egress-gateway")
    assert "Roll back routes before egress-gateway" in str(raised.value)
    for step in ("routes", "egress-gateway", "subnets", "vpc-cidr"):
        engine.rollback(session.id, step=step)
        assert engine.state(session.id).step(step).status == "rolled-back"
    assert diff_snapshots(before, take_snapshot(access, info.vpc_id)) == []
    assert journal.session(session.id).status == "rolled-back"


def test_rollback_never_deletes_a_gateway_that_is_not_ours(access, journal) -> None:
    info = small(access, functions=0)
    engine = Engine(access, journal)
    session = engine.start(make_plan(access, info.vpc_id))
    engine.apply(session.id, until="egress-gateway")
    action_id = f"egress-gateway:create:{info.vpc_id}"
    eigw = engine.state(session.id).outputs[action_id]["EgressOnlyInternetGatewayId"]
    ec2 = access.client("ec2")
    ec2.delete_tags(Resources=[eigw], Tags=[{"Key": "v6wizard:session"}])
    with pytest.raises(AwsCallFailed) as raised:
        engine.rollback(session.id)
    assert "deletes only gateways it created" in str(raised.value)
    assert created_counts(access, info.vpc_id)["eigw"] == 1


def test_a_skipped_step_is_left_alone_and_later_steps_still_run(access, recorder, journal) -> None:
    info = small(access, functions=1)
    engine = Engine(access, journal)
    session = engine.start(make_plan(access, info.vpc_id))
    engine.skip(session.id, "network-acls")
    recorder.operations.clear()
    engine.apply(session.id, until="functions")
    state = engine.state(session.id)
    assert state.step("network-acls").status == "skipped"
    assert state.step("functions").status == "applied"
    assert "CreateNetworkAclEntry" not in recorder.mutating
    with pytest.raises(InvalidOption):
        engine.skip(session.id, "routes")


def test_the_lease_is_renewed_and_a_stolen_lock_stops_the_run(access, journal) -> None:
    info = small(access, functions=0)
    cancel = threading.Event()
    thief = LockOwner(session_id="v6-thief", host="elsewhere", pid=7, user="thief", lease_until=utcnow() + timedelta(minutes=5))
    stolen = []

    def steal_after_first_subnet(event) -> None:
        if event.kind == "action-succeeded" and event.step == "subnets" and not stolen:
            stolen.append(event.action_id)
            journal.force_unlock(info.vpc_id)
            journal.acquire_lock(info.vpc_id, thief)
            # The renewal thread notices within a third of the lease and asks the run to stop.
            assert cancel.wait(timeout=10)

    engine = Engine(access, journal, on_event=steal_after_first_subnet, cancel=cancel, concurrency=1, lease_seconds=0.3)
    session = engine.start(make_plan(access, info.vpc_id))
    with pytest.raises(SessionLocked):
        engine.apply(session.id, until="routes")
    state = engine.state(session.id)
    assert [a.status for a in state.step("subnets").actions].count("applied") == 1
    assert state.step("routes").status == "planned"
    assert journal.lock_holder(info.vpc_id).session_id == "v6-thief"


def test_a_refused_read_fails_the_run_in_one_sentence(access, emulator, journal) -> None:
    info = small(access, functions=0)
    engine = Engine(access, journal)
    session = engine.start(make_plan(access, info.vpc_id))
    emulator.faults.deny("ec2", "DescribeRouteTables")
    with pytest.raises(AwsCallFailed) as raised:
        engine.apply(session.id, until="routes")
    emulator.faults.reset()
    assert "UnauthorizedOperation" in str(raised.value)
    assert f"v6wizard resume {session.id}" in str(raised.value)
    assert journal.session(session.id).status == "failed"
    assert engine.state(session.id).step("egress-gateway").status == "applied"
    engine.resume(session.id)
    assert engine.state(session.id).step("routes").status == "applied"


def test_new_code_in_latest_is_drift_before_publishing(access, recorder, journal) -> None:
    from v6wizard.demo.builder import lambda_zip

    info = small(access, functions=1)
    name = info.function_names[0]
    engine = Engine(access, journal)
    session = engine.start(make_plan(access, info.vpc_id))
    engine.apply(session.id, until="security-groups")
    lam = access.client("lambda")
    lam.update_function_code(FunctionName=name, ZipFile=lambda_zip(name + "-changed"))
    lam.get_waiter("function_updated_v2").wait(FunctionName=name)
    recorder.operations.clear()
    with pytest.raises(DriftDetected) as raised:
        engine.apply(session.id, until="functions")
    assert f"function {name} has new code in $LATEST" in str(raised.value)
    assert "PublishVersion" not in recorder.mutating and "UpdateFunctionConfiguration" not in recorder.mutating


def test_the_next_steps_drift_check_is_read_while_the_current_step_runs(access, emulator, recorder, journal) -> None:
    """The routes step's precondition read goes out during the egress-gateway step, and is not made again."""
    info = small(access, functions=0)
    plan = make_plan(access, info.vpc_id)
    engine = Engine(access, journal)
    session = engine.start(plan)
    engine.apply(session.id, until="subnets")
    recorder.operations.clear()
    emulator.faults.latency = 0.1  # the gateway's create takes a round trip the read ahead can overlap
    engine.apply(session.id, until="routes")
    ops = recorder.operations
    created = ops.index("CreateEgressOnlyInternetGateway")
    verified = ops.index("DescribeEgressOnlyInternetGateways", created)
    assert ops.index("DescribeRouteTables") < verified, ops
    routes = [a for a in plan.step("routes").actions]
    assert ops.count("CreateRoute") == len(routes)
    assert ops.count("DescribeRouteTables") == 1 + len(routes), "one check read ahead, one postcondition per route"


def test_drift_in_a_later_step_found_ahead_stops_before_that_step(access, recorder, journal) -> None:
    info = small(access, functions=1)
    plan = make_plan(access, info.vpc_id)
    engine = Engine(access, journal)
    session = engine.start(plan)
    # Another operator adds the ::/0 egress rule to the group the plan will open, before the run starts.
    params = plan.step("security-groups").actions[0].call.params
    group = params["GroupId"]
    access.client("ec2").authorize_security_group_egress(
        GroupId=group, IpPermissions=[{**params["IpPermissions"][0], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]
    )
    recorder.operations.clear()
    with pytest.raises(DriftDetected, match=f"security group {group} already has the egress rule"):
        engine.apply(session.id, until="security-groups")
    state = engine.state(session.id)
    assert state.step("routes").status == "applied", "the steps before the changed one ran"
    assert state.step("security-groups").status == "planned"
    assert "AuthorizeSecurityGroupEgress" not in recorder.operations
