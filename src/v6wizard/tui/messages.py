"""The messages workers post to the app: small dataclasses carrying results and engine events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from v6wizard.core.inventory import Inventory, RegionOverview
    from v6wizard.core.plan import Plan
    from v6wizard.aws.session import Identity
    from v6wizard.engine.events import EngineEvent
    from v6wizard.engine.session_status import SessionOverview


@dataclass
class Connected(Message):
    """Credentials work: who we are, and the sessions of this account and region that can still be acted on."""

    identity: Identity
    sessions: list[SessionOverview]
    journal_location: str


@dataclass
class SessionsLoaded(Message):
    """The Start screen's session list, read again."""

    sessions: list[SessionOverview]


@dataclass
class OverviewLoaded(Message):
    """The region's VPCs, summarized."""

    overview: RegionOverview


@dataclass
class DiscoveryProgress(Message):
    """Discovery of one VPC moved on; frequent, so a newer one replaces an unhandled older one."""

    text: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DiscoveryProgress)


@dataclass
class InventoryLoaded(Message):
    """Discovery of the chosen VPC finished."""

    inventory: Inventory


@dataclass
class PlanReady(Message):
    """A plan was built (or loaded from a session) and, for a session, its step states."""

    plan: Plan
    session_id: str | None = None
    state: Any | None = None
    then: str | None = None
    """What to do once the plan screen is open: resume, rollback, or nothing."""


@dataclass
class EngineEventMessage(Message):
    """One engine event (action progress, cutover stage and poll, session finished)."""

    event: EngineEvent

    def can_replace(self, message: Message) -> bool:
        # A functions step's progress line supersedes the one still queued for the same step.
        return (
            isinstance(message, EngineEventMessage)
            and self.event.kind == message.event.kind == "step-progress"
            and self.event.step == message.event.step
        )


@dataclass
class RunFinished(Message):
    """An apply, resume, rollback or skip returned; `state` is the session's state after it."""

    session_id: str
    verb: str
    state: Any | None = None
