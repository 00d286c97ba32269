"""The wizard's back end: every AWS, journal and engine call the screens need, in one place.

Nothing here imports textual. Each method blocks and is meant to run in a thread
worker; the app turns the results into messages. Heavy modules (the planner, the
journal, the engine) are imported on first use so the start screen appears before
boto3's service models are loaded. Discovery and the region overview run in a helper
process (`v6wizard.aws.discovery_process`), so parsing hundreds of responses never
holds the GIL the event loop needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from v6wizard.aws.discovery_process import DiscoveryProcess
    from v6wizard.core.inventory import Inventory, RegionOverview
    from v6wizard.core.plan import Plan, PlanOptions
    from v6wizard.aws.session import AwsAccess, AwsTarget, Identity
    from v6wizard.engine.events import EngineEvent
    from v6wizard.engine.session_status import SessionOverview
    from v6wizard.journal.base import Journal, JournalEntry

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
    _discovery: DiscoveryProcess | None = None
    _discovery_lock: threading.Lock = field(default_factory=threading.Lock)

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

    def open_sessions(self) -> list[SessionOverview]:
        """Sessions of this account and region that can still be acted on, newest first, each with its derived status.

        Finished (applied) sessions stay listed, so they can be rolled back; only sessions
        rolled back entirely are left out.
        """
        from v6wizard.engine.session_status import session_overview

        identity = self.identity()
        sessions = self.journal.sessions(account_id=identity.account_id, region=self.access.region)
        # A last run that rolled back everything needs no reading: nothing of it is left.
        overviews = [session_overview(self.journal, s) for s in sessions if s.status != "rolled-back"]
        return [o for o in overviews if o.status != "rolled-back"]

    def session_entries(self, session_id: str) -> list[JournalEntry]:
        return self.journal.entries(session_id)

    def session_plan(self, session_id: str) -> Plan:
        return self.journal.plan(session_id)

    def resume_scope(self, session_id: str) -> list[str]:
        """The steps resuming the session would apply, so their findings can be reviewed first."""
        from v6wizard.engine.review import resume_scope

        return resume_scope(self.journal.entries(session_id))

    # --- discovery and planning ----------------------------------------------

    @property
    def discovery(self) -> DiscoveryProcess:
        """The helper process that runs discovery and the region overview, off the UI process's GIL."""
        with self._discovery_lock:  # the connect worker and a quick "n" may ask at once
            if self._discovery is None:
                from v6wizard.aws.discovery_process import DiscoveryProcess

                self._discovery = DiscoveryProcess(self.access.target, self.access.frozen_credentials)
            return self._discovery

    def start_discovery(self) -> bool:
        """Start the discovery helper and wait until it has loaded its clients (called while connecting).

        Started once connected, so boto3 and the service models are loaded in the helper before the
        operator picks a VPC. False if it is not ready in time; the first request then says why.
        """
        self.discovery.start()
        return self.discovery.wait_ready()

    def region_overview(self) -> RegionOverview:
        return self.discovery.region_overview(cancel=self.cancel)

    def discover(self, vpc_id: str, on_progress: Callable[..., None] | None = None) -> Inventory:
        return self.discovery.discover(vpc_id, cancel=self.cancel, on_progress=on_progress)

    @staticmethod
    def build_plan(inventory: Inventory, options: PlanOptions) -> Plan:
        from v6wizard.core.planner import build_plan

        return build_plan(inventory, options)

    def plan_with_reads(self, inventory: Inventory, options: PlanOptions) -> Plan:
        """The plan, with the reads `make_plan` adds to discovery: the VPC's endpoints, and readiness with --sdk-endpoints."""
        from v6wizard.aws.readiness_reads import endpoints_of, read_readiness
        from v6wizard.core.planner import build_plan

        endpoints = endpoints_of(self.access, inventory.vpc.id)
        report = None
        if options.sdk_endpoints:
            report = read_readiness(self.access, inventory, options.function_names, dns_server=options.dns_server, endpoints=endpoints)
        return build_plan(inventory, options, report, endpoints)

    def readiness(self, inventory: Inventory, function_names: list[str] | None) -> Any:
        """The readiness report of the chosen functions (AWS reads and DNS lookups; call from a thread worker)."""
        import os

        from v6wizard.aws.readiness_reads import read_readiness

        return read_readiness(self.access, inventory, function_names, dns_server=os.environ.get("V6WIZARD_DNS_SERVER") or None)

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

    def export(self, plan: Plan, session_id: str | None, export_format: str, folder: Path) -> list[Path]:
        """Write an export into a folder: of the session (with its real ids) when there is one, else of the plan."""
        from v6wizard.core.export_source import ExportSource
        from v6wizard.exporting import export_files, source_from_session, write_files

        source = source_from_session(self.journal, session_id) if session_id else ExportSource(plan=plan)
        return write_files(export_files(source, export_format), folder)

    def close(self) -> None:
        if self._discovery is not None:
            self._discovery.close()
        if self._journal is not None:
            self._journal.close()
            self._journal = None
