"""The region's VPCs with their IPv6 status, as the Start screen lists them.

A table of `VpcSummary` rows whose columns are the `COLUMNS` list: a column is a
heading and a function of one VPC, so a report (a NAT-savings figure, say) adds its
column by adding an entry, without touching the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.widgets import DataTable

if TYPE_CHECKING:
    from v6wizard.core.inventory import RegionOverview, VpcSummary

IPV6_WORDS = {
    "none": "IPv4 only",
    "associating": "IPv6 block associating",
    "partial": "partly IPv6",
    "dual-stack": "dual-stack",
}
"""VpcSummary.ipv6_state in words."""


@dataclass(frozen=True)
class VpcColumn:
    heading: str
    value: Callable[[VpcSummary], str]


def _name(vpc: VpcSummary) -> str:
    return vpc.name or ("(default)" if vpc.is_default else "")


def _ipv6(vpc: VpcSummary) -> str:
    words = IPV6_WORDS.get(vpc.ipv6_state, vpc.ipv6_state)
    if vpc.ipv6_state in ("partial", "dual-stack"):
        return f"{words} ({vpc.subnets_with_ipv6} of {vpc.subnet_count} subnets)"
    return words


COLUMNS: list[VpcColumn] = [
    VpcColumn("VPC", lambda vpc: vpc.id),
    VpcColumn("Name", _name),
    VpcColumn("IPv6", _ipv6),
    VpcColumn("Functions", lambda vpc: str(vpc.function_count)),
]


def vpc_rows(overview: RegionOverview, columns: Sequence[VpcColumn] = COLUMNS) -> list[list[str]]:
    """One row per VPC (those with functions to migrate first), one cell per column."""
    ordered = sorted(overview.vpcs, key=lambda v: (-v.function_count, v.name or "~", v.id))
    return [[column.value(vpc) for column in columns] for vpc in ordered]


class VpcList(DataTable[str]):
    """The region's VPCs and how far each is on IPv6 (read-only; the Choose screen picks one)."""

    can_focus = False  # the Start screen's keys act on the sessions table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", zebra_stripes=True, show_cursor=False)

    def on_mount(self) -> None:
        self.add_columns(*(column.heading for column in COLUMNS))

    def show(self, overview: RegionOverview) -> None:
        self.clear()
        for row in vpc_rows(overview):
            self.add_row(*row)
