"""`v6wizard show SESSION --output plan`: the session's plan with the values its journal knows, the same
resolution the TUI's preview uses (`core.plan_view`)."""

from __future__ import annotations

import json
from ipaddress import IPv6Network
from pathlib import Path

from v6wizard.core.plan_view import has_template

from engine.scenario import small


def test_after_step_one_the_plan_shows_each_subnets_actual_64(access, run_cli, journal_path: Path) -> None:
    info = small(access, functions=0)
    planned = run_cli("plan", "--vpc-id", info.vpc_id)
    assert "/64 number" in planned.stdout, "before the block exists, a /64 is named by its number"
    assert not has_template(planned.stdout)

    result = run_cli("apply", "--vpc-id", info.vpc_id, "--only", "vpc-cidr", "--yes", "--output", "json")
    assert result.exit_code == 0, result.output
    session_id = json.loads(result.stdout)["session"]["id"]
    vpc = access.client("ec2").describe_vpcs(VpcIds=[info.vpc_id])["Vpcs"][0]
    block = IPv6Network(next(a["Ipv6CidrBlock"] for a in vpc["Ipv6CidrBlockAssociationSet"] if a["Ipv6CidrBlockState"]["State"] == "associated"))

    shown = run_cli("show", session_id, "--output", "plan")
    assert shown.exit_code == 0, shown.output
    assert "/64 number" not in shown.stdout
    subnet_lines = [line for line in shown.stdout.splitlines() if line.strip().startswith("after:  subnet ")]
    assert subnet_lines
    for line in subnet_lines:
        cidr = IPv6Network(line.split(" holds ", 1)[1].split(" beside ", 1)[0])
        assert cidr.prefixlen == 64 and cidr.subnet_of(block)
    assert "undo:   disassociate the /64 created above" in shown.stdout
    assert "undo:   disassociate the VPC's IPv6 block associated above (vpc-cidr-assoc-" in shown.stdout
    assert not has_template(shown.stdout)
