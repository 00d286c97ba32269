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
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await pilot.pause(0.05)
