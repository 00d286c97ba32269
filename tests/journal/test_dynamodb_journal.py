"""The DynamoDB team journal on the emulator: its table, its conditional sequence numbers,
big plans in chunks, and refusing tables it must not use."""

from __future__ import annotations

import os
from typing import Any

import pytest

from v6wizard.aws.session import AwsAccess
from v6wizard.errors import CredentialsError, JournalError
from v6wizard.journal import open_journal
from v6wizard.journal.base import JournalEntry
from v6wizard.journal.dynamodb import SCHEMA_VERSION, DynamoJournal

TABLE = "v6wizard-journal-test"


def test_the_table_is_made_by_journal_init_with_on_demand_billing(access: AwsAccess) -> None:
    journal = open_journal(f"dynamodb://{TABLE}", access, create=True)
    assert isinstance(journal, DynamoJournal) and journal.location == f"dynamodb://{TABLE}"
    table = access.client("dynamodb").describe_table(TableName=TABLE)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]} == {"pk": "HASH", "sk": "RANGE"}
    DynamoJournal(TABLE, access)  # a second opener finds the table and its schema version


def test_a_lost_sequence_race_takes_the_next_number_and_keeps_the_rival(emulator, access: AwsAccess, plan) -> None:
    DynamoJournal(TABLE, access)
    rival = access.client("dynamodb")
    raced: list[str] = []

    def race(params: Any = None, **_: Any) -> None:
        # Another writer puts the same seq between our read of the tail and our conditional put.
        item = (params or {}).get("Item", {})
        if item.get("sk", {}).get("S", "").startswith("ENTRY#") and not raced:
            raced.append(item["sk"]["S"])
            body = JournalEntry(session_id=info.id, action_id="rival", kind="note", seq=int(item["seq"]["N"]))
            rival.put_item(TableName=TABLE, Item={**{k: item[k] for k in ("pk", "sk", "seq")}, "body": {"S": body.model_dump_json()}})

    racing = AwsAccess(access.target, event_hooks=[("before-parameter-build.dynamodb.PutItem", race)])
    journal = DynamoJournal(TABLE, racing)
    info = journal.create_session(plan)
    stored = journal.append(JournalEntry(session_id=info.id, action_id="mine", kind="intent"))
    assert raced == ["ENTRY#0000000001"]
    assert stored.seq == 2
    assert [(e.seq, e.action_id) for e in journal.entries(info.id)] == [(1, "rival"), (2, "mine")]


def test_a_plan_and_snapshot_bigger_than_an_item_are_stored_in_chunks(access: AwsAccess, plan) -> None:
    journal = DynamoJournal(TABLE, access)
    snapshot = {"blob": os.urandom(400_000).hex()}  # incompressible: more than one 300 KB chunk
    info = journal.create_session(plan, snapshot)
    chunks = access.client("dynamodb").query(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues={":pk": {"S": f"SESSION#{info.id}"}, ":p": {"S": "SNAPSHOT#"}},
    )["Items"]
    assert len(chunks) >= 2
    assert DynamoJournal(TABLE, access).snapshot(info.id) == snapshot


def test_a_table_from_a_newer_schema_is_refused(access: AwsAccess) -> None:
    DynamoJournal(TABLE, access)
    access.client("dynamodb").put_item(
        TableName=TABLE, Item={"pk": {"S": "META"}, "sk": {"S": "SCHEMA"}, "version": {"N": str(SCHEMA_VERSION + 1)}}
    )
    with pytest.raises(JournalError) as refused:
        DynamoJournal(TABLE, access)
    assert str(refused.value) == (
        f"The journal dynamodb://{TABLE} was written by a newer v6wizard (schema {SCHEMA_VERSION + 1}); upgrade v6wizard."
    )


def test_a_table_with_another_key_design_is_refused(access: AwsAccess) -> None:
    access.client("dynamodb").create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    with pytest.raises(JournalError, match="The DynamoDB table orders exists but is not a v6wizard journal"):
        DynamoJournal("orders", access)


def test_no_credentials_is_one_sentence_not_a_traceback(emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CredentialsError, match="No AWS credentials were found") as refused:
        open_journal(f"dynamodb://{TABLE}", AwsAccess())
    assert refused.value.exit_code == 2
