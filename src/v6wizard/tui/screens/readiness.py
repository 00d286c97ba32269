"""Readiness: for the chosen functions, each service x how it is reached x IPv6 x what to set, and the verdict line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from v6wizard.core.readiness import ReadinessReport, ServiceReadiness
from v6wizard.tui.screens.base import ReportsWorkerFailures
from v6wizard.tui.widgets.context_bar import ContextBar
from v6wizard.tui.widgets.footer import WizardFooter

if TYPE_CHECKING:
    from v6wizard.tui.app import WizardApp


@dataclass
class ReadinessLoaded(Message):
    """The readiness reads finished."""

    report: ReadinessReport


class ReadinessScreen(ReportsWorkerFailures, Screen[None]):
    """The plan's readiness report, or one read now (in a thread worker) for the plan's functions."""

    app: WizardApp

    BINDINGS = [
        Binding("escape", "back", "Back", id="readiness.back", tooltip="Back to the plan."),
    ]

    def __init__(self, report: ReadinessReport | None = None) -> None:
        super().__init__()
        self._report = report

    def compose(self) -> ComposeResult:
        yield Header()
        yield ContextBar(id="context")
        with Vertical(id="readiness-body"):
            yield Static("Readiness", id="readiness-title", classes="section-title")
            yield Static("Reading the functions' roles and asking DNS which endpoints answer on IPv6...", id="readiness-verdict")
            table: DataTable[str] = DataTable(id="readiness-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("Service", "Reached via", "IPv6", "What to set")
            yield table
            yield Static("", id="readiness-notes")
        yield WizardFooter()

    def on_mount(self) -> None:
        if self._report is not None:
            self._show(self._report)
        else:
            self.load_report()

    @work(thread=True, exclusive=True, exit_on_error=False, group="readiness")
    def load_report(self) -> None:
        assert self.app.backend is not None and self.app.inventory is not None
        plan = self.app.plan
        names = plan.options.function_names if plan is not None else None
        self.post_message(ReadinessLoaded(self.app.backend.readiness(self.app.inventory, names)))

    @on(ReadinessLoaded)
    def _loaded(self, message: ReadinessLoaded) -> None:
        self._report = message.report
        self._show(message.report)

    def _show(self, report: ReadinessReport) -> None:
        self.query_one("#readiness-title", Static).update(f"Readiness of {report.vpc_id}: {len(report.functions)} function(s)")
        self.query_one("#readiness-verdict", Static).update(f"[b]{report.verdict}[/b]")
        table = self.query_one("#readiness-table", DataTable)
        table.clear()
        for fn in report.functions:
            # One heading row per function keeps the table within 80 columns.
            table.add_row(f"[b]{fn.name}[/b]", "", "", "NAT for: " + (", ".join(fn.needs_ipv4_nat) or "nothing"))
            for service in fn.services:
                table.add_row(f"  {service.service}", service.reached_via, service.ipv6, short_what_to_set(service))
            if not fn.services:
                table.add_row("  -", "-", "-", "no AWS service in its role or environment")
        settings = sorted({f"{key}={url}" for fn in report.functions for key, url in fn.env_to_set.items()})
        notes = [f"set: {setting}" for setting in settings]
        notes += [f"{fn.name}: {finding}" for fn in report.functions for finding in fn.findings]
        self.query_one("#readiness-notes", Static).update("\n".join(notes))
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()


def short_what_to_set(service: ServiceReadiness) -> str:
    """The table's last column, narrow enough for 80 columns: the key to set (its URL is listed below)."""
    if service.set_env:
        return ", ".join(service.set_env)
    if service.reached_via in ("gateway-endpoint", "interface-endpoint"):
        return str(service.endpoint_id)
    if service.reached_via == "nat":
        return {"default": "IPv6 by default", "ipv4-only": "NAT stays", "unknown": "NAT stays (unknown)", "opt-in": "already set"}[service.ipv6]
    return "-"
