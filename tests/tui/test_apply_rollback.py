"""Apply and roll back through the wizard, checked against the emulator's AWS state and the screen."""

from __future__ import annotations

from textual.widgets import DataTable

from tui.flows import connect, plan_demo, run_step
from tui.helpers import SIZE, wait_for
from v6wizard.core.plan import STEP_ORDER


def vpc_ipv6_blocks(access, vpc_id: str) -> list[str]:
    vpc = access.client("ec2").describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    return [a["Ipv6CidrBlock"] for a in vpc.get("Ipv6CidrBlockAssociationSet", []) if a["Ipv6CidrBlockState"]["State"] == "associated"]


def subnets_with_ipv6(access, vpc_id: str) -> int:
    subnets = access.client("ec2").describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    return sum(1 for s in subnets if any("associated" in str(a["Ipv6CidrBlockState"]["State"]) for a in s.get("Ipv6CidrBlockAssociationSet", [])))


async def test_apply_two_steps_then_roll_back_one_then_everything(build_app, demo, access) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        await run_step(pilot, "vpc-cidr")
        assert len(vpc_ipv6_blocks(access, demo.vpc_id)) == 1
        await run_step(pilot, "subnets")
        assert subnets_with_ipv6(access, demo.vpc_id) == len(demo.subnet_ids)
        statuses = app.screen.query_one("#steps", DataTable)
        assert statuses.get_cell_at((STEP_ORDER.index("subnets"), 4)) == "applied"

        await run_step(pilot, "subnets", key="r", expect="rolled-back")
        assert subnets_with_ipv6(access, demo.vpc_id) == 0
        assert len(vpc_ipv6_blocks(access, demo.vpc_id)) == 1, "rolling back one step leaves the earlier one"

        await run_step(pilot, "vpc-cidr", key="r", expect="rolled-back")
        assert vpc_ipv6_blocks(access, demo.vpc_id) == []
        assert statuses.get_cell_at((STEP_ORDER.index("vpc-cidr"), 4)) == "rolled-back"
        await wait_for(pilot, lambda: app.session_id is not None)
