"""What screens share: the protocol for screens that react to a (re)connection, and failed workers shown as dialogs."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from textual.worker import Worker

from v6wizard.tui.messages import Connected


@runtime_checkable
class ConnectionAware(Protocol):
    """A screen that updates when the app connects to another profile or region."""

    def connection_changed(self, message: Connected) -> None: ...


class ReportsWorkerFailures:
    """Mixed into screens that run workers: a failed one is shown in the app's error dialog.

    Worker.StateChanged does not bubble, so without this a screen's failed worker
    (the VPC list, discovery, a plan) ended silently and left its "Reading…" line up.
    """

    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.worker_state_changed(event)
