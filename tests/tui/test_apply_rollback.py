"""Apply and roll back through the wizard, checked against the emulator's AWS state and the screen."""

from __future__ import annotations

from textual.widgets import DataTable

from tui.flows import confirm_typed, connect, plan_demo, run_step
from tui.helpers import SIZE, wait_for
from v6wizard.core.plan import STEP_ORDER
from v6wizard.tui.screens.plan import PlanScreen


def vpc_ipv6_blocks(access, vpc_id: str) -> list[str]:
    vpc = access.client("ec2").describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    return [a["Ipv6CidrBlock"] for a in vpc.get("Ipv6CidrBlockAssociationSet", []) if a["Ipv6CidrBlockState"]["State"] == "associated"]


def subnets_with_ipv6(access, vpc_id: str) -> int:
    subnets = access.client("ec2").describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    return sum(1 for s in subnets if any("associated" in str(a["Ipv6CidrBlockState"]["State"]) for a in s.get("Ipv6CidrBlockAssociationSet", [])))


def egress_gateways(access, vpc_id: str) -> list[str]:
    gateways = access.client("ec2").describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"]
    return [g["EgressOnlyInternetGatewayId"] for g in gateways if any(a["VpcId"] == vpc_id and a["State"] == "attached" for a in g.get("Attachments", []))]


async def test_roll_back_one_step_then_everything_from_the_start_screen(build_app, demo, access) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        await run_step(pilot, "vpc-cidr")
        assert len(vpc_ipv6_blocks(access, demo.vpc_id)) == 1
        await run_step(pilot, "subnets")
        assert subnets_with_ipv6(access, demo.vpc_id) == len(demo.subnet_ids)
        await run_step(pilot, "egress-gateway")
        assert len(egress_gateways(access, demo.vpc_id)) == 1
        table = app.screen.query_one("#steps", DataTable)
        assert table.get_cell_at((STEP_ORDER.index("egress-gateway"), 4)) == "applied"

        await run_step(pilot, "egress-gateway", key="r", expect="rolled-back")
        assert egress_gateways(access, demo.vpc_id) == []
        assert subnets_with_ipv6(access, demo.vpc_id) == len(demo.subnet_ids), "rolling back one step leaves the earlier ones"
        assert table.get_cell_at((STEP_ORDER.index("egress-gateway"), 4)) == "rolled-back"
        session_id = app.session_id

    again = build_app()
    async with again.run_test(size=SIZE) as pilot:
        await connect(pilot)
        sessions = again.screen.query_one("#sessions", DataTable)
        await wait_for(pilot, lambda: sessions.row_count == 1, what="the unfinished session")
        assert sessions.get_cell_at((0, 0)) == session_id
        await pilot.press("b")
        await confirm_typed(pilot, "rollback")
        await wait_for(pilot, lambda: isinstance(again.screen, PlanScreen), what="the session's plan")
        await wait_for(
            pilot,
            lambda: not again.engine_running and again.statuses.get("vpc-cidr") == "rolled-back",
            timeout=60,
            what="the rollback of everything",
        )
        assert again.statuses.get("subnets") == "rolled-back"
    assert subnets_with_ipv6(access, demo.vpc_id) == 0
    assert vpc_ipv6_blocks(access, demo.vpc_id) == []
