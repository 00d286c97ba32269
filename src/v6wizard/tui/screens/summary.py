"""Summary: what changed (with resource ids), the session id, how to roll back later, where the journal lives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from v6wizard.tui.widgets.change_list import ChangeList, change_rows
from v6wizard.tui.widgets.context_bar import ContextBar
from v6wizard.tui.screens.base import ReportsWorkerFailures
from v6wizard.tui.screens.export_offer import EXPORT_BINDING, OffersExport
from v6wizard.tui.widgets.footer import WizardFooter
from v6wizard.tui.widgets.savings_outcome import SavingsOutcomePanel

if TYPE_CHECKING:
    from v6wizard.journal.base import JournalEntry
    from v6wizard.tui.app import WizardApp


@dataclass
class EntriesLoaded(Message):
    """The session's journal entries were read."""

    entries: list[JournalEntry]


class SummaryScreen(OffersExport, ReportsWorkerFailures, Screen[None]):
    """Read from the journal, so it says what really happened, not what was planned."""

    app: WizardApp

    BINDINGS = [
        EXPORT_BINDING,
        Binding("escape", "back", "Back", id="summary.back", tooltip="Back to the plan."),
    ]

    def __init__(self, entries: list[JournalEntry] | None = None) -> None:
        super().__init__()
        self._entries = entries

    def compose(self) -> ComposeResult:
        session_id = self.app.session_id or "?"
        yield Header()
        yield ContextBar(id="context")
        with VerticalScroll(id="summary-body"):
            yield Static(f"Session [b]{session_id}[/b]", id="summary-session", classes="section-title")
            # Above the list, so a long list of changes never pushes the way back off the screen.
            yield Static(
                f"To undo everything later:  [b]v6wizard rollback {session_id} --yes[/b]\n"
                f"Journal: {self.app.journal_location or '?'}",
                id="summary-howto",
            )
            yield SavingsOutcomePanel(id="savings-outcome")
            yield ChangeList(id="changes")
        yield WizardFooter()

    def on_mount(self) -> None:
        if self._entries is not None:
            self._show(self._entries)
        else:
            self.load_entries()

    @work(thread=True, exclusive=True, exit_on_error=False, group="summary")
    def load_entries(self) -> None:
        assert self.app.backend is not None and self.app.session_id is not None
        self.post_message(EntriesLoaded(self.app.backend.session_entries(self.app.session_id)))

    @on(EntriesLoaded)
    def _loaded(self, message: EntriesLoaded) -> None:
        self._show(message.entries)

    def _show(self, entries: list[JournalEntry]) -> None:
        self.query_one("#changes", ChangeList).show(change_rows(entries, self.app.plan))

    def action_back(self) -> None:
        self.app.pop_screen()
