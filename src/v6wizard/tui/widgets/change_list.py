"""The summary's list of changes: each journal outcome as the plan action's words, with the ids AWS returned.

Shown as a Rich table in a Static, not a DataTable: a DataTable never wraps, so at 80
columns a change's title ran off the right edge behind a horizontal scroll.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.table import Table
from textual.widgets import Static

if TYPE_CHECKING:
    from v6wizard.core.plan import Plan
    from v6wizard.journal.base import JournalEntry


@dataclass(frozen=True)
class ChangeRow:
    """One change of the session, in words."""

    step: str
    change: str
    result: str


def change_rows(entries: list[JournalEntry], plan: Plan | None) -> list[ChangeRow]:
    """The outcomes and failures of `entries`, named by the plan's action titles (ids when no plan is known)."""
    titles = {a.id: a.title for s in plan.steps for a in s.actions} if plan is not None else {}
    step_titles = {s.name: s.title for s in plan.steps} if plan is not None else {}
    rows: list[ChangeRow] = []
    for entry in entries:
        if entry.kind == "outcome":
            result = "\n".join(f"{field_words(k)}: {v}" for k, v in entry.outputs.items()) or str(entry.data.get("note", "done"))
        elif entry.kind == "failure":
            result = f"failed: {entry.error_message or entry.error_code}".strip()
        else:
            continue
        step, _, rest = entry.action_id.partition(":")
        change = titles.get(entry.action_id) or rest.replace(":", " ")
        if entry.phase == "rollback":
            change = f"Undo: {change}"
        rows.append(ChangeRow(step_titles.get(step, step), change, result))
    return rows


ACRONYMS = {"ipv6": "IPv6", "ipv4": "IPv4", "cidr": "CIDR", "id": "id", "arn": "ARN", "sha256": "SHA-256"}


def field_words(key: str) -> str:
    """An AWS response field in words: "Ipv6CidrBlock" -> "IPv6 CIDR block", "EgressOnlyInternetGatewayId" -> "egress-only internet gateway id"."""
    words = re.findall(r"Ipv[46]|Sha256|[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", key) or [key]
    spoken = [ACRONYMS.get(w.lower(), w.lower()) for w in words]
    text = " ".join(spoken).replace("egress only", "egress-only")
    return text[0].upper() + text[1:] if text else key


class ChangeList(Static):
    """The rows, wrapped to the screen's width."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id)
        self.rows: list[ChangeRow] = []

    def show(self, rows: list[ChangeRow]) -> None:
        self.rows = rows
        table = Table(expand=True, show_edge=False, pad_edge=False, header_style="bold")
        table.add_column("Step", ratio=2, overflow="fold")
        table.add_column("Change", ratio=5, overflow="fold")
        table.add_column("AWS returned", ratio=5, overflow="fold")
        previous = ""
        for row in rows:
            # The step is named on its first change only: a column of "Subnet /64s" said nothing new.
            table.add_row(row.step if row.step != previous else "", row.change, row.result)
            previous = row.step
        if not rows:
            table.add_row("", "Nothing was changed in this session.", "")
        self.update(table)
