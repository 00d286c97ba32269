"""The line under the header that always says where the wizard is pointed: account, region, profile, endpoint."""

from __future__ import annotations

from textual.widgets import Static


class ContextBar(Static):
    """Shows the app's `context_line`; turns red-on-warning with DRY RUN when nothing can be applied."""

    def on_mount(self) -> None:
        self.watch(self.app, "context_line", self._show, init=True)
        self.watch(self.app, "dry_run", self._dry_run, init=True)

    def _show(self, line: str) -> None:
        self.update(line)

    def _dry_run(self, dry_run: bool) -> None:
        self.set_class(dry_run, "-dry-run")
