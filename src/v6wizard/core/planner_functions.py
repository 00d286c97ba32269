"""Step planners for Lambda: dual-stack configuration, a published version, the alias cutover."""

from __future__ import annotations

from v6wizard.core.inventory import FunctionVersion, LambdaFunction
from v6wizard.core.plan import STEP_TITLES, Action, Finding, Step
from v6wizard.core.plan_view import NEW_NUMBERED_VERSION, NEW_VERSION
from v6wizard.core.planner_context import PlanContext, check, finding, is_ipv6_only, lambda_call
from v6wizard.core.schedule import Stage


def dual_stack_version(fn: LambdaFunction) -> FunctionVersion | None:
    """The newest published dual-stack version running the live ($LATEST) code."""
    candidates = [v for v in fn.versions if v.ipv6_allowed_for_dual_stack and v.code_sha256 == fn.code_sha256]
    return max(candidates, key=lambda v: int(v.version)) if candidates else None


def released_code_sha(fn: LambdaFunction, alias_name: str) -> str:
    """The code hash the alias serves today ($LATEST's when there is no usable alias)."""
    alias = fn.alias(alias_name)
    version = fn.version(alias.function_version) if alias is not None else None
    return version.code_sha256 if version is not None else fn.code_sha256


def assess_functions(ctx: PlanContext) -> dict[str, list[str]]:
    """Why each chosen function cannot be planned; functions with no reason are absent."""
    chosen = {s.id for s in ctx.subnets}
    blockers: dict[str, list[str]] = {}
    for fn in ctx.functions:
        reasons: list[str] = []
        if not fn.ipv6_allowed_for_dual_stack:
            for subnet_id in fn.subnet_ids:
                subnet = ctx.inventory.subnet(subnet_id)
                if subnet is None:
                    reasons.append(f"subnet {subnet_id} is not in the VPC")
                elif is_ipv6_only(subnet):
                    reasons.append(f"subnet {subnet_id} is IPv6-only, which Lambda dual-stack does not support")
                elif subnet_id not in chosen and not subnet.ipv6_cidr:
                    reasons.append(f"subnet {subnet_id} has no IPv6 block and is not among the chosen subnets")
                elif subnet_id in ctx.uncovered:
                    reasons.append(f"subnet {subnet_id} gets no /64 (the VPC block is full)")
        released = released_code_sha(fn, ctx.options.alias_name)
        if dual_stack_version(fn) is None and released != fn.code_sha256:
            reasons.append(
                f"its $LATEST code ({fn.code_sha256[:12]}) differs from the code alias `{ctx.options.alias_name}` serves "
                f"({released[:12]}), so publishing would release unreleased code"
            )
        if reasons:
            blockers[fn.name] = reasons
    ctx.blocked_functions = set(blockers)
    return blockers


# --- 7 functions -----------------------------------------------------------------


def plan_functions(ctx: PlanContext, blockers: dict[str, list[str]]) -> Step:
    actions: list[Action] = []
    findings: list[Finding] = []
    for fn in ctx.functions:
        if fn.name in blockers:
            findings.append(
                finding("functions", "blocker", fn.name, f"Function {fn.name} cannot go dual-stack: {'; '.join(blockers[fn.name])}.")
            )
            continue
        update_id = None
        if not fn.ipv6_allowed_for_dual_stack:
            update = _update_config(ctx, fn)
            update_id = update.id
            actions.append(update)
        if dual_stack_version(fn) is None:
            actions.append(_publish(ctx, fn, update_id))
    return Step(name="functions", title=STEP_TITLES["functions"], actions=actions, findings=findings)


def _prerequisites(ctx: PlanContext, fn: LambdaFunction) -> list[str]:
    """Every planned action the function's dual-stack configuration relies on."""
    ids: list[str | None] = [ctx.vpc_action]
    for subnet_id in fn.subnet_ids:
        ids.append(ctx.subnet_actions.get(subnet_id))
        table = ctx.inventory.route_table_for(subnet_id)
        if table is not None:
            ids.append(ctx.route_actions.get(table.id))
        acl = ctx.inventory.network_acl_for(subnet_id)
        if acl is not None:
            ids += ctx.acl_actions.get(acl.id, [])
    for group_id in fn.security_group_ids:
        ids += ctx.sg_actions.get(group_id, [])
    return ctx.after(*ids)


def _update_config(ctx: PlanContext, fn: LambdaFunction) -> Action:
    def vpc_config(dual_stack: bool) -> dict[str, object]:
        return {"SubnetIds": list(fn.subnet_ids), "SecurityGroupIds": list(fn.security_group_ids), "Ipv6AllowedForDualStack": dual_stack}

    return Action(
        id=f"functions:update:{fn.name}",
        step="functions",
        kind="update-function-config",
        resource_id=fn.name,
        title=f"Let function {fn.name} use IPv6 (dual-stack)",
        before=f"function {fn.name} ($LATEST) reaches the network over IPv4 only, in {', '.join(fn.subnet_ids)}",
        after=f"function {fn.name} ($LATEST) is dual-stack in the same subnets and security groups",
        call=lambda_call("UpdateFunctionConfiguration", FunctionName=fn.name, VpcConfig=vpc_config(True)),
        postcondition=check(
            "function-dual-stack",
            f"{fn.name}'s LastUpdateStatus is Successful with Ipv6AllowedForDualStack on",
            FunctionName=fn.name,
        ),
        inverse=lambda_call("UpdateFunctionConfiguration", FunctionName=fn.name, VpcConfig=vpc_config(False)),
        inverse_note="the previous VPC configuration is restored",
        after_actions=_prerequisites(ctx, fn),
        depends_on_resources=[f"function:{fn.name}"]
        + [f"subnet:{s}" for s in fn.subnet_ids]
        + [f"security-group:{g}" for g in fn.security_group_ids],
    )


def _publish(ctx: PlanContext, fn: LambdaFunction, update_id: str | None) -> Action:
    action_id = f"functions:publish:{fn.name}"
    ctx.publish_actions[fn.name] = action_id
    expected = released_code_sha(fn, ctx.options.alias_name)
    return Action(
        id=action_id,
        step="functions",
        kind="publish-version",
        resource_id=fn.name,
        title=f"Publish a dual-stack version of {fn.name}",
        before=f"function {fn.name} has no published dual-stack version",
        after=f"function {fn.name} has {NEW_NUMBERED_VERSION}: the same code ({fn.code_sha256[:12]}), dual-stack",
        call=lambda_call("PublishVersion", FunctionName=fn.name, CodeSha256=fn.code_sha256),
        postcondition=check(
            "version-code-matches",
            f"the new version's code hash equals the released one ({expected[:12]})",
            FunctionName=fn.name,
            CodeSha256=expected,
        ),
        inverse=None,
        inverse_note="versions are immutable; the published version stays",
        outputs=["Version", "CodeSha256"],
        after_actions=ctx.after(update_id),
        depends_on_resources=[f"function:{fn.name}"],
    )


# --- 8 cutover -------------------------------------------------------------------


def describe_schedule(stages: list[Stage]) -> str:
    """`10% (5m), 50% (5m), 100%`."""
    return ", ".join(f"{s.percent:g}% ({str(s).split(':', 1)[1]})" if s.bake_seconds else f"{s.percent:g}%" for s in stages)


def plan_cutover(ctx: PlanContext) -> Step:
    alias_name = ctx.options.alias_name
    actions: list[Action] = []
    findings: list[Finding] = []
    for fn in ctx.functions:
        if fn.name in ctx.blocked_functions:
            continue
        alias = fn.alias(alias_name)
        if alias is None:
            findings.append(finding("cutover", "review", fn.name, f"Function {fn.name} has no `{alias_name}` alias: the cutover can create it."))
            continue
        if alias.is_weighted:
            split = ", ".join(f"v{v} {w:.0%}" for v, w in sorted(alias.additional_weights.items()))
            findings.append(
                finding(
                    "cutover",
                    "conflict",
                    fn.name,
                    f"Alias `{alias_name}` of {fn.name} is split (v{alias.function_version} plus {split}): "
                    "leftover split alias, repair first.",
                )
            )
            continue
        if alias.provisioned_concurrency:
            findings.append(
                finding(
                    "cutover",
                    "blocker",
                    fn.name,
                    f"Alias `{alias_name}` of {fn.name} has provisioned concurrency ({alias.provisioned_concurrency}), "
                    "which a weighted shift cannot carry: remove it or move the alias by hand.",
                )
            )
            continue
        if alias.function_version == "$LATEST":
            findings.append(
                finding(
                    "cutover",
                    "info",
                    fn.name,
                    f"Alias `{alias_name}` of {fn.name} points at $LATEST, which becomes dual-stack with the "
                    "configuration update: there is no gradual cutover.",
                )
            )
            continue
        primary = fn.version(alias.function_version)
        if primary is not None and primary.ipv6_allowed_for_dual_stack:
            continue
        actions.append(_shift(ctx, fn, alias.function_version))
    return Step(name="cutover", title=STEP_TITLES["cutover"], actions=actions, findings=findings)


def _shift(ctx: PlanContext, fn: LambdaFunction, old_version: str) -> Action:
    alias_name = ctx.options.alias_name
    publish_id = ctx.publish_actions.get(fn.name)
    existing = dual_stack_version(fn)
    if existing is not None and publish_id is None:
        target = existing.version
        target_words = f"v{target}"
    else:
        target = f"${{functions:publish:{fn.name}.Version}}"
        target_words = NEW_VERSION
    schedule = describe_schedule(ctx.options.schedule)
    routing = {"AdditionalVersionWeights": {}}
    return Action(
        id=f"cutover:shift:{fn.name}",
        step="cutover",
        kind="cutover-alias",
        resource_id=fn.name,
        title=f"Shift alias `{alias_name}` of {fn.name}: v{old_version} 100% -> {target_words} via {schedule}",
        before=f"{alias_name}: v{old_version} 100%",
        after=f"{alias_name}: {target_words} 100%, reached via {schedule}, watching health at each stage",
        call=lambda_call("UpdateAlias", FunctionName=fn.name, Name=alias_name, FunctionVersion=target, RoutingConfig=routing),
        postcondition=check(
            "alias-points-at",
            f"alias {alias_name} of {fn.name} sends all traffic to {target_words}",
            FunctionName=fn.name,
            Name=alias_name,
            FunctionVersion=target,
        ),
        inverse=lambda_call(
            "UpdateAlias", FunctionName=fn.name, Name=alias_name, FunctionVersion=old_version, RoutingConfig={"AdditionalVersionWeights": {}}
        ),
        inverse_note=f"the alias goes back to v{old_version}, routing cleared",
        after_actions=ctx.after(publish_id, f"functions:update:{fn.name}" if not fn.ipv6_allowed_for_dual_stack else None),
        depends_on_resources=[f"function:{fn.name}"],
    )
