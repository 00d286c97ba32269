"""Renders one step's actions as a readable before -> after diff, or as the exact AWS calls.

Both come from `core.plan_view`, with what the session's journal knows filled in (the
real /64s, versions and ids), so the preview reads as the CLI's `show` and `plan` text.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from v6wizard.core.plan import Finding, Step
from v6wizard.core.plan_view import NOTHING_KNOWN, ActionView, Known, view_action

FINDING_STYLES = {"info": "dim", "review": "bold yellow", "conflict": "bold red", "blocker": "bold white on red"}


def finding_text(finding: Finding) -> Text:
    text = Text()
    text.append(f" {finding.kind.upper()} ", style=FINDING_STYLES[finding.kind])
    text.append(f" {finding.resource_id}: ", style="bold")
    text.append(finding.message)
    return text


def action_diff(view: ActionView) -> Text:
    text = Text()
    text.append(view.title + "\n", style="bold")
    text.append("  - ", style="red")
    text.append(view.before + "\n", style="red")
    text.append("  + ", style="green")
    text.append(view.after + "\n", style="green")
    text.append("    undo: ", style="dim")
    text.append(view.undo + "\n", style="dim")
    if view.note:
        text.append("    note: " + view.note + "\n", style="dim italic")
    return text


def action_calls(number: int, view: ActionView) -> Text:
    text = Text(f"{number:>3}. {view.call}\n", style="cyan", overflow="fold")
    if view.undo_call is not None:
        text.append(f"     undo: {view.undo_call}\n", style="dim")
    return text


def step_preview(step: Step, known: Known = NOTHING_KNOWN, *, calls: bool = False) -> Group:
    """Findings first (they must be seen before applying), then each action's diff, or the exact calls."""
    parts: list[Text] = []
    for finding in step.findings:
        parts.append(finding_text(finding))
    if step.findings:
        parts.append(Text(""))
    if not step.actions:
        parts.append(Text("Nothing to do in this step: the account already has what it needs.", style="italic"))
        return Group(*parts)
    views = [view_action(action, known) for action in step.actions]
    if calls:
        parts.append(Text("AWS calls, in order (c: back to the changes in words):", style="bold underline"))
        parts += [action_calls(number, view) for number, view in enumerate(views, 1)]
    else:
        parts += [action_diff(view) for view in views]
        parts.append(Text("c: the exact AWS calls, with their undo calls", style="dim italic"))
    return Group(*parts)
