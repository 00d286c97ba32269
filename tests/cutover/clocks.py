"""A fake clock for the cutover tests and a stand-in for a crash."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


class Crash(BaseException):
    """Stands in for the process dying (not an Exception, so nothing may catch it)."""


@dataclass
class FakeClock:
    """Time that jumps forward on sleep; hooks run after each jump (a test's 'meanwhile')."""

    current: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0))
    hooks: list[Callable[[FakeClock], None]] = field(default_factory=list)
    crash_after_sleeps: int | None = None
    sleeps: int = 0

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        if self.crash_after_sleeps is not None and self.sleeps > self.crash_after_sleeps:
            raise Crash()
        self.current += timedelta(seconds=seconds)
        for hook in list(self.hooks):
            hook(self)
