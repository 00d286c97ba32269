"""One function's cutover: its stage, its bake clock, one poll at a time.

`FunctionCutover.poll` reads the alias (stop if someone else changed it), reads the
two versions' metrics for the current stage, judges them (`core.gates`), decides
(`core.cutover_plan`) and moves the alias. Every stage change, rollback and outcome is
journaled and emitted as an event by the shared `CutoverContext`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import botocore.exceptions

from v6wizard.aws.errors import translate
from v6wizard.aws.metrics import alarms_firing, read_version_stats
from v6wizard.aws.session import AwsAccess
from v6wizard.core.cutover_plan import StagePosition, bake_deadline, decide, is_final
from v6wizard.core.cutover_words import STOPPED_BY_YOU, stopped_by_you, verdict_label
from v6wizard.core.gates import GateThresholds, VersionStats, evaluate_gates
from v6wizard.core.schedule import Stage
from v6wizard.engine.cutover_alias import AliasOps, AliasState, changed_error
from v6wizard.engine.cutover_control import Clock, CutoverControl
from v6wizard.errors import AliasChanged, CutoverAborted, HealthGateFailed, LowTraffic, V6WizardError

Status = Literal["active", "finished", "rolled-back", "low-traffic", "aborted", "alias-changed", "failed"]


@dataclass
class CutoverContext:
    """What every function's cutover shares: AWS, the schedule, the gates, the journal and events."""

    access: AwsAccess
    ops: AliasOps
    clock: Clock
    control: CutoverControl
    schedule: list[Stage]
    thresholds: GateThresholds
    alarms: list[str]
    max_extensions: int
    record: Callable[..., None]
    """record(fc, kind, phase=..., **entry fields): append a journal entry for fc's action."""
    emit: Callable[..., None]
    """emit(fc, kind, message, data): send an EngineEvent."""


class FunctionCutover:
    """The cutover state of one alias."""

    def __init__(self, ctx: CutoverContext, action_id: str, function: str, alias: str, new: str, old: str) -> None:
        self.ctx = ctx
        self.action_id = action_id
        self.function = function
        self.alias = alias
        self.new = new
        self.old = old
        self.position: StagePosition | None = None
        self.expected: AliasState | None = None
        """The alias as we last left it; anything else means someone else changed it."""
        self.status: Status = "active"
        self.error: V6WizardError | None = None
        self.paused_seconds = 0.0
        """Time this stage spent paused by the operator; it extends the stage's bake."""
        self.paused_since: datetime | None = None
        """When the current pause was first seen by a poll (None: not paused)."""

    # --- stage moves -----------------------------------------------------------------

    def routing_for(self, stage: int) -> tuple[str, dict[str, float]]:
        """The alias's FunctionVersion and weights at a stage; the final stage is the new version alone."""
        if is_final(self.ctx.schedule, stage):
            return self.new, {}
        return self.old, {self.new: self.ctx.schedule[stage].weight}

    def enter_stage(self, stage: int, current: AliasState, *, extensions: int = 0) -> None:
        """Move the alias to `stage`, journal it and announce it."""
        version, weights = self.routing_for(stage)
        if not current.same_routing(version, weights):
            current = self.ctx.ops.update(current, version, weights)
        self.expected = current
        self.paused_seconds, self.paused_since = 0.0, None
        self.set_position(StagePosition(stage=stage, started_at=self.ctx.clock.now(), extensions=extensions))

    def set_position(self, position: StagePosition) -> None:
        self.position = position
        stage = self.ctx.schedule[position.stage]
        weight = 1.0 if is_final(self.ctx.schedule, position.stage) else stage.weight
        deadline = bake_deadline(self.ctx.schedule, self.bake_position(self.ctx.clock.now()))
        data = {
            "function": self.function,
            "stage": position.stage,
            "percent": stage.percent,
            "weight": weight,
            "bake_seconds": stage.bake_seconds,
            "started_at": position.started_at.isoformat(),
            "extensions": position.extensions,
            "paused_seconds": self.paused_seconds,
            "paused_since": self.paused_since.isoformat() if self.paused_since else None,
            "old_version": self.old,
            "new_version": self.new,
        }
        self.ctx.record(self, "stage", data=data)
        event = dict(data, stage_started_at=data["started_at"], next_stage_at=deadline.isoformat(), paused=self.paused_since is not None)
        self.ctx.emit(self, "cutover-stage", f"{self.function}: {stage.percent:g}% on version {self.new}", event)

    # --- one poll ----------------------------------------------------------------------

    def poll(self) -> None:
        """Check controls, the alias and the gates once, and act on the decision."""
        assert self.position is not None
        request = self.ctx.control.take_request(self.function)
        if request == "abort":
            self.roll_back(self.read_alias(), "aborted by the operator", status="aborted")
            return
        if request == "promote":
            self.ctx.emit(self, "note", f"{self.function}: promoted to 100% by the operator", {"function": self.function})
            self.enter_stage(len(self.ctx.schedule) - 1, self.read_alias())
            self.finish()
            return

        now = self.ctx.clock.now()
        self.track_pause(now)
        start = self.position.started_at
        end = max(now, start + timedelta(seconds=1))
        try:
            cloudwatch = self.ctx.access.client("cloudwatch")
            stats = read_version_stats(cloudwatch, self.function, self.alias, [self.old, self.new], start, end)
            firing = alarms_firing(cloudwatch, self.ctx.alarms)
        except botocore.exceptions.ClientError as exc:
            raise translate(exc, self.ctx.access.target, f"reading CloudWatch metrics of {self.function}") from None
        old, new = stats[self.old], stats[self.new]
        verdict = evaluate_gates(old, new, self.ctx.thresholds, firing)
        self.ctx.emit(self, "cutover-poll", f"{self.function}: {verdict.outcome}", self.poll_data(old, new, verdict.checks))

        # The metrics window starts with the stage; the bake clock leaves out paused time.
        decision = decide(self.ctx.schedule, self.bake_position(now), now, verdict, self.ctx.max_extensions)
        label = verdict_label(verdict.outcome, decision.kind)
        self.ctx.emit(
            self, "cutover-verdict", f"{self.function}: {label}: {verdict.reason}",
            {"function": self.function, "verdict": verdict.outcome, "decision": decision.kind, "label": label, "reason": verdict.reason},
        )
        if decision.kind == "rollback":
            # No read first: the update is conditional on the RevisionId we left, so a change
            # by someone else still answers 412, and the rollback costs one round trip.
            assert self.expected is not None
            self.roll_back(self.expected, decision.reason, status="rolled-back")
            return
        current = self.read_alias()
        if self.paused_since is not None or decision.kind == "hold":
            return
        elif decision.kind == "advance":
            self.enter_stage(self.position.stage + 1, current)
            if is_final(self.ctx.schedule, self.position.stage) and self.ctx.schedule[-1].bake_seconds <= 0:
                self.finish()
        elif decision.kind == "finish":
            self.finish()
        elif decision.kind == "extend":
            self.set_position(self.position.model_copy(update={"extensions": self.position.extensions + 1}))
        elif decision.kind == "stop-low-traffic":
            self.stop_low_traffic(decision.reason)

    def track_pause(self, now: datetime) -> None:
        """Pause stops the bake clock: note when a pause starts and ends, journaled at each edge for resume.

        Pauses are seen at poll granularity (the runner reads the controls once per poll)."""
        paused = self.ctx.control.is_paused(self.function)
        if paused and self.paused_since is None:
            self.paused_since = now
        elif not paused and self.paused_since is not None:
            self.paused_seconds += max((now - self.paused_since).total_seconds(), 0.0)
            self.paused_since = None
        else:
            return
        assert self.position is not None
        self.set_position(self.position)

    def restore_pause(self, seconds: float, since: str | None) -> None:
        """The pause bookkeeping of a journaled stage (a resumed session ends an open pause at its first poll)."""
        self.paused_seconds = seconds
        self.paused_since = datetime.fromisoformat(since) if since else None

    def bake_position(self, now: datetime) -> StagePosition:
        """The position as the bake clock sees it: started later by the time spent paused."""
        assert self.position is not None
        paused = self.paused_seconds
        if self.paused_since is not None:
            paused += max((now - self.paused_since).total_seconds(), 0.0)
        return self.position.model_copy(update={"started_at": self.position.started_at + timedelta(seconds=paused)})

    def poll_data(self, old: VersionStats, new: VersionStats, checks: list[Any]) -> dict[str, Any]:
        def one(version: str, stats: VersionStats) -> dict[str, Any]:
            return {
                "version": version,
                "invocations": stats.invocations,
                "error_rate": round(stats.error_rate, 4),
                "throttles": stats.throttles,
                "p99_ms": stats.p99_ms,
            }

        return {
            "function": self.function,
            "stage": self.position.stage if self.position else None,
            "old": one(self.old, old),
            "new": one(self.new, new),
            "checks": [check.model_dump() for check in checks],
        }

    def read_alias(self) -> AliasState:
        """The alias now; AliasChanged when it is not as we left it (RevisionId or routing)."""
        current = self.ctx.ops.get(self.function, self.alias)
        expected = self.expected
        if expected is not None and (
            current is None
            or (expected.revision_id and current.revision_id != expected.revision_id)
            or not current.same_routing(expected.version, expected.weights)
        ):
            raise changed_error(expected, current)
        assert current is not None
        return current

    # --- endings ----------------------------------------------------------------------

    def finish(self) -> None:
        self.status = "finished"
        self.ctx.record(self, "outcome", outputs={"FunctionVersion": self.new}, data={"final_version": self.new})
        self.ctx.emit(
            self, "cutover-finished", f"{self.function}: alias {self.alias} is on version {self.new}",
            {"function": self.function, "result": "finished", "final_version": self.new},
        )

    def roll_back(self, current: AliasState, reason: str, *, status: Status, code: str = "") -> None:
        """Alias back to the old version with routing cleared, then journal why."""
        params = {"FunctionName": self.function, "Name": self.alias, "FunctionVersion": self.old}
        self.ctx.record(self, "intent", phase="rollback", params=params, data={"reason": reason})
        if not current.same_routing(self.old, {}):
            current = self.ctx.ops.update(current, self.old, {})
        self.expected = current
        self.ctx.record(self, "outcome", phase="rollback", outputs={"FunctionVersion": self.old})
        if status == "aborted":
            self.error = CutoverAborted(stopped_by_you([(self.alias, self.old)]))
        else:
            self.error = HealthGateFailed(
                f"The cutover of {self.function} failed a health gate ({reason}); alias {self.alias} "
                f"is back on version {self.old}."
            )
        self.fail(status, self.error, code or type(self.error).__name__, reason, rolled_back=True)

    def stop_low_traffic(self, reason: str) -> None:
        assert self.position is not None
        stage = self.ctx.schedule[self.position.stage]
        error = LowTraffic(
            f"The cutover of {self.function} stopped at {stage.percent:g}% because {reason} after "
            f"{self.position.extensions} bake extension(s); the alias stays split. Resume the session to keep "
            f"watching, promote it (TUI: 'Promote now'), or roll back the cutover step."
        )
        self.fail("low-traffic", error, "LowTraffic", reason, rolled_back=False)

    def stop_changed(self, error: AliasChanged) -> None:
        self.fail("alias-changed", error, "AliasChanged", str(error), rolled_back=False)

    def fail(self, status: Status, error: V6WizardError, code: str, reason: str, *, rolled_back: bool) -> None:
        self.status = status
        self.error = error
        stage = self.position.stage if self.position else None
        data = {"function": self.function, "stage": stage, "rolled_back": rolled_back, "reason": reason}
        self.ctx.record(self, "failure", error_code=code, error_message=str(error), data=data)
        outcome = _verdict(status)
        label = STOPPED_BY_YOU if status == "aborted" else verdict_label(outcome, "stop-low-traffic")
        self.ctx.emit(self, "cutover-verdict", f"{self.function}: {label}: {reason}", dict(data, verdict=outcome, label=label))
        self.ctx.emit(self, "cutover-finished", str(error), dict(data, result=status, final_version=self.final_version()))

    def final_version(self) -> str:
        return self.expected.version if self.expected else self.old


def _verdict(status: Status) -> str:
    return {"low-traffic": "low-traffic", "finished": "pass", "aborted": "stopped"}.get(status, "fail")


def stage_position_from(data: dict[str, Any]) -> StagePosition:
    return StagePosition(
        stage=int(data["stage"]),
        started_at=datetime.fromisoformat(data["started_at"]),
        extensions=int(data.get("extensions", 0)),
    )
