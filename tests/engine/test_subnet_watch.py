"""SubnetWatch: many threads' subnet postconditions answered by shared DescribeSubnets reads."""

from __future__ import annotations

import threading
import time
from ipaddress import ip_network

from v6wizard.aws.subnet_watch import SubnetWatch

from engine.scenario import small


def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_waiters_on_several_subnets_are_answered_by_one_read(access, emulator) -> None:
    info = small(access, functions=0)
    ec2 = access.client("ec2")
    vpc = ec2.associate_vpc_cidr_block(VpcId=info.vpc_id, AmazonProvidedIpv6CidrBlock=True)
    _wait_for(lambda: ec2.describe_vpcs(VpcIds=[info.vpc_id])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlockState"]["State"] == "associated")
    block = ec2.describe_vpcs(VpcIds=[info.vpc_id])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
    assert vpc["Ipv6CidrBlockAssociation"]["AssociationId"]
    sixty_fours = ip_network(block).subnets(new_prefix=64)
    wanted = {subnet: str(next(sixty_fours)) for subnet in info.subnet_ids}
    # A long backoff: once every waiter is registered and read, the poller sleeps while the blocks are added.
    watch = SubnetWatch(access, first_delay=3.0, max_delay=3.0)
    answered: dict[str, tuple[dict, int]] = {}

    def wait(subnet: str) -> None:
        outputs = watch.present("associate-subnet-ipv6", {"SubnetId": subnet, "Ipv6CidrBlock": wanted[subnet]}, what="block")
        answered[subnet] = (outputs, watch.describe_calls)

    threads = [threading.Thread(target=wait, args=(s,)) for s in info.subnet_ids]
    for thread in threads:
        thread.start()
    _wait_for(lambda: len(watch._waiters) == len(info.subnet_ids) and not watch._fresh)
    polls_before = watch.describe_calls
    time.sleep(0.3)  # let a read that was in flight finish; the poller then backs off for 3 s
    assert watch.describe_calls == polls_before
    for subnet, cidr in wanted.items():
        ec2.associate_subnet_cidr_block(SubnetId=subnet, Ipv6CidrBlock=cidr)
    for thread in threads:
        thread.join(timeout=30)
    assert set(answered) == set(info.subnet_ids)
    assert all(outputs["AssociationId"].startswith("subnet-cidr-assoc") for outputs, _ in answered.values())
    # Every waiter was answered by the same read, not one describe each.
    assert len({calls for _, calls in answered.values()}) == 1
    assert polls_before >= 1

    gone: list[str] = []

    def wait_gone(subnet: str) -> None:
        watch.absent("associate-subnet-ipv6", {"SubnetId": subnet, "Ipv6CidrBlock": wanted[subnet]}, what="undo")
        gone.append(subnet)

    threads = [threading.Thread(target=wait_gone, args=(s,)) for s in info.subnet_ids]
    for thread in threads:
        thread.start()
    _wait_for(lambda: len(watch._waiters) == len(info.subnet_ids))
    assert gone == []
    for outputs, _ in answered.values():
        ec2.disassociate_subnet_cidr_block(AssociationId=outputs["AssociationId"])
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(gone) == sorted(info.subnet_ids)


def test_a_vanished_subnet_reads_as_absent_without_failing_the_others(access, emulator) -> None:
    info = small(access, functions=0)
    watch = SubnetWatch(access)
    assert watch.probe("enable-assign-ipv6", {"SubnetId": "subnet-0000000000000dead", "AssignIpv6AddressOnCreation": {"Value": True}}) is None
    watch.absent("associate-subnet-ipv6", {"SubnetId": info.subnet_ids[0], "Ipv6CidrBlock": "2600:1f18::/64"}, what="no block")
