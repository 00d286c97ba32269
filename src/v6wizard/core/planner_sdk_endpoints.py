"""`--sdk-endpoints`: the functions step's configuration update also sets AWS_ENDPOINT_URL_<SERVICE_ID>.

For each function, the keys are the readiness report's `env_to_set`: its opt-in services
reached through NAT, never a key the function already sets (that is a conflict finding),
never the global AWS_USE_DUALSTACK_ENDPOINT. The variables ride on the same
UpdateFunctionConfiguration, so there is still one new version per function.

The call carries only what is added (`AddEnvironmentVariables`: key -> URL) and the
inverse only the keys to remove (`RemoveEnvironmentVariables`); the executor turns them
into a read-modify-write of the live variables conditional on the function's RevisionId,
so the plan, the journal and the preview never hold the function's own values.
"""

from __future__ import annotations

from v6wizard.core.plan import Action, Finding, Step
from v6wizard.core.planner_context import PlanContext, finding

ADD_VARIABLES = "AddEnvironmentVariables"
"""Call parameter: environment variables to add (key -> value), merged by the executor into the live ones."""
REMOVE_VARIABLES = "RemoveEnvironmentVariables"
"""Inverse parameter: keys to remove from the live variables."""


def add_sdk_endpoints(ctx: PlanContext, functions: Step) -> Step:
    """The functions step with the settings added to each update (unchanged without the option)."""
    if not ctx.options.sdk_endpoints or ctx.readiness is None:
        return functions
    actions: list[Action] = []
    findings: list[Finding] = list(functions.findings)
    updated = {a.resource_id for a in functions.actions if a.kind == "update-function-config"}
    for fn in ctx.functions:
        verdict = ctx.readiness.function(fn.name)
        if verdict is None:
            continue
        for key in verdict.env_conflicts:
            findings.append(
                finding("functions", "conflict", fn.name, f"Function {fn.name} already sets {key}: it is left as it is, not overwritten.")
            )
        if verdict.env_to_set and fn.name not in updated and fn.name not in ctx.blocked_functions:
            findings.append(
                finding(
                    "functions",
                    "review",
                    fn.name,
                    f"Function {fn.name} is already dual-stack, so no update is planned to carry "
                    f"{', '.join(verdict.env_to_set)}: set them yourself if you want them.",
                )
            )
        if verdict.env_to_set and fn.name in updated and verdict.sdk_honours_service_endpoints is not True:
            findings.append(
                finding(
                    "functions",
                    "review",
                    fn.name,
                    f"Runtime {fn.runtime or 'unknown'} of {fn.name}: its SDK is not known to read AWS_ENDPOINT_URL_<SERVICE>; "
                    "check it does, or the settings change nothing.",
                )
            )
    for action in functions.actions:
        verdict = ctx.readiness.function(action.resource_id)
        if action.kind != "update-function-config" or verdict is None or not verdict.env_to_set:
            actions.append(action)
            continue
        actions.append(with_variables(action, dict(sorted(verdict.env_to_set.items()))))
    return functions.model_copy(update={"actions": actions, "findings": findings})


def with_variables(action: Action, variables: dict[str, str]) -> Action:
    """The update action with `variables` added to its call and removed by its inverse."""
    assert action.inverse is not None
    listed = ", ".join(f"{k}={v}" for k, v in variables.items())
    return action.model_copy(
        update={
            "call": action.call.model_copy(update={"params": {**action.call.params, ADD_VARIABLES: variables}}),
            "inverse": action.inverse.model_copy(update={"params": {**action.inverse.params, REMOVE_VARIABLES: list(variables)}}),
            "title": f"{action.title}, and point its SDK at dual-stack endpoints",
            "after": f"{action.after}; its environment gains {listed} (its other variables unchanged)",
            "inverse_note": f"{action.inverse_note}; exactly the added keys ({', '.join(variables)}) are removed",
        }
    )
