"""`--dry-run` for apply, resume and rollback: say what the run would do, and make no change.

No session is created, no journal entry written, no lock taken and no mutating AWS call
made: the preview reads the plan (apply) or the journal (resume, rollback) only.
"""

from __future__ import annotations

from typing import Any

import click
from pydantic import BaseModel

from v6wizard.core.plan import Action, AwsCall


class PlannedCall(BaseModel):
    """One call a run would make, for `--dry-run --output json`."""

    action_id: str
    title: str
    call: AwsCall


class DryRun(BaseModel):
    """What a run would do; nothing was changed."""

    dry_run: bool = True
    command: str
    vpc_id: str
    session_id: str | None = None
    calls: list[PlannedCall]


def _show(preview: DryRun, output: str) -> int:
    if output == "json":
        click.echo(preview.model_dump_json(indent=2))
        return 0
    what = f"session {preview.session_id} on {preview.vpc_id}" if preview.session_id else preview.vpc_id
    if not preview.calls:
        click.echo(f"Dry run: `{preview.command}` would make no change to {what}.")
        return 0
    click.echo(f"Dry run: `{preview.command}` would make {len(preview.calls)} call{'' if len(preview.calls) == 1 else 's'} to {what}; nothing was changed.")
    for planned in preview.calls:
        click.echo(f"  {planned.action_id}  {planned.title}")
        click.echo(f"      {planned.call.describe()}")
    return 0


def preview_apply(plan: Any, steps: list[str], output: str) -> int:
    calls = [PlannedCall(action_id=a.id, title=a.title, call=a.call) for a in plan.actions(steps)]
    return _show(DryRun(command="apply", vpc_id=plan.vpc_id, calls=calls), output)


def preview_rollback(journal: Any, session_id: str, step: str | None, output: str, command: str = "rollback") -> int:
    """The inverse calls a rollback of `step` (or of every step) would make, in the order it makes them."""
    from v6wizard.core.plan import STEP_ORDER

    plan, state = _session(journal, session_id)
    steps = [step] if step else list(reversed(STEP_ORDER))
    calls = [
        PlannedCall(action_id=a.id, title=f"Undo: {a.title}", call=a.inverse)
        for name in steps
        for a in reversed(plan.step(name).actions)
        if a.inverse is not None and state.action(a.id).effect_may_exist
    ]
    return _show(DryRun(command=command, vpc_id=plan.vpc_id, session_id=session_id, calls=calls), output)


def preview_resume(journal: Any, session_id: str, output: str) -> int:
    """What `resume` would do: continue the last run, apply or rollback, from where the journal says it stopped."""
    from v6wizard.engine.runner import PENDING
    from v6wizard.engine.state import RUN_NOTE
    from v6wizard.engine.steps import select_steps

    runs = [e.data for e in journal.entries(session_id) if e.kind == "note" and e.data.get("note") == RUN_NOTE]
    last = runs[-1] if runs else {"phase": "apply"}
    if last.get("phase") == "rollback":
        return preview_rollback(journal, session_id, last.get("step") or None, output, command="resume")
    plan, state = _session(journal, session_id)
    steps = select_steps(list(last.get("only") or []) or None, last.get("until") or None)
    actions: list[Action] = [a for a in plan.actions(steps) if state.action(a.id).status in PENDING]
    calls = [PlannedCall(action_id=a.id, title=a.title, call=a.call) for a in actions]
    return _show(DryRun(command="resume", vpc_id=plan.vpc_id, session_id=session_id, calls=calls), output)


def _session(journal: Any, session_id: str) -> tuple[Any, Any]:
    from v6wizard.engine.state import derive_state

    plan = journal.plan(session_id)
    return plan, derive_state(plan, journal.session(session_id), journal.entries(session_id))
