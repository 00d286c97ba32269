"""Plan renderers: plain text for a terminal, Markdown for a change ticket, JSON.

JSON is the plan model itself (`plan.model_dump_json(indent=2)`), one document;
text and Markdown are views of the same fields and never add facts of their own. They
show each action through `plan_view.view_action`, so a session's plan reads with the
values its journal knows (`known`), exactly as the TUI's preview shows it.
"""

from __future__ import annotations

from collections import Counter

from v6wizard.core.plan import Finding, Plan
from v6wizard.core.plan_view import NOTHING_KNOWN, ActionView, Known, view_action
from v6wizard.core.schedule import format_schedule

FINDING_ORDER = ("blocker", "conflict", "review", "info")
"""Findings are listed most serious first."""


def render_json(plan: Plan) -> str:
    return plan.model_dump_json(indent=2)


def render(plan: Plan, output: str, known: Known = NOTHING_KNOWN) -> str:
    """The plan as `text`, `markdown` or `json` (JSON is the plan as made, placeholders and all)."""
    if output == "json":
        return render_json(plan)
    return render_markdown(plan, known) if output == "markdown" else render_text(plan, known)


def options_summary(plan: Plan) -> str:
    """The options that shaped the plan, in one line."""
    options = plan.options
    source = {"amazon": "Amazon-provided /56", "ipam": f"IPAM pool {options.ipam_pool_id} /{options.ipam_netmask_length}",
              "byoip": f"BYOIP pool {options.byoip_pool_id}" + (f" ({options.byoip_cidr})" if options.byoip_cidr else "")}
    parts = [
        f"IPv6 from {source[options.cidr_source]}",
        "subnets: " + ("all" if options.subnet_ids is None else ", ".join(options.subnet_ids) or "none"),
        "functions: " + ("all" if options.function_names is None else ", ".join(options.function_names) or "none"),
        f"alias {options.alias_name}, schedule {format_schedule(options.schedule)}",
    ]
    if options.assign_ipv6_on_creation:
        parts.append("assign IPv6 on creation")
    if options.public_ipv6_route:
        parts.append("public subnets get ::/0 to the internet gateway")
    return "; ".join(parts)


def totals(plan: Plan) -> str:
    """`9 actions in 7 steps; 1 conflict, 2 review, 3 info` (or `nothing to do`)."""
    actions = plan.actions()
    busy = sum(1 for step in plan.steps if step.actions)
    head = f"{len(actions)} action{'s' * (len(actions) != 1)} in {busy} step{'s' * (busy != 1)}" if actions else "nothing to do"
    counts = Counter(f.kind for f in plan.findings)
    tail = ", ".join(f"{counts[kind]} {kind}" for kind in FINDING_ORDER if counts[kind])
    return f"{head}; findings: {tail}" if tail else head


def _sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: FINDING_ORDER.index(f.kind))


# --- text --------------------------------------------------------------------------


def render_text(plan: Plan, known: Known = NOTHING_KNOWN) -> str:
    lines = [
        f"Plan for {plan.vpc_id} in account {plan.account_id}, {plan.region}",
        f"  {options_summary(plan)}",
        f"  inventory fingerprint {plan.fingerprint}",
        "",
    ]
    for number, step in enumerate(plan.steps, 1):
        count = len(step.actions)
        status = f"{count} action{'s' * (count != 1)}" if count else "nothing to do"
        lines.append(f"{number}. {step.title} [{step.name}]: {status}")
        for action in step.actions:
            lines += _text_action(view_action(action, known))
        for item in _sorted_findings(step.findings):
            lines.append(f"   ! {item.kind}: {item.message}")
        lines.append("")
    if plan.readiness is not None:
        from v6wizard.core.readiness_render import render_text as readiness_text

        lines += [readiness_text(plan.readiness), ""]
    lines.append(f"Total: {totals(plan)}")
    lines += savings_section(plan, markdown=False)
    return "\n".join(lines) + "\n"


def _text_action(view: ActionView) -> list[str]:
    note = f" ({view.note})" if view.note else ""
    lines = [
        f"   - {view.title}",
        f"       before: {view.before}",
        f"       after:  {view.after}",
        f"       call:   {view.call}",
        f"       check:  {view.check}",
        f"       undo:   {view.undo}{note}",
    ]
    if view.undo_call is not None:
        lines.append(f"       undo call: {view.undo_call}")
    return lines


# --- markdown ----------------------------------------------------------------------


def _code(text: str) -> str:
    """A Markdown code span that survives backticks inside the text."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plan: Plan, known: Known = NOTHING_KNOWN) -> str:
    lines = [
        f"# IPv6 dual-stack migration plan for `{plan.vpc_id}`",
        "",
        f"- Account `{plan.account_id}`, region `{plan.region}`",
        f"- Options: {options_summary(plan)}",
        f"- Inventory fingerprint `{plan.fingerprint}`, planned {plan.created_at:%Y-%m-%d %H:%M} UTC",
        f"- Total: {totals(plan)}",
        "",
    ]
    for number, step in enumerate(plan.steps, 1):
        lines += [f"## {number}. {step.title} (`{step.name}`)", ""]
        if not step.actions:
            lines += ["Nothing to do.", ""]
        for action in step.actions:
            view = view_action(action, known)
            note = f" ({view.note})" if view.note else ""
            lines += [
                f"### {view.title}",
                "",
                f"- **Before:** {view.before}",
                f"- **After:** {view.after}",
                f"- **Call:** {_code(view.call)}",
                f"- **Check:** {view.check}",
                f"- **Undo:** {view.undo}{note}" + (f" {_code(view.undo_call)}" if view.undo_call else ""),
                "",
            ]
        if step.findings:
            lines += ["| finding | resource | message |", "|---|---|---|"]
            for item in _sorted_findings(step.findings):
                lines.append(f"| {item.kind} | `{_cell(item.resource_id)}` | {_cell(item.message)} |")
            lines.append("")
    if plan.readiness is not None:
        from v6wizard.core.readiness_render import render_markdown as readiness_markdown

        lines.append(readiness_markdown(plan.readiness).replace("\n# ", "\n## ", 1).replace("# Readiness", "## Readiness", 1))
    lines += savings_section(plan, markdown=True)
    return "\n".join(lines)


def savings_section(plan: Plan, *, markdown: bool) -> list[str]:
    """The plan's NAT savings for its chosen subnets (see core.savings_render), or nothing."""
    if plan.savings is None:
        return []
    from v6wizard.core import savings_render

    if markdown:
        return ["", savings_render.render_markdown(plan.savings, level=2).rstrip("\n")]
    return ["", savings_render.render_text(plan.savings).rstrip("\n")]
