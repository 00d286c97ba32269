"""What screens share: the protocol for screens that react to a (re)connection."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from v6wizard.tui.messages import Connected


@runtime_checkable
class ConnectionAware(Protocol):
    """A screen that updates when the app connects to another profile or region."""

    def connection_changed(self, message: Connected) -> None: ...
