"""What the start-up benches share: run the app headless until it is connected, and note when each moment came."""

from __future__ import annotations

import asyncio
import time
from typing import Any


def run_to_connected(app: Any) -> dict[str, float]:
    """Run `app` headless (frozen heap, as `run_app` does) and return the clock time of its first frame and of its connection."""
    from v6wizard.tui.app import freeze_start_up_heap
    from v6wizard.tui.screens.start import StartScreen

    marks: dict[str, float] = {}

    async def auto_pilot(pilot: Any) -> None:
        while not isinstance(app.screen, StartScreen):
            await pilot.pause(0.001)
        # Screen callbacks run once the screen's pending paint is done: that moment is the first frame.
        # (pilot.pause() would wait for the whole process to go idle, i.e. also for the connect worker's imports.)
        painted = asyncio.Event()
        app.screen.call_after_refresh(painted.set)
        await painted.wait()
        marks["first_frame"] = time.time()
        while app.identity is None:
            await pilot.pause(0.005)
        await pilot.pause()
        marks["connected"] = time.time()
        app.exit()

    app.freeze_heap = True
    freeze_start_up_heap()
    app.run(headless=True, size=(100, 32), auto_pilot=auto_pilot)
    return marks
