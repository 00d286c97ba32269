"""The cutover schedule: stages of traffic weight with a bake time each.

`10%:5m,50%:5m,100%` means: send 10% of the alias's traffic to the new version and
watch it for five minutes, then 50% for five minutes, then all of it.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from v6wizard.errors import InvalidOption

from v6wizard.constants import DEFAULT_SCHEDULE, MAX_BAKE_SECONDS

__all__ = ["DEFAULT_SCHEDULE", "Stage", "format_schedule", "parse_schedule", "validate_schedule"]

_STAGE = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s*(?::\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*)?$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600}


class Stage(BaseModel):
    """One stage: a share of traffic for the new version, held for a bake time."""

    model_config = {"frozen": True}

    percent: float = Field(gt=0, le=100, allow_inf_nan=False)
    """Share of the alias's traffic sent to the new version, 0 < percent <= 100."""
    bake_seconds: float = Field(0, ge=0, le=MAX_BAKE_SECONDS, allow_inf_nan=False)
    """How long the stage is watched before moving on (0 for the final 100% stage)."""

    @property
    def weight(self) -> float:
        """The alias routing weight for this stage, in [0, 1]."""
        return round(self.percent / 100.0, 6)

    def __str__(self) -> str:
        pct = f"{self.percent:g}%"
        return f"{pct}:{_format_seconds(self.bake_seconds)}" if self.bake_seconds else pct


def _format_seconds(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)}h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)}m"
    return f"{seconds:g}s"


def parse_schedule(text: str) -> list[Stage]:
    """Parse and validate a schedule such as `10%:5m,50%:5m,100%`.

    Raises InvalidOption with one sentence when the schedule is malformed, when the
    percentages do not rise, when the last stage is not 100%, or when a stage before
    the last has no positive bake time.
    """
    parts = [p for p in text.split(",") if p.strip()]
    if not parts:
        raise InvalidOption("The cutover schedule is empty; give stages like 10%:5m,50%:5m,100%.")
    stages: list[Stage] = []
    for part in parts:
        match = _STAGE.match(part)
        if not match:
            raise InvalidOption(
                f"The schedule stage {part.strip()!r} is not PERCENT%[:BAKE], e.g. 10%:5m; "
                "bake times take s, m or h."
            )
        percent = float(match.group(1))
        bake = float(match.group(2) or 0) * _UNIT_SECONDS[match.group(3) or ""]
        if not 0 < percent <= 100:
            raise InvalidOption(f"The schedule stage {part.strip()!r} must send between 0% and 100% of traffic.")
        if bake > MAX_BAKE_SECONDS:
            raise InvalidOption(f"The schedule stage {part.strip()!r} bakes longer than 24 h, the longest a stage may bake.")
        stages.append(Stage(percent=percent, bake_seconds=bake))
    validate_schedule(stages)
    return stages


def validate_schedule(stages: list[Stage]) -> None:
    """Refuse a schedule that would not end with all traffic on the new version."""
    if not stages:
        raise InvalidOption("The cutover schedule is empty; give stages like 10%:5m,50%:5m,100%.")
    previous = 0.0
    for stage in stages:
        if not 0 < stage.percent <= 100:
            raise InvalidOption(f"The schedule stage {stage} must send between 0% and 100% of traffic.")
        if stage.percent <= previous:
            raise InvalidOption(
                f"The schedule's percentages must rise, but {stage.percent:g}% follows {previous:g}%."
            )
        previous = stage.percent
    if stages[-1].percent != 100:
        raise InvalidOption(f"The schedule must end at 100%, but it ends at {stages[-1].percent:g}%.")
    for stage in stages[:-1]:
        if stage.bake_seconds <= 0:
            raise InvalidOption(f"The schedule stage {stage.percent:g}% needs a positive bake time, e.g. {stage.percent:g}%:5m.")
    if stages[-1].bake_seconds < 0:
        raise InvalidOption("Bake times must be positive.")


def format_schedule(stages: list[Stage]) -> str:
    return ",".join(str(stage) for stage in stages)
