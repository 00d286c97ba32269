"""Checks on option values made while click parses them, so bad input is refused (exit 2) before anything runs.

Numbers must be finite and inside a documented range (`nan` and `inf` parse as floats, and
a NaN compares false with every bound, so click's FloatRange lets it through); URLs must be
http(s); names must not be empty. Importing this stays cheap (no boto3, no pydantic).
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlsplit

import click

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600}


def check_not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse `--region ''` and the like: an empty value would silently mean "the default"."""
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty; leave the option out to use the default.")
    return value


def check_endpoint_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An endpoint is an http:// or https:// URL with a host, e.g. http://127.0.0.1:5000."""
    if value is None:
        return None
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{value!r} is not an http:// or https:// URL, e.g. http://127.0.0.1:5000.")
    return value.strip()


class FiniteRange(click.ParamType):
    """A finite float (or int) within [low, high]; refuses nan, inf and anything outside."""

    def __init__(self, low: float, high: float, *, integer: bool = False, durations: bool = False) -> None:
        self.low = low
        self.high = high
        self.integer = integer
        self.durations = durations
        """Also accept a duration with a unit, as the schedule does: 30s, 1m, 0.5h."""
        self.name = "integer" if integer else ("duration" if durations else "float")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            number = self._parse(str(value), param, ctx)
        if not math.isfinite(number) or not self.low <= number <= self.high:
            self.fail(f"{value!r} is not {self.describe_range()}.", param, ctx)
        if self.integer:
            if number != int(number):
                self.fail(f"{value!r} is not a whole number.", param, ctx)
            return int(number)
        return number

    def _parse(self, text: str, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if self.durations:
            match = _DURATION.match(text)
            if match:
                return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
            self.fail(f"{text!r} is not a duration such as 30, 30s, 1m or 0.5h; it must be {self.describe_range()}.", param, ctx)
        try:
            return float(int(text)) if self.integer else float(text)
        except ValueError:
            kind = "whole number" if self.integer else "number"
            self.fail(f"{text!r} is not a {kind}; it must be {self.describe_range()}.", param, ctx)

    def describe_range(self) -> str:
        unit = " seconds" if self.durations else ""
        return f"a finite number from {self.low:g} to {self.high:g}{unit}"
