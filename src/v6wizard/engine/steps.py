"""Choosing steps: `--only` and `--until` to a list of step names, and the rollback order rules."""

from __future__ import annotations

from v6wizard.core.plan import STEP_ORDER, Action
from v6wizard.engine.state import SessionState
from v6wizard.errors import InvalidOption


def check_step_name(name: str) -> str:
    name = name.strip()
    if name not in STEP_ORDER:
        raise InvalidOption(f"There is no step {name!r}; the steps are {', '.join(STEP_ORDER)}.")
    return name


def select_steps(only: list[str] | None = None, until: str | None = None) -> list[str]:
    """The steps to run, in order: all, or only some, or all up to and including `until`."""
    chosen = list(STEP_ORDER)
    if only:
        wanted = {check_step_name(n) for part in only for n in part.split(",") if n.strip()}
        if not wanted:
            raise InvalidOption(f"--only names no step; give one or more of {', '.join(STEP_ORDER)}.")
        chosen = [s for s in chosen if s in wanted]
    if until is not None and not until.strip():
        raise InvalidOption(f"--until names no step; give one of {', '.join(STEP_ORDER)}.")
    if until:
        last = STEP_ORDER.index(check_step_name(until))  # type: ignore[arg-type]
        chosen = [s for s in chosen if STEP_ORDER.index(s) <= last]  # type: ignore[arg-type]
    return chosen


def later_applied(state: SessionState, step: str) -> list[str]:
    """Steps after `step` that still hold effects, which block rolling `step` back."""
    index = STEP_ORDER.index(step)  # type: ignore[arg-type]
    return [
        s.name
        for s in state.steps
        if STEP_ORDER.index(s.name) > index and any(a.effect_may_exist for a in s.actions)  # type: ignore[arg-type]
    ]


def undo_waits_for(actions: list[Action]) -> dict[str, set[str]]:
    """Reverse dependencies: undo an action only after undoing the actions that needed it."""
    ids = {a.id for a in actions}
    waits: dict[str, set[str]] = {a.id: set() for a in actions}
    for action in actions:
        for dep in action.after_actions:
            if dep in ids:
                waits[dep].add(action.id)
    return waits
