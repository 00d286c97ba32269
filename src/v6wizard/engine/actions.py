"""Apply, reconcile and undo one action: intent, call, verify, outcome.

`ActionRunner` holds what every action of a run shares (access, executor, journal
writer, the outputs recorded so far) and does, for one action:

- `apply`: resolve the parameters, journal an intent (with the client token, minted
  once per action and reused on every retry), make the call, verify the
  postcondition by reading AWS (subnet actions through the step's shared SubnetWatch:
  one DescribeSubnets for every action waiting at that moment; function updates
  through its FunctionWatch: one poller for every function being updated), journal
  the outcome, or a failure with AWS's code;
- `reconcile`: for an intent with no outcome, look in AWS for its effect and record
  it, so a resumed run never creates a duplicate;
- `undo`: the same cycle for the inverse call, in phase `rollback`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, NoReturn

import botocore.exceptions

from v6wizard.aws.errors import error_code, error_message, translate
from v6wizard.aws.executor import Executor
from v6wizard.aws.session import AwsAccess
from v6wizard.aws import verify
from v6wizard.aws.function_watch import FunctionWatch
from v6wizard.aws.subnet_watch import SubnetWatch
from v6wizard.core.inventory import OURS_TAG
from v6wizard.core.plan import Action, placeholders, resolve
from v6wizard.engine.events import EngineEvent
from v6wizard.engine.gateway_routes import refuse_if_routes_use
from v6wizard.engine.journaling import SessionWriter
from v6wizard.engine.state import ActionState
from v6wizard.errors import AwsCallFailed

Emit = Callable[[EngineEvent], None]


def _find(tree: Any, key: str) -> Any:
    """The first value under `key` anywhere in a response tree."""
    if isinstance(tree, dict):
        if key in tree:
            return tree[key]
        for value in tree.values():
            found = _find(value, key)
            if found is not None:
                return found
    elif isinstance(tree, list):
        for value in tree:
            found = _find(value, key)
            if found is not None:
                return found
    return None


def extract_outputs(response: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """The action's declared output keys, as found in AWS's response."""
    response = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    return {key: value for key in keys if (value := _find(response, key)) is not None}


class EarlyReads:
    """Reads started before the action that needs them runs: action id -> (what was read, the read).

    A read is started early only where nothing that runs in between changes its answer
    (see `start_apply_reads`); the action takes it only if it names
    the same resource the action is about to use, and reads afresh otherwise. A read can
    wait for another action's call (`start_after`), so it never takes the request budget
    ahead of that call.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reads: dict[str, tuple[Any, Future[Any]]] = {}
        self._after: dict[str, list[tuple[str, Any, Callable[[], Any]]]] = {}

    def start(self, action_id: str, what: Any, read: Callable[[], Any]) -> None:
        with self._lock:
            self._reads[action_id] = (what, verify.read_ahead(read))

    def start_after(self, call_id: str, action_id: str, what: Any, read: Callable[[], Any]) -> None:
        """Start the read once the action `call_id` has made its call (see `call_returned`)."""
        with self._lock:
            self._after.setdefault(call_id, []).append((action_id, what, read))

    def call_returned(self, call_id: str) -> None:
        with self._lock:
            waiting = self._after.pop(call_id, [])
        for action_id, what, read in waiting:
            self.start(action_id, what, read)

    def take(self, action_id: str, what: Any) -> Future[Any] | None:
        with self._lock:
            started = self._reads.pop(action_id, None)
        return started[1] if started is not None and started[0] == what else None


def start_apply_reads(early: EarlyReads, access: AwsAccess, actions: list[Action], states: Callable[[str], ActionState]) -> None:
    """Start what `actions`' intents will need to read, so it overlaps the step's earlier actions: a publish's
    highest version number before it, read while its function's update settles (the update makes no version),
    once that update's call is made (Lambda's control-plane budget goes to the updates first)."""
    ids = {a.id for a in actions}
    for action in actions:
        if action.kind == "publish-version" and states(action.id).intent_data.get("versions_before") is None:
            name = action.call.params["FunctionName"]
            read = lambda name=name: verify.latest_version_number(access, name)  # noqa: E731
            update = next((d for d in action.after_actions if d in ids and d.endswith(f":{name}")), None)
            if update is not None:
                early.start_after(update, action.id, name, read)
            else:
                early.start(action.id, name, read)


class ActionRunner:
    """Runs single actions for one session; shared by the threads of a step."""

    def __init__(
        self,
        access: AwsAccess,
        executor: Executor,
        writer: SessionWriter,
        session_id: str,
        vpc_id: str,
        outputs: dict[str, dict[str, Any]],
        emit: Emit,
        *,
        watch: SubnetWatch | None = None,
        max_calls: int = 0,
        pipelined: bool = False,
        early: EarlyReads | None = None,
        progress: Any = None,
    ) -> None:
        self.access = access
        self.executor = executor
        self.writer = writer
        self.session_id = session_id
        self.vpc_id = vpc_id
        self.outputs = outputs
        self._emit = emit
        self._lock = threading.Lock()
        self._vpc_block: str | None = None
        self.watch = watch or SubnetWatch(access)
        """Shared DescribeSubnets for the postconditions of subnet actions (one read for many threads)."""
        self.max_calls = max_calls
        """Mutating calls in flight at once (0: unbounded here, the pool bounds them); threads waiting
        on a postcondition do not hold a slot."""
        self._call_slots = threading.BoundedSemaphore(max_calls) if max_calls > 0 else None
        self.pipelined = pipelined
        """True when the step runs more actions than call slots (the rest wait on postconditions)."""
        self.early = early or EarlyReads()
        """Reads started before their actions run (see `start_apply_reads`)."""
        self.functions = FunctionWatch(access)
        """Shared waits for function updates (one poller for every function being updated)."""
        self.progress = progress
        """The step's FunctionProgress (engine.function_progress), told of each update called and settled."""

    # --- shared helpers -------------------------------------------------------------

    def event(self, kind: str, action: Action, message: str, phase: str = "apply", **data: Any) -> None:
        self._emit(EngineEvent(kind=kind, session_id=self.session_id, step=action.step, action_id=action.id, phase=phase, message=message, data=data))  # type: ignore[arg-type]

    def record(self, action_id: str, outputs: dict[str, Any]) -> None:
        with self._lock:
            self.outputs[action_id] = outputs

    def vpc_block(self) -> str | None:
        """The VPC's associated IPv6 block, from this session's outputs or AWS (for `${subnet64:N}`)."""
        with self._lock:
            for action_id, outputs in self.outputs.items():
                if action_id.startswith("vpc-cidr:") and outputs.get("Ipv6CidrBlock"):
                    return str(outputs["Ipv6CidrBlock"])
            if self._vpc_block is None:
                vpc = self.access.client("ec2").describe_vpcs(VpcIds=[self.vpc_id])["Vpcs"][0]
                for assoc in vpc.get("Ipv6CidrBlockAssociationSet") or []:
                    if assoc.get("Ipv6CidrBlockState", {}).get("State") == "associated":
                        self._vpc_block = assoc.get("Ipv6CidrBlock")
            return self._vpc_block

    def resolve(self, params: dict[str, Any], client_token: str = "") -> dict[str, Any]:
        needs_block = any(name.startswith("subnet64:") for name in placeholders(params))
        with self._lock:
            outputs = dict(self.outputs)
        return resolve(
            params,
            outputs=outputs,
            session_id=self.session_id,
            client_token=client_token,
            vpc_block=self.vpc_block() if needs_block else None,
        )

    def _on_wait(self, action: Action, phase: str) -> Callable[[str], None]:
        return lambda message: self.event("waiting", action, message, phase)

    def _invoke(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if self._call_slots is None:
            return self.executor.invoke(service, operation, params)
        with self._call_slots:
            return self.executor.invoke(service, operation, params)

    def _verify_present(self, action: Action, params: dict[str, Any], ctx: verify.ProbeContext, phase: str) -> dict[str, Any]:
        what, on_wait = action.postcondition.description, self._on_wait(action, phase)
        if action.kind in verify.SUBNET_CHECKS:
            return self.watch.present(action.kind, params, what=what, on_wait=on_wait)
        if action.kind == "update-function-config":
            # The settle wait already read the configuration: check it before reading again.
            found = verify.function_config_in(self._settled(params["FunctionName"]), params)
            if found is not None and found.ready:
                return found.outputs
        if action.kind == "publish-version" and ctx.known.get("Version"):
            # The call named its version: read that one (GetFunction's own quota) instead of every version.
            found = verify.published_version_in(verify.function_config(self.access, params["FunctionName"], str(ctx.known["Version"])))
            if found is not None:
                return found.outputs
        return verify.wait_present(self.access, action.kind, params, ctx, what=what, on_wait=on_wait)

    def _verify_absent(self, action: Action, params: dict[str, Any], ctx: verify.ProbeContext, inverse_params: dict[str, Any]) -> None:
        what, on_wait = f"undo of {action.id}", self._on_wait(action, "rollback")
        if action.kind in verify.SUBNET_CHECKS:
            self.watch.absent(action.kind, params, what=what, on_wait=on_wait)
            return
        if action.inverse is not None and action.inverse.operation == "UpdateFunctionConfiguration":
            if verify.function_config_in(self._settled(inverse_params["FunctionName"]), params) is None:
                return
        verify.wait_absent(self.access, action.kind, params, ctx, what=what, on_wait=on_wait)

    def _settled(self, name: str) -> dict[str, Any]:
        """Wait for a function's update to finish (counted in the step's progress); its configuration."""
        if self.progress is None:
            return self.functions.settled(name)
        self.progress.called()
        ok = False
        try:
            config = self.functions.settled(name)
            ok = True
            return config
        finally:
            self.progress.settled(ok)

    # --- apply ----------------------------------------------------------------------

    def reconcile(self, action: Action, state: ActionState) -> bool:
        """Look for the effect of an earlier, unfinished attempt; record it and return True if found."""
        if not state.intent_params:
            return False
        ctx = verify.ProbeContext(session_id=self.session_id, data=state.intent_data)
        found = verify.probe(self.access, action.kind, state.intent_params, ctx)
        if found is None:
            return False
        if not found.ready:
            outputs = verify.wait_present(
                self.access, action.kind, state.intent_params, verify.ProbeContext(self.session_id, found.outputs, state.intent_data),
                what=action.postcondition.description, on_wait=self._on_wait(action, "apply"),
            )
        else:
            outputs = found.outputs
        self.writer.append("outcome", action.id, outputs=outputs, data={"reconciled": True})
        self.record(action.id, outputs)
        self.event("action-reconciled", action, f"{action.title}: found in AWS, recorded", outputs=outputs)
        return True

    def apply(self, action: Action, state: ActionState) -> None:
        """Intent, call, verify, outcome (or failure) for one action."""
        token = str(state.intent_data.get("client_token") or "")
        if not token and "client_token" in placeholders(action.call.params):
            token = uuid.uuid4().hex
        params = self.resolve(action.call.params, token)
        data: dict[str, Any] = {"client_token": token} if token else {}
        if action.kind == "publish-version":
            before = state.intent_data.get("versions_before")
            if before is None:
                early = self.early.take(action.id, params["FunctionName"])
                before = early.result() if early is not None else verify.latest_version_number(self.access, params["FunctionName"])
            data["versions_before"] = before
        self.writer.append("intent", action.id, params=params, data=data)
        self.event("action-started", action, action.title)
        try:
            try:
                response = self._invoke(action.call.service, action.call.operation, params)
            finally:
                self.early.call_returned(action.id)
            self.writer.call_returned()
            outputs = extract_outputs(response, action.outputs)
            ctx = verify.ProbeContext(self.session_id, outputs, data)
            outputs = {**outputs, **self._verify_present(action, params, ctx, "apply")}
            self._check_expected(action, outputs)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, AwsCallFailed) as exc:
            self._fail(action, exc, "apply")
        self.writer.append("outcome", action.id, outputs=outputs)
        self.record(action.id, outputs)
        self.event("action-succeeded", action, action.title, outputs=outputs)

    def _check_expected(self, action: Action, outputs: dict[str, Any]) -> None:
        expected = action.postcondition.params.get("CodeSha256")
        if action.kind == "publish-version" and expected and outputs.get("CodeSha256") != expected:
            raise AwsCallFailed(
                f"The new version {outputs.get('Version')} of {action.resource_id} has CodeSha256 "
                f"{outputs.get('CodeSha256')}, not the planned {expected}.",
                "CodeSha256Mismatch",
            )

    def _fail(self, action: Action, exc: BaseException, phase: str) -> NoReturn:
        code = exc.code if isinstance(exc, AwsCallFailed) else error_code(exc)
        message = exc.message if isinstance(exc, AwsCallFailed) else error_message(exc)
        self.writer.append("failure", action.id, phase=phase, error_code=code, error_message=message)  # type: ignore[arg-type]
        self.event("action-failed", action, f"{action.title}: {code}: {message}", phase, error_code=code)
        doing = f"{'undoing' if phase == 'rollback' else 'applying'} {action.id}"
        raise translate(exc, doing=doing) from None

    # --- rollback -------------------------------------------------------------------

    def undo(self, action: Action, state: ActionState) -> None:
        """Undo one action this session applied (or may have applied), journaled in phase rollback."""
        phase = "rollback"
        params = state.intent_params
        ctx = verify.ProbeContext(self.session_id, state.outputs, state.intent_data)
        if not params:
            self.writer.append("outcome", action.id, phase=phase, data={"note": "never called"})
            return
        if state.status != "applied":
            found = verify.probe(self.access, action.kind, params, ctx)
            if found is None:
                self.writer.append("outcome", action.id, phase=phase, data={"note": "not present in AWS"})
                self.event("action-reconciled", action, f"{action.title}: nothing in AWS to undo", phase)
                return
            ctx = verify.ProbeContext(self.session_id, {**found.outputs, **state.outputs}, state.intent_data)
            self.record(action.id, ctx.known)
            if not found.ready:
                verify.wait_present(self.access, action.kind, params, ctx, what=action.postcondition.description)
        if action.inverse is None:
            self.writer.append("outcome", action.id, phase=phase, data={"note": action.inverse_note or "nothing to undo"})
            self.event("action-succeeded", action, f"{action.title}: kept ({action.inverse_note or 'nothing to undo'})", phase)
            return
        if action.kind == "create-egress-gateway":
            self._refuse_foreign_gateway(action, ctx)
            refuse_if_routes_use(self.access, self.vpc_id, ctx.known.get("EgressOnlyInternetGatewayId"))
        with self._lock:
            self.outputs.setdefault(action.id, dict(ctx.known))
        inverse_params = self.resolve(action.inverse.params)
        self.writer.append("intent", action.id, phase=phase, params=inverse_params)
        self.event("action-started", action, f"Undo: {action.title}", phase)
        try:
            try:
                self._invoke(action.inverse.service, action.inverse.operation, inverse_params)
                self.writer.call_returned()
            except botocore.exceptions.ClientError as exc:
                if not verify.is_not_found(exc):
                    raise
                # Already gone (someone removed it by hand): the postcondition below holds.
            self._verify_absent(action, params, ctx, inverse_params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, AwsCallFailed) as exc:
            self._fail(action, exc, phase)
        self.writer.append("outcome", action.id, phase=phase)
        self.event("action-succeeded", action, f"Undone: {action.title}", phase)

    def _refuse_foreign_gateway(self, action: Action, ctx: verify.ProbeContext) -> None:
        gateway_id = ctx.known.get("EgressOnlyInternetGatewayId")
        tags = verify.gateway_tags(self.access, gateway_id)
        if tags is not None and tags.get(OURS_TAG) != self.session_id:
            raise AwsCallFailed(
                f"The egress-only gateway {gateway_id} is not tagged {OURS_TAG}={self.session_id}; "
                "v6wizard deletes only gateways it created, so delete it yourself if you mean to.",
                "NotOurs",
            )
