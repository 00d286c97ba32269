"""`DynamoJournal`: the team journal, one DynamoDB table shared by operators and machines.

This module writes to DynamoDB itself rather than through `aws/executor.py`: the
executor is the one place that changes the *migrated account's network*, and this
table is v6wizard's own bookkeeping, not part of the migration (it is never
previewed, applied or rolled back). Every call still goes through `AwsAccess`.

Table design (made on first use, on-demand billing), key `pk` (hash) + `sk` (range):

- `META` / `SCHEMA`: the schema version; a newer one is refused;
- `SESSIONS` / session id: the session's summary (so listing is one query);
- `SESSION#<id>` / `PLAN#nnnn`, `SNAPSHOT#nnnn`: the plan and snapshot, zlib'd JSON in
  chunks well under the 400 KB item limit, written with the summary in one transaction;
- `SESSION#<id>` / `ENTRY#<seq, 10 digits>`: one entry each, put with
  `attribute_not_exists(pk)`, so two writers can never take the same sequence number;
- `LOCK` / VPC id: the live-session lock, taken with a conditional put on its run key
  (session, run id, host, pid) and its lease; released only by the same run.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import botocore.exceptions

from v6wizard.aws.errors import error_code, translate
from v6wizard.aws.session import AwsAccess
from v6wizard.core.plan import Plan
from v6wizard.errors import JournalError, UnknownSession
from v6wizard.journal.base import Journal, JournalEntry, LockOwner, SessionInfo, SessionStatus, dump_snapshot, utcnow
from v6wizard.journal.ids import new_session_id
from v6wizard.journal.locks import is_held, locked_error, may_take, run_key, this_run_key
from v6wizard.journal.secrets import assert_no_secrets

SCHEMA_VERSION = 1
CHUNK_BYTES = 300_000
"""Blob chunk size: under DynamoDB's 400 KB item limit with room for the keys."""
MAX_TRANSACTION_BYTES = 3_500_000
"""TransactWriteItems carries at most 4 MB; a compressed plan larger than this is refused."""
MAX_SEQ_ATTEMPTS = 50
"""Conditional-put retries before an append gives up (each lost race means another writer won)."""
_CONFLICT = "ConditionalCheckFailedException"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": _s(pk), "sk": _s(sk)}


def _entry_sk(seq: int) -> str:
    return f"ENTRY#{seq:010d}"


class DynamoJournal(Journal):
    """The Journal interface over one DynamoDB table."""

    def __init__(self, table: str, access: AwsAccess, *, create_missing: bool = True) -> None:
        self.table = table
        self.create_missing = create_missing
        """Create the table when it does not exist; else refuse, naming `v6wizard journal init` (what the CLI does)."""
        self.access = access
        self.location = f"dynamodb://{table}"
        self._client = access.client("dynamodb")
        self._append_lock = threading.Lock()
        self._known_sessions: set[str] = set()
        self._next_seq: dict[str, int] = {}
        """Our guess at each session's next seq, saving a query per append; the condition keeps it honest."""
        self._ensure_table()

    # --- calls ---------------------------------------------------------------------

    @contextmanager
    def _translated(self, doing: str) -> Iterator[None]:
        """Every botocore failure (refusal, no credentials, no endpoint) becomes one sentence."""
        try:
            yield
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            raise translate(exc, self.access.target, doing=doing) from None

    @contextmanager
    def _reading(self, what: str) -> Iterator[None]:
        """Parsing a stored item: a damaged one (edited by hand, written by another tool) is one sentence."""
        try:
            yield
        except (ValueError, KeyError, TypeError, zlib.error) as exc:  # pydantic's ValidationError is a ValueError
            reason = f"missing {exc}" if isinstance(exc, KeyError) else str(exc).splitlines()[0]
            raise JournalError(
                f"The {what} in {self.location} is damaged or unreadable ({reason}); repair or delete that item, "
                "or start a new session."
            ) from None

    def _call(self, operation: str, *, conflict_ok: bool = False, **params: Any) -> dict[str, Any] | None:
        """One client call; a lost condition returns None when conflict_ok, any other failure is one sentence."""
        with self._translated(f"using the journal table {self.table}"):
            try:
                return getattr(self._client, operation)(**params)
            except botocore.exceptions.ClientError as exc:
                if conflict_ok and error_code(exc) in (_CONFLICT, "TransactionCanceledException"):
                    return None
                raise

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        answer = self._call("get_item", TableName=self.table, Key=_key(pk, sk), ConsistentRead=True)
        return (answer or {}).get("Item")

    def _query(
        self, pk: str, prefix: str = "", *, newest_first: bool = False, limit: int | None = None, start_after: str = ""
    ) -> list[dict[str, Any]]:
        condition, values = "pk = :pk", {":pk": _s(pk)}
        if prefix:
            condition, values = condition + " AND begins_with(sk, :prefix)", {**values, ":prefix": _s(prefix)}
        params: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ConsistentRead": True,
            "ScanIndexForward": not newest_first,
        }
        if limit is not None:
            params["Limit"] = limit
        if start_after:
            params["ExclusiveStartKey"] = _key(pk, start_after)
        items: list[dict[str, Any]] = []
        while True:
            answer = self._call("query", **params) or {}
            items.extend(answer.get("Items", []))
            if "LastEvaluatedKey" not in answer or (limit is not None and len(items) >= limit):
                return items
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    # --- the table -----------------------------------------------------------------

    def _ensure_table(self) -> None:
        with self._translated(f"opening the journal table {self.table}"):
            try:
                description = self._client.describe_table(TableName=self.table)["Table"]
            except botocore.exceptions.ClientError as exc:
                if error_code(exc) != "ResourceNotFoundException":
                    raise
                description = None
        if description is None:
            if not self.create_missing:
                raise JournalError(
                    f"The DynamoDB table {self.table} does not exist; create it with "
                    f"`v6wizard journal init {self.location}`, or check --region and --profile."
                )
            description = self._create_table()
        keys = {k["AttributeName"]: k["KeyType"] for k in description.get("KeySchema", [])}
        if keys != {"pk": "HASH", "sk": "RANGE"}:
            raise JournalError(f"The DynamoDB table {self.table} exists but is not a v6wizard journal; name another table.")
        self._call(
            "put_item",
            conflict_ok=True,
            TableName=self.table,
            Item={**_key("META", "SCHEMA"), "version": {"N": str(SCHEMA_VERSION)}},
            ConditionExpression="attribute_not_exists(pk)",
        )
        meta = self._get("META", "SCHEMA") or {}
        with self._reading("schema version"):
            version = int(meta.get("version", {}).get("N", "0"))
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"The journal {self.location} was written by a newer v6wizard (schema {version}); upgrade v6wizard."
            )

    def _create_table(self) -> dict[str, Any]:
        with self._translated(f"creating the journal table {self.table}"):
            try:
                self._client.create_table(
                    TableName=self.table,
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                    AttributeDefinitions=[
                        {"AttributeName": "pk", "AttributeType": "S"},
                        {"AttributeName": "sk", "AttributeType": "S"},
                    ],
                    BillingMode="PAY_PER_REQUEST",
                    Tags=[{"Key": "v6wizard:journal", "Value": "true"}],
                )
            except botocore.exceptions.ClientError as exc:
                # ResourceInUse: another run created it since our describe; wait for it like our own.
                if error_code(exc) != "ResourceInUseException":
                    raise
        with self._translated(f"waiting for the journal table {self.table}"):
            try:
                self._client.get_waiter("table_exists").wait(TableName=self.table, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
            except botocore.exceptions.WaiterError as exc:
                raise JournalError(f"The DynamoDB table {self.table} did not become active ({exc}); try again.") from None
        return self._call("describe_table", TableName=self.table)["Table"]  # type: ignore[index]

    # --- sessions ------------------------------------------------------------------

    def _blob_items(self, session_id: str, kind: str, value: bytes) -> list[dict[str, Any]]:
        packed = zlib.compress(value)
        chunks = [packed[i : i + CHUNK_BYTES] for i in range(0, len(packed), CHUNK_BYTES)] or [b""]
        return [
            {**_key(f"SESSION#{session_id}", f"{kind}#{n:04d}"), "blob": {"B": chunk}}
            for n, chunk in enumerate(chunks)
        ]

    def _blob(self, session_id: str, kind: str) -> bytes | None:
        items = self._query(f"SESSION#{session_id}", f"{kind}#")
        if not items:
            return None
        with self._reading(f"{kind.lower()} of session {session_id}"):
            return zlib.decompress(b"".join(item["blob"]["B"] for item in items))

    def create_session(self, plan: Plan, snapshot: dict[str, Any] | None = None) -> SessionInfo:
        assert_no_secrets(plan)
        assert_no_secrets(snapshot)
        while True:
            info = SessionInfo.for_plan(plan, new_session_id())
            blobs = self._blob_items(info.id, "PLAN", plan.model_dump_json().encode())
            if snapshot is not None:
                blobs += self._blob_items(info.id, "SNAPSHOT", dump_snapshot(snapshot))
            if sum(len(item["blob"]["B"]) for item in blobs) > MAX_TRANSACTION_BYTES or len(blobs) > 99:
                raise JournalError(f"The plan for {plan.vpc_id} is too large for the DynamoDB journal; use an SQLite journal.")
            summary = {**_key("SESSIONS", info.id), **self._summary_attributes(info)}
            writes = [{"Put": {"TableName": self.table, "Item": summary, "ConditionExpression": "attribute_not_exists(pk)"}}]
            writes += [{"Put": {"TableName": self.table, "Item": item}} for item in blobs]
            if self._call("transact_write_items", conflict_ok=True, TransactItems=writes) is not None:
                self._known_sessions.add(info.id)
                return info
            # The summary's condition failed: the id was taken (24 random bits, same day); draw again.

    @staticmethod
    def _summary_attributes(info: SessionInfo) -> dict[str, Any]:
        data = info.model_dump(mode="json", exclude={"id"})
        return {key: _s(str(value)) for key, value in data.items()}

    def _info(self, item: dict[str, Any]) -> SessionInfo:
        session_id = item.get("sk", {}).get("S", "?")
        with self._reading(f"session {session_id}"):
            fields = {key: value["S"] for key, value in item.items() if key not in ("pk", "sk") and "S" in value}
            return SessionInfo.model_validate({**fields, "id": session_id})

    def sessions(self, account_id: str | None = None, region: str | None = None) -> list[SessionInfo]:
        found = [self._info(item) for item in self._query("SESSIONS")]
        found = [s for s in found if (account_id is None or s.account_id == account_id) and (region is None or s.region == region)]
        return sorted(found, key=lambda s: (s.created_at, s.id), reverse=True)

    def session(self, session_id: str) -> SessionInfo:
        item = self._get("SESSIONS", session_id)
        if item is None:
            raise self._unknown(session_id)
        self._known_sessions.add(session_id)
        return self._info(item)

    def _unknown(self, session_id: str) -> UnknownSession:
        return UnknownSession(f"There is no session {session_id} in the journal {self.location}; run `v6wizard sessions` to list them.")

    def plan(self, session_id: str) -> Plan:
        blob = self._blob(session_id, "PLAN")
        if blob is None:
            raise self._unknown(session_id)
        with self._reading(f"plan of session {session_id}"):
            return Plan.model_validate_json(blob)

    def snapshot(self, session_id: str) -> dict[str, Any] | None:
        self.session(session_id)
        blob = self._blob(session_id, "SNAPSHOT")
        with self._reading(f"snapshot of session {session_id}"):
            return None if blob is None else json.loads(blob)

    def set_status(self, session_id: str, status: SessionStatus) -> None:
        done = self._call(
            "update_item",
            conflict_ok=True,
            TableName=self.table,
            Key=_key("SESSIONS", session_id),
            UpdateExpression="SET #status = :status, updated_at = :now",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":status": _s(status), ":now": _s(utcnow().isoformat())},
        )
        if done is None:
            raise self._unknown(session_id)

    # --- entries -------------------------------------------------------------------

    def _last_seq(self, session_id: str) -> int:
        items = self._query(f"SESSION#{session_id}", "ENTRY#", newest_first=True, limit=1)
        with self._reading(f"last entry of session {session_id}"):
            return int(items[0]["seq"]["N"]) if items else 0

    def append(self, entry: JournalEntry) -> JournalEntry:
        """Take the next free seq with a conditional put; a lost race re-reads the tail and tries the next."""
        assert_no_secrets(entry)
        if entry.session_id not in self._known_sessions:
            self.session(entry.session_id)
        # Threads of this process queue here instead of racing each other through DynamoDB;
        # other processes and machines are kept apart by the condition.
        with self._append_lock:
            seq = self._next_seq.get(entry.session_id) or self._last_seq(entry.session_id) + 1
            for _ in range(MAX_SEQ_ATTEMPTS):
                stored = entry.model_copy(update={"seq": seq})
                item = {
                    **_key(f"SESSION#{stored.session_id}", _entry_sk(seq)),
                    "seq": {"N": str(seq)},
                    "body": _s(stored.model_dump_json()),
                }
                put = self._call(
                    "put_item", conflict_ok=True, TableName=self.table, Item=item, ConditionExpression="attribute_not_exists(pk)"
                )
                if put is not None:
                    self._next_seq[entry.session_id] = seq + 1
                    self._touch(stored)
                    return stored
                seq = self._last_seq(entry.session_id) + 1
        raise JournalError(
            f"Could not append to session {entry.session_id} in {self.location}: {MAX_SEQ_ATTEMPTS} writers "
            "took every next sequence number first; check that only one run works on this session."
        )

    def _touch(self, entry: JournalEntry) -> None:
        self._call(
            "update_item",
            TableName=self.table,
            Key=_key("SESSIONS", entry.session_id),
            UpdateExpression="SET updated_at = :at",
            ExpressionAttributeValues={":at": _s(entry.at.isoformat())},
        )

    def entries(self, session_id: str, after: int = 0) -> list[JournalEntry]:
        self.session(session_id)
        items = self._query(f"SESSION#{session_id}", "ENTRY#", start_after=_entry_sk(after) if after > 0 else "")
        with self._reading(f"journal of session {session_id}"):
            return [JournalEntry.model_validate_json(item["body"]["S"]) for item in items]

    # --- the session lock ----------------------------------------------------------

    def _holder(self, vpc_id: str) -> LockOwner | None:
        item = self._get("LOCK", vpc_id)
        with self._reading(f"lock on {vpc_id}"):
            return None if item is None else LockOwner.model_validate_json(item["owner"]["S"])

    def _take(self, vpc_id: str, owner: LockOwner) -> None:
        """Put the lock if it is free, ours (same run), expired, or held by `dead` (a run seen to have died here)."""
        dead: str | None = None
        for _ in range(MAX_SEQ_ATTEMPTS):
            condition = "attribute_not_exists(pk) OR #run = :run OR lease_until < :now"
            values = {":run": _s(run_key(owner)), ":now": {"N": repr(datetime.now(timezone.utc).timestamp())}}
            if dead is not None:
                condition, values = condition + " OR #run = :dead", {**values, ":dead": _s(dead)}
            taken = self._call(
                "put_item",
                conflict_ok=True,
                TableName=self.table,
                Item={
                    **_key("LOCK", vpc_id),
                    "session_id": _s(owner.session_id),
                    "run_key": _s(run_key(owner)),
                    "owner": _s(owner.model_dump_json()),
                    "lease_until": {"N": repr(owner.lease_until.timestamp())},
                },
                ConditionExpression=condition,
                ExpressionAttributeNames={"#run": "run_key"},
                ExpressionAttributeValues=values,
            )
            if taken is not None:
                return
            holder = self._holder(vpc_id)
            if holder is not None and not may_take(holder, owner):
                raise locked_error(vpc_id, holder)
            # Released, expired or dead since our put: try again, replacing exactly that dead run.
            dead = None if holder is None else run_key(holder)
        raise JournalError(f"The lock on {vpc_id} in {self.location} changed hands too often to take; try again.")

    def acquire_lock(self, vpc_id: str, owner: LockOwner) -> None:
        self._take(vpc_id, owner)

    def renew_lock(self, vpc_id: str, owner: LockOwner) -> None:
        """Extend our lease to owner.lease_until; SessionLocked if another run took the VPC meanwhile."""
        holder = self._holder(vpc_id)
        if holder is not None and run_key(holder) == run_key(owner):
            owner = owner.model_copy(update={"started_at": holder.started_at})
        self._take(vpc_id, owner)

    def release_lock(self, vpc_id: str, session_id: str) -> None:
        """Free the lock if this process's run of `session_id` holds it; a newer holder keeps it."""
        self._call(
            "delete_item",
            conflict_ok=True,
            TableName=self.table,
            Key=_key("LOCK", vpc_id),
            ConditionExpression="#run = :run",
            ExpressionAttributeNames={"#run": "run_key"},
            ExpressionAttributeValues={":run": _s(this_run_key(session_id))},
        )

    def lock_holder(self, vpc_id: str) -> LockOwner | None:
        """The live holder, or None when the lock is free, its lease ran out or its run died here."""
        holder = self._holder(vpc_id)
        return holder if holder is not None and is_held(holder) else None

    def force_unlock(self, vpc_id: str) -> None:
        self._call("delete_item", TableName=self.table, Key=_key("LOCK", vpc_id))
