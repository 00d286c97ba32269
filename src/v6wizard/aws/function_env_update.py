"""The read-modify-write behind `--sdk-endpoints`: add or remove a function's environment keys, nothing else.

`UpdateFunctionConfiguration` replaces the whole variable map, so the executor reads the
live variables, changes only the planned keys, and writes them back conditional on the
RevisionId it read (a change in between is a 412, and it reads again). The merged map,
which holds the function's own values, lives only in this call: it is never returned
to the engine, journaled or logged. `environment_matches` is the postcondition.
"""

from __future__ import annotations

from typing import Any

from v6wizard.core.planner_sdk_endpoints import ADD_VARIABLES, REMOVE_VARIABLES
from v6wizard.errors import AwsCallFailed


def changes_environment(params: dict[str, Any]) -> bool:
    return ADD_VARIABLES in params or REMOVE_VARIABLES in params


def merged_params(lambda_client: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The real UpdateFunctionConfiguration parameters: the live variables with the planned keys added or removed."""
    config = lambda_client.get_function_configuration(FunctionName=params["FunctionName"])
    live = dict((config.get("Environment") or {}).get("Variables") or {})
    add: dict[str, str] = params.get(ADD_VARIABLES) or {}
    clashing = sorted(key for key, value in add.items() if key in live and live[key] != value)
    if clashing:
        raise AwsCallFailed(
            f"Function {params['FunctionName']} now sets {', '.join(clashing)} itself; v6wizard never overwrites a key, "
            "so make a new plan.",
            "EnvironmentKeyConflict",
        )
    variables = {key: value for key, value in live.items() if key not in set(params.get(REMOVE_VARIABLES) or [])}
    variables.update(add)
    call = {key: value for key, value in params.items() if key not in (ADD_VARIABLES, REMOVE_VARIABLES)}
    call["Environment"] = {"Variables": variables}
    if config.get("RevisionId"):
        call["RevisionId"] = config["RevisionId"]
    return call


def environment_matches(config: dict[str, Any], params: dict[str, Any]) -> bool:
    """The planned keys are set to the planned values (adds) and absent (removes) in a read configuration."""
    live = (config.get("Environment") or {}).get("Variables") or {}
    added = params.get(ADD_VARIABLES) or {}
    removed = params.get(REMOVE_VARIABLES) or []
    return all(live.get(k) == v for k, v in added.items()) and not any(k in live for k in removed)
