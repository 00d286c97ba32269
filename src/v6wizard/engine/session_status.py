"""Where a session stands as a whole, in one word and one sentence, derived from its steps.

The journal records how the last run ended (`SessionInfo.status`: applied, failed,
interrupted...), which alone misleads: `apply --until security-groups` ends "applied"
with three steps still to go. `session_status` is the one place that turns a run's end
and the steps' statuses into what every face shows: the CLI's `sessions`, `show` and
`apply` lines and JSON, and the wizard's Start screen. It is pure (no AWS, no journal).
`session_overview` reads one session's journal and summarizes it for a list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from v6wizard.journal.base import SessionInfo

if TYPE_CHECKING:
    from v6wizard.engine.state import StepState
    from v6wizard.journal.base import Journal, SessionStatus

DerivedStatus = Literal[
    "planned",
    "applying",
    "applied",
    "partly-applied",
    "interrupted",
    "failed",
    "rolling-back",
    "rolled-back",
    "partly-rolled-back",
]

_LIVE_EFFECT = ("applied", "applying", "failed", "rolling-back")
"""Action statuses that may leave something in AWS (as ActionState.effect_may_exist)."""


class StatusSummary(BaseModel):
    """A session's status derived from its steps, and the sentence that says it."""

    status: DerivedStatus
    """applied only when every step with actions is applied or skipped; partly-applied or
    partly-rolled-back when some are; interrupted, failed, applying or rolling-back while a
    run stopped (or is going) part way."""
    text: str
    """The status in words with the step count, e.g. "partly applied: 6 of 8 steps applied"."""
    steps_applied: int
    """Steps with actions that are applied."""
    steps_skipped: int = 0
    steps_total: int
    """Steps of the plan that have actions (steps with nothing to do are not counted)."""


class StepLine(BaseModel):
    """One step's name and status, for the session list."""

    name: str
    status: str


class SessionOverview(SessionInfo):
    """A session as the session list shows it: the journal's record with the derived status.

    `status` is derived (see `session_status`); `last_run` is how the last run ended, as the journal has it.
    """

    status: DerivedStatus = "planned"  # type: ignore[assignment]
    last_run: str = "planned"
    status_text: str = "planned"
    steps_applied: int = 0
    steps_total: int = 0
    steps: list[StepLine] = Field(default_factory=list)


def session_status(last_run: SessionStatus | str, steps: Sequence[StepState]) -> StatusSummary:
    """The status of a session whose last run ended `last_run` and whose steps stand as `steps`."""
    counted = [s for s in steps if not s.empty]
    applied = sum(1 for s in counted if s.status == "applied")
    skipped = sum(1 for s in counted if s.status == "skipped")
    total = len(counted)
    actions = [a for s in counted for a in s.actions]
    holds_effects = any(a.status in _LIVE_EFFECT for a in actions)
    rolled = any(a.status == "rolled-back" for a in actions)
    status: DerivedStatus
    if last_run in ("interrupted", "failed", "applying", "rolling-back"):
        status = last_run  # type: ignore[assignment]
    elif total and applied + skipped == total:
        status = "applied"
    elif not holds_effects:
        status = "rolled-back" if rolled else "planned"
    elif rolled:
        status = "partly-rolled-back"
    else:
        status = "partly-applied"
    return StatusSummary(
        status=status,
        text=_sentence(status, applied, skipped, total),
        steps_applied=applied,
        steps_skipped=skipped,
        steps_total=total,
    )


def status_words(status: str) -> str:
    """A status as words: partly-rolled-back -> partly rolled back."""
    return status.replace("-", " ")


def _sentence(status: DerivedStatus, applied: int, skipped: int, total: int) -> str:
    words = status_words(status)
    if status in ("planned", "rolled-back") or (status == "applied" and not skipped):
        return words
    count = f"{applied} of {total} steps applied" if status != "partly-rolled-back" else f"{applied} of {total} steps still applied"
    if skipped:
        count += f", {skipped} skipped"
    return f"{words}: {count}"


def check_resumable(session_id: str, status: str) -> None:
    """Refuse (BadInput, exit 2) to resume a session that is rolled back entirely (`status` as derived): nothing is left to do."""
    from v6wizard.errors import BadInput

    if status == "rolled-back":
        raise BadInput(
            f"Session {session_id} is rolled back entirely, so there is nothing to resume; "
            "start a new migration to apply it again."
        )


def session_overview(journal: Journal, info: SessionInfo) -> SessionOverview:
    """`info` with its derived status, read from the session's plan and journal entries."""
    from v6wizard.engine.state import derive_state

    state = derive_state(journal.plan(info.id), info, journal.entries(info.id))
    return overview_of(state.session, state.steps)


def overview_of(info: SessionInfo, steps: Sequence[StepState]) -> SessionOverview:
    summary = session_status(info.status, steps)
    return SessionOverview(
        **info.model_dump(exclude={"status"}),
        status=summary.status,
        last_run=info.status,
        status_text=summary.text,
        steps_applied=summary.steps_applied,
        steps_total=summary.steps_total,
        steps=[StepLine(name=s.name, status=s.status) for s in steps],
    )
