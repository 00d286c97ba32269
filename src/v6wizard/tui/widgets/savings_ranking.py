"""The Start screen's ranking: the region's VPCs by the NAT spend IPv6 could take off, where a newcomer starts.

Also fills the Choose screen's "NAT/mo" column from the same (cached) read.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.widgets import DataTable, Static

from v6wizard.core.savings_render import RegionSavings, gb, usd
from v6wizard.tui.savings_work import SavingsRead, region_savings

NAT_SPEND_COLUMN = "nat-spend"
SHOWN = 5
"""VPCs listed on the Start screen (the rest are on the Choose screen)."""


def ranking_text(region: RegionSavings) -> Text:
    text = Text()
    if not region.vpcs:
        text.append(f"No VPC in {region.region} has a NAT gateway: there is nothing to save on NAT.", style="dim")
        return text
    text.append(f"NAT spend IPv6 could take off in {region.region} (last {region.window_days} days, press n to start):\n", style="bold")
    for report in region.vpcs[:SHOWN]:
        high = usd(report.monthly_movable_usd.high) if report.monthly_movable_usd else gb(report.monthly_movable_gb.high)
        text.append(f"  {report.vpc_id}  up to {high} a month of {usd(report.monthly_now_usd)}"
                    f" ({len(report.nat_gateways)} NAT)\n")
    if len(region.vpcs) > SHOWN:
        text.append(f"  …and {len(region.vpcs) - SHOWN} more on the next screen.", style="dim")
    return text


def nat_spend_cell(region: RegionSavings, vpc_id: str) -> str:
    report = next((r for r in region.vpcs if r.vpc_id == vpc_id), None)
    if report is None:
        return "-"
    if report.monthly_now_usd is None:
        return gb(sum(n.monthly_gb for n in report.nat_gateways))
    return usd(report.monthly_now_usd)


def fill_nat_spend(table: DataTable[Any], region: RegionSavings) -> None:
    """Each VPC's NAT spend a month in the Choose screen's column (rows are keyed by VPC id)."""
    for row_key in list(table.rows):
        table.update_cell(row_key, NAT_SPEND_COLUMN, nat_spend_cell(region, str(row_key.value)))


class SavingsRanking(Static):
    """Reads the region's NAT spend in a thread worker once connected; hidden until there is something to say."""

    DEFAULT_CSS = """
    SavingsRanking { height: auto; max-height: 8; padding: 0 1; margin-top: 1; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.ranking: RegionSavings | None = None

    def on_mount(self) -> None:
        self.display = False
        self.load()

    def load(self) -> None:
        """(Re)read for the app's current connection; the Start screen calls it when the connection changes."""
        backend = getattr(self.app, "backend", None)
        if backend is not None:
            self._read(backend)

    @work(thread=True, exclusive=True, exit_on_error=False, group="savings-ranking")
    def _read(self, backend: Any) -> None:
        self.post_message(region_savings(backend))

    @on(SavingsRead)
    def _got(self, message: SavingsRead) -> None:
        message.stop()
        self.display = True
        if message.report is None:
            self.update(Text(f"NAT savings could not be read: {message.error}", style="dim"))
            return
        self.ranking = message.report
        self.update(ranking_text(message.report))
