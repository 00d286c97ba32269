"""Step statuses for display, read from the engine's SessionState (or "planned" before a session)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from v6wizard.core.plan import Plan


def step_statuses(plan: Plan, state: Any | None) -> dict[str, str]:
    """Step name -> status; steps without actions read "nothing to do" until the engine says otherwise."""
    statuses = {step.name: ("planned" if step.actions else "nothing to do") for step in plan.steps}
    if state is None:
        return statuses
    for name, status in _state_steps(state).items():
        if name in statuses and not (status == "planned" and statuses[name] == "nothing to do"):
            statuses[name] = status
    return statuses


def _state_steps(state: Any) -> dict[str, str]:
    """The per-step status map of a SessionState, whichever container it uses."""
    steps = getattr(state, "steps", None)
    if steps is None and isinstance(state, dict):
        steps = state.get("steps")
    if isinstance(steps, dict):
        return {name: _status_of(value) for name, value in steps.items()}
    if isinstance(steps, list):
        return {getattr(item, "name", getattr(item, "step", "")): _status_of(item) for item in steps}
    return {}


def _status_of(value: Any) -> str:
    return str(getattr(value, "status", value))


def action_statuses(state: Any | None) -> dict[str, str]:
    """Action id -> status from a SessionState (steps, each with its actions)."""
    if state is None:
        return {}
    return {action.id: str(action.status) for step in getattr(state, "steps", []) for action in step.actions}
