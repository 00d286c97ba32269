"""Asks what to export and where: a format and a folder; returns an ExportRequest, or None for cancel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

FORMAT_LABELS = {
    "terraform": "Terraform (.tf with import blocks)",
    "cloudformation": "CloudFormation (template and import document)",
    "iam-policy": "IAM policies (read and apply)",
}


@dataclass(frozen=True)
class ExportRequest:
    """The operator's choice: which export, into which folder."""

    export_format: str
    folder: Path


class ExportDialog(ModalScreen[ExportRequest | None]):
    """A format (radio buttons) and a folder (made if missing); enter in the folder or Export goes ahead."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Write nothing.")]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self._folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export the migration", classes="dialog-title")
            with RadioSet(id="export-format"):
                for index, (name, label) in enumerate(FORMAT_LABELS.items()):
                    yield RadioButton(label, value=index == 0, name=name)
            yield Static("Folder (made if missing):", classes="dialog-hint")
            yield Input(str(self._folder), id="export-folder")
            yield Static("", id="export-refused", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="export-go", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    def _submit(self) -> None:
        folder = self.query_one("#export-folder", Input).value.strip()
        if not folder:
            self.query_one("#export-refused", Static).update("Give a folder to write the files into.")
            return
        pressed = self.query_one(RadioSet).pressed_button
        export_format = pressed.name if pressed is not None and pressed.name else "terraform"
        self.dismiss(ExportRequest(export_format, Path(folder).expanduser()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-go":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
