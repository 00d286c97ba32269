"""The emulator's caches of moto's per-request lookups: same answers, no directory listing per request."""

from __future__ import annotations

import inspect
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import backends
from moto.core import responses
from moto.ec2.responses import EC2Response

from v6wizard.emulator import moto_speedups


def test_cached_lookups_answer_what_moto_would() -> None:
    moto_speedups.install()
    package = os.path.dirname(backends.__file__)
    expected = sorted(n for n in os.listdir(package) if os.path.isdir(os.path.join(package, n)) and not n.startswith("__"))
    assert list(backends.list_of_moto_modules()) == expected
    methods = [name for name, _ in inspect.getmembers(EC2Response, predicate=inspect.isfunction)]
    assert responses.method_names_from_class(EC2Response) == methods
    responses.method_names_from_class(EC2Response).clear()
    assert responses.method_names_from_class(EC2Response) == methods, "callers get a copy"


def test_a_request_no_longer_lists_motos_package(access, monkeypatch: pytest.MonkeyPatch) -> None:
    ec2 = access.client("ec2")
    ec2.describe_vpcs()  # the first request loads what moto loads once
    listed: list[str] = []
    real_listdir = os.listdir

    def counting_listdir(path: str = ".") -> list[str]:
        listed.append(str(path))
        return real_listdir(path)

    monkeypatch.setattr(backends.os, "listdir", counting_listdir)
    vpcs = ec2.describe_vpcs()["Vpcs"]
    assert vpcs, "the request was served"
    assert not [p for p in listed if p.endswith("moto")], listed


def test_a_resources_tags_are_what_motos_tag_scan_finds_without_the_scan(access, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.backends import get_backend

    ec2 = access.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    tagged = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
    bare = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.7.2.0/24")["Subnet"]["SubnetId"]
    ec2.create_tags(Resources=[tagged], Tags=[{"Key": "Name", "Value": "app"}, {"Key": "tier", "Value": "private"}])
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Name", "Value": "not-the-subnet"}])
    backend = get_backend("ec2")[ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["OwnerId"]]["us-east-1"]

    for subnet_id, expected in ((tagged, 2), (bare, 0)):
        scanned = backend.describe_tags(filters={"resource-id": [subnet_id]})  # moto's own, unreplaced
        assert len(scanned) == expected
        with monkeypatch.context() as scans:
            scans.setattr(backend, "describe_tags", lambda *a, **k: pytest.fail("scanned every tag"))
            assert backend.get_subnet(subnet_id).get_tags() == scanned
    described = ec2.describe_subnets(SubnetIds=[tagged])["Subnets"][0]
    assert {t["Key"]: t["Value"] for t in described["Tags"]} == {"Name": "app", "tier": "private"}


@pytest.mark.parametrize(
    "name, pattern",
    [
        ("subnet-0abc", "subnet-0abc"),
        ("subnet-0abc", "subnet-0abd"),
        ("subnet-0abc", "subnet-*"),
        ("subnet-0abc", "subnet-0ab?"),
        ("subnet-0abc", "subnet-0ab[a-c]"),
        ("subnet-0abc", "subnet-0ab[!c]"),
        ("10.0.0.0/24", "10.0.0.0/24"),
        ("a.b+c(d)", "a.b+c(d)"),
        ("a\\b", "a\\b"),
        ("", ""),
        ("x", ""),
    ],
)
def test_literal_fnmatch_agrees_with_fnmatch(name: str, pattern: str) -> None:
    import fnmatch

    assert moto_speedups.literal_fnmatch(name, pattern) == fnmatch.fnmatch(name, pattern)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab*?[]!-\\.", max_size=6), st.text(alphabet="ab*?[]!-\\.", max_size=6))
def test_literal_fnmatch_agrees_with_fnmatch_on_any_text(name: str, pattern: str) -> None:
    import fnmatch

    assert moto_speedups.literal_fnmatch(name, pattern) == fnmatch.fnmatch(name, pattern)


def test_filters_by_id_and_by_wildcard_still_select_what_they_name(access) -> None:
    ec2 = access.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    ids = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.8.{n}.0/24")["Subnet"]["SubnetId"] for n in range(3)]

    def described(filters: list[dict]) -> list[str]:
        return sorted(s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, *filters])["Subnets"])

    assert described([{"Name": "subnet-id", "Values": ids[:2]}]) == sorted(ids[:2])
    assert described([{"Name": "subnet-id", "Values": ["subnet-nope"]}]) == []
    assert described([{"Name": "subnet-id", "Values": ["subnet-*"]}]) == sorted(ids)
    assert described([{"Name": "cidr-block", "Values": ["10.8.1.*"]}]) == [ids[1]]
