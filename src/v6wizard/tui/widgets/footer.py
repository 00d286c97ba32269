"""The footer every screen shows: Textual's Footer, recomposed only when what it shows changes.

Textual's Footer removes and mounts all its keys again on every bindings signal: a
screen push, each focus change, each `refresh_bindings`. Opening the choose screen
sent six, each a few milliseconds of mounting and styling inside frames that the
event-loop budget (issue #5: no stall over 50 ms) cannot spare, and most changed
nothing on screen. This footer remembers what it last composed (every active
binding's key, description, whether it is enabled, its tooltip) and skips signals
that would compose the same thing again, and several signals before one refresh
compose once.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class WizardFooter(Footer):
    """A Footer that recomposes only when the bindings it would show differ.

    Compact, and without the command palette's key: at 80 columns the full form showed
    five of a screen's keys and cut Quit off. The palette (ctrl+p) still opens, and the
    help screen (?) names it with every key the footer leaves out.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("show_command_palette", False)
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None
        self._pending = False

    def _what_it_shows(self) -> tuple[Any, ...]:
        return tuple(
            (key, binding.key, binding.description, binding.show, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )

    def compose(self) -> ComposeResult:
        self._pending = False
        self._shown = self._what_it_shows() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        # The screen may have closed since the signal (this runs after the next refresh).
        if not self.is_attached or self._what_it_shows() == self._shown:
            self._pending = False
            return
        await self.recompose()
