"""What an export is made from: a plan, and for an applied session what its journal recorded.

The Terraform, CloudFormation and IAM builders (`core.export_*`) read an `ExportSource`:
the plan's actions with, for each action the session applied, the parameters it sent and
the ids AWS returned. A plan that was never applied has no records, and the builders write
references and wildcards where the real ids will be.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from v6wizard.core.plan import Action, Plan

ExportFormat = Literal["terraform", "cloudformation", "iam-policy"]


class AppliedAction(BaseModel):
    """What the journal recorded for one applied action."""

    model_config = {"frozen": True}

    params: dict[str, Any] = Field(default_factory=dict)
    """The call's parameters as sent (placeholders resolved)."""
    outputs: dict[str, Any] = Field(default_factory=dict)
    """The ids and values AWS returned (the action's `outputs` keys)."""


class ExportSource(BaseModel):
    """A plan, and what its session applied (nothing for a plan that was not applied)."""

    model_config = {"frozen": True}

    plan: Plan
    session_id: str = ""
    """The journal session, when the export is of one."""
    applied: dict[str, AppliedAction] = Field(default_factory=dict)
    """Action id -> its journal record, for every action whose effect is in place."""

    @property
    def is_applied(self) -> bool:
        return bool(self.applied)

    def record(self, action: Action) -> AppliedAction | None:
        return self.applied.get(action.id)

    def params(self, action: Action) -> dict[str, Any]:
        """The call's parameters: as sent when applied, else as planned (placeholders kept)."""
        record = self.record(action)
        return record.params if record and record.params else action.call.params

    def output(self, action_id: str, key: str) -> Any:
        """An output the session recorded, or None."""
        record = self.applied.get(action_id)
        return record.outputs.get(key) if record else None

    def created(self, kind: str) -> list[Action]:
        """The plan's actions of one kind, in plan order."""
        return [a for a in self.plan.actions() if a.kind == kind]

    def name_of(self, resource_id: str) -> str:
        return self.plan.resource_names.get(resource_id, "")


class ExportFile(BaseModel):
    """One file of an export: its suggested name and its text."""

    name: str
    """A file name (no folder), e.g. v6wizard-vpc-0abc.tf."""
    text: str
    role: str = "main"
    """main: the document stdout shows; anything else a companion written beside it with --out."""


class Names:
    """Stable, readable, unique identifiers for generated resources (Terraform and CloudFormation)."""

    def __init__(self, style: Literal["snake", "pascal"]) -> None:
        self.style = style
        self.taken: set[str] = set()

    def make(self, *parts: str) -> str:
        words = [w for part in parts for w in re.split(r"[^A-Za-z0-9]+", part) if w]
        if self.style == "snake":
            name = "_".join(w.lower() for w in words) or "resource"
            if not name[0].isalpha():
                name = "r_" + name
        else:
            name = "".join(w[:1].upper() + w[1:] for w in words) or "Resource"
            if not name[0].isalpha():
                name = "R" + name
        unique, n = name, 2
        while unique in self.taken:
            unique, n = f"{name}{'_' if self.style == 'snake' else ''}{n}", n + 1
        self.taken.add(unique)
        return unique


def readable(source: ExportSource, resource_id: str) -> str:
    """A resource's Name tag, else its id: what generated names are made from."""
    return source.name_of(resource_id) or resource_id


PLACEHOLDER_PREFIX = "${"


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PLACEHOLDER_PREFIX)


def subnet64_index(value: Any) -> int | None:
    """N for a `${subnet64:N}` placeholder (the N-th /64 of a block not yet associated), else None."""
    if isinstance(value, str):
        match = re.fullmatch(r"\$\{subnet64:(\d+)\}", value)
        if match:
            return int(match.group(1))
    return None


def placeholder_action(value: Any) -> tuple[str, str] | None:
    """(action id, output key) for a `${ACTION.Key}` placeholder, else None."""
    if isinstance(value, str):
        match = re.fullmatch(r"\$\{(.+)\.([A-Za-z0-9]+)\}", value)
        if match:
            return match.group(1), match.group(2)
    return None
