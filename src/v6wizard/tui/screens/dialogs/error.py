"""An error: AWS's (or our) one-sentence message and what to do next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ErrorDialog(ModalScreen[None]):
    """Shows a failure; dismissed with enter or escape. A long message scrolls; Close stays on screen."""

    BINDINGS = [Binding("escape,enter", "close", "Close", id="error.close", tooltip="Close this message.")]

    def __init__(self, title: str, message: str, *, next_step: str = "") -> None:
        super().__init__(classes="error-dialog")
        self.title_text, self.message_text, self._next_step = title, message, next_step

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", id="error-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.message_text, classes="dialog-text", id="error-message")
                if self._next_step:
                    yield Static(self._next_step, classes="dialog-hint", id="error-next")
            with Horizontal(classes="dialog-buttons dialog-foot"):
                yield Button("Close", id="close", variant="error")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
