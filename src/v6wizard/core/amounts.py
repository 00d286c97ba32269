"""How the savings write an amount: dollars and GB. Import-free, so the Start screen's first frame can use them."""

from __future__ import annotations


def usd(value: float | None) -> str:
    return "n/a" if value is None else f"${value:,.2f}"


def gb(value: float) -> str:
    return f"{value:,.1f} GB"
