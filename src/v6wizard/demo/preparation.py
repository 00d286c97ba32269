"""The demo's emulator and sample account, made in the background while the wizard is already on screen.

Starting the emulator and seeding the sample account takes seconds (4-5 s on a busy
2-core machine); `v6wizard demo` shows its Start screen at once and the wizard's
connect worker waits here for the account before it connects. Nothing here imports
textual: the app only calls `begin`, `wait` and `target`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from v6wizard.aws.target import AwsTarget

Started = tuple[Any, Any, Any]
"""(emulator, account, traffic), as `cli.demo_cmd.start_demo` returns them."""


class DemoPreparation:
    """Runs `start` (start the emulator, seed, start the traffic) once, on its own thread."""

    def __init__(self, start: Callable[[], Started], region: str) -> None:
        self._start = start
        self.region = region
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self._started: Started | None = None
        self._error: BaseException | None = None

    def begin(self) -> None:
        """Start preparing (once); returns at once."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="v6wizard-demo-seed", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            self._started = self._start()
        except BaseException as exc:  # handed to whoever waits: the connect worker shows it in the error dialog
            self._error = exc
        finally:
            self._done.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set() and self._error is None

    def wait(self, timeout: float | None = None) -> Started:
        """The emulator, account and traffic once seeded (begins if need be); raises what seeding raised."""
        self.begin()
        if not self._done.wait(timeout):
            raise TimeoutError(f"the demo account was not ready within {timeout} s")
        if self._error is not None:
            raise self._error
        assert self._started is not None
        return self._started

    def target(self) -> AwsTarget:
        """Where the wizard reaches the demo's emulator (waits for the seeding)."""
        emulator, _, _ = self.wait()
        return AwsTarget(region=self.region, endpoint_url=emulator.endpoint)

    @property
    def account(self) -> Any:
        return self.wait()[1]

    def stop(self) -> None:
        """Stop the traffic and the emulator (waiting for a seeding still under way to end first)."""
        with self._lock:
            thread = self._thread
        if thread is None:
            return
        thread.join()
        if self._started is not None:
            emulator, _, traffic = self._started
            traffic.stop()
            emulator.stop()
