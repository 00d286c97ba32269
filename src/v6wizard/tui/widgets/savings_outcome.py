"""The Summary's "what it did": processed GB a day before the first applied step and after the cutover."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.widgets import Static

from v6wizard.core.savings_outcome import SavingsOutcome
from v6wizard.core.savings_render import sparkline
from v6wizard.tui.savings_work import SavingsRead, session_outcome


def outcome_text(outcome: SavingsOutcome) -> Text:
    """The verdict, then a sparkline of each side's days with the GB a day the verdict compares, or, while it is
    too early for a rate, the GB read so far (the first and last days are partial, so their mean would mislead)."""
    text = Text("What it did: ", style="bold")
    text.append(outcome.verdict)
    sides = (("before", outcome.before, outcome.before_gb_per_day), ("after", outcome.after, outcome.after_gb_per_day))
    for label, days, rate in sides:
        if days:
            figure = f"{rate:,.1f} GB a day" if rate is not None else f"{sum(d.gb for d in days):,.1f} GB in all"
            text.append(f"\n  {label:<6} {sparkline(days)} {figure}", style="dim")
    return text


class SavingsOutcomePanel(Static):
    """Shown once the session has applied something; reads the NAT metrics in a thread worker."""

    DEFAULT_CSS = """
    SavingsOutcomePanel { height: auto; max-height: 4; padding: 0 1; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.outcome: SavingsOutcome | None = None

    def on_mount(self) -> None:
        self.display = False
        app: Any = self.app
        if app.backend is not None and app.session_id is not None:
            self._read(app.backend, app.session_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="savings-outcome")
    def _read(self, backend: Any, session_id: str) -> None:
        self.post_message(session_outcome(backend, session_id))

    @on(SavingsRead)
    def _got(self, message: SavingsRead) -> None:
        message.stop()
        if message.report is None:
            self.display = True
            self.update(Text(f"What it did: the NAT metrics could not be read: {message.error}", style="dim"))
            return
        self.outcome = message.report
        # Nothing applied yet means no data to speak of: stay out of the way.
        self.display = message.report.first_applied_at is not None
        self.update(outcome_text(message.report))
