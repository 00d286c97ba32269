"""bench/README.md: each benchmark owns one `## ` section and rewrites only that one."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_section(section: str, text: str) -> None:
    """Replace the section headed `section` (e.g. "## Journal") with `text`, or append it."""
    text = text.rstrip("\n") + "\n\n"
    current = README.read_text() if README.exists() else "# Benchmarks\n\n"
    pattern = re.compile(rf"^{re.escape(section)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    README.write_text(updated.rstrip("\n") + "\n")
