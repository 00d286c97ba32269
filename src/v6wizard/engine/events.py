"""Progress events the engine and the cutover emit; the CLI prints them, the TUI posts them as messages."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, Field

EventKind = Literal[
    "session-started",
    "step-started",
    "step-finished",
    "step-progress",
    "action-started",
    "action-succeeded",
    "action-skipped",
    "action-failed",
    "action-reconciled",
    "drift",
    "waiting",
    "cutover-stage",
    "cutover-poll",
    "cutover-verdict",
    "cutover-finished",
    "session-finished",
    "note",
]


class EngineEvent(BaseModel):
    """One thing that happened during apply, rollback, resume or cutover."""

    kind: EventKind
    session_id: str = ""
    step: str = ""
    action_id: str = ""
    phase: Literal["apply", "rollback"] = "apply"
    message: str = ""
    """One human sentence, shown as a progress line or log row."""
    done: int = 0
    """Actions finished in the current step (for progress bars)."""
    total: int = 0
    """Actions in the current step."""
    data: dict[str, Any] = Field(default_factory=dict)
    """Kind-specific details: outputs, error code, cutover weight and metrics."""
    at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
