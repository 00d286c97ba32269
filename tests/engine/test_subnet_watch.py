"""SubnetWatch: many threads' subnet postconditions answered by shared DescribeSubnets reads."""

from __future__ import annotations

from v6wizard.aws.subnet_watch import SubnetWatch
from v6wizard.demo import scenarios
from v6wizard.engine.runner import Engine

from engine.helpers import journal_at, make_plan
from engine.scenario import small


def test_the_subnets_step_verifies_many_subnets_with_few_shared_reads(access, recorder, tmp_path) -> None:
    """Per-action verification would make at least one DescribeSubnets per subnet and per undo (plus the drift read);
    reading at once for whoever waits made one per few calls; gathering makes a handful for the step."""
    info = scenarios.many_subnets(access, n=24)
    plan = make_plan(access, info.vpc_id)
    engine = Engine(access, journal_at(tmp_path / "j.sqlite3"))
    session = engine.start(plan)
    recorder.operations.clear()
    engine.apply(session.id, until="subnets")
    applied = recorder.operations.count("AssociateSubnetCidrBlock")
    assert applied == 24
    reads = recorder.operations.count("DescribeSubnets")
    # One drift read, then postconditions gathered while the calls go out: a few reads, not one per call.
    assert reads <= 4, f"{reads} DescribeSubnets for {applied} subnets"

    recorder.operations.clear()
    engine.rollback(session.id)
    assert recorder.operations.count("DisassociateSubnetCidrBlock") == 24
    reads = recorder.operations.count("DescribeSubnets")
    assert reads <= 4, f"{reads} DescribeSubnets for 24 undos"


def test_a_vanished_subnet_reads_as_absent_without_failing_the_others(access, emulator) -> None:
    info = small(access, functions=0)
    watch = SubnetWatch(access)
    assert watch.probe("enable-assign-ipv6", {"SubnetId": "subnet-0000000000000dead", "AssignIpv6AddressOnCreation": {"Value": True}}) is None
    watch.absent("associate-subnet-ipv6", {"SubnetId": info.subnet_ids[0], "Ipv6CidrBlock": "2600:1f18::/64"}, what="no block")


def test_once_every_expected_waiter_has_arrived_it_reads_without_waiting_for_a_pause(access, recorder) -> None:
    """The step says how many subnet postconditions will come; after the last one nothing is left to gather for."""
    import threading

    info = small(access, functions=0)
    # Gathering and the arrival pause set far beyond the test's patience: only `expect` can end them.
    watch = SubnetWatch(access, first_delay=60.0, gather=60.0)
    watch.expect(len(info.subnet_ids))
    recorder.operations.clear()
    done: list[str] = []
    threads = [
        threading.Thread(
            target=lambda s=subnet: done.append(watch.probe("enable-assign-ipv6", {"SubnetId": s, "AssignIpv6AddressOnCreation": {"Value": False}}) and s)
        )
        for subnet in info.subnet_ids
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    assert sorted(done) == sorted(info.subnet_ids), "every waiter was answered without the 60 s pause"
    assert recorder.operations.count("DescribeSubnets") == 1, recorder.operations
