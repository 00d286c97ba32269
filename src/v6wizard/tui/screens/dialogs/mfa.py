"""Asks for the MFA code an assume-role profile needs; returns the code, or None when cancelled."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class MfaDialog(ModalScreen[str | None]):
    """One input for the six-digit code; the code goes to botocore and nowhere else."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="mfa.cancel", tooltip="Do not assume the role.")]

    def __init__(self, prompt: str) -> None:
        super().__init__()
        self._prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("MFA code", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self._prompt.strip() or "Enter the MFA code for this profile:", classes="dialog-text")
            with Vertical(classes="dialog-foot"):
                yield Static("Enter sends the code; escape cancels.", classes="dialog-hint")
                yield Input(placeholder="123456", id="mfa-code", restrict=r"[0-9]*", max_length=8, password=True)

    def on_mount(self) -> None:
        self.query_one("#mfa-code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
