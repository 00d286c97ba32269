"""SessionView: the engine reads a session's plan once and, after that, only the entries appended since."""

from __future__ import annotations

from pathlib import Path

from v6wizard.engine.session_view import SessionView
from v6wizard.engine.state import derive_state
from v6wizard.journal.base import JournalEntry
from v6wizard.journal.sqlite import SqliteJournal

from journal.conftest import make_plan


class ReadCountingJournal(SqliteJournal):
    """The real SQLite journal, recording what each read asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.entry_reads: list[int] = []
        self.plan_reads = 0

    def entries(self, session_id: str, after: int = 0) -> list[JournalEntry]:
        self.entry_reads.append(after)
        return super().entries(session_id, after)

    def plan(self, session_id: str):  # type: ignore[no-untyped-def]
        self.plan_reads += 1
        return super().plan(session_id)


def _note(session_id: str, n: int) -> JournalEntry:
    return JournalEntry(session_id=session_id, action_id="", kind="note", data={"n": n})


def test_later_reads_ask_only_for_newer_entries_and_see_other_writers(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = ReadCountingJournal(path)
    session = journal.create_session(make_plan())
    journal.append_many([_note(session.id, n) for n in (1, 2, 3)])
    view = SessionView(journal)

    assert [e.data["n"] for e in view.entries(session.id)] == [1, 2, 3]
    journal.append(_note(session.id, 4))
    other_process = SqliteJournal(path)  # another run (a resume elsewhere) writing the same file
    other_process.append(_note(session.id, 5))

    assert [e.data["n"] for e in view.entries(session.id)] == [1, 2, 3, 4, 5]
    assert [e.seq for e in view.entries(session.id)] == [1, 2, 3, 4, 5]
    assert journal.entry_reads == [0, 3, 5]
    other_process.close()


def test_state_equals_a_fresh_derivation_and_the_plan_is_read_once(tmp_path: Path) -> None:
    journal = ReadCountingJournal(tmp_path / "journal.sqlite3")
    plan = make_plan()
    session = journal.create_session(plan)
    action = plan.actions()[0]
    view = SessionView(journal)
    assert view.state(session.id).action(action.id).status == "planned"

    journal.append(JournalEntry(session_id=session.id, action_id=action.id, kind="intent", params={"VpcId": "vpc-0abc"}))
    journal.append(JournalEntry(session_id=session.id, action_id=action.id, kind="outcome", outputs={"AssociationId": "a-1"}))

    state = view.state(session.id)
    assert state.action(action.id).status == "applied"
    assert state.action(action.id).outputs == {"AssociationId": "a-1"}
    fresh = derive_state(journal.plan(session.id), journal.session(session.id), journal.entries(session.id))
    assert state.model_dump() == fresh.model_dump()
    assert journal.plan_reads == 2  # the view's one read, and the comparison's
