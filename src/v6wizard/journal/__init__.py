"""The crash-safe journal: `open_journal` picks the backend from a spec.

- None: the env V6WIZARD_JOURNAL if set, else `default_journal_path()` (SQLite);
- `dynamodb://TABLE`: the team journal in a DynamoDB table (refused if missing unless `create`:
  `v6wizard journal init dynamodb://TABLE` makes it);
- anything else: the path of an SQLite journal.

A VPC's live-session lock lives in the journal, so an SQLite journal's lock holds only
among runs that share that file; several operators or machines share `dynamodb://TABLE`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from v6wizard.errors import JournalError
from v6wizard.journal.base import Journal, JournalEntry, LockOwner, SessionInfo
from v6wizard.journal.locks import DEFAULT_LEASE_SECONDS, lock_owner
from v6wizard.journal.secrets import assert_no_secrets

if TYPE_CHECKING:
    from v6wizard.aws.session import AwsAccess

DYNAMODB_SCHEME = "dynamodb://"
_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")


def default_journal_path() -> Path:
    """`journal.sqlite3` in the user's state dir (e.g. ~/.local/state/v6wizard/)."""
    return platformdirs.user_state_path("v6wizard") / "journal.sqlite3"


def open_journal(spec: str | None, access: AwsAccess | None = None, *, create: bool = False) -> Journal:
    """The journal a --journal value names; raises JournalError when it cannot be opened.

    A DynamoDB table that does not exist is made only with `create` (`v6wizard journal init`):
    a typo in a table name must not start a second, empty team journal.
    """
    spec = spec or os.environ.get("V6WIZARD_JOURNAL") or None
    if spec is None:
        from v6wizard.journal.sqlite import SqliteJournal

        return SqliteJournal(default_journal_path())
    if spec.startswith(DYNAMODB_SCHEME):
        table = spec[len(DYNAMODB_SCHEME) :]
        if not _TABLE_NAME.fullmatch(table):
            raise JournalError(
                f"{spec!r} does not name a DynamoDB table; use dynamodb://TABLE with 3-255 letters, digits, '_', '-' or '.'."
            )
        from v6wizard.aws.session import AwsAccess
        from v6wizard.journal.dynamodb import DynamoJournal

        return DynamoJournal(table, access or AwsAccess(), create_missing=create)
    from v6wizard.journal.sqlite import SqliteJournal

    return SqliteJournal(Path(spec))


__all__ = [
    "DEFAULT_LEASE_SECONDS",
    "Journal",
    "JournalEntry",
    "LockOwner",
    "SessionInfo",
    "assert_no_secrets",
    "default_journal_path",
    "lock_owner",
    "open_journal",
]
