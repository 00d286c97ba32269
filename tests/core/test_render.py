"""The plan as terminal text, as Markdown for a change ticket, and as one JSON document."""

from __future__ import annotations

import json

from v6wizard.core.plan import Plan, PlanOptions
from v6wizard.core.plan_view import call_text, has_template
from v6wizard.core.planner import build_plan
from v6wizard.core.render import render, render_markdown, render_text

from .builders import inventory
from .simulate import apply_plan


def test_text_shows_every_step_action_call_and_finding_with_totals() -> None:
    plan = build_plan(inventory())
    text = render_text(plan)
    for step in plan.steps:
        assert step.title in text
    for action in plan.actions():
        assert action.title in text
        assert call_text(action.call) in text
        assert f"before: {action.before}" in text and f"after:  {action.after}" in text
    assert not has_template(text), "no ${...} placeholder reaches the text"
    for item in plan.findings:
        assert item.message in text
    assert "Total: 12 actions in 8 steps; findings: 2 review, 2 info" in text
    assert "undo:   nothing to undo: versions are immutable" in text


def test_markdown_has_headings_code_spans_and_a_findings_table() -> None:
    plan = build_plan(inventory())
    md = render_markdown(plan)
    assert md.startswith("# IPv6 dual-stack migration plan for `vpc-1`")
    assert md.count("\n## ") == 8
    assert f"- **Call:** `{call_text(plan.action('routes:create:rtb-main').call)}`" in md
    assert not has_template(md)
    assert "| finding | resource | message |" in md
    assert "| review | `sg-app` |" in md


def test_markdown_keeps_backticks_and_pipes_from_breaking_the_layout() -> None:
    plan = build_plan(inventory(), PlanOptions(alias_name="a|b"))
    md = render_markdown(plan)
    # the cutover review finding names the alias in backticks and holds a pipe
    row = next(line for line in md.splitlines() if line.startswith("| review | `orders`"))
    assert "a\\|b" in row and row.count(" | ") == 2


def test_json_is_one_document_that_reads_back_as_the_same_plan() -> None:
    plan = build_plan(inventory())
    text = render(plan, "json")
    assert Plan.model_validate(json.loads(text)) == plan


def test_an_empty_plan_says_nothing_to_do() -> None:
    inv = inventory()
    done = apply_plan(inv, build_plan(inv))
    text = render_text(build_plan(done))
    assert "Total: nothing to do" in text
    assert text.count("nothing to do") == 9
