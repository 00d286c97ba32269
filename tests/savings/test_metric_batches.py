"""GetMetricData batching: the reader's batches take the fewest calls any batching could (checked by brute force)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from v6wizard.aws.savings_metrics import MAX_DATAPOINTS, MAX_QUERIES, batch_plan, minimum_calls


def fewest_calls(queries: int, points: int) -> int:
    """Every way of cutting the queries into batches of at most 500, each costing a call per page of its datapoints."""
    best = [0] * (queries + 1)
    for n in range(1, queries + 1):
        best[n] = min(math.ceil(size * points / MAX_DATAPOINTS) + best[n - size] for size in range(1, min(MAX_QUERIES, n) + 1))
    return best[queries]


def _check(queries: int, points: int) -> None:
    plan = batch_plan(queries, points)
    assert sum(size for size, _ in plan) == queries
    assert all(0 < size <= MAX_QUERIES and calls == math.ceil(size * points / MAX_DATAPOINTS) for size, calls in plan)
    assert minimum_calls(queries, points) == sum(calls for _, calls in plan) == fewest_calls(queries, points)


@pytest.mark.parametrize(("queries", "points"), [
    (300, 336),    # the bench: 150 gateways over 14 days, exactly one page
    (554, 2000),   # batches that fill whole pages (453 + 101) take 12 calls; 11 is the fewest
    (513, 2160),   # 90 days
    (526, 10920),  # 455 days
    (1946, 207),   # fewer than the datapoint bound allows: a page never carries two batches
])
def test_known_sizes_take_the_fewest_calls(queries: int, points: int) -> None:
    _check(queries, points)


@settings(max_examples=40, deadline=None)
@given(queries=st.integers(1, 1100), points=st.integers(1, 455 * 24))
def test_every_size_takes_the_fewest_calls(queries: int, points: int) -> None:
    _check(queries, points)


def test_no_queries_take_no_call() -> None:
    assert batch_plan(0, 336) == [] and minimum_calls(0, 336) == 0
