"""Rollback never blackholes routes it did not create: it stops before deleting a gateway they still use."""

from __future__ import annotations

from pathlib import Path

import pytest

from v6wizard.engine.runner import Engine
from v6wizard.errors import AwsCallFailed

from engine.helpers import journal_at, make_plan
from engine.scenario import small
from v6wizard.demo import builder as b


@pytest.fixture
def journal(tmp_path: Path):
    journal = journal_at(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


def test_a_foreign_route_to_our_gateway_stops_the_rollback_before_the_gateway(access, recorder, journal) -> None:
    info = small(access, functions=0)
    engine = Engine(access, journal)
    session = engine.start(make_plan(access, info.vpc_id))
    engine.apply(session.id, until="routes")
    gateway = engine.state(session.id).outputs[f"egress-gateway:create:{info.vpc_id}"]["EgressOnlyInternetGatewayId"]
    # Someone else's table routes a range to the gateway v6wizard made.
    theirs = b.create_route_table(access, info.vpc_id, "theirs", [], [])
    access.client("ec2").create_route(RouteTableId=theirs, DestinationIpv6CidrBlock="2600:1f00::/40", EgressOnlyInternetGatewayId=gateway)
    recorder.operations.clear()

    with pytest.raises(AwsCallFailed) as stopped:
        engine.rollback(session.id)
    message = str(stopped.value)
    assert f"{theirs} 2600:1f00::/40" in message and gateway in message
    assert f"v6wizard resume {session.id}" in message
    assert "DeleteEgressOnlyInternetGateway" not in recorder.operations
    state = engine.state(session.id)
    assert state.step("routes").status == "rolled-back", "the undo before the gateway's is done"
    assert state.step("egress-gateway").status == "applied" and state.step("subnets").status == "applied"
    routes = access.client("ec2").describe_route_tables(RouteTableIds=[theirs])["RouteTables"][0]["Routes"]
    assert any(r.get("EgressOnlyInternetGatewayId") == gateway and r.get("State") == "active" for r in routes)

    # Once the operator removes their route, the same rollback resumes and finishes.
    access.client("ec2").delete_route(RouteTableId=theirs, DestinationIpv6CidrBlock="2600:1f00::/40")
    engine.resume(session.id)
    assert engine.state(session.id).step("egress-gateway").status == "rolled-back"
    assert not access.client("ec2").describe_egress_only_internet_gateways(EgressOnlyInternetGatewayIds=[gateway])["EgressOnlyInternetGateways"]
