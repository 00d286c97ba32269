"""The wizard fed the fixed account (see `fixed.py`) instead of a live connection, for deterministic snapshots."""

from __future__ import annotations

from textual.pilot import Pilot

from tui import fixed
from tui.helpers import wait_for
from v6wizard.aws.session import AwsTarget
from v6wizard.tui.app import WizardApp
from v6wizard.tui.messages import Connected
from v6wizard.tui.screens.choose import ChooseScreen

JOURNAL = "/home/operator/.local/state/v6wizard/journal.sqlite3"


class FixedApp(WizardApp):
    """Connecting answers with the fixed identity and sessions; everything else is the real app."""

    def __init__(self, *, dry_run: bool = False, sessions: bool = True) -> None:
        super().__init__(AwsTarget(profile="prod", region=fixed.REGION), dry_run=dry_run)
        self._fixed_sessions = fixed.sessions() if sessions else []

    def connect(self, target: AwsTarget) -> None:  # type: ignore[override]
        self.post_message(Connected(fixed.IDENTITY, self._fixed_sessions, JOURNAL))


def with_plan(app: FixedApp, *, session: bool = False, statuses: dict[str, str] | None = None) -> FixedApp:
    app.use_plan(fixed.plan(), fixed.SESSION if session else None)
    app.statuses.update(statuses or {})
    return app


async def connected(pilot: Pilot) -> None:
    """The fixed connection has arrived (the context line and journal path are known)."""
    await wait_for(pilot, lambda: pilot.app.identity is not None, what="the fixed connection")


async def choosing(pilot: Pilot) -> None:
    """The Choose screen with the fixed VPCs, prod-main's inventory, and the region's NAT spend read."""
    from v6wizard.tui.savings_work import SavingsRead

    await connected(pilot)
    await pilot.app.push_screen(ChooseScreen(overview=fixed.overview(), inventory=fixed.inventory()))
    screen = pilot.app.screen
    screen.post_message(SavingsRead(fixed.region_savings()))
    await wait_for(pilot, lambda: screen.query_one("#vpcs").savings.arrived, what="the NAT spend column")
    await pilot.pause()


async def mfa_prompt(pilot: Pilot) -> None:
    """The MFA dialog botocore's assume-role prompt opens, six digits typed."""
    from v6wizard.tui.screens.dialogs import MfaDialog

    await connected(pilot)
    await pilot.app.push_screen(MfaDialog("Enter MFA code for arn:aws:iam::123456789012:mfa/operator: "))
    await pilot.press(*"123456")
    await pilot.pause()
