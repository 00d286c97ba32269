"""Reads the engine starts before the action that needs them (a publish's versions before it, the next step's drift
check), and the rollback's checks that do not depend on when they are read."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from v6wizard.core.inventory import OURS_TAG
from v6wizard.engine.actions import EarlyReads
from v6wizard.engine.runner import Engine
from v6wizard.errors import AwsCallFailed

from engine.helpers import Events, journal_at, make_plan
from engine.scenario import small


@pytest.fixture
def journal(tmp_path: Path):
    journal = journal_at(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


def _applied(access, journal, info, until: str = "functions", events: Events | None = None):
    """An engine and a session of `info`'s plan, applied up to `until`."""
    engine = Engine(access, journal, on_event=(events if events is not None else Events()).append)
    session = engine.start(make_plan(access, info.vpc_id))
    engine.apply(session.id, until=until)
    return engine, session


def _intent(journal, session_id: str, action_id: str):
    return next(e for e in journal.entries(session_id) if e.kind == "intent" and e.action_id == action_id)


def test_a_publish_reads_the_versions_before_it_while_its_functions_update_settles(access, recorder, journal) -> None:
    info = small(access, functions=1)
    name = info.function_names[0]
    lam = access.client("lambda")
    existing = max(int(v["Version"]) for v in lam.list_versions_by_function(FunctionName=name)["Versions"] if v["Version"].isdigit())
    plan = make_plan(access, info.vpc_id)
    engine = Engine(access, journal)
    session = engine.start(plan)
    engine.apply(session.id, until="security-groups")
    recorder.operations.clear()
    engine.apply(session.id, until="functions")

    ops = recorder.operations
    published = ops.index("PublishVersion")
    settled = max(i for i, op in enumerate(ops[:published]) if op == "GetFunction")
    assert ops[:published].count("ListVersionsByFunction") == 1, ops
    assert ops.index("ListVersionsByFunction") < settled, f"read while the update settled: {ops}"
    publish = next(a for a in plan.step("functions").actions if a.kind == "publish-version")
    assert _intent(journal, session.id, publish.id).data["versions_before"] == existing
    assert engine.state(session.id).action(publish.id).outputs["Version"] == str(existing + 1)


def test_a_gateway_retagged_as_someone_elses_is_not_deleted(access, recorder, journal) -> None:
    info = small(access, functions=0)
    engine, session = _applied(access, journal, info, until="egress-gateway")
    gateway = engine.state(session.id).outputs[f"egress-gateway:create:{info.vpc_id}"]["EgressOnlyInternetGatewayId"]
    access.client("ec2").create_tags(Resources=[gateway], Tags=[{"Key": OURS_TAG, "Value": "someone-elses-session"}])
    recorder.operations.clear()

    with pytest.raises(AwsCallFailed, match=f"{gateway} is not tagged {OURS_TAG}={session.id}"):
        engine.rollback(session.id)
    assert "DeleteEgressOnlyInternetGateway" not in recorder.operations
    gateways = access.client("ec2").describe_egress_only_internet_gateways(EgressOnlyInternetGatewayIds=[gateway])
    assert gateways["EgressOnlyInternetGateways"], "the gateway is still there"
    assert engine.state(session.id).step("subnets").status == "applied", "nothing before the gateway was undone"


def test_an_early_read_is_taken_once_and_only_for_what_it_read() -> None:
    early = EarlyReads()
    release = threading.Event()
    early.start("a", "fn-1", lambda: release.wait(5) and 7)
    early.start("b", "gw-1", lambda: 1 / 0)
    assert early.take("a", "fn-2") is None, "another resource: read afresh"
    early.start("a", "fn-1", lambda: release.wait(5) and 7)
    taken = early.take("a", "fn-1")
    assert taken is not None and early.take("a", "fn-1") is None
    release.set()
    assert taken.result(timeout=5) == 7
    failed = early.take("b", "gw-1")
    assert failed is not None
    with pytest.raises(ZeroDivisionError):
        failed.result(timeout=5)
    early.start_after("update-fn-1", "publish-fn-1", "fn-1", lambda: 3)
    assert early.take("publish-fn-1", "fn-1") is None, "not started before the update's call"
    early.start_after("update-fn-1", "publish-fn-1", "fn-1", lambda: 3)
    early.call_returned("update-fn-1")
    started = early.take("publish-fn-1", "fn-1")
    assert started is not None and started.result(timeout=5) == 3


def test_the_first_steps_drift_check_is_read_while_the_run_is_journaled(access, recorder, tmp_path: Path) -> None:
    from v6wizard.journal.sqlite import SqliteJournal

    class SlowCommits(SqliteJournal):
        """The real SQLite journal, its commits made slow and marked in the call record."""

        def append_many(self, entries):  # type: ignore[no-untyped-def]
            written = super().append_many(entries)
            threading.Event().wait(0.2)
            recorder.operations.append("journal-commit")
            return written

    info = small(access, functions=0)
    plan = make_plan(access, info.vpc_id)
    journal = SlowCommits(tmp_path / "slow.sqlite3")
    engine = Engine(access, journal)
    session = engine.start(plan)
    recorder.operations.clear()
    engine.apply(session.id, until="vpc-cidr")
    ops = recorder.operations
    assert ops.index("DescribeVpcs") < ops.index("journal-commit"), f"the check went out before the run note was durable: {ops}"
    assert ops.index("DescribeVpcs") < ops.index("AssociateVpcCidrBlock")
    journal.close()


@pytest.mark.parametrize("where", ["subnet", "vpc"])
def test_the_closing_snapshot_still_reports_a_change_made_by_someone_else(access, recorder, emulator, journal, where: str) -> None:
    info = small(access, functions=0)
    events = Events()
    engine, session = _applied(access, journal, info, events=events)
    resource = info.subnet_ids[0] if where == "subnet" else info.vpc_id
    access.client("ec2").create_tags(Resources=[resource], Tags=[{"Key": "owner", "Value": "someone-else"}])
    engine.rollback(session.id)

    section = "subnets" if where == "subnet" else "vpc"
    assert f"differs from its pre-apply snapshot in: {section}" in events.of("note")[-1].message
    restored = [e.data for e in journal.entries(session.id) if e.data.get("note") == "restored"]
    assert [d.split(":", 1)[0] for d in restored[0]["differences"]] == [section]
