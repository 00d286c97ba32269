"""Journaling that a session's findings to review were acknowledged.

What needs acknowledging is pure (`core/review.py`); this module writes the
acknowledgement as a journal note, which `derive_state` reads back into
`SessionState.reviewed`, so the TUI, the CLI and `show --output json` agree on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from v6wizard.core.plan import Plan
from v6wizard.core.review import steps_of, unreviewed
from v6wizard.engine.journaling import SessionWriter
from v6wizard.engine.state import REVIEWED_NOTE, RUN_NOTE, SessionState
from v6wizard.engine.steps import select_steps
from v6wizard.journal.base import Journal, JournalEntry


def acknowledge_review(journal: Journal, state: SessionState, plan: Plan, steps: Iterable[str] | None = None) -> list[str]:
    """Journal that the findings to review of `steps` (all by default) were read; returns the steps newly acknowledged."""
    new = steps_of(unreviewed(plan, state.reviewed, steps))
    if new:
        SessionWriter(journal, state.session.id).append("note", data={"note": REVIEWED_NOTE, "steps": new})
    return new



def resume_scope(entries: list[JournalEntry]) -> list[str]:
    """The steps a resume would apply (the last run's, as `Engine.resume` reads them); none when it would roll back."""
    runs = [e.data for e in entries if e.kind == "note" and e.data.get("note") == RUN_NOTE]
    last = runs[-1] if runs else {"phase": "apply"}
    if last.get("phase") == "rollback":
        return []
    return select_steps(list(last.get("only") or []) or None, last.get("until") or None)
