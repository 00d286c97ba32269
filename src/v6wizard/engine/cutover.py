"""The weighted alias cutover: staged traffic shift with health gates and automatic rollback.

`CutoverRunner.run` cuts over every `cutover:shift:<fn>` action at once, in one loop
that polls each function every `poll_interval` seconds: a failed gate puts that alias
back on the old version within the poll; low traffic extends the bake, then stops for
the operator; `all_or_nothing` rolls every function back when one fails. Stages and
their start times are journaled, so a resumed session continues the bake clock.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

from v6wizard.aws.executor import Executor
from v6wizard.aws.session import AwsAccess
from v6wizard.constants import BAKE_EXTENSIONS_RANGE, MIN_INVOCATIONS_RANGE, P99_RATIO_RANGE, POLL_INTERVAL_RANGE, RATE_INCREASE_RANGE
from v6wizard.core.gates import GateThresholds
from v6wizard.core.cutover_plan import StagePosition
from v6wizard.core.cutover_words import stopped_by_you
from v6wizard.core.plan import Action, Plan, resolve
from v6wizard.engine.cutover_alias import AliasOps, changed_error
from v6wizard.engine.cutover_checks import CutoverChecks
from v6wizard.engine.cutover_control import Clock, CutoverControl, SystemClock
from v6wizard.engine.cutover_function import CutoverContext, FunctionCutover, stage_position_from
from v6wizard.engine.events import EngineEvent
from v6wizard.errors import AliasChanged, Cancelled, CutoverAborted, CutoverIncomplete, CutoverRefused, V6WizardError
from v6wizard.journal.base import Journal, JournalEntry

CUTOVER_PREFIX = "cutover:shift:"


class CutoverSettings(BaseModel):
    """How the cutover watches and judges the new versions."""

    poll_interval: float = Field(30, ge=POLL_INTERVAL_RANGE[0], le=POLL_INTERVAL_RANGE[1], allow_inf_nan=False)
    """Seconds between health polls; a failed gate is acted on within one poll."""
    min_invocations: int = Field(100, ge=MIN_INVOCATIONS_RANGE[0], le=MIN_INVOCATIONS_RANGE[1])
    """Invocations of the new version needed in a stage before its rates are judged."""
    max_bake_extensions: int = Field(3, ge=BAKE_EXTENSIONS_RANGE[0], le=BAKE_EXTENSIONS_RANGE[1])
    """Times a stage's bake is extended (by its own length) for low traffic before stopping."""
    max_error_rate_increase: float = Field(1.0, ge=RATE_INCREASE_RANGE[0], le=RATE_INCREASE_RANGE[1], allow_inf_nan=False)
    """Allowed rise of the new version's error rate over the old one's, in percentage points."""
    max_throttle_increase: float = Field(1.0, ge=RATE_INCREASE_RANGE[0], le=RATE_INCREASE_RANGE[1], allow_inf_nan=False)
    """Allowed rise of the new version's throttle rate over the old one's, in percentage points."""
    max_p99_ratio: float = Field(1.5, ge=P99_RATIO_RANGE[0], le=P99_RATIO_RANGE[1], allow_inf_nan=False)
    """Allowed new Duration p99 / old Duration p99."""
    alarms: list[str] = Field(default_factory=list)
    """CloudWatch alarms that must not be in ALARM before or during the cutover."""
    ignore_alarms: bool = False
    """Start even when a named alarm is in ALARM (hotfixes); alarms still fail gates during bakes."""
    all_or_nothing: bool = False
    """When one function fails, roll every function of the cutover back."""
    create_alias: bool = False
    """Create the alias on the current version when the function has none."""
    repair: Literal["finalize", "reset"] | None = None
    """A leftover split alias: finalize to its additional version, or reset to its primary."""

    def thresholds(self) -> GateThresholds:
        return GateThresholds(
            min_invocations=self.min_invocations,
            max_error_rate_increase=self.max_error_rate_increase,
            max_throttle_increase=self.max_throttle_increase,
            max_p99_ratio=self.max_p99_ratio,
        )


class CutoverRunner:
    """Runs and rolls back the cutover step of one session."""

    def __init__(
        self,
        access: AwsAccess,
        executor: Executor,
        journal: Journal,
        session_id: str,
        plan: Plan,
        settings: CutoverSettings,
        on_event: Callable[[EngineEvent], None],
        cancel: threading.Event | None = None,
        clock: Clock | None = None,
        control: CutoverControl | None = None,
    ) -> None:
        self.access = access
        self.journal = journal
        self.session_id = session_id
        self.plan = plan
        self.settings = settings
        self.on_event = on_event
        self.cancel = cancel or threading.Event()
        self.clock = clock or SystemClock(self.cancel)
        self.control = control or CutoverControl()
        self.ops = AliasOps(access, executor)
        self.checks = CutoverChecks(access, self.ops)
        self.ctx = CutoverContext(
            access=access,
            ops=self.ops,
            clock=self.clock,
            control=self.control,
            schedule=list(plan.options.schedule),
            thresholds=settings.thresholds(),
            alarms=list(settings.alarms),
            max_extensions=settings.max_bake_extensions,
            record=self._record,
            emit=self._emit,
        )

    # --- public ----------------------------------------------------------------------

    def run(self, actions: list[Action], outputs: dict[str, dict]) -> None:
        """Cut over each `cutover:shift:<fn>` action; raises when any function did not finish."""
        targets = [a for a in actions if a.kind == "cutover-alias"]
        cutovers = [self._prepare(action, outputs) for action in targets]
        active = [fc for fc in cutovers if fc.status == "active"]
        for fc in active:
            if fc.position is None:
                self._start(fc)
        tick = self.clock.now()
        while True:
            active = [fc for fc in cutovers if fc.status == "active"]
            if not active:
                break
            # Fixed-rate polls: time spent polling does not stretch the interval.
            tick = max(tick + timedelta(seconds=self.settings.poll_interval), self.clock.now())
            self.clock.sleep(max((tick - self.clock.now()).total_seconds(), 0.0))
            if self.cancel.is_set():
                raise Cancelled(
                    "The cutover was stopped; the aliases stay where they are and the session is resumable "
                    "(v6wizard resume SESSION --yes, or roll back the cutover step)."
                )
            for fc in active:
                self._poll(fc)
            if self.settings.all_or_nothing and any(fc.status not in ("active", "finished") for fc in cutovers):
                self._roll_back_all(cutovers)
        self._raise_if_unfinished(cutovers)

    def rollback(self, action: Action, outputs: dict[str, dict]) -> None:
        """Alias back to the old version (action.inverse params), routing cleared, with RevisionId."""
        source = action.inverse.params if action.inverse else action.call.params
        params = resolve(source, outputs=outputs, session_id=self.session_id)
        function, alias = str(params["FunctionName"]), str(params["Name"])
        old = self._journaled_old(action.id) or str(params.get("FunctionVersion", ""))
        if not old.isdigit():
            raise CutoverRefused(f"The cutover of {function} has no old version to return alias {alias} to.")
        params = {"FunctionName": function, "Name": alias, "FunctionVersion": old, "RoutingConfig": {"AdditionalVersionWeights": {}}}
        self._append(action.id, "intent", phase="rollback", params=params)
        current = self.ops.get(function, alias)
        if current is None:
            self._append(action.id, "outcome", phase="rollback", data={"note": "the alias no longer exists"})
            return
        if not current.same_routing(old, {}):
            current = self.ops.update(current, old, {})
        self._append(action.id, "outcome", phase="rollback", outputs={"FunctionVersion": current.version})
        self.on_event(
            EngineEvent(
                kind="cutover-finished", session_id=self.session_id, step="cutover", action_id=action.id,
                phase="rollback", message=f"{function}: alias {alias} is back on version {old}",
                data={"function": function, "result": "rolled-back", "final_version": old},
            )
        )

    # --- preparing ---------------------------------------------------------------------

    def _identify(self, action: Action, outputs: dict[str, dict]) -> tuple[str, str, str, str]:
        params = resolve(action.call.params, outputs=outputs, session_id=self.session_id)
        old = str((action.inverse.params if action.inverse else {}).get("FunctionVersion", ""))
        return str(params["FunctionName"]), str(params["Name"]), str(params["FunctionVersion"]), old

    def _prepare(self, action: Action, outputs: dict[str, dict]) -> FunctionCutover:
        function, alias, new, old_hint = self._identify(action, outputs)
        past = self._past(action.id)
        if past.get("done"):
            fc = FunctionCutover(self.ctx, action.id, function, alias, new, past.get("old") or old_hint)
            fc.status = "finished"
            return fc
        if past.get("old") and past.get("position") is not None:
            return self._resume(action.id, function, alias, new, past)
        if past.get("old"):
            restarted = self._restart(action.id, function, alias, new, past["old"])
            if restarted is not None:
                return restarted
        state = self.checks.prepare(
            function, alias, new,
            old_hint=old_hint,
            alarms=self.settings.alarms,
            ignore_alarms=self.settings.ignore_alarms,
            create_alias=self.settings.create_alias,
            repair=self.settings.repair,
            note=lambda message, data: self._note(action.id, function, message, data),
        )
        fc = FunctionCutover(self.ctx, action.id, function, alias, new, state.version)
        fc.expected = state
        if state.version == new:
            fc.finish()
        return fc

    def _resume(self, action_id: str, function: str, alias: str, new: str, past: dict[str, Any]) -> FunctionCutover:
        """Continue a journaled cutover at its stage and bake clock, if the alias is as we left it."""
        fc = FunctionCutover(self.ctx, action_id, function, alias, new, past["old"])
        fc.restore_pause(past.get("paused_seconds", 0.0), past.get("paused_since"))
        position = past["position"]
        current = self.ops.get(function, alias)
        if current is not None and not current.same_routing(*fc.routing_for(position.stage)):
            following = position.stage + 1
            if following < len(self.ctx.schedule) and current.same_routing(*fc.routing_for(following)):
                # Interrupted between moving the alias and journaling the stage: the move happened.
                position = position.model_copy(update={"stage": following, "started_at": self.clock.now(), "extensions": 0})
                past["low_traffic"] = False
                fc.restore_pause(0.0, None)
            else:
                expected = current.model_copy(update=dict(zip(("version", "weights"), fc.routing_for(position.stage))))
                fc.stop_changed(changed_error(expected, current))
                return fc
        if current is None:
            fc.stop_changed(AliasChanged(f"Alias {function}:{alias} was deleted while the cutover was interrupted; recreate it, then resume."))
            return fc
        if past.get("low_traffic"):
            # The operator chose to keep watching: a fresh bake for the same stage.
            position = position.model_copy(update={"started_at": self.clock.now(), "extensions": 0})
            fc.restore_pause(0.0, None)
        fc.expected = current
        fc.set_position(position)
        return fc

    def _restart(self, action_id: str, function: str, alias: str, new: str, old: str) -> FunctionCutover | None:
        """A cutover that stopped between its intent and its first journaled stage, picked up at stage 0.

        The checks passed before the intent was written. If the first move landed (the alias is at
        stage 0's routing) that stage's bake starts now; if the alias is still unsplit on the old
        version, `run` makes the first move again. Anything else is for the preconditions to judge."""
        fc = FunctionCutover(self.ctx, action_id, function, alias, new, old)
        current = self.ops.get(function, alias)
        if current is None:
            return None
        if current.same_routing(*fc.routing_for(0)):
            fc.expected = current
            fc.set_position(StagePosition(stage=0, started_at=self.clock.now()))
            return fc
        if current.same_routing(old, {}):
            fc.expected = current
            return fc
        return None

    def _start(self, fc: FunctionCutover) -> None:
        params = {"FunctionName": fc.function, "Name": fc.alias, "FunctionVersion": fc.new, "RoutingConfig": {"AdditionalVersionWeights": {}}}
        self._record(fc, "intent", params=params, data={"old_version": fc.old, "new_version": fc.new, "alias": fc.alias})
        current = fc.expected or self.ops.get(fc.function, fc.alias)
        assert current is not None
        try:
            fc.enter_stage(0, current)
        except AliasChanged as error:
            fc.stop_changed(error)
        except V6WizardError as error:
            fc.fail("failed", error, getattr(error, "code", "") or type(error).__name__, str(error), rolled_back=False)

    def _past(self, action_id: str) -> dict[str, Any]:
        """What the journal says about an action's earlier attempts (for resume).

        Only a finished rollback (or a failed gate, which rolls back) starts the cutover over. Any
        other failure (an AWS error, someone else's alias change, low traffic) keeps the old version
        and the journaled stage, so resume checks the alias against that stage and continues its clock.
        """
        state: dict[str, Any] = {}
        for entry in self.journal.entries(self.session_id):
            if entry.action_id != action_id:
                continue
            if entry.phase == "rollback":
                if entry.kind == "outcome":
                    state = {}
            elif entry.kind == "intent":
                state = {"old": entry.data.get("old_version")}
            elif entry.kind == "stage" and state:
                state["position"] = stage_position_from(entry.data)
                state["paused_seconds"] = float(entry.data.get("paused_seconds") or 0.0)
                state["paused_since"] = entry.data.get("paused_since")
                state["low_traffic"] = False
            elif entry.kind == "outcome":
                state["done"] = True
            elif entry.kind == "failure":
                if entry.error_code == "HealthGateFailed" or entry.data.get("rolled_back"):
                    state = {}
                elif entry.error_code == "LowTraffic" and state:
                    state["low_traffic"] = True
        return state

    def _journaled_old(self, action_id: str) -> str | None:
        old = None
        for entry in self.journal.entries(self.session_id):
            if entry.action_id == action_id and entry.kind == "intent" and entry.phase == "apply":
                old = entry.data.get("old_version") or old
        return old

    # --- the loop ----------------------------------------------------------------------

    def _poll(self, fc: FunctionCutover) -> None:
        try:
            fc.poll()
        except AliasChanged as error:
            fc.stop_changed(error)
        except V6WizardError as error:
            # An AWS failure mid-bake leaves the alias where it is; the session stays resumable.
            fc.fail("failed", error, getattr(error, "code", "") or type(error).__name__, str(error), rolled_back=False)

    def _roll_back_all(self, cutovers: list[FunctionCutover]) -> None:
        """All-or-nothing: every other function goes back to its old version, finished ones included
        (none keeps the new version when one failed). One function's error is journaled as its own
        failure and does not stop the rollback of the others."""
        failed = [fc.function for fc in cutovers if fc.status not in ("active", "finished")]
        reason = f"all-or-nothing: {', '.join(failed)} did not pass"
        for fc in cutovers:
            if fc.status not in ("active", "finished"):
                continue
            try:
                current = fc.read_alias()
                fc.roll_back(current, reason, status="rolled-back")
            except AliasChanged as error:
                fc.stop_changed(error)
            except V6WizardError as error:
                code = getattr(error, "code", "") or type(error).__name__
                fc.fail("failed", error, code, f"{reason}, but its rollback failed: {error}", rolled_back=False)

    def _raise_if_unfinished(self, cutovers: list[FunctionCutover]) -> None:
        unfinished = [fc for fc in cutovers if fc.status != "finished"]
        if not unfinished:
            return
        if len(unfinished) == 1 and unfinished[0].error is not None:
            raise unfinished[0].error
        aborted = sorted((fc for fc in unfinished if fc.status == "aborted"), key=lambda fc: fc.function)
        stopped = stopped_by_you([(fc.alias, fc.old) for fc in aborted], [fc.function for fc in aborted]) if aborted else ""
        if len(aborted) == len(unfinished):
            # The operator's own stop is not a failure: one sentence, no "did not finish".
            raise CutoverAborted(stopped)
        failed = [fc for fc in unfinished if fc.status != "aborted"]
        summary = "; ".join(str(fc.error) for fc in failed if fc.error is not None) or "see the journal"
        if aborted:
            # Said once for every function the operator stopped, not once per function.
            summary += f" {stopped} ({', '.join(fc.function for fc in aborted)})."
        raise CutoverIncomplete(f"{len(unfinished)} of {len(cutovers)} cutovers did not finish: {summary}")

    # --- journal and events ------------------------------------------------------------

    def _append(self, action_id: str, kind: str, *, phase: str = "apply", **fields: Any) -> None:
        self.journal.append(
            JournalEntry(session_id=self.session_id, action_id=action_id, phase=phase, kind=kind, **fields)  # type: ignore[arg-type]
        )

    def _record(self, fc: FunctionCutover, kind: str, *, phase: str = "apply", **fields: Any) -> None:
        self._append(fc.action_id, kind, phase=phase, **fields)

    def _note(self, action_id: str, function: str, message: str, data: dict[str, Any]) -> None:
        self._append(action_id, "note", data=dict(data, function=function, message=message))
        self.on_event(
            EngineEvent(kind="note", session_id=self.session_id, step="cutover", action_id=action_id, message=message, data=data)
        )

    def _emit(self, fc: FunctionCutover, kind: str, message: str, data: dict[str, Any]) -> None:
        self.on_event(
            EngineEvent(
                kind=kind,  # type: ignore[arg-type]
                session_id=self.session_id,
                step="cutover",
                action_id=fc.action_id,
                message=message,
                data=data,
            )
        )
