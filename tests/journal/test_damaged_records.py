"""A damaged row or item (edited by hand, half-written by a foreign tool) is one JournalError
sentence naming the journal, never a pydantic or json traceback; on both backends."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest

from v6wizard.aws.session import AwsAccess
from v6wizard.errors import JournalError
from v6wizard.journal import lock_owner
from v6wizard.journal.dynamodb import DynamoJournal
from v6wizard.journal.sqlite import SqliteJournal


def _sql(path: Path, statement: str, *args: object) -> None:
    with sqlite3.connect(path) as db:
        db.execute(statement, args)


@pytest.mark.parametrize(
    ("statement", "read"),
    [
        pytest.param("UPDATE sessions SET snapshot_json = '{not json' WHERE id = ?", "snapshot", id="snapshot"),
        pytest.param("UPDATE sessions SET plan_json = '{\"steps\": 1}' WHERE id = ?", "plan", id="plan"),
        pytest.param("UPDATE sessions SET status = 'exploded' WHERE id = ?", "session", id="session-status"),
        pytest.param("UPDATE sessions SET created_at = 'yesterday' WHERE id = ?", "sessions", id="sessions-listing"),
    ],
)
def test_a_damaged_sqlite_row_is_a_journal_error(sqlite_path: Path, plan, statement: str, read: str) -> None:
    journal = SqliteJournal(sqlite_path)
    info = journal.create_session(plan, {"vpc": {"id": plan.vpc_id}})
    _sql(sqlite_path, statement, info.id)
    with pytest.raises(JournalError, match=rf"The journal {sqlite_path} is damaged or unreadable \(") as refused:
        getattr(journal, read)(*(() if read == "sessions" else (info.id,)))
    assert "\n" not in str(refused.value)
    journal.close()


def test_a_damaged_sqlite_lock_row_is_a_journal_error(sqlite_path: Path) -> None:
    journal = SqliteJournal(sqlite_path)
    _sql(sqlite_path, "INSERT INTO locks VALUES ('vpc-1', 's', '{\"pid\": \"x\"}')")
    with pytest.raises(JournalError, match="is damaged or unreadable"):
        journal.lock_holder("vpc-1")
    with pytest.raises(JournalError, match="is damaged or unreadable"):
        journal.acquire_lock("vpc-1", lock_owner("v6-20261123-aaaaaa"))
    journal.close()


def _put(access: AwsAccess, table: str, item: dict) -> None:
    access.client("dynamodb").put_item(TableName=table, Item=item)


def _update(access: AwsAccess, table: str, pk: str, sk: str, attribute: str, value: dict) -> None:
    access.client("dynamodb").update_item(
        TableName=table,
        Key={"pk": {"S": pk}, "sk": {"S": sk}},
        UpdateExpression="SET #a = :v",
        ExpressionAttributeNames={"#a": attribute},
        ExpressionAttributeValues={":v": value},
    )


@pytest.mark.parametrize(
    ("damage", "read"),
    [
        pytest.param(("SESSION#{id}", "SNAPSHOT#0000", "blob", {"B": zlib.compress(b"{not json")}), "snapshot", id="snapshot"),
        pytest.param(("SESSION#{id}", "PLAN#0000", "blob", {"B": zlib.compress(b'{"steps": 1}')}), "plan", id="plan"),
        pytest.param(("SESSIONS", "{id}", "status", {"S": "exploded"}), "session", id="session-status"),
        pytest.param(("SESSIONS", "{id}", "created_at", {"S": "yesterday"}), "sessions", id="sessions-listing"),
    ],
)
def test_a_damaged_dynamodb_item_is_a_journal_error(dynamo_journal: DynamoJournal, access: AwsAccess, plan, damage, read: str) -> None:
    info = dynamo_journal.create_session(plan, {"vpc": {"id": plan.vpc_id}})
    pk, sk, attribute, value = damage
    _update(access, dynamo_journal.table, pk.format(id=info.id), sk.format(id=info.id), attribute, value)
    with pytest.raises(JournalError, match=rf"in {dynamo_journal.location} is damaged or unreadable \(") as refused:
        getattr(dynamo_journal, read)(*(() if read == "sessions" else (info.id,)))
    assert "\n" not in str(refused.value)


def test_a_damaged_dynamodb_entry_or_lock_is_a_journal_error(dynamo_journal: DynamoJournal, access: AwsAccess, plan) -> None:
    info = dynamo_journal.create_session(plan)
    table = dynamo_journal.table
    _put(access, table, {"pk": {"S": f"SESSION#{info.id}"}, "sk": {"S": "ENTRY#0000000001"}, "seq": {"N": "1"}})  # no body
    with pytest.raises(JournalError, match=f"session {info.id} in {dynamo_journal.location} is damaged"):
        dynamo_journal.entries(info.id)
    _put(access, table, {"pk": {"S": "LOCK"}, "sk": {"S": "vpc-1"}, "owner": {"S": "{not json"}})
    with pytest.raises(JournalError, match=f"lock on vpc-1 in {dynamo_journal.location} is damaged"):
        dynamo_journal.lock_holder("vpc-1")
