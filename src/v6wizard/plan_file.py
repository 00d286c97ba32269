"""A saved plan file is untrusted input: it can narrow a migration (through its options), never widen it.

`read_plan_file` refuses (exit 2) a file that is not a v6wizard plan: unreadable or
binary, not JSON, an unknown `format_version`, fields the model does not know, duplicate
action ids, or a fingerprint that does not match the resource digests it carries.

`verified_plan` then rebuilds the plan from the live account with the options recorded
in the file, through `planning.make_plan` (so every face makes plans the same way), and
returns the rebuilt plan only when every step of the file equals the rebuilt one, field
by field: the same actions, each with the same call, parameters, postcondition and undo.
Anything else is refused with exit 2 naming the first difference, before any session is
made or any mutating call sent. A file whose resources changed since it was made (a stale
plan) is refused with exit 1 naming them, as `apply` does for every plan.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from v6wizard.aws.session import AwsAccess
from v6wizard.core.plan import Plan
from v6wizard.engine.drift import changed_resources
from v6wizard.errors import BadInput, DriftDetected, MalformedFile

KNOWN_FORMAT_VERSIONS = frozenset({1})
"""The plan file formats this version reads (`Plan.format_version`)."""

MAKE_ONE = "make one with `v6wizard plan --output json --out FILE`"


class PlanFileMismatch(BadInput):
    """A plan file's actions are not the ones v6wizard plans for its VPC and options; nothing was changed."""


def read_plan_file(path: Path) -> Plan:
    """The plan in `path`, checked on its own (no AWS call); raises MalformedFile with one sentence."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MalformedFile(f"Could not read the plan file {path}: {exc.strerror}.") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise MalformedFile(f"{path} is not a v6wizard plan (it is not UTF-8 text); {MAKE_ONE}.") from None
    except ValueError as exc:
        raise MalformedFile(f"{path} is not a v6wizard plan (not JSON: {exc}); {MAKE_ONE}.") from None
    if not isinstance(document, dict):
        raise MalformedFile(f"{path} is not a v6wizard plan (not a JSON object); {MAKE_ONE}.")
    version = document.get("format_version", 1)
    if type(version) is not int or version not in KNOWN_FORMAT_VERSIONS:
        known = ", ".join(str(v) for v in sorted(KNOWN_FORMAT_VERSIONS))
        raise MalformedFile(f"{path} has plan format_version {version!r}, which this v6wizard does not know (it reads {known}); {MAKE_ONE}.")
    try:
        plan = Plan.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "the document"
        raise MalformedFile(f"{path} is not a v6wizard plan ({where}: {first.get('msg', 'invalid')}); {MAKE_ONE}.") from None
    seen: set[str] = set()
    for action in plan.actions():
        if action.id in seen:
            raise MalformedFile(f"{path} holds the action id {action.id} twice; {MAKE_ONE}.")
        seen.add(action.id)
    if fingerprint_of(plan.resource_digests) != plan.fingerprint:
        raise MalformedFile(f"{path}'s fingerprint does not match the resources it records (the file was edited); {MAKE_ONE}.")
    if "vpc:" + plan.vpc_id not in plan.resource_digests:
        raise MalformedFile(f"{path} is a plan for {plan.vpc_id}, but the resources it records are not that VPC's; {MAKE_ONE}.")
    return plan


def fingerprint_of(resource_digests: dict[str, str]) -> str:
    """`Inventory.fingerprint()` recomputed from a plan's resource digests (the same digest of the same list)."""
    text = json.dumps(sorted(resource_digests.items()), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def verified_plan(access: AwsAccess, from_file: Plan, **make_plan_kwargs: Any) -> Plan:
    """The plan rebuilt now for the file's VPC and options, if the file's steps equal it; else refuse."""
    from v6wizard.planning import make_plan

    rebuilt = make_plan(access, from_file.vpc_id, from_file.options, **make_plan_kwargs)
    changed = changed_resources(from_file, rebuilt.resource_digests)
    if changed:
        raise DriftDetected(f"{', '.join(changed)} changed since the plan was made; make a new plan with `v6wizard plan`.")
    difference = first_difference(from_file, rebuilt)
    if difference:
        raise PlanFileMismatch(f"The plan file does not match the plan for {from_file.vpc_id} with its options: {difference}; nothing was changed, {MAKE_ONE}.")
    return rebuilt


def first_difference(from_file: Plan, rebuilt: Plan) -> str:
    """The first way the file's steps differ from the rebuilt plan's, in words; "" when they are equal.

    Compares every field of every step and action (whatever fields they have), so a field
    added to Action later is covered without naming it here.
    """
    top = _diff(
        from_file.model_dump(mode="json", exclude=_NOT_COMPARED), rebuilt.model_dump(mode="json", exclude=_NOT_COMPARED)
    )
    if top is not None:
        where, file_value, our_value = top
        return f"it has {where} = {_show(file_value)}, where the plan has {_show(our_value)}"
    theirs = [s.name for s in from_file.steps]
    ours = [s.name for s in rebuilt.steps]
    if theirs != ours:
        return f"its steps are {', '.join(theirs)}, not {', '.join(ours)}"
    for file_step, our_step in zip(from_file.steps, rebuilt.steps):
        our_actions = {a.id: a for a in our_step.actions}
        file_ids = [a.id for a in file_step.actions]
        for action in file_step.actions:
            ours_now = our_actions.get(action.id)
            if ours_now is None:
                return f"action {action.id} ({action.call.service} {action.call.operation} on {action.resource_id}) is not one v6wizard plans for {from_file.vpc_id}"
            path = _diff(action.model_dump(mode="json"), ours_now.model_dump(mode="json"))
            if path is not None:
                where, file_value, our_value = path
                return f"action {action.id} has {where} = {_show(file_value)}, where the plan has {_show(our_value)}"
        missing = [a.id for a in our_step.actions if a.id not in file_ids]
        if missing:
            return f"action {missing[0]} of the {our_step.name} step is missing from the file"
        if file_ids != [a.id for a in our_step.actions]:
            return f"the {file_step.name} step's actions are in another order"
        rest = _diff(file_step.model_dump(mode="json", exclude={"actions"}), our_step.model_dump(mode="json", exclude={"actions"}))
        if rest is not None:
            where, file_value, our_value = rest
            return f"the {file_step.name} step has {where} = {_show(file_value)}, where the plan has {_show(our_value)}"
    return ""


_ABSENT = object()

_NOT_COMPARED = {"steps", "created_at", "fingerprint", "resource_digests", "savings", "readiness"}
"""Plan fields compared otherwise (steps), or not at all: when it was made, what the inventory was
(checked for the resources the actions depend on: a stale plan is exit 1, not a tampered one), and
the read-only reports beside the plan (savings and readiness are read again with the rebuilt plan,
and the metrics window moves with the clock; what readiness changes is in the actions, compared)."""


def _diff(theirs: Any, ours: Any, where: str = "") -> tuple[str, Any, Any] | None:
    """The first path at which two JSON trees differ, with both values there (absent: _ABSENT)."""
    if isinstance(theirs, dict) and isinstance(ours, dict):
        for key in list(ours) + [k for k in theirs if k not in ours]:
            found = _diff(theirs.get(key, _ABSENT), ours.get(key, _ABSENT), f"{where}.{key}" if where else str(key))
            if found is not None:
                return found
        return None
    if isinstance(theirs, list) and isinstance(ours, list) and len(theirs) == len(ours):
        for index, (a, b) in enumerate(zip(theirs, ours)):
            found = _diff(a, b, f"{where}[{index}]")
            if found is not None:
                return found
        return None
    if type(theirs) is not type(ours) or theirs != ours:
        return where or "the value", theirs, ours
    return None


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "nothing"
    text = json.dumps(value, separators=(",", ":"))
    return text if len(text) <= 80 else text[:77] + "..."
