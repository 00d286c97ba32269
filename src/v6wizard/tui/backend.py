"""The wizard's back end: every AWS, journal and engine call the screens need, in one place.

Nothing here imports textual. Each method blocks and is meant to run in a thread
worker; the app turns the results into messages. Heavy modules (discovery, the
planner, the journal, the engine) are imported on first use so the start screen
appears before boto3's service models are loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from v6wizard.core.inventory import Inventory, RegionOverview
    from v6wizard.core.plan import Plan, PlanOptions
    from v6wizard.aws.session import AwsAccess, AwsTarget, Identity
    from v6wizard.engine.events import EngineEvent
    from v6wizard.journal.base import Journal, JournalEntry, SessionInfo

AccessFactory = Callable[["AwsTarget", Callable[[str], str] | None], "AwsAccess"]
"""Builds AwsAccess for a target and an MFA prompter; tests pass one that adds event hooks."""


def default_access_factory(target: AwsTarget, mfa_prompter: Callable[[str], str] | None) -> AwsAccess:
    from v6wizard.aws.credentials import KeyringCredentialCache
    from v6wizard.aws.session import AwsAccess

    return AwsAccess(target, credential_cache=KeyringCredentialCache(), mfa_prompter=mfa_prompter)


def available_profiles() -> list[str]:
    """Profiles from the user's AWS config and credentials files."""
    import botocore.session

    return sorted(botocore.session.Session().available_profiles)


def available_regions() -> list[str]:
    """Every region EC2 is offered in, from botocore's bundled endpoint data (offline)."""
    import botocore.session

    return sorted(botocore.session.Session().get_available_regions("ec2"))


@dataclass
class Backend:
    """One connection (AwsAccess) plus the journal and engine built on it."""

    access: AwsAccess
    journal_spec: str | None = None
    dry_run: bool = False
    cancel: threading.Event = field(default_factory=threading.Event)
    cutover_settings: Any | None = None
    cutover_clock: Any | None = None
    """The cutover's clock (None: wall time); tests pass a fake one."""
    cutover_control: Any | None = None
    """The running engine's CutoverControl (pause/resume/promote/abort), once a run started."""
    _journal: Journal | None = None

    @property
    def target(self) -> AwsTarget:
        return self.access.target

    def identity(self) -> Identity:
        return self.access.identity()

    # --- journal --------------------------------------------------------------

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            from v6wizard.journal import open_journal

            self._journal = open_journal(self.journal_spec, access=self.access)
        return self._journal

    def open_sessions(self) -> list[SessionInfo]:
        """Sessions of this account and region that still hold changes, newest first.

        "applied" only means the last run finished (often one step of eight), so those
        stay listed; only sessions rolled back entirely are left out.
        """
        identity = self.identity()
        sessions = self.journal.sessions(account_id=identity.account_id, region=self.access.region)
        return [s for s in sessions if s.status != "rolled-back"]

    def session_entries(self, session_id: str) -> list[JournalEntry]:
        return self.journal.entries(session_id)

    def session_plan(self, session_id: str) -> Plan:
        return self.journal.plan(session_id)

    # --- discovery and planning ----------------------------------------------

    def region_overview(self) -> RegionOverview:
        from v6wizard.aws.discovery import region_overview

        return region_overview(self.access, cancel=self.cancel)

    def load_discovery_clients(self) -> None:
        """Make the EC2 and Lambda clients and their paginators now, while connecting.

        Loading a service model holds the GIL for tens of milliseconds, and a client's first
        get_paginator loads its pagination model without a lock, so discovery's threads each
        did it at once: that was time the event loop waited, right when the operator picked a VPC.
        """
        self.access.client("ec2").get_paginator("describe_subnets")
        self.access.client("lambda").get_paginator("list_functions")

    def discover(self, vpc_id: str, on_progress: Callable[..., None] | None = None) -> Inventory:
        from v6wizard.aws.discovery import discover

        return discover(self.access, vpc_id, cancel=self.cancel, on_progress=on_progress)

    @staticmethod
    def build_plan(inventory: Inventory, options: PlanOptions) -> Plan:
        from v6wizard.core.planner import build_plan

        return build_plan(inventory, options)

    # --- the engine -----------------------------------------------------------

    def engine(self, on_event: Callable[[EngineEvent], None]) -> Any:
        """A fresh engine reporting to `on_event`; the cancel event is reset for the new run."""
        from v6wizard.engine.cutover_control import CutoverControl
        from v6wizard.engine.runner import Engine

        self.cancel.clear()
        # The operator's pause/promote/abort reach the cutover only through this object.
        self.cutover_control = CutoverControl()
        return Engine(
            self.access,
            self.journal,
            on_event=on_event,
            cancel=self.cancel,
            cutover_settings=self.cutover_settings,
            cutover_clock=self.cutover_clock,
            cutover_control=self.cutover_control,
        )

    def session_state(self, session_id: str) -> Any:
        """The engine's view of a session: per-step and per-action status."""
        return self.engine(lambda event: None).state(session_id)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
