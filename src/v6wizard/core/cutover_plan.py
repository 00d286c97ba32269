"""The cutover's bake clock: where a function is in its schedule and what to do next.

Pure: given the schedule, the current stage, its start time, the extensions used,
the time now and the latest gate verdict, `decide` says hold, advance, extend,
stop for low traffic, or roll back. The runner (`v6wizard.engine.cutover`) does it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel

from v6wizard.core.gates import Verdict
from v6wizard.core.schedule import Stage

DecisionKind = Literal["hold", "advance", "finish", "extend", "stop-low-traffic", "rollback"]
"""advance: go to the next stage (the last one sets the alias to the new version);
finish: the final stage's watch is over; the cutover is done."""


class StagePosition(BaseModel):
    """A function's place in the schedule; journaled with every stage change."""

    model_config = {"frozen": True}

    stage: int
    """Index into the schedule."""
    started_at: datetime
    """When this stage's weight was set (the bake clock's origin)."""
    extensions: int = 0
    """Bake extensions used because of low traffic."""


class Decision(BaseModel):
    """What the runner should do after a poll."""

    model_config = {"frozen": True}

    kind: DecisionKind
    reason: str = ""


def bake_deadline(schedule: list[Stage], position: StagePosition) -> datetime:
    """When the stage's bake (with its extensions) ends."""
    bake = schedule[position.stage].bake_seconds
    return position.started_at + timedelta(seconds=bake * (1 + position.extensions))


def is_final(schedule: list[Stage], stage: int) -> bool:
    return stage >= len(schedule) - 1


def decide(
    schedule: list[Stage],
    position: StagePosition,
    now: datetime,
    verdict: Verdict,
    max_extensions: int,
) -> Decision:
    """The next move for one function after one poll."""
    if verdict.outcome == "fail":
        return Decision(kind="rollback", reason=verdict.reason)
    if now < bake_deadline(schedule, position):
        return Decision(kind="hold")
    final = is_final(schedule, position.stage)
    # Low traffic never passes silently, not even the final stage's watch: a final stage
    # with no bake has nothing to watch, so only there does it finish without a verdict.
    if verdict.outcome == "low-traffic" and not (final and schedule[position.stage].bake_seconds <= 0):
        if position.extensions < max_extensions:
            return Decision(kind="extend", reason=verdict.reason)
        return Decision(kind="stop-low-traffic", reason=verdict.reason)
    return Decision(kind="finish" if final else "advance")
