"""take_snapshot: the functions it lists, and reading the likely ones' aliases without waiting for the subnets."""

from __future__ import annotations

import threading

from v6wizard.aws.session import AwsAccess, AwsTarget
from v6wizard.aws.snapshot import take_snapshot
from v6wizard.demo import builder as b


def _vpc_with_functions(access: AwsAccess) -> tuple[str, str]:
    """A VPC with one attached function ("snap-in"), and "snap-out" attached to another VPC's subnet."""
    role = b.ensure_role(access)
    vpc_id = b.create_vpc(access, "10.30.0.0/16", "snap")
    subnet = b.create_subnet(access, vpc_id, "10.30.1.0/24", b.AZS[0], "snap-a")
    group = b.create_security_group(access, vpc_id, "snap-fn", "snapshot test")
    other_vpc = b.create_vpc(access, "10.31.0.0/16", "snap-other")
    other_subnet = b.create_subnet(access, other_vpc, "10.31.1.0/24", b.AZS[0], "snap-other-a")
    other_group = b.create_security_group(access, other_vpc, "snap-other-fn", "snapshot test")
    b.create_function(access, role, "snap-in", [subnet], [group], alias="live")
    b.create_function(access, role, "snap-out", [other_subnet], [other_group], alias="live")
    return vpc_id, subnet


def test_likely_functions_change_nothing_in_what_is_listed(access) -> None:
    vpc_id, _ = _vpc_with_functions(access)
    plain = take_snapshot(access, vpc_id)
    assert [f["name"] for f in plain["functions"]] == ["snap-in"]
    assert [a["name"] for a in plain["functions"][0]["aliases"]] == ["live"]
    # "snap-out" is likely (say it was in the VPC before) but attached elsewhere now; "gone" no longer exists.
    assert take_snapshot(access, vpc_id, likely_functions=["snap-in", "snap-out", "gone"]) == plain
    assert take_snapshot(access, vpc_id, likely_functions=["snap-out"]) == plain


def test_a_likely_functions_aliases_are_read_before_the_subnets_answer(emulator, access) -> None:
    vpc_id, _ = _vpc_with_functions(access)
    aliases_asked = threading.Event()
    subnets_waited: list[bool] = []

    def on_list_aliases(**_: object) -> None:
        aliases_asked.set()

    def on_describe_subnets(**_: object) -> None:
        # The subnets' answer is held until the aliases are asked for (or 2 s pass).
        subnets_waited.append(aliases_asked.wait(timeout=2))

    slow_subnets = AwsAccess(
        AwsTarget(region=access.region, endpoint_url=emulator.endpoint),
        event_hooks=[("before-call.lambda.ListAliases", on_list_aliases), ("before-call.ec2.DescribeSubnets", on_describe_subnets)],
    )
    snapshot = take_snapshot(slow_subnets, vpc_id, likely_functions=["snap-in"])
    assert subnets_waited == [True], "ListAliases went out while DescribeSubnets was still unanswered"
    assert [f["name"] for f in snapshot["functions"]] == ["snap-in"]

    aliases_asked.clear()
    subnets_waited.clear()
    take_snapshot(slow_subnets, vpc_id)
    assert subnets_waited == [False], "without the hint the aliases wait for the subnets"


def test_sections_read_apart_make_up_the_whole_snapshot(access) -> None:
    from v6wizard.aws.snapshot import SECTIONS, VPC_BLOCK_SECTIONS

    vpc_id, _ = _vpc_with_functions(access)
    whole = take_snapshot(access, vpc_id)
    assert set(whole) == set(SECTIONS)
    block = take_snapshot(access, vpc_id, sections=VPC_BLOCK_SECTIONS)
    rest = take_snapshot(access, vpc_id, likely_functions=["snap-in"], sections=set(SECTIONS) - VPC_BLOCK_SECTIONS)
    assert set(block) == set(VPC_BLOCK_SECTIONS) and set(rest) == set(SECTIONS) - VPC_BLOCK_SECTIONS
    assert {**rest, **block} == whole
    assert take_snapshot(access, vpc_id, sections=["functions"]) == {"functions": whole["functions"]}
