"""The Engine: start a session, apply its steps, roll them back, resume, skip, and report state.

Steps run in plan order. Before a step, in-doubt actions (an intent with no outcome)
are reconciled by reading AWS, then every remaining action's precondition is checked
(drift); only then are calls made. Within a step, independent actions run at once
and `after_actions` orders the rest: a functions step starts every function's update
and waits for them together (one FunctionWatch), each publish following its own
function's wait; a step made only of subnet actions keeps `subnet_concurrency` calls
in flight while the ones whose call returned wait for their postcondition, read for
all of them at once by a SubnetWatch; other steps run `concurrency` actions at a time.
Every EC2 and Lambda request waits for the run's request budget (`aws.rate_limit`), so
a run stays within AWS's quotas. Preconditions hold in the planned baseline whatever
this session's earlier steps did, so the next step's check is read while the current
step runs, and a publish's versions-before read while its function's update runs
(bench/README.md has what each saves). Rollback runs the inverse calls in reverse
order, step by step; a full rollback ends by comparing the VPC with its pre-apply
snapshot. Every run holds the VPC's lock.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import botocore.exceptions

from v6wizard.aws.errors import translate
from v6wizard.aws.executor import Executor
from v6wizard.aws.session import AwsAccess
from v6wizard.aws.snapshot import Snapshot, diff_snapshots, take_snapshot
from v6wizard.aws.verify import SUBNET_CHECKS
from v6wizard.core.plan import STEP_ORDER, Action, Plan, resolve
from v6wizard.engine.actions import ActionRunner, start_apply_reads
from v6wizard.engine.drift import check_plan_fresh, check_step
from v6wizard.engine.events import EngineEvent
from v6wizard.engine.function_progress import FunctionProgress
from v6wizard.engine.journaling import SessionWriter
from v6wizard.engine.lease import LEASE_SECONDS, HeldLock
from v6wizard.engine.pool import run_ordered
from v6wizard.engine.session_view import SessionView
from v6wizard.engine.settings_journal import ignored_sentence, load_cutover_settings
from v6wizard.engine.session_status import check_resumable
from v6wizard.engine.state import CUTOVER_SETTINGS_NOTE, RUN_NOTE, SKIP_NOTE, SessionState
from v6wizard.engine.steps import check_step_name, later_applied, select_steps, undo_waits_for
from v6wizard.errors import BadInput, Cancelled, DriftDetected, InvalidOption, V6WizardError
from v6wizard.journal.base import Journal, SessionInfo
from v6wizard.journal.locks import locked_error

RESTORED_NOTE = "restored"
"""`data["note"]` of the note written after a full rollback: `data["differences"]` from the snapshot."""

WAITERS_PER_CALL = 6
"""In a subnet step, threads waiting on a postcondition per call slot (see SubnetWatch.gather)."""

FUNCTION_KINDS = frozenset({"update-function-config", "publish-version"})
"""Kinds of a step whose actions all run at once, their calls paced by the request budget alone."""

PENDING = ("planned", "failed", "applying", "rolled-back")
"""Action statuses that an apply run (re)does."""


class Engine:
    """Applies, verifies, journals and undoes a plan's actions for one account."""

    def __init__(
        self,
        access: AwsAccess,
        journal: Journal,
        *,
        on_event: Callable[[EngineEvent], None] = lambda e: None,
        concurrency: int = 8,
        subnet_concurrency: int | None = None,
        waiting_threads: int | None = None,
        cancel: threading.Event | None = None,
        cutover_settings: Any = None,
        executor: Executor | None = None,
        lease_seconds: float = LEASE_SECONDS,
        cutover_clock: Any = None,
        cutover_control: Any = None,
        budget: Any = None,
    ) -> None:
        self.access = access
        if budget is None and access.budget is None:
            from v6wizard.aws.rate_limit import budget_from_env

            budget = budget_from_env(os.environ)
        if budget is not None:
            access.use_budget(budget)
        self.budget = access.budget
        """The RequestBudget that paces every EC2 and Lambda request of the runs (aws.rate_limit)."""
        self.journal = journal
        self.view = SessionView(journal)
        """The sessions' plans and journal entries as read so far (only newer entries are read again)."""
        self.on_event = on_event
        self.concurrency = concurrency
        """Actions (and mutating calls) in flight at once within a step (a functions step runs all of its
        actions at once, paced by the request budget alone); also the drift check's reads."""
        self.subnet_concurrency = subnet_concurrency or concurrency
        """Calls in flight in a step made only of subnet actions (independent, one per subnet)."""
        if waiting_threads is None:
            # One call slot means strictly one action at a time (what a cautious run or a test asks for).
            # Enough that the calls never wait for a thread while the SubnetWatch gathers
            # postconditions for a shared read (a few dozen actions at 8 calls in flight).
            waiting_threads = WAITERS_PER_CALL * self.subnet_concurrency if self.subnet_concurrency > 1 else 0
        self.waiting_threads = waiting_threads
        """In such a step, how many more actions may wait for their (batched) postcondition read
        while the next ones make their calls; 0 keeps one action per call slot."""
        self.cancel = cancel or threading.Event()
        self.cutover_settings = cutover_settings
        self.executor = executor or Executor(access)
        self.lease_seconds = lease_seconds
        self.cutover_clock = cutover_clock
        """The cutover's clock (None: wall time); tests pass a fake one."""
        self.cutover_control = cutover_control
        """The operator's pause/promote/abort for the cutover (the TUI's buttons), or None."""

    # --- queries --------------------------------------------------------------------

    def state(self, session_id: str) -> SessionState:
        return self.view.state(session_id)

    def _emit(self, kind: str, session_id: str, message: str, **fields: Any) -> None:
        self.on_event(EngineEvent(kind=kind, session_id=session_id, message=message, **fields))  # type: ignore[arg-type]

    def _lock(self, session: SessionInfo) -> HeldLock:
        return HeldLock(self.journal, session.vpc_id, session.id, self.lease_seconds, on_lost=self.cancel.set)

    @contextmanager
    def _run(self, session_id: str, lock: HeldLock, *, rollback: bool) -> Iterator[None]:
        """Turn how a run ended into the session's status and one sentence that says what to do next."""
        try:
            yield
        except Cancelled:
            self.journal.set_status(session_id, "interrupted")
            if lock.lost is not None:
                raise lock.lost from None
            raise
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            # A read (reconcile, drift, verify) failed beyond botocore's retries.
            self.journal.set_status(session_id, "failed")
            error = translate(exc, self.access.target)
            error.message = _with_next_steps(error.message, session_id, rollback=rollback)
            raise error from None
        except V6WizardError as exc:
            self.journal.set_status(session_id, "failed")
            if not isinstance(exc, BadInput):
                exc.message = _with_next_steps(exc.message, session_id, rollback=rollback)
            raise

    # --- start ----------------------------------------------------------------------

    def start(self, plan: Plan) -> SessionInfo:
        """Check the plan still fits the account, snapshot the VPC, create the session."""
        account = self.access.identity().account_id
        if plan.account_id != account or plan.region != self.access.region:
            raise BadInput(
                f"The plan is for account {plan.account_id} in {plan.region}, but your credentials are for "
                f"account {account} in {self.access.region}; switch profile or region, or make a new plan."
            )
        # A run that would be refused the lock is refused before its session exists (no orphan session).
        holder = self.journal.lock_holder(plan.vpc_id)
        if holder is not None:
            raise locked_error(plan.vpc_id, holder)
        check_plan_fresh(self.access, plan)
        try:
            snapshot = take_snapshot(self.access, plan.vpc_id)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise translate(exc, self.access.target, doing=f"reading {plan.vpc_id} before the change") from None
        session = self.journal.create_session(plan, snapshot)
        with self._lock(session):
            self._emit("session-started", session.id, f"Session {session.id} started for {plan.vpc_id}.")
        return session

    # --- apply ----------------------------------------------------------------------

    def apply(self, session_id: str, *, only: list[str] | None = None, until: str | None = None) -> SessionInfo:
        """Apply the chosen steps (all by default) that are not applied yet."""
        steps = select_steps(only, until)
        session = self.journal.session(session_id)
        plan = self.view.plan(session_id)
        with self._lock(session) as lock, self._run(session_id, lock, rollback=False):
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="v6wizard-drift") as ahead:
                checks: dict[str, _DriftCheck] = {}
                # The first step's check is read while the run is journaled and marked.
                self._check_ahead(session, plan, self.state(session_id), steps, checks, ahead)
                writer = SessionWriter(self.journal, session_id)
                writer.append("note", data={"note": RUN_NOTE, "phase": "apply", "only": only or [], "until": until or ""})
                self.journal.set_status(session_id, "applying")
                for index, name in enumerate(steps):
                    self._apply_step(session, plan, name, writer, checks, ahead, steps[index + 1 :])
            self.journal.set_status(session_id, "applied")
            self._emit("session-finished", session_id, f"Session {session_id}: applied {', '.join(steps)}.")
        return self.journal.session(session_id)

    def _apply_step(
        self,
        session: SessionInfo,
        plan: Plan,
        name: str,
        writer: SessionWriter,
        checks: dict[str, _DriftCheck],
        ahead: ThreadPoolExecutor,
        later: list[str],
    ) -> None:
        """Apply one step. The drift check of the next of the `later` steps with anything to check is
        started in `ahead` while this step's actions run, and left in `checks` for that step."""
        state = self.state(session.id)
        step_state = state.step(name)
        if step_state.empty or step_state.status in ("applied", "skipped"):
            return
        if self.cancel.is_set():
            raise Cancelled(f"Stopped before the {name} step; continue with `v6wizard resume {session.id}`.")
        actions = {a.id: a for a in plan.step(name).actions}
        pending = [a for a in plan.step(name).actions if state.action(a.id).status in PENDING]
        self._check_earlier_done(plan, state, pending)
        total = len(step_state.actions)
        self._emit("step-started", session.id, f"{step_state.title}: {len(pending)} of {total} actions to apply.", step=name, total=total)
        outputs = state.outputs
        runner = self._action_runner(session, writer, outputs, pending)
        if name == "cutover":
            self._run_cutover(session, plan, pending, outputs)
            self._emit("step-finished", session.id, f"{step_state.title}: done.", step=name, done=total, total=total)
            return
        # Earlier attempts that left an intent: take what AWS has, redo only what it lacks.
        to_run: list[Action] = []
        for action in pending:
            action_state = state.action(action.id)
            if action_state.intent_params and runner.reconcile(action, action_state):
                continue
            to_run.append(action)
        ahead_of_time = checks.pop(name, None)
        if ahead_of_time is not None and ahead_of_time.action_ids == [a.id for a in to_run]:
            problems = ahead_of_time.problems.result()
        else:
            problems = self._read_drift(session, state, to_run)
        self._stop_on_drift(session, name, problems)
        self._check_ahead(session, plan, state, later, checks, ahead)
        start_apply_reads(runner.early, self.access, to_run, state.action)
        if runner.pipelined:
            runner.watch.expect(len(to_run))
        waits = {a.id: set(a.after_actions) for a in to_run}
        updates = sum(1 for a in to_run if a.kind == "update-function-config")
        with self._progress(runner, session, name, step_state.title, updates, "apply"):
            result = run_ordered(
                [a.id for a in to_run],
                waits,
                lambda action_id: runner.apply(actions[action_id], state.action(action_id)),
                concurrency=self._threads(runner, len(to_run)),
                cancel=self.cancel,
            )
        if result.error is not None:
            raise result.error
        if result.cancelled:
            raise Cancelled(f"Stopped during the {name} step; continue with `v6wizard resume {session.id}`.")
        self._emit("step-finished", session.id, f"{step_state.title}: applied.", step=name, done=total, total=total)

    def _check_ahead(
        self,
        session: SessionInfo,
        plan: Plan,
        state: SessionState,
        steps: list[str],
        checks: dict[str, _DriftCheck],
        ahead: ThreadPoolExecutor,
    ) -> None:
        """Start, in `ahead`, the drift check of the first of `steps` with anything to check; left in `checks`."""
        upcoming = next(((n, c) for n in steps if (c := self._checkable(plan, state, n))), None)
        if upcoming is not None:
            step_name, step_actions = upcoming
            checks[step_name] = _DriftCheck(
                [a.id for a in step_actions], ahead.submit(self._read_drift, session, state, step_actions)
            )

    def _action_runner(
        self,
        session: SessionInfo,
        writer: SessionWriter,
        outputs: dict[str, dict[str, Any]],
        actions: list[Action],
    ) -> ActionRunner:
        """A step's runner: its calls bounded by a semaphore (a functions step's by the request budget alone),
        its subnet postconditions read in shared batches."""
        subnets_only = bool(actions) and all(a.kind in SUBNET_CHECKS for a in actions)
        # One call slot is a cautious run's (or a test's) strictly one action at a time, functions too.
        functions_only = bool(actions) and all(a.kind in FUNCTION_KINDS for a in actions) and self.concurrency > 1
        slots = self.subnet_concurrency if subnets_only else self.concurrency
        return ActionRunner(
            self.access, self.executor, writer, session.id, session.vpc_id, outputs, self.on_event,
            max_calls=0 if functions_only else max(1, slots), pipelined=subnets_only,
        )

    def _threads(self, runner: ActionRunner, actions: int) -> int:
        if runner.max_calls == 0:
            # Every function's update in flight at once: a thread each, nearly all of them waiting on AWS.
            return max(1, actions)
        # Calls are bounded by the runner's slots; the extra threads only wait for postconditions,
        # which pays only where those are read in shared batches (subnet steps).
        return runner.max_calls + (self.waiting_threads if runner.pipelined else 0)

    @contextmanager
    def _progress(self, runner: ActionRunner, session: SessionInfo, step: str, title: str, updates: int, phase: str) -> Iterator[None]:
        """Around a step with function updates: their progress ("N of M updated, K in progress") as events."""
        if not updates:
            yield
            return
        with FunctionProgress(self.on_event, session.id, step, title, updates, phase=phase) as progress:
            runner.progress = progress
            yield

    def _check_earlier_done(self, plan: Plan, state: SessionState, pending: list[Action]) -> None:
        ids = {a.id for a in pending}
        for action in pending:
            for dep in action.after_actions:
                # A step the operator chose to skip counts as settled for the steps after it.
                if dep not in ids and state.action(dep).status not in ("applied", "skipped"):
                    earlier = plan.action(dep).step
                    raise InvalidOption(
                        f"Step {action.step} needs step {earlier} applied first ({action.id} depends on {dep}).",
                        hints={
                            "cli": f"Apply that step too, e.g. --until {action.step}.",
                            "tui": f"Apply step {earlier} first (open it from the plan), or apply every step in order with Apply all (A).",
                        },
                    )

    @staticmethod
    def _checkable(plan: Plan, state: SessionState, name: str) -> list[Action]:
        """A step's actions that its drift check covers, as far as known before it runs: the pending ones
        with no intent (an in-doubt one is reconciled first, and then the step is checked afresh)."""
        if name == "cutover" or state.step(name).empty or state.step(name).status in ("applied", "skipped"):
            return []
        return [a for a in plan.step(name).actions if state.action(a.id).status in PENDING and not state.action(a.id).intent_params]

    def _read_drift(self, session: SessionInfo, state: SessionState, actions: list[Action]) -> dict[str, str]:
        """The preconditions of `actions` as AWS has them now: action id -> what changed."""
        # Reads need no client token, and a value another step will record is not looked at:
        # unresolved placeholders stay as written.
        resolved = [
            (a, resolve(a.call.params, outputs=state.outputs, session_id=session.id, client_token="unused-for-reads", keep_unresolved=True))
            for a in actions
        ]
        return check_step(self.access, resolved, session.id, concurrency=self.concurrency) if resolved else {}

    def _stop_on_drift(self, session: SessionInfo, step: str, problems: dict[str, str]) -> None:
        if problems:
            changes = "; ".join(problems.values())
            self._emit("drift", session.id, f"The account changed since the plan was made: {changes}.", step=step, data={"changes": problems})
            raise DriftDetected(
                f"{session.vpc_id} changed since the plan was made: {changes}; make a new plan with `v6wizard plan`."
            )

    # --- cutover --------------------------------------------------------------------

    def _run_cutover(self, session: SessionInfo, plan: Plan, actions: list[Action], outputs: dict[str, dict[str, Any]]) -> None:
        runner = self._cutover_runner(session, plan)
        runner.run(actions, outputs)

    def _cutover_runner(self, session: SessionInfo, plan: Plan) -> Any:
        from v6wizard.engine.cutover import CutoverRunner

        return CutoverRunner(
            self.access, self.executor, self.journal, session.id, plan, self._cutover_settings(session.id),
            self.on_event, self.cancel, self.cutover_clock, self.cutover_control,
        )

    def _cutover_settings(self, session_id: str) -> Any:
        """The settings given to this engine (journaled, so a resume keeps the same gates and alarms),
        else the ones last journaled for the session, else the defaults."""
        from v6wizard.engine.cutover import CutoverSettings

        if self.cutover_settings is not None:
            SessionWriter(self.journal, session_id).append(
                "note", data={"note": CUTOVER_SETTINGS_NOTE, "cutover_settings": self.cutover_settings.model_dump(mode="json")}
            )
            return self.cutover_settings
        ignored: list[str] = []
        settings = journaled_cutover_settings(self.journal, session_id, ignored)
        if ignored:
            self._emit("note", session_id, ignored_sentence(ignored), data={"ignored": ignored})
        return settings or CutoverSettings()

    # --- rollback -------------------------------------------------------------------

    def rollback(self, session_id: str, *, step: str | None = None) -> SessionInfo:
        """Undo one step (refused while a later step holds effects) or the whole session, in reverse order."""
        session = self.journal.session(session_id)
        plan = self.view.plan(session_id)
        state = self.state(session_id)
        if step is not None:
            check_step_name(step)
            blocking = later_applied(state, step)
            if blocking:
                raise InvalidOption(
                    f"Roll back {', '.join(reversed(blocking))} before {step}: later steps are still applied."
                )
            steps = [step]
        else:
            steps = list(reversed(STEP_ORDER))
        with self._lock(session) as lock, self._run(session_id, lock, rollback=True):
            writer = SessionWriter(self.journal, session_id)
            writer.append("note", data={"note": RUN_NOTE, "phase": "rollback", "step": step or ""})
            self.journal.set_status(session_id, "rolling-back")
            before = self.journal.snapshot(session_id) if step is None else None
            for name in steps:
                self._rollback_step(session, plan, name, writer)
            left = [s.name for s in self.state(session_id).steps if any(a.effect_may_exist for a in s.actions)]
            if not left and before is not None:
                self._compare_with_snapshot(session, writer, before, self._snapshot(session, before))
            self.journal.set_status(session_id, "applied" if left else "rolled-back")
            what = f"the {step} step" if step else "every step"
            self._emit("session-finished", session_id, f"Session {session_id}: rolled back {what}.", phase="rollback")
        return self.journal.session(session_id)

    def _snapshot(self, session: SessionInfo, before: Snapshot) -> Snapshot:
        """The VPC's snapshot now (the functions of `before` likely still attached)."""
        likely = [f["name"] for f in before.get("functions", [])]
        return take_snapshot(self.access, session.vpc_id, likely_functions=likely)

    def _compare_with_snapshot(self, session: SessionInfo, writer: SessionWriter, before: Snapshot, after: Snapshot) -> None:
        """After a full rollback: journal whether the VPC matches its pre-apply snapshot, and say so."""
        differences = diff_snapshots(before, after)
        writer.append("note", data={"note": RESTORED_NOTE, "differences": differences})
        if differences:
            sections = ", ".join(d.split(":", 1)[0] for d in differences)
            message = f"{session.vpc_id} differs from its pre-apply snapshot in: {sections} (changed by someone else?)."
        else:
            message = f"{session.vpc_id} matches its pre-apply snapshot."
        self._emit("note", session.id, message, phase="rollback", data={"differences": differences})

    def _rollback_step(self, session: SessionInfo, plan: Plan, name: str, writer: SessionWriter) -> None:
        state = self.state(session.id)
        step_state = state.step(name)
        targets = [a for a in plan.step(name).actions if state.action(a.id).effect_may_exist]
        if not targets:
            return
        if self.cancel.is_set():
            raise Cancelled(f"Stopped before undoing the {name} step; continue with `v6wizard resume {session.id}`.")
        self._emit("step-started", session.id, f"{step_state.title}: undoing {len(targets)} actions.", step=name, phase="rollback", total=len(targets))
        if name == "cutover":
            runner = self._cutover_runner(session, plan)
            for action in reversed(targets):
                runner.rollback(action, state.outputs)
            return
        outputs = {a.id: a.outputs for s in state.steps for a in s.actions if a.outputs}
        runner = self._action_runner(session, writer, outputs, targets)
        by_id = {a.id: a for a in targets}
        if runner.pipelined:
            runner.watch.expect(sum(1 for a in targets if a.inverse is not None and state.action(a.id).intent_params))
        restores = sum(1 for a in targets if a.kind == "update-function-config" and a.inverse is not None)
        with self._progress(runner, session, name, step_state.title, restores, "rollback"):
            result = run_ordered(
                [a.id for a in reversed(targets)],
                undo_waits_for(targets),
                lambda action_id: runner.undo(by_id[action_id], state.action(action_id)),
                concurrency=self._threads(runner, len(targets)),
                cancel=self.cancel,
            )
        if result.error is not None:
            raise result.error
        if result.cancelled:
            raise Cancelled(f"Stopped while undoing the {name} step; continue with `v6wizard resume {session.id}`.")
        self._emit("step-finished", session.id, f"{step_state.title}: rolled back.", step=name, phase="rollback", done=len(targets), total=len(targets))

    # --- resume and skip ------------------------------------------------------------

    def resume(self, session_id: str, *, force_unlock: bool = False) -> SessionInfo:
        """Continue the last run (apply or rollback) from where the journal says it stopped."""
        session = self.journal.session(session_id)
        check_resumable(session_id, self.state(session_id).status)
        if force_unlock:
            self.journal.force_unlock(session.vpc_id)
        runs = [e for e in self.view.entries(session_id) if e.kind == "note" and e.data.get("note") == RUN_NOTE]
        last = runs[-1].data if runs else {"phase": "apply"}
        if last.get("phase") == "rollback":
            return self.rollback(session_id, step=last.get("step") or None)
        return self.apply(session_id, only=list(last.get("only") or []) or None, until=last.get("until") or None)

    def skip(self, session_id: str, step: str) -> SessionInfo:
        """Mark a step skipped (nothing of it applied); later steps may run without it."""
        check_step_name(step)
        state = self.state(session_id)
        if any(a.effect_may_exist for a in state.step(step).actions):
            raise InvalidOption(f"The {step} step has applied actions; roll it back before skipping it.")
        SessionWriter(self.journal, session_id).append("note", data={"note": SKIP_NOTE, "step": step})
        return self.journal.session(session_id)


class _DriftCheck:
    """A step's precondition reads started ahead of it: which actions they cover, and what changed (action id -> sentence)."""

    def __init__(self, action_ids: list[str], problems: Future[dict[str, str]]) -> None:
        self.action_ids = action_ids
        self.problems = problems


def _with_next_steps(message: str, session_id: str, rollback: bool = False) -> str:
    if "v6wizard resume" in message or "v6wizard plan" in message:
        return message
    message = message.rstrip(".")
    if rollback:
        return f"{message}. Continue the rollback with `v6wizard resume {session_id}`."
    return f"{message}. Continue with `v6wizard resume {session_id}` or undo with `v6wizard rollback {session_id}`."


def journaled_cutover_settings(journal: Journal, session_id: str, ignored: list[str] | None = None) -> Any | None:
    """The CutoverSettings a session's last run was given, if any; fields that do not validate get their
    defaults and are added to `ignored` (a bad setting never blocks a rollback)."""
    for entry in reversed(journal.entries(session_id)):
        if entry.kind == "note" and entry.data.get("note") == CUTOVER_SETTINGS_NOTE:
            settings, dropped = load_cutover_settings(entry.data.get("cutover_settings"))
            if ignored is not None:
                ignored.extend(dropped)
            return settings
    return None
