"""What the benches' critical paths share: a plan's actions grouped by step, and a step's longest dependency chain."""

from __future__ import annotations

from typing import Any


def steps_of(actions: list[Any], *, rollback: bool) -> list[list[Any]]:
    """The plan's actions grouped by step, in plan order; a rollback keeps only the actions that have an undo."""
    by_step: dict[str, list[Any]] = {}
    for action in actions:
        if rollback and action.inverse is None:
            continue
        by_step.setdefault(action.step, []).append(action)
    return list(by_step.values())


def longest_chain(step_actions: list[Any]) -> int:
    """The most calls of this step that must go one after another (its `after_actions` within the step)."""
    by_id = {a.id: a for a in step_actions}
    depth: dict[str, int] = {}

    def chain(action: Any) -> int:
        if action.id not in depth:
            deps = [by_id[d] for d in action.after_actions if d in by_id]
            depth[action.id] = 1 + max((chain(d) for d in deps), default=0)
        return depth[action.id]

    return max(chain(a) for a in step_actions)
