"""Reading and moving a Lambda alias for the cutover, always with its RevisionId.

Reads go through the shared lambda client; every CreateAlias/UpdateAlias goes through
`Executor.invoke`. A `PreconditionFailedException` (stale RevisionId) means someone
else changed the alias: the alias is re-read and `AliasChanged` says what it is now.
"""

from __future__ import annotations

from typing import Any

import botocore.exceptions
from pydantic import BaseModel, Field

from v6wizard.aws.errors import error_code, translate
from v6wizard.aws.executor import Executor
from v6wizard.aws.session import AwsAccess
from v6wizard.errors import AliasChanged


class AliasState(BaseModel):
    """An alias as AWS reports it."""

    model_config = {"frozen": True}

    function: str
    name: str
    version: str
    """The primary FunctionVersion."""
    weights: dict[str, float] = Field(default_factory=dict)
    """RoutingConfig.AdditionalVersionWeights (empty when not split)."""
    revision_id: str = ""

    @property
    def is_split(self) -> bool:
        return bool(self.weights)

    def describe(self) -> str:
        if not self.weights:
            return f"version {self.version}"
        extra = ", ".join(f"{weight:.0%} on version {v}" for v, weight in self.weights.items())
        return f"version {self.version} with {extra}"

    def same_routing(self, version: str, weights: dict[str, float]) -> bool:
        return self.version == version and _norm(self.weights) == _norm(weights)


def _norm(weights: dict[str, float]) -> dict[str, float]:
    return {str(v): round(float(w), 6) for v, w in weights.items() if float(w) > 0}


class AliasOps:
    """GetAlias / CreateAlias / UpdateAlias for one account, with one-sentence errors."""

    def __init__(self, access: AwsAccess, executor: Executor) -> None:
        self._access = access
        self._executor = executor

    def get(self, function: str, name: str) -> AliasState | None:
        """The alias, or None when the function has no alias of that name."""
        try:
            answer = self._access.client("lambda").get_alias(FunctionName=function, Name=name)
        except botocore.exceptions.ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None
            raise translate(exc, self._access.target, f"reading alias {function}:{name}") from None
        return _state(function, answer)

    def create(self, function: str, name: str, version: str) -> AliasState:
        params = {"FunctionName": function, "Name": name, "FunctionVersion": version}
        try:
            answer = self._executor.invoke("lambda", "CreateAlias", params)
        except botocore.exceptions.ClientError as exc:
            raise translate(exc, self._access.target, f"creating alias {function}:{name}") from None
        return _state(function, answer)

    def update(self, current: AliasState, version: str, weights: dict[str, float]) -> AliasState:
        """Point the alias at `version` with `weights`, conditional on `current.revision_id`."""
        params = update_params(current.function, current.name, version, weights, current.revision_id)
        try:
            answer = self._executor.invoke("lambda", "UpdateAlias", params)
        except botocore.exceptions.ClientError as exc:
            if error_code(exc) == "PreconditionFailedException":
                now = self.get(current.function, current.name)
                raise changed_error(current, now) from None
            raise translate(exc, self._access.target, f"updating alias {current.function}:{current.name}") from None
        return _state(current.function, answer)


def update_params(function: str, name: str, version: str, weights: dict[str, float], revision_id: str) -> dict[str, Any]:
    params: dict[str, Any] = {
        "FunctionName": function,
        "Name": name,
        "FunctionVersion": version,
        "RoutingConfig": {"AdditionalVersionWeights": _norm(weights)},
    }
    if revision_id:
        params["RevisionId"] = revision_id
    return params


def changed_error(expected: AliasState, now: AliasState | None) -> AliasChanged:
    where = f"{expected.function}:{expected.name}"
    what = now.describe() if now else "deleted"
    return AliasChanged(
        f"Someone else changed alias {where} during the cutover (it is now {what}); the cutover stopped "
        f"without touching it. Check who changed it, then resume the session or roll back the cutover step."
    )


def _state(function: str, answer: dict[str, Any]) -> AliasState:
    routing = answer.get("RoutingConfig") or {}
    weights = {str(v): float(w) for v, w in (routing.get("AdditionalVersionWeights") or {}).items()}
    return AliasState(
        function=function,
        name=answer["Name"],
        version=str(answer["FunctionVersion"]),
        weights=weights,
        revision_id=answer.get("RevisionId", ""),
    )
