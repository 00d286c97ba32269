"""`session_status`: one status for a session, derived from how its last run ended and its steps' statuses."""

from __future__ import annotations

import pytest

from v6wizard.engine.session_status import session_status
from v6wizard.engine.state import ActionState, StepState


def step(name: str, *statuses: str, status: str | None = None) -> StepState:
    actions = [ActionState(id=f"{name}:{i}", step=name, title=name, status=s) for i, s in enumerate(statuses)]  # type: ignore[arg-type]
    derived = status or (statuses[0] if len(set(statuses)) == 1 else "partial")
    return StepState(name=name, title=name, status=derived, empty=not statuses, actions=actions)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("last_run", "steps", "status", "text"),
    [
        ("applied", [step("a", "applied"), step("b", "applied"), step("c")], "applied", "applied"),
        ("applied", [step("a", "applied"), step("b", "planned")], "partly-applied", "partly applied: 1 of 2 steps applied"),
        ("applied", [step("a", "applied"), step("b", "skipped", status="skipped")], "applied", "applied: 1 of 2 steps applied, 1 skipped"),
        ("applied", [step("a", "applied"), step("b", "rolled-back")], "partly-rolled-back", "partly rolled back: 1 of 2 steps still applied"),
        ("rolled-back", [step("a", "rolled-back"), step("b", "rolled-back")], "rolled-back", "rolled back"),
        ("interrupted", [step("a", "applied"), step("b", "applying", "planned")], "interrupted", "interrupted: 1 of 2 steps applied"),
        ("failed", [step("a", "applied"), step("b", "failed")], "failed", "failed: 1 of 2 steps applied"),
        ("planned", [step("a", "planned")], "planned", "planned"),
    ],
)
def test_status_and_sentence(last_run: str, steps: list[StepState], status: str, text: str) -> None:
    summary = session_status(last_run, steps)
    assert (summary.status, summary.text) == (status, text)
