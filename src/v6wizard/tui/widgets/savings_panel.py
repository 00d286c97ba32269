"""The Plan screen's savings panel: NAT spend now, the movable range and its basis, why the NAT stays, daily GB."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.widgets import Static

from v6wizard.core.prices import unknown_region_sentence
from v6wizard.core.savings import SavingsEstimate
from v6wizard.core.savings_render import movable_line, now_line, sparkline
from v6wizard.tui.savings_work import SavingsRead, plan_savings


SHORT_BASIS = {
    "routes-only": "routes only (no flow logs); high end = serving NATs' processing",
    "flow-logs": "flow logs; high end = the migrated subnets' share of each NAT's bytes",
}


def panel_text(report: SavingsEstimate) -> Text:
    """Four or five short lines (the panel must leave the plan's findings room at 80x24)."""
    text = Text()
    if not report.has_nat:
        text.append(f"{report.vpc_id} has no NAT gateway: there is nothing to save on NAT.")
        return text
    text.append(now_line(report) + "\n", style="bold")
    text.append(movable_line(report) + "\n")
    text.append(f"Basis: {SHORT_BASIS[report.basis]}.\n", style="dim")
    if report.shared_gateways:
        text.append(f"Shared with IPv4-only subnets: {', '.join(report.shared_gateways)}.\n", style="dim")
    services = ", ".join(report.ipv4_only_services) if report.ipv4_only_services else "many AWS services"
    text.append(f"NAT stays: {services} are IPv4-only; hourly and IPv4 charges remain.\n", style="dim")
    if report.price_note:
        text.append(unknown_region_sentence(report.region, flags=False) + "\n", style="yellow")
    days = report.daily_processed_gb
    if days:
        top = max(d.gb for d in days)
        text.append(f"Daily GB {days[0].day:%m-%d}..{days[-1].day:%m-%d} ")
        text.append(sparkline(days), style="cyan")
        text.append(f" (max {top:,.0f})")
    return text


class SavingsPanel(Static):
    """Reads the plan's savings in a thread worker once mounted; shows them when they arrive."""

    DEFAULT_CSS = """
    SavingsPanel { height: auto; max-height: 7; padding: 0 1; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("NAT savings: reading the gateways' traffic…", **kwargs)
        self.report: SavingsEstimate | None = None

    def on_mount(self) -> None:
        app: Any = self.app
        if app.plan is not None and app.plan.savings is not None:
            self.show(app.plan.savings)
        elif app.backend is not None and app.plan is not None and app.inventory is not None and app.inventory.vpc.id == app.plan.vpc_id:
            self.load(app.backend, app.inventory, app.plan)
        else:
            self.display = False

    @work(thread=True, exclusive=True, exit_on_error=False, group="savings-panel")
    def load(self, backend: Any, inventory: Any, plan: Any) -> None:
        self.post_message(plan_savings(backend, inventory, plan))

    @on(SavingsRead)
    def _read(self, message: SavingsRead) -> None:
        message.stop()
        if message.report is None:
            self.update(Text(f"NAT savings could not be read: {message.error}", style="dim"))
        else:
            self.show(message.report)

    def show(self, report: SavingsEstimate) -> None:
        self.report = report
        self.update(panel_text(report))
