"""The step preview shows the values the journal knows: once the VPC block is associated, the subnets step
reads the actual /64 of each subnet, undo is said in words, and `c` shows the exact calls, resolved."""

from __future__ import annotations

from ipaddress import IPv6Network

from tui.flows import connect, open_step, plan_demo, run_step
from tui.helpers import SIZE, text_of, wait_for
from v6wizard.core.plan_view import has_template


def vpc_block(access, vpc_id: str) -> IPv6Network:
    vpc = access.client("ec2").describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    return IPv6Network(next(a["Ipv6CidrBlock"] for a in vpc["Ipv6CidrBlockAssociationSet"] if a["Ipv6CidrBlockState"]["State"] == "associated"))


async def test_the_subnet_preview_shows_actual_64s_once_the_block_is_associated(build_app, demo, access) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        await open_step(pilot, "subnets")
        before = text_of(app.screen.query_one("#preview"))
        assert "/64 number" in before and "disassociate the /64 created above" in before
        assert not has_template(before)
        await pilot.press("escape")

        await run_step(pilot, "vpc-cidr")
        block = vpc_block(access, demo.vpc_id)
        await open_step(pilot, "subnets")
        words = text_of(app.screen.query_one("#preview"))
        assert "/64 number" not in words
        held = [line.split(" holds ", 1)[1].split(" beside ", 1)[0] for line in words.splitlines() if " holds " in line]
        assert held and all(IPv6Network(cidr).subnet_of(block) for cidr in held), held
        assert not has_template(words)

        await pilot.press("c")
        calls = text_of(app.screen.query_one("#preview"))
        assert f"Ipv6CidrBlock={held[0]}" in calls
        assert "undo: ec2 DisassociateSubnetCidrBlock AssociationId=‹AssociationId, known once applied›" in calls
        assert not has_template(calls)

        await pilot.press("escape")
        await run_step(pilot, "subnets")
        await open_step(pilot, "subnets")
        await pilot.press("c")
        applied = text_of(app.screen.query_one("#preview"))
        assert "AssociationId=subnet-cidr-assoc-" in applied, "once applied, the undo call names the association"
        await pilot.press("c")
        assert "disassociate the /64 created above (subnet-cidr-assoc-" in text_of(app.screen.query_one("#preview"))
