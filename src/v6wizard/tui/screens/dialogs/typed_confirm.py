"""The apply confirmation: names what will change; the operator types the step name or "apply"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class TypedConfirmDialog(ModalScreen[bool]):
    """Returns True only when the typed text is one of `accepted`.

    The list of changes scrolls inside the dialog; the prompt and the input are docked
    below it, so they stay visible however many changes there are and however small the
    terminal (from 80x24 up).
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="typed-confirm.cancel", tooltip="Change nothing."),
        Binding("pageup", "scroll_changes(-1)", "Earlier changes", id="typed-confirm.page-up", show=False, tooltip="Scroll the list of changes up."),
        Binding("pagedown", "scroll_changes(1)", "Later changes", id="typed-confirm.page-down", show=False, tooltip="Scroll the list of changes down."),
    ]

    def __init__(self, title: str, summary: str, accepted: tuple[str, ...]) -> None:
        super().__init__()
        self._title, self._summary, self._accepted = title, summary, accepted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="confirm-changes"):
                yield Static(self._summary, classes="dialog-text", id="confirm-summary")
            with Vertical(classes="dialog-foot"):
                words = " or ".join(f'"{word}"' for word in self._accepted)
                yield Static(f"Type {words} and press enter to go ahead; escape changes nothing.", classes="dialog-hint", id="confirm-prompt")
                yield Input(placeholder=self._accepted[0], id="confirm-input")
                yield Static("", id="confirm-refused", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one("#confirm-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip() in self._accepted:
            self.dismiss(True)
        else:
            self.query_one("#confirm-refused", Static).update(f"{event.value.strip()!r} does not match; nothing was changed.")

    def action_scroll_changes(self, direction: int) -> None:
        changes = self.query_one("#confirm-changes", VerticalScroll)
        (changes.scroll_page_down if direction > 0 else changes.scroll_page_up)()

    def action_cancel(self) -> None:
        self.dismiss(False)
