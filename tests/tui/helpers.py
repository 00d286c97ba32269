"""Helpers for the wizard's Pilot tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

SIZE = (100, 32)
"""Every Pilot and snapshot test runs at this terminal size."""


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; on screen: {describe_screen(pilot.app)}")
        await pilot.pause(0.05)


def describe_screen(app: Any) -> str:
    """The screen stack, and an error dialog's message when one is showing (for failure messages)."""
    from v6wizard.tui.screens.dialogs import ErrorDialog

    screen = app.screen
    if isinstance(screen, ErrorDialog):
        return f"{app.screen_stack}: {screen.title_text}: {screen.message_text}"
    return str(app.screen_stack)


def text_of(widget: Any) -> str:
    """The plain text a Static shows (its content rendered by Rich, wide enough not to wrap)."""
    from io import StringIO

    from rich.console import Console

    console = Console(width=400, file=StringIO(), color_system=None)
    console.print(widget.content)
    return console.file.getvalue()  # type: ignore[attr-defined]
