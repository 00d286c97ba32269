"""Bad options are refused with one sentence and the bad-input exit code; nothing is planned."""

from __future__ import annotations

import pytest

from v6wizard.core.plan import PlanOptions
from v6wizard.core.planner import build_plan
from v6wizard.core.schedule import Stage
from v6wizard.errors import EXIT_BAD_INPUT, InvalidOption, UnknownFunction

from .builders import inventory


def test_unknown_function_names_the_function() -> None:
    with pytest.raises(UnknownFunction, match="ghost") as caught:
        build_plan(inventory(), PlanOptions(function_names=["orders", "ghost"]))
    assert caught.value.exit_code == EXIT_BAD_INPUT


def test_unknown_subnet_names_the_subnet() -> None:
    with pytest.raises(InvalidOption, match="subnet-nope"):
        build_plan(inventory(), PlanOptions(subnet_ids=["subnet-priv-a", "subnet-nope"]))


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (PlanOptions(cidr_source="ipam"), "IPAM pool id"),
        (PlanOptions(cidr_source="ipam", ipam_pool_id="ipam-pool-1", ipam_netmask_length=42), "/44 to /60"),
        (PlanOptions(cidr_source="ipam", ipam_pool_id="ipam-pool-1", ipam_netmask_length=64), "/44 to /60"),
        (PlanOptions(cidr_source="ipam", ipam_pool_id="ipam-pool-1", ipam_netmask_length=50), "/44 to /60"),
        (PlanOptions(cidr_source="byoip"), "BYOIP pool id"),
        (PlanOptions(cidr_source="byoip", byoip_pool_id="ipv6pool-ec2-1", byoip_cidr="10.0.0.0/16"), "not a valid IPv6 network"),
        (PlanOptions(cidr_source="byoip", byoip_pool_id="ipv6pool-ec2-1", byoip_cidr="2001:db8::1/56"), "not a valid IPv6 network"),
        (PlanOptions(cidr_source="byoip", byoip_pool_id="ipv6pool-ec2-1", byoip_cidr="2001:db8:1200::/64"), "/44 to /60"),
        (PlanOptions(cidr_source="byoip", byoip_pool_id="ipv6pool-ec2-1", byoip_cidr="2001:db8:1200::/54"), "/44 to /60"),
        (PlanOptions(cidr_source="byoip", byoip_pool_id="ipv6pool-ec2-1", byoip_cidr="2001:db8::/40"), "/44 to /60"),
        (PlanOptions(byoip_cidr="2001:db8:1200::/56"), "--byoip-cidr only applies with --cidr-source byoip, not amazon"),
        (PlanOptions(cidr_source="ipam", ipam_pool_id="ipam-pool-1", byoip_pool_id="ipv6pool-ec2-1"), "--byoip-pool-id only applies"),
        (PlanOptions(ipam_pool_id="ipam-pool-1"), "--ipam-pool-id only applies with --cidr-source ipam"),
        (PlanOptions(cidr_source="byoip", byoip_pool_id="ipv6pool-ec2-1", ipam_netmask_length=48), "--ipam-netmask-length only applies"),
        (PlanOptions(ipam_pool_id="ipam-pool-1", ipam_netmask_length=48), "--ipam-pool-id and --ipam-netmask-length only apply with"),
        (PlanOptions(alias_name=" "), "alias name"),
        (PlanOptions(schedule=[Stage(percent=50, bake_seconds=60)]), "end at 100%"),
    ],
)
def test_malformed_cidr_pool_alias_or_schedule_options_are_refused(options: PlanOptions, words: str) -> None:
    with pytest.raises(InvalidOption, match=words) as caught:
        build_plan(inventory(), options)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message


@pytest.mark.parametrize("netmask", [44, 48, 52, 56, 60])
def test_every_allowed_ipam_netmask_is_accepted(netmask: int) -> None:
    plan = build_plan(inventory(), PlanOptions(cidr_source="ipam", ipam_pool_id="ipam-pool-1", ipam_netmask_length=netmask))
    assert plan.action("vpc-cidr:associate:vpc-1").call.params["Ipv6NetmaskLength"] == netmask


@pytest.mark.parametrize("netmask", [44, 48, 52, 56, 60])
def test_every_allowed_byoip_block_size_is_accepted(netmask: int) -> None:
    cidr = f"2001:db8::/{netmask}"
    plan = build_plan(inventory(), PlanOptions(cidr_source="byoip", byoip_pool_id="ipv6pool-ec2-1", byoip_cidr=cidr))
    assert plan.action("vpc-cidr:associate:vpc-1").call.params["Ipv6CidrBlock"] == cidr


def test_a_plan_read_back_from_json_with_default_ipam_fields_is_still_valid() -> None:
    options = PlanOptions.model_validate_json(PlanOptions().model_dump_json())
    assert build_plan(inventory(), options).action("vpc-cidr:associate:vpc-1").call.params["AmazonProvidedIpv6CidrBlock"] is True
