"""`assert_no_secrets` catches each shape of AWS credential and passes ordinary plan data;
`lock_owner` describes this process."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest

from v6wizard.errors import SecretInJournal
from v6wizard.journal import assert_no_secrets, lock_owner
from v6wizard.journal.base import utcnow


@pytest.mark.parametrize(
    ("payload", "what"),
    [
        ({"k": "key AKIAIOSFODNN7EXAMPLE in text"}, "access key id at k"),
        ({"k": ["ASIAY34FZKBOKMUTVV7A"]}, r"access key id at k\[0\]"),
        ({"out": {"secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}, "secret access key at out.secret"),
        ({"t": "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ"}, "session token at t"),
        ({"Credentials": {"SecretAccessKey": "redacted?"}}, "field named SecretAccessKey"),
        ({"aws_session_token": "abc"}, "field named aws_session_token"),
        ({"env": "test-secret-key-never-written-anywhere"}, "this process's AWS credentials"),
    ],
)
def test_credentials_are_refused_without_echoing_them(payload: dict, what: str) -> None:
    with pytest.raises(SecretInJournal, match=what) as refused:
        assert_no_secrets(payload)
    assert refused.value.exit_code == 1
    assert not any(value in str(refused.value) for value in _leaf_strings(payload))


def _leaf_strings(node: object) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _leaf_strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _leaf_strings(v)]
    return [str(node)]


def test_ordinary_migration_data_passes(plan) -> None:
    assert_no_secrets(plan)
    assert_no_secrets(
        {
            "ClientToken": "Ab3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7s",  # random by design, 40 chars
            "CodeSha256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
            "fingerprint": "0123456789abcdef0123456789abcdef01234567",
            "RevisionId": "1f2e3d4c-5b6a-7980-a1b2-c3d4e5f6a7b8",
            "Ipv6CidrBlock": "2600:1f18:abcd:1200::/56",
            "arn": "arn:aws:iam::123456789012:role/service-role/fn-role-x1y2z3",
            "SessionToken": "",
        }
    )


def test_lock_owner_is_this_process_with_a_lease() -> None:
    owner = lock_owner("v6-20261123-ab12cd", lease_seconds=90)
    assert (owner.session_id, owner.pid, owner.host) == ("v6-20261123-ab12cd", os.getpid(), socket.gethostname())
    assert owner.user
    assert owner.lease_until - owner.started_at == timedelta(seconds=90)
    assert owner.started_at <= utcnow()
