"""The apply confirmation: names what will change; the operator types the step name or "apply"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class TypedConfirmDialog(ModalScreen[bool]):
    """Returns True only when the typed text is one of `accepted`."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="typed-confirm.cancel", tooltip="Change nothing.")]

    def __init__(self, title: str, summary: str, accepted: tuple[str, ...]) -> None:
        super().__init__()
        self._title, self._summary, self._accepted = title, summary, accepted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Static(self._summary, classes="dialog-text", id="confirm-summary")
            words = " or ".join(f'"{word}"' for word in self._accepted)
            yield Static(f"Type {words} and press enter to go ahead; escape changes nothing.", classes="dialog-hint")
            yield Input(placeholder=self._accepted[0], id="confirm-input")
            yield Static("", id="confirm-refused", classes="dialog-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip() in self._accepted:
            self.dismiss(True)
        else:
            self.query_one("#confirm-refused", Static).update(f"{event.value.strip()!r} does not match; nothing was changed.")

    def action_cancel(self) -> None:
        self.dismiss(False)
