"""The region's VPCs as tables: the Start screen's list (IPv6 status and what each could save, ranked) and
the Choose screen's pick list (with each VPC's NAT spend a month).

A column is a key, a heading and a function of one VPC and the region's savings
read, with a shorter form and a mark for the columns a narrow terminal can do
without: a table shows the first of its forms (every column whole, every column
short, the needed columns short) that fits its width, so nothing scrolls off at
80 columns. A report adds its column by adding an entry, without touching a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.widgets import DataTable

from v6wizard.core.amounts import gb, usd

if TYPE_CHECKING:
    from v6wizard.core.inventory import RegionOverview, VpcSummary
    from v6wizard.core.savings import SavingsEstimate
    from v6wizard.core.savings_render import RegionSavings

IPV6_WORDS = {
    "none": "IPv4 only",
    "associating": "IPv6 block associating",
    "partial": "partly IPv6",
    "dual-stack": "dual-stack",
}
"""VpcSummary.ipv6_state in words."""

IPV6_SHORT = {"none": "IPv4 only", "associating": "associating", "partial": "partly", "dual-stack": "dual-stack"}
"""The same words in the short forms."""

LOADING = "…"
NAT_SPEND_COLUMN = "nat-spend"
SAVINGS_COLUMN = "could-save"
NARROW_NAME = 12
"""A VPC name is cut to this many cells in the short forms."""
SCROLLBAR = 2
"""Kept free for the vertical scrollbar a long list shows."""


@dataclass(frozen=True)
class SavingsView:
    """What the region's savings read said, as the tables need it (neither report nor error: still reading)."""

    report: RegionSavings | None = None
    error: str = ""

    @property
    def arrived(self) -> bool:
        return self.report is not None or bool(self.error)

    @cached_property
    def _by_vpc(self) -> dict[str, SavingsEstimate]:
        return {r.vpc_id: r for r in self.report.vpcs} if self.report is not None else {}

    def estimate(self, vpc_id: str) -> SavingsEstimate | None:
        return self._by_vpc.get(vpc_id)


def could_save(report: SavingsEstimate) -> float:
    """The high end of what IPv6 could take off a month: dollars, or GB where the region has no prices."""
    if report.monthly_movable_usd is not None:
        return report.monthly_movable_usd.high
    return report.monthly_movable_gb.high


def _pending(vpc: VpcSummary, savings: SavingsView) -> str:
    """The cell of a VPC without an estimate: loading, unreadable, or nothing to save."""
    if not vpc.nat_gateway_count:
        return "-"
    if not savings.arrived:
        return LOADING
    return "n/a" if savings.error else "-"


def savings_cell(vpc: VpcSummary, savings: SavingsView) -> str:
    """"up to $136.45 of $245.95": the most IPv6 could take off the VPC's NAT bill a month, of the whole bill."""
    report = savings.estimate(vpc.id)
    if report is None:
        return _pending(vpc, savings)
    if report.monthly_movable_usd is not None:
        return f"up to {usd(report.monthly_movable_usd.high)} of {usd(report.monthly_now_usd)}"
    now_gb = sum(n.monthly_gb for n in report.nat_gateways)
    return f"up to {report.monthly_movable_gb.high:,.1f} of {gb(now_gb)}"


def nat_spend_cell(vpc: VpcSummary, savings: SavingsView) -> str:
    """The VPC's NAT bill a month (GB a month where the region has no prices)."""
    report = savings.estimate(vpc.id)
    if report is None:
        return _pending(vpc, savings)
    if report.monthly_now_usd is None:
        return gb(sum(n.monthly_gb for n in report.nat_gateways))
    return usd(report.monthly_now_usd)


def _name(vpc: VpcSummary) -> str:
    return vpc.name or ("(default)" if vpc.is_default else "")


def _short_name(vpc: VpcSummary) -> str:
    name = _name(vpc)
    return name if cell_len(name) <= NARROW_NAME else name[: NARROW_NAME - 1] + "…"


def _ipv6(vpc: VpcSummary) -> str:
    words = IPV6_WORDS.get(vpc.ipv6_state, vpc.ipv6_state)
    if vpc.ipv6_state in ("partial", "dual-stack"):
        return f"{words} ({vpc.subnets_with_ipv6} of {vpc.subnet_count} subnets)"
    return words


def _ipv6_short(vpc: VpcSummary) -> str:
    words = IPV6_SHORT.get(vpc.ipv6_state, vpc.ipv6_state)
    if vpc.ipv6_state in ("partial", "dual-stack"):
        return f"{words} {vpc.subnets_with_ipv6}/{vpc.subnet_count}"
    return words


Cell = Callable[["VpcSummary", SavingsView], str]


@dataclass(frozen=True)
class VpcColumn:
    key: str
    heading: str
    value: Cell
    short_value: Cell | None = None
    """The short form (None: the same as the whole one)."""
    needed: bool = True
    """Whether the column stays in the narrowest form."""

    def cell(self, vpc: VpcSummary, savings: SavingsView, form: int) -> str:
        return (self.short_value or self.value)(vpc, savings) if form else self.value(vpc, savings)


WHOLE, SHORT, NARROW = 0, 1, 2
"""The forms of a table, widest first."""


def _plain(value: Callable[[VpcSummary], str]) -> Cell:
    return lambda vpc, _savings: value(vpc)


START_COLUMNS: list[VpcColumn] = [
    VpcColumn("vpc", "VPC", _plain(lambda vpc: vpc.id)),
    VpcColumn("name", "Name", _plain(_name), short_value=_plain(_short_name)),
    VpcColumn("ipv6", "IPv6", _plain(_ipv6), short_value=_plain(_ipv6_short)),
    VpcColumn("functions", "Functions", _plain(lambda vpc: str(vpc.function_count)), needed=False),
    VpcColumn(SAVINGS_COLUMN, "Could save / mo", savings_cell),
]
"""The Start screen: IPv6 status and what each VPC could save."""

CHOOSE_COLUMNS: list[VpcColumn] = [
    VpcColumn("vpc", "VPC", _plain(lambda vpc: vpc.id)),
    VpcColumn("name", "Name", _plain(_name), short_value=_plain(_short_name)),
    VpcColumn("ipv4", "IPv4", _plain(lambda vpc: vpc.cidr_block), needed=False),
    VpcColumn("ipv6", "IPv6", _plain(_ipv6_short)),
    VpcColumn("nat", "NAT", _plain(lambda vpc: str(vpc.nat_gateway_count))),
    VpcColumn("functions", "Fns", _plain(lambda vpc: str(vpc.function_count))),
    VpcColumn(NAT_SPEND_COLUMN, "NAT/mo", nat_spend_cell),
]
"""The Choose screen: what tells the VPCs apart, and each one's NAT spend a month."""


def by_functions(vpcs: Sequence[VpcSummary], _savings: SavingsView) -> list[VpcSummary]:
    """Those with functions to migrate first, then by name (unnamed last)."""
    return sorted(vpcs, key=lambda v: (-v.function_count, v.name or "~", v.id))


def by_savings(vpcs: Sequence[VpcSummary], savings: SavingsView) -> list[VpcSummary]:
    """Most to save first; VPCs without an estimate (yet) after them, those with functions first."""
    ordered = by_functions(vpcs, savings)
    if savings.report is None:
        return ordered

    def key(vpc: VpcSummary) -> tuple[int, float]:
        report = savings.estimate(vpc.id)
        return (0, -could_save(report)) if report is not None else (1, 0.0)

    return sorted(ordered, key=key)  # stable: ties keep the functions-first order


def table_width(columns: Sequence[VpcColumn], rows: Sequence[Sequence[str]], padding: int) -> int:
    """The cells a table of these rows takes (as DataTable sizes its columns to their widest cell)."""
    total = 0
    for index, column in enumerate(columns):
        widest = max([cell_len(column.heading)] + [cell_len(row[index]) for row in rows])
        total += widest + 2 * padding
    return total


class VpcTable(DataTable[str]):
    """The region's VPCs, one row per VPC keyed by its id; rebuilt when the savings arrive or the width changes form."""

    def __init__(
        self,
        columns: Sequence[VpcColumn],
        order: Callable[[Sequence[VpcSummary], SavingsView], list[VpcSummary]],
        *,
        id: str | None = None,
        cursor: bool = False,
    ) -> None:
        super().__init__(id=id, cursor_type="row" if cursor else "none", zebra_stripes=True, show_cursor=cursor)
        self._columns = list(columns)
        self._order = order
        self.overview: RegionOverview | None = None
        self.savings = SavingsView()
        self.form: int | None = None
        """The form shown: WHOLE, SHORT or NARROW (None before the first rows)."""

    def on_mount(self) -> None:
        self._add_columns(WHOLE)

    def reset(self) -> None:
        """Another connection: no VPCs and no savings until they are read again."""
        self.overview, self.savings = None, SavingsView()
        self.clear()

    def show(self, overview: RegionOverview) -> None:
        self.overview = overview
        self._render()

    def show_savings(self, savings: SavingsView) -> None:
        self.savings = savings
        self._render()

    def on_resize(self, event: events.Resize) -> None:
        if self.overview is not None and self._fitting_form() != self.form:
            self._render()

    def _shown(self, form: int) -> list[VpcColumn]:
        return [c for c in self._columns if c.needed or form != NARROW]

    def _rows(self, form: int) -> list[tuple[str, list[str]]]:
        assert self.overview is not None
        columns = self._shown(form)
        vpcs = self._order(self.overview.vpcs, self.savings)
        return [(vpc.id, [c.cell(vpc, self.savings, form) for c in columns]) for vpc in vpcs]

    def _fitting_form(self) -> int:
        """The widest form that fits the table's width (the narrowest when none does, or before layout)."""
        width = self.size.width - SCROLLBAR
        for form in (WHOLE, SHORT):
            rows = [cells for _key, cells in self._rows(form)]
            if width > 0 and table_width(self._shown(form), rows, self.cell_padding) <= width:
                return form
        return NARROW

    def _add_columns(self, form: int) -> None:
        for column in self._shown(form):
            self.add_column(column.heading, key=column.key)

    def _render(self) -> None:
        if self.overview is None:
            return
        highlighted = self._highlighted_key()
        form = self._fitting_form()
        if form != self.form:
            self.clear(columns=True)
            self._add_columns(form)
            self.form = form
        else:
            self.clear()
        rows = self._rows(form)
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if highlighted is not None and highlighted in self.rows:
            self.move_cursor(row=self.get_row_index(highlighted))

    def _highlighted_key(self) -> str | None:
        if self.cursor_type != "row" or not self.row_count or self.cursor_row < 0:
            return None
        return str(self.coordinate_to_cell_key((min(self.cursor_row, self.row_count - 1), 0)).row_key.value)


class VpcList(VpcTable):
    """The Start screen's list: IPv6 status and what each VPC could save, ranked (read-only; Choose picks one)."""

    can_focus = False  # the Start screen's keys act on the sessions table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(START_COLUMNS, by_savings, id=id)
