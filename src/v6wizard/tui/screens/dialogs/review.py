"""The review acknowledgement: findings the plan leaves to a person, read once before their step is applied."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

if TYPE_CHECKING:
    from v6wizard.core.plan import Finding


class ReviewDialog(ModalScreen[bool]):
    """Lists the findings; True when the operator marks them reviewed (button or v), False on Back or escape."""

    BINDINGS = [
        Binding("v", "answer(True)", "Mark reviewed", id="review.yes", tooltip="I have read these findings; go on."),
        Binding("escape", "answer(False)", "Back", id="review.no", tooltip="Go back; nothing is applied."),
    ]

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = findings

    def compose(self) -> ComposeResult:
        from v6wizard.tui.widgets.preview import finding_text  # it needs the plan's models, which the first frame does without

        steps = ", ".join(dict.fromkeys(f.step for f in self.findings))
        with Vertical(classes="dialog"):
            yield Label(f"Review before applying {steps}", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="review-findings"):
                yield Static(
                    Group(
                        Text("The plan does not change these; check each one yourself (asked once per step):\n"),
                        *(finding_text(f) for f in self.findings),
                    ),
                    classes="dialog-text",
                )
            with Horizontal(classes="dialog-buttons dialog-foot"):
                yield Button("Mark reviewed (v)", id="yes", variant="warning")
                yield Button("Back", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
