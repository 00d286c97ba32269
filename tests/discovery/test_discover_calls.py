"""Discovery reads only, one call per page, and turns failures into one sentence."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest

from v6wizard.aws.discovery import discover
from v6wizard.aws.paging import PAGE_SIZES
from v6wizard.aws.session import AwsAccess, AwsTarget
from v6wizard.demo import scenarios
from v6wizard.demo.seed import seed_demo
from v6wizard.emulator import Emulator
from v6wizard.errors import Cancelled, CredentialsError, UnknownVpc

READS = ("Describe", "List", "Get")
VPC_WIDE = (
    "DescribeVpcs",
    "DescribeSubnets",
    "DescribeRouteTables",
    "DescribeNetworkAcls",
    "DescribeInternetGateways",
    "DescribeEgressOnlyInternetGateways",
    "DescribeNatGateways",
    "DescribeSecurityGroups",
    "DescribeSecurityGroupRules",
    "ListFunctions",
)
PER_FUNCTION = ("GetFunction", "ListVersionsByFunction", "ListAliases", "ListProvisionedConcurrencyConfigs")


class PageLog:
    """Counts calls, pages that promised another page, and the page size each call asked for."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.continued: Counter[str] = Counter()
        self.page_sizes: dict[str, set[str]] = {}

    def before(self, model: Any = None, params: Any = None, **_: Any) -> None:
        self.calls[model.name] += 1
        body = params.get("body") if isinstance(params, dict) else None
        query = params.get("query_string") if isinstance(params, dict) else None
        asked = (body if isinstance(body, dict) else {}).get("MaxResults") or (query if isinstance(query, dict) else {}).get("MaxItems")
        self.page_sizes.setdefault(model.name, set()).add(str(asked))

    def after(self, model: Any = None, parsed: Any = None, **_: Any) -> None:
        if isinstance(parsed, dict) and (parsed.get("NextToken") or parsed.get("NextMarker")):
            self.continued[model.name] += 1


def _logged_access(emulator: Emulator) -> tuple[AwsAccess, PageLog]:
    log = PageLog()
    access = AwsAccess(
        AwsTarget(region="us-east-1", endpoint_url=emulator.endpoint),
        event_hooks=[("before-call", log.before), ("after-call", log.after)],
    )
    return access, log


def test_discovery_makes_only_read_calls(access: AwsAccess, recorder: Any) -> None:
    demo = seed_demo(access)
    recorder.operations.clear()

    inventory = discover(access, demo.vpc_id)

    assert inventory.functions and recorder.operations
    assert recorder.mutating == []
    assert all(op.startswith(READS) for op in recorder.operations)


def test_calls_equal_pages_for_200_subnets(emulator: Emulator) -> None:
    access, log = _logged_access(emulator)
    info = scenarios.many_subnets(access, n=200)
    log.calls.clear(), log.continued.clear(), log.page_sizes.clear()

    inventory = discover(access, info.vpc_id)

    assert len(inventory.subnets) == 200 and len(inventory.functions) == 1
    for operation in VPC_WIDE:
        # One call per page: every call but the last was answered with a next-page token.
        assert log.calls[operation] == log.continued[operation] + 1, operation
    # Each list asked for the largest page, so 200 subnets take exactly one DescribeSubnets.
    assert log.page_sizes["DescribeSubnets"] == {str(PAGE_SIZES["DescribeSubnets"])}
    assert log.calls["DescribeSubnets"] == 1
    assert log.page_sizes["DescribeRouteTables"] == {"100"} and log.page_sizes["ListFunctions"] == {"50"}
    # The rules of every group come from one filtered call, never one per group.
    assert log.calls["DescribeSecurityGroupRules"] == 1 and len(inventory.security_groups) == 2
    for operation in PER_FUNCTION:
        assert log.calls[operation] == 1, operation
    assert set(log.calls) == set(VPC_WIDE) | set(PER_FUNCTION)


def test_per_function_reads_scale_with_functions_only(emulator: Emulator) -> None:
    access, log = _logged_access(emulator)
    demo = seed_demo(access)
    log.calls.clear()

    inventory = discover(access, demo.vpc_id)

    assert len(inventory.functions) == 4
    assert {op: log.calls[op] for op in PER_FUNCTION} == {op: 4 for op in PER_FUNCTION}
    assert all(log.calls[op] == 1 for op in VPC_WIDE)


def test_unknown_vpc_names_the_region_vpcs(access: AwsAccess) -> None:
    demo = seed_demo(access)

    with pytest.raises(UnknownVpc) as caught:
        discover(access, "vpc-0123456789abcdef0")

    message = str(caught.value)
    assert message.startswith("VPC vpc-0123456789abcdef0 does not exist in us-east-1;")
    assert f"{demo.vpc_id} (prod-main)" in message and f"{demo.staging_vpc_id} (staging)" in message
    assert message.count("\n") == 0 and caught.value.exit_code == 2


def test_missing_credentials_become_a_credentials_error(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    access = AwsAccess(AwsTarget(region="us-east-1", endpoint_url=emulator.endpoint))

    with pytest.raises(CredentialsError, match="No AWS credentials were found"):
        discover(access, "vpc-0123456789abcdef0")


def test_cancel_stops_discovery_between_pages(access: AwsAccess, recorder: Any) -> None:
    demo = seed_demo(access)
    recorder.operations.clear()
    cancel = threading.Event()
    seen: list[str] = []

    def stop_after_first(message: str) -> None:
        seen.append(message)
        cancel.set()

    with pytest.raises(Cancelled):
        discover(access, demo.vpc_id, cancel=cancel, on_progress=stop_after_first)

    assert seen  # progress was reported before the stop
    # Per-function reads come after the VPC-wide ones: a cancelled run never reaches them.
    assert not any(op in PER_FUNCTION for op in recorder.operations)


def test_cancel_before_start_makes_no_calls(access: AwsAccess, recorder: Any) -> None:
    cancel = threading.Event()
    cancel.set()

    with pytest.raises(Cancelled):
        discover(access, "vpc-0123456789abcdef0", cancel=cancel)

    assert recorder.operations == []


def test_security_group_rules_are_read_in_filter_sized_batches(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from v6wizard.aws import paging

    access, log = _logged_access(emulator)
    demo = seed_demo(access)
    whole = discover(access, demo.vpc_id)
    # Pretend EC2 took two filter values at most: three groups need two calls, and no rule is lost.
    monkeypatch.setattr(paging, "FILTER_VALUE_LIMIT", 2)
    log.calls.clear()

    batched = discover(access, demo.vpc_id)

    assert log.calls["DescribeSecurityGroupRules"] == 2 and len(batched.security_groups) == 3
    assert batched.security_groups == whole.security_groups
