"""The /64 allocator: which /64 of the VPC's IPv6 block each subnet gets.

Deterministic and stable: a subnet's preferred /64 comes from its IPv4 network
address (10.0.3.0/24 prefers /64 number 3 of the block, so the IPv6 layout mirrors
the IPv4 one and re-planning the same inventory gives the same answer). When the
preferred /64 is taken, the next free one is used, wrapping around the block. A /64
held by any subnet of the VPC is never handed out again.

When the block has fewer free /64s than subnets, the subnets that fit are allocated
(in preference order) and the rest are returned as uncovered; the planner reports
them as a blocker. Each subnet's block is independent, so covering what fits is
safe, and only functions on an uncovered subnet are held back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network

AMAZON_PREFIX = 56
"""Amazon-provided (and default BYOIP pool) VPC blocks are always /56: 256 /64s."""


@dataclass(frozen=True)
class Allocation:
    """The outcome: a /64 number per subnet, and the subnets left without one."""

    indexes: dict[str, int] = field(default_factory=dict)
    """Subnet id -> /64 number within the VPC block (see `plan.nth_subnet64`)."""
    uncovered: list[str] = field(default_factory=list)
    """Subnet ids for which no free /64 was left, in preference order."""


def subnet64_count(prefixlen: int) -> int:
    """How many /64s a block of this prefix length holds."""
    if not 0 <= prefixlen <= 64:
        raise ValueError(f"an IPv6 block of /{prefixlen} cannot hold a /64")
    return 1 << (64 - prefixlen)


def preferred_index(ipv4_cidr: str, count: int) -> int:
    """The /64 number a subnet asks for: its IPv4 network address without the last octet."""
    network = IPv4Network(ipv4_cidr, strict=False)
    return (int(network.network_address) >> 8) % count


def index_in_block(vpc_block: str, subnet_cidr: str) -> int | None:
    """The /64 number of `subnet_cidr` within `vpc_block`, or None when it lies outside."""
    block = IPv6Network(vpc_block, strict=False)
    try:
        subnet = IPv6Network(subnet_cidr, strict=False)
    except ValueError:
        return None
    if subnet.prefixlen < 64 or not subnet.subnet_of(block):
        return None
    return (int(subnet.network_address) - int(block.network_address)) >> 64


def taken_indexes(vpc_block: str, subnet_cidrs: Iterable[str]) -> set[int]:
    """The /64 numbers of the block already held by these subnet blocks."""
    taken = set()
    for cidr in subnet_cidrs:
        index = index_in_block(vpc_block, cidr)
        if index is not None:
            taken.add(index)
    return taken


def allocate(subnets: Iterable[tuple[str, str]], count: int, taken: Iterable[int] = ()) -> Allocation:
    """Give each `(subnet_id, ipv4_cidr)` a free /64 number out of `count`.

    The order of `subnets` does not matter: they are served by preferred number, then
    IPv4 address, then id, so the result depends only on the inventory.
    """
    used = set(taken)
    wanted = sorted(
        ((preferred_index(cidr, count), int(IPv4Network(cidr, strict=False).network_address), sid) for sid, cidr in subnets),
    )
    indexes: dict[str, int] = {}
    uncovered: list[str] = []
    for preferred, _, subnet_id in wanted:
        if len(used) >= count:
            uncovered.append(subnet_id)
            continue
        index = preferred
        while index in used:
            index = (index + 1) % count
        used.add(index)
        indexes[subnet_id] = index
    return Allocation(indexes=indexes, uncovered=uncovered)
