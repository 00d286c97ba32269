"""One engine's reading of its sessions' journals: each plan read once, entries read as they arrive.

A session's plan is fixed when the session is created, and its journal only grows,
so the engine, which derives a session's state before every step, keeps what it has
read and asks the journal only for the entries appended since (`Journal.entries(after=)`).
Reading and validating the whole journal again took 10-25 ms per step with a few
hundred entries, on the path between one step's last call and the next one's first.
Entries written by another process (an earlier run, a resume elsewhere) are read
like any others: they come after what was read before.
"""

from __future__ import annotations

import threading

from v6wizard.core.plan import Plan
from v6wizard.core.plan_view import Known
from v6wizard.engine.state import SessionState, derive_state
from v6wizard.journal.base import Journal, JournalEntry


class SessionView:
    """Plans and entries of the sessions an engine has looked at."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._lock = threading.Lock()
        self._plans: dict[str, Plan] = {}
        self._entries: dict[str, list[JournalEntry]] = {}

    def plan(self, session_id: str) -> Plan:
        with self._lock:
            plan = self._plans.get(session_id)
        if plan is None:
            plan = self.journal.plan(session_id)
            with self._lock:
                self._plans.setdefault(session_id, plan)
        return plan

    def entries(self, session_id: str) -> list[JournalEntry]:
        """Every entry of the session in append order, as the journal has it now."""
        with self._lock:
            known = self._entries.setdefault(session_id, [])
            newer = self.journal.entries(session_id, after=known[-1].seq if known else 0)
            known.extend(newer)
            return list(known)

    def state(self, session_id: str) -> SessionState:
        plan = self.plan(session_id)
        entries = self.entries(session_id)
        return derive_state(plan, self.journal.session(session_id), entries)


def known_values(state: SessionState) -> Known:
    """What a session's journal knows for its previews: applied outputs and the calls it sent.

    The one resolution the CLI (`show`) and the TUI's previews share."""
    sent = {
        action.id: action.intent_params
        for step in state.steps
        for action in step.actions
        if action.intent_params and action.status in ("applied", "applying", "failed")
    }
    return Known(outputs=state.outputs, session_id=state.session.id, sent=sent)
