"""The /64 allocator: mirrors the IPv4 layout, never overlaps, never reuses a taken /64."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from v6wizard.core.allocator import allocate, index_in_block, preferred_index, subnet64_count, taken_indexes

BLOCK = "2600:1f18:abcd:1200::/56"


def test_preferred_index_mirrors_the_third_octet_in_a_56() -> None:
    assert preferred_index("10.0.3.0/24", 256) == 3
    assert preferred_index("10.0.200.64/26", 256) == 200
    assert preferred_index("10.0.19.0/24", 16) == 3


def test_taken_indexes_only_counts_64s_inside_the_block() -> None:
    cidrs = ["2600:1f18:abcd:1205::/64", "2600:1f18:abcd:12ff::/64", "2600:1f18:ffff:1201::/64"]
    assert taken_indexes(BLOCK, cidrs) == {5, 255}
    assert index_in_block(BLOCK, "not-a-cidr") is None


def test_collisions_move_to_the_next_free_64_and_wrap_around() -> None:
    allocation = allocate([("a", "10.0.255.0/26"), ("b", "10.0.255.64/26"), ("c", "10.0.0.0/24")], 256, taken={0})
    assert allocation.indexes == {"c": 1, "a": 255, "b": 2}
    assert allocation.uncovered == []


def test_subnet64_count() -> None:
    assert subnet64_count(56) == 256
    assert subnet64_count(64) == 1


subnet_lists = st.lists(
    st.tuples(st.integers(0, 255), st.sampled_from([0, 64, 128, 192]), st.sampled_from([24, 26])),
    min_size=0,
    max_size=40,
    unique=True,
)


@settings(max_examples=60, deadline=None)
@given(subnets=subnet_lists, prefixlen=st.sampled_from([56, 60, 62, 63, 64]), data=st.data())
def test_allocation_never_overlaps_never_reuses_and_covers_or_reports_everyone(subnets, prefixlen, data) -> None:
    count = subnet64_count(prefixlen)
    taken = data.draw(st.sets(st.integers(0, count - 1), max_size=count))
    wanted = [(f"subnet-{i}", f"10.0.{octet}.{low if size == 26 else 0}/{size}") for i, (octet, low, size) in enumerate(subnets)]
    allocation = allocate(wanted, count, taken)

    given_out = list(allocation.indexes.values())
    assert len(given_out) == len(set(given_out)), "two subnets share a /64"
    assert not set(given_out) & taken, "a taken /64 was handed out again"
    assert all(0 <= i < count for i in given_out)
    ids = {sid for sid, _ in wanted}
    assert set(allocation.indexes) | set(allocation.uncovered) == ids
    assert not set(allocation.indexes) & set(allocation.uncovered)
    assert len(allocation.uncovered) == max(0, len(wanted) - (count - len(taken)))

    shuffled = list(wanted)
    random.Random(len(wanted)).shuffle(shuffled)
    assert allocate(shuffled, count, taken) == allocation, "the answer depends on the input order"
