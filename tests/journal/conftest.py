"""Journal fixtures: a small plan, and each backend (SQLite in tmp, DynamoDB on the emulator)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from v6wizard.aws.session import AwsAccess
from v6wizard.core.plan import STEP_ORDER, STEP_TITLES, Action, AwsCall, Plan, Postcondition, Step
from v6wizard.journal.base import Journal
from v6wizard.journal.dynamodb import DynamoJournal
from v6wizard.journal.sqlite import SqliteJournal


def make_plan(vpc_id: str = "vpc-0abc", fingerprint: str = "fp-1") -> Plan:
    create = Action(
        id="egress-gateway:create:" + vpc_id,
        step="egress-gateway",
        kind="create-egress-gateway",
        resource_id=vpc_id,
        title=f"Create an egress-only gateway for {vpc_id}",
        before="no egress-only gateway",
        after="one egress-only gateway, tagged v6wizard",
        call=AwsCall(service="ec2", operation="CreateEgressOnlyInternetGateway", params={"VpcId": vpc_id, "ClientToken": "${client_token}"}),
        postcondition=Postcondition(check="egress-gateway-exists", description="the gateway is attached"),
        outputs=["EgressOnlyInternetGatewayId"],
    )
    steps = [Step(name=name, title=STEP_TITLES[name], actions=[create] if name == "egress-gateway" else []) for name in STEP_ORDER]
    return Plan(account_id="123456789012", region="us-east-1", vpc_id=vpc_id, steps=steps, fingerprint=fingerprint)


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def plan_for() -> Callable[..., Plan]:
    """make_plan(vpc_id, fingerprint), for tests that need several plans."""
    return make_plan


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "journal.sqlite3"


@pytest.fixture
def sqlite_journal(sqlite_path: Path) -> Iterator[SqliteJournal]:
    journal = SqliteJournal(sqlite_path)
    yield journal
    journal.close()


@pytest.fixture
def dynamo_journal(access: AwsAccess) -> DynamoJournal:
    return DynamoJournal("v6wizard-journal-test", access)


@pytest.fixture(params=["sqlite", "dynamo"])
def journal(request: pytest.FixtureRequest) -> Journal:
    """Each backend in turn, for behaviour the interface promises."""
    return request.getfixturevalue(f"{request.param}_journal")


@pytest.fixture
def second_writer(request: pytest.FixtureRequest, journal: Journal) -> Iterator[Journal]:
    """Another handle on the same journal, as a second process or machine would have."""
    if isinstance(journal, SqliteJournal):
        other: Journal = SqliteJournal(journal.path)
    else:
        assert isinstance(journal, DynamoJournal)
        other = DynamoJournal(journal.table, AwsAccess(journal.access.target))
    yield other
    other.close()
