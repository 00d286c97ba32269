"""Renders one step's actions as a readable before -> after diff, followed by the exact AWS calls."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from v6wizard.core.plan import Action, Finding, Step

FINDING_STYLES = {"info": "dim", "review": "bold yellow", "conflict": "bold red", "blocker": "bold white on red"}


def finding_text(finding: Finding) -> Text:
    text = Text()
    text.append(f" {finding.kind.upper()} ", style=FINDING_STYLES[finding.kind])
    text.append(f" {finding.resource_id}: ", style="bold")
    text.append(finding.message)
    return text


def action_diff(action: Action) -> Text:
    text = Text()
    text.append(action.title + "\n", style="bold")
    text.append("  - ", style="red")
    text.append(action.before + "\n", style="red")
    text.append("  + ", style="green")
    text.append(action.after + "\n", style="green")
    if action.inverse is not None:
        text.append("    undo: ", style="dim")
        text.append(action.inverse.describe(), style="dim")
        text.append("\n")
    if action.inverse_note:
        text.append("    note: " + action.inverse_note + "\n", style="dim italic")
    return text


def step_preview(step: Step) -> Group:
    """Findings first (they must be seen before applying), then each action's diff, then the calls."""
    parts: list[Text] = []
    for finding in step.findings:
        parts.append(finding_text(finding))
    if step.findings:
        parts.append(Text(""))
    if not step.actions:
        parts.append(Text("Nothing to do in this step: the account already has what it needs.", style="italic"))
        return Group(*parts)
    for action in step.actions:
        parts.append(action_diff(action))
    parts.append(Text("AWS calls, in order:", style="bold underline"))
    for number, action in enumerate(step.actions, 1):
        parts.append(Text(f"{number:>3}. {action.call.describe()}", style="cyan", overflow="fold"))
    return Group(*parts)
