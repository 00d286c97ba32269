"""What the benches' emulator children share: a process started as `script --child`, asked one line at a time."""

from __future__ import annotations

import subprocess
import sys


class LineChild:
    """`script --child` in its own process: its first line is its endpoint; each line sent on stdin gets one line back."""

    def __init__(self, script: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen([sys.executable, script, "--child"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert self.process.stdout is not None
        self.endpoint = self.process.stdout.readline().strip()

    def ask(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{line}\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def stop(self) -> None:
        """Close its stdin, which ends it, and wait for it."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
