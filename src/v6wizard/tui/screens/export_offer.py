"""The Export key that the Plan and Summary screens share: ask (ExportDialog), write in a thread worker, show the paths."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import work
from textual.binding import Binding
from textual.message import Message

from v6wizard.tui.screens.dialogs.export import ExportDialog, ExportRequest

EXPORT_BINDING = Binding("e", "export", "Export", id="export.open", tooltip="Write the migration as Terraform, CloudFormation or IAM policies into a folder.")


@dataclass
class ExportWritten(Message):
    """An export's files were written."""

    paths: list[Path]


class OffersExport:
    """Mixed into a screen with EXPORT_BINDING: the session's export when there is one, else the plan's."""

    app: Any

    def action_export(self) -> None:
        if self.app.plan is None:
            self.app.notify("There is no plan to export yet.", severity="warning")
            return
        self.app.push_screen(ExportDialog(Path.cwd()), self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            self.write_export(request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def write_export(self, request: ExportRequest) -> None:
        paths = self.app.backend.export(self.app.plan, self.app.session_id, request.export_format, request.folder)
        self.post_message(ExportWritten(paths))  # type: ignore[attr-defined]

    def on_export_written(self, message: ExportWritten) -> None:
        listed = "\n".join(str(path) for path in message.paths)
        self.app.notify(f"Wrote:\n{listed}", title="Export written", timeout=15)
