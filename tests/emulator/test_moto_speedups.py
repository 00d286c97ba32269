"""The emulator's caches of moto's per-request lookups: same answers, no directory listing per request."""

from __future__ import annotations

import inspect
import os

import pytest
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
