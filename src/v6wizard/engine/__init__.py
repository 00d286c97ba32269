"""The engine: apply, verify, journal, roll back and resume a plan (`Engine`), and where a session stands (`SessionState`).

Exported lazily so that importing `v6wizard.engine.events` stays light.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Engine", "SessionState", "derive_state"]


def __getattr__(name: str) -> Any:
    if name == "Engine":
        from v6wizard.engine.runner import Engine

        return Engine
    if name in ("SessionState", "derive_state"):
        from v6wizard.engine import state

        return getattr(state, name)
    raise AttributeError(name)
