"""Where a session stands, derived purely from its plan and its journal entries.

`derive_state` folds the journal, in append order, into a status per action and per
step. Nothing here talks to AWS: the TUI and `v6wizard show` read it, and the engine
uses it to decide what to apply, reconcile or roll back next.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr, computed_field

from v6wizard.core.plan import STEP_ORDER, STEP_TITLES, Plan
from v6wizard.engine.session_status import DerivedStatus, StatusSummary, session_status
from v6wizard.journal.base import JournalEntry, SessionInfo

ActionStatus = Literal["planned", "applying", "applied", "failed", "rolling-back", "rolled-back", "skipped"]
StepStatus = Literal["planned", "applied", "rolled-back", "failed", "skipped", "conflict", "partial"]

SKIP_NOTE = "skip-step"
"""`data["note"]` of the journal note that marks a step skipped (`data["step"]`)."""
RUN_NOTE = "run"
REVIEWED_NOTE = "reviewed"
"""`data["note"]` of the note that acknowledges the findings to review of `data["steps"]` (see core/review.py)."""
CUTOVER_SETTINGS_NOTE = "cutover-settings"
"""A note carrying the CutoverSettings a run was given, so a resume keeps them."""
"""`data["note"]` of the note that records what an apply or rollback was asked to do."""


class ActionState(BaseModel):
    """One action's status and what the journal recorded for it."""

    id: str
    step: str
    title: str
    status: ActionStatus = "planned"
    phase: Literal["apply", "rollback"] = "apply"
    """The phase of the last entry (a failure in rollback leaves the effect in place)."""
    in_doubt: bool = False
    """An intent without an outcome or failure: the call may or may not have happened."""
    outputs: dict[str, Any] = Field(default_factory=dict)
    """The apply outcome's outputs (kept after a rollback, for the record)."""
    intent_params: dict[str, Any] = Field(default_factory=dict)
    """The last apply intent's resolved call parameters (what was, or may have been, sent)."""
    intent_data: dict[str, Any] = Field(default_factory=dict)
    """The last apply intent's data: client token, versions before a publish."""
    error_code: str = ""
    error_message: str = ""

    @property
    def effect_may_exist(self) -> bool:
        """True when AWS may hold this action's effect (rollback must look at it).

        A failed apply counts: the call may have succeeded and its verification failed.
        """
        return self.status in ("applied", "rolling-back", "applying", "failed")


class StepState(BaseModel):
    name: str
    title: str
    status: StepStatus = "planned"
    empty: bool = False
    """The plan has no actions for this step (nothing to do, or only findings)."""
    actions: list[ActionState] = Field(default_factory=list)


class SessionState(BaseModel):
    """A session's steps and actions with their status, as the journal tells it."""

    session: SessionInfo
    steps: list[StepState]
    reviewed: list[str] = Field(default_factory=list)
    """Steps whose findings to review the operator acknowledged (a journal note, from either face)."""
    _actions: dict[str, ActionState] = PrivateAttr(default_factory=dict)
    """Actions by id, made on first use (the engine looks up every action of a step)."""

    @property
    def summary(self) -> StatusSummary:
        """The session's status derived from its steps, with its counts (`session.status` is how the last run ended)."""
        return session_status(self.session.status, self.steps)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> DerivedStatus:
        """The session's status derived from its steps, as `sessions --output json` gives it."""
        return self.summary.status

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status_text(self) -> str:
        """The status in words with the step count, e.g. "partly applied: 6 of 8 steps applied"."""
        return self.summary.text

    def step(self, name: str) -> StepState:
        return next(s for s in self.steps if s.name == name)

    def action(self, action_id: str) -> ActionState:
        if not self._actions:
            self._actions = {a.id: a for s in self.steps for a in s.actions}
        return self._actions[action_id]

    @property
    def outputs(self) -> dict[str, dict[str, Any]]:
        """Outputs of every applied action, for resolving placeholders."""
        return {a.id: a.outputs for s in self.steps for a in s.actions if a.status == "applied"}

    @property
    def in_doubt(self) -> list[ActionState]:
        return [a for s in self.steps for a in s.actions if a.in_doubt]


def _step_status(step: StepState, skipped: bool, has_conflict: bool) -> StepStatus:
    statuses = {a.status for a in step.actions}
    if skipped and not statuses & {"applied", "applying", "rolling-back", "failed"}:
        return "skipped"
    if step.empty:
        return "conflict" if has_conflict else "planned"
    if "failed" in statuses:
        return "failed"
    if statuses == {"applied"}:
        return "applied"
    if statuses <= {"rolled-back", "planned"} and "rolled-back" in statuses:
        return "rolled-back"
    if statuses == {"planned"} or statuses == {"skipped"}:
        return "planned" if not skipped else "skipped"
    return "partial"


def derive_state(plan: Plan, session: SessionInfo, entries: list[JournalEntry]) -> SessionState:
    """Fold the journal into per-action and per-step status."""
    actions: dict[str, ActionState] = {}
    for action in plan.actions():
        actions[action.id] = ActionState(id=action.id, step=action.step, title=action.title)
    skipped: set[str] = set()
    reviewed: list[str] = []
    for entry in entries:
        if entry.kind == "note" and entry.data.get("note") == SKIP_NOTE:
            skipped.add(str(entry.data.get("step")))
            continue
        if entry.kind == "note" and entry.data.get("note") == REVIEWED_NOTE:
            reviewed.extend(str(step) for step in entry.data.get("steps", []) if step not in reviewed)
            continue
        state = actions.get(entry.action_id)
        if state is None or entry.kind not in ("intent", "outcome", "failure"):
            continue
        state.phase = entry.phase
        if entry.kind == "intent":
            state.in_doubt = True
            state.status = "applying" if entry.phase == "apply" else "rolling-back"
            if entry.phase == "apply":
                state.intent_params = dict(entry.params)
                state.intent_data = dict(entry.data)
        elif entry.kind == "outcome":
            state.in_doubt = False
            state.error_code = state.error_message = ""
            if entry.phase == "apply":
                state.status = "applied"
                state.outputs = dict(entry.outputs)
            else:
                state.status = "rolled-back"
        else:
            state.in_doubt = False
            state.status = "failed"
            state.error_code, state.error_message = entry.error_code, entry.error_message
    steps: list[StepState] = []
    for name in STEP_ORDER:
        try:
            plan_step = plan.step(name)
        except KeyError:
            continue
        step = StepState(
            name=name,
            title=STEP_TITLES.get(name, name),
            empty=plan_step.is_empty,
            actions=[actions[a.id] for a in plan_step.actions],
        )
        if name in skipped:
            for action in step.actions:
                if action.status == "planned":
                    action.status = "skipped"
        has_conflict = any(f.kind in ("conflict", "blocker") for f in plan_step.findings)
        step.status = _step_status(step, name in skipped, has_conflict)
        steps.append(step)
    return SessionState(session=session, steps=steps, reviewed=reviewed)
