"""Paginated, cancellable reads: one AWS call per page, the cancel flag checked between pages.

Used by discovery (and anything else that lists resources). Page sizes are the
largest each API accepts, so the number of calls equals the minimum number of pages.
"""

from __future__ import annotations

import threading
from typing import Any

from botocore import xform_name

from v6wizard.errors import Cancelled

PAGE_SIZES: dict[str, int] = {
    "DescribeVpcs": 1000,
    "DescribeSubnets": 1000,
    "DescribeRouteTables": 100,
    "DescribeNetworkAcls": 1000,
    "DescribeInternetGateways": 1000,
    "DescribeEgressOnlyInternetGateways": 255,
    "DescribeNatGateways": 1000,
    "DescribeSecurityGroups": 1000,
    "DescribeSecurityGroupRules": 1000,
    # Lambda documents 50 as the largest page for its list calls.
    "ListFunctions": 50,
    "ListVersionsByFunction": 50,
    "ListAliases": 50,
    "ListProvisionedConcurrencyConfigs": 50,
}
"""Largest page per operation (botocore's model bounds, Lambda's documented maximum)."""

FILTER_VALUE_LIMIT = 200
"""EC2 accepts at most 200 values in one filter; larger sets are split into batches."""


def check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("Discovery was cancelled; nothing was changed.")


def paginate(
    client: Any,
    operation: str,
    key: str,
    *,
    cancel: threading.Event | None = None,
    **params: Any,
) -> list[dict[str, Any]]:
    """Every item under `key` across all pages of `operation`, stopping early if cancelled."""
    check_cancel(cancel)
    paginator = client.get_paginator(xform_name(operation))
    config = {"PageSize": PAGE_SIZES[operation]} if operation in PAGE_SIZES else {}
    items: list[dict[str, Any]] = []
    for page in paginator.paginate(PaginationConfig=config, **params):
        items.extend(page.get(key, []))
        check_cancel(cancel)
    return items


def batches(values: list[str], size: int = FILTER_VALUE_LIMIT) -> list[list[str]]:
    """`values` in consecutive chunks of at most `size` (none for an empty list)."""
    return [values[i : i + size] for i in range(0, len(values), size)]
