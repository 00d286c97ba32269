"""The help screen (`?` or F1): what the current screen is for, and its keys, read from its bindings.

The keys are not written here: they are the screen's active bindings when help opened
(so a key hidden in dry run is not listed, and one that cannot run now says so), and
the app's own. Only the short description of each screen is written by hand, in
`SCREEN_HELP`, keyed by the screen's class name so screens need not know about help.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

SCREEN_HELP: dict[str, tuple[str, str]] = {
    "StartScreen": (
        "Start",
        "Where every sitting begins. The table lists this account and region's migrations (sessions) "
        "that still hold changes: highlight one to resume it where it stopped, roll it back, or inspect "
        "its plan read-only. A new migration starts by choosing a VPC. Dry run previews every step and "
        "applies nothing.",
    ),
    "ConnectScreen": (
        "Connect",
        "Choose the AWS profile and region to work in. Connect checks the credentials with STS and "
        "shows whose they are; temporary credentials (assume-role, MFA) are cached in the OS keyring.",
    ),
    "ChooseScreen": (
        "Choose",
        "Pick the VPC to migrate (enter on its row), then tick its subnets and functions (space toggles "
        "the highlighted row) and set the options: where the IPv6 block comes from, the alias whose "
        "traffic the cutover shifts and the cutover's schedule. Make plan previews everything; nothing "
        "changes in AWS until you apply a step and type its name.",
    ),
    "PlanScreen": (
        "Plan",
        "The migration's eight steps in order, with what each will change and its status. Open a step "
        "to preview it and apply, skip or roll it back on its own, or apply every step up to the "
        "functions at once; the cutover has its own screen. Findings that need review are listed below "
        "the steps and must be marked reviewed once before their step is applied.",
    ),
    "StepScreen": (
        "Step",
        "One step's preview: each change as before -> after with how it is undone, then the exact AWS "
        "calls. Applying asks you to type the step's name; rolling back undoes exactly what this step "
        "changed, once the steps after it are undone.",
    ),
    "CutoverScreen": (
        "Cutover",
        "Each function's alias moves to its new dual-stack version on the schedule, while the old and "
        "new versions' error rate and p99 latency are compared. A failed gate sends all traffic back "
        "to the old version. Pause, promote and abort act on the focused function's panel, or on every "
        "function when none has focus.",
    ),
    "SummaryScreen": (
        "Summary",
        "What this session changed, read from the journal: each resource in words with the ids AWS "
        "returned, the session id, and the command that undoes everything later.",
    ),
    "TypedConfirmDialog": (
        "Confirmation",
        "Lists what will change. Type the word it asks for and press enter to go ahead; anything "
        "else changes nothing. Page up and page down scroll a long list.",
    ),
    "ReviewDialog": (
        "Review",
        "Findings the plan leaves to you: rules it will not translate, routes it will not overwrite. "
        "Check each one, then mark them reviewed; you are asked once per step.",
    ),
    "ConfirmDialog": ("Question", "Answer yes or no; no (or escape) changes nothing."),
    "ErrorDialog": ("Error", "What failed, in one sentence, and what to do next."),
    "MfaDialog": ("MFA code", "The profile assumes a role that needs an MFA code; it goes to AWS and is never stored."),
}

BASE_ACTIONS = {binding.action for binding in Screen.BINDINGS if isinstance(binding, Binding)}
"""Keys every Textual screen has (focus moves, copy): listed on none."""

KEY_WORDS = {"command_palette": "Command palette: every key of this screen, by name"}
"""Descriptions for the app's built-in bindings, whose own are too short to explain them."""


class HelpScreen(ModalScreen[None]):
    """Help for `screen`: its purpose, its keys, then the keys that work everywhere."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close", tooltip="Close the help."),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__(classes="help-dialog")
        self.about = type(screen).__name__
        self.heading, self.purpose = SCREEN_HELP.get(self.about, (self.about, _first_line(type(screen).__doc__)))
        self.screen_keys, self.app_keys = _keys(screen)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Help: {self.heading}", classes="dialog-title", id="help-title")
            with VerticalScroll(classes="dialog-body", id="help-body"):
                yield Static(self.purpose, classes="dialog-text", id="help-purpose")
                if self.screen_keys:
                    yield Label("Keys on this screen", classes="help-section")
                    yield Static(_key_table(self.screen_keys), id="help-screen-keys")
                yield Label("Keys everywhere", classes="help-section")
                yield Static(_key_table(self.app_keys), id="help-app-keys")
            yield Static("Arrows or page keys scroll; escape, q or ? closes.", classes="dialog-hint dialog-foot", id="help-close")

    def on_mount(self) -> None:
        self.query_one("#help-body", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


KeyRow = tuple[str, str, bool]
"""A key as shown, what it does, and whether it can run now."""


def _keys(screen: Screen[Any]) -> tuple[list[KeyRow], list[KeyRow]]:
    """The screen's own keys and the app's, one row per action (a binding's several keys joined)."""
    rows: dict[tuple[str, str], tuple[list[str], str, bool]] = {}
    order: list[tuple[str, str]] = []
    for active in screen.active_bindings.values():
        owner = "app" if active.node is screen.app else "screen" if active.node is screen else ""
        if not owner or active.binding.action in BASE_ACTIONS or not (active.binding.description or active.binding.action in KEY_WORDS):
            continue  # a focused widget's keys (cursor moves) and every screen's (tab, copy) say nothing of this one
        place = (owner, active.binding.action)
        if place not in rows:
            rows[place] = ([], _what_it_does(active), active.enabled)
            order.append(place)
        elif active.binding.show:  # of several keys for one action, the footer's one describes it
            rows[place] = (rows[place][0], _what_it_does(active), active.enabled)
        # Each key as itself: a display override (F1 shown as "?") would hide the key it stands for.
        key = screen.app.get_key_display(Binding(active.binding.key, active.binding.action))
        if key not in rows[place][0]:
            rows[place][0].append(key)

    def row(place: tuple[str, str]) -> KeyRow:
        keys, what, enabled = rows[place]
        return " / ".join(keys), what, enabled

    return [row(p) for p in order if p[0] == "screen"], [row(p) for p in order if p[0] == "app"]


def _what_it_does(active: ActiveBinding) -> str:
    binding = active.binding
    if binding.action in KEY_WORDS:
        return KEY_WORDS[binding.action]
    tooltip = active.tooltip or binding.tooltip
    return f"{binding.description}: {tooltip}" if tooltip and tooltip != binding.description else binding.description


def _key_table(rows: list[KeyRow]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for key, what, enabled in rows:
        table.add_row(key, Text(what) if enabled else Text(f"{what} (not available now)", style="dim"))
    return table


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().splitlines()[0] if doc and doc.strip() else ""
