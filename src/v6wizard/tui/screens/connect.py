"""Connect: pick the AWS profile and region, and see whose credentials they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Label, Select, Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from v6wizard.errors import V6WizardError
from v6wizard.tui.messages import Connected
from v6wizard.tui.widgets.context_bar import ContextBar
from v6wizard.tui.screens.base import ReportsWorkerFailures
from v6wizard.tui.widgets.footer import WizardFooter

if TYPE_CHECKING:
    from v6wizard.aws.session import AwsTarget
    from v6wizard.tui.app import WizardApp

DEFAULT_PROFILE = "(default credentials)"


class ConnectScreen(ReportsWorkerFailures, Screen[None]):
    """Profile and region pickers from the user's AWS config; credentials are checked with STS."""

    app: WizardApp

    BINDINGS = [
        Binding("ctrl+s", "check", "Connect", id="connect.check", tooltip="Check the credentials of this profile and region."),
        Binding("escape", "back", "Back", id="connect.back", tooltip="Back to the start screen."),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield ContextBar(id="context")
        with Vertical(id="connect-body"):
            yield Label("Profile", classes="section-title")
            yield Select[str]([], id="profile", prompt="Loading profiles…", allow_blank=True)
            yield Label("Region", classes="section-title")
            yield Select[str]([], id="region", prompt="Loading regions…", allow_blank=True)
            yield Button("Connect", id="check", variant="primary")
            yield Static("", id="identity")
            yield Static(
                "Temporary credentials (assume-role, MFA) are cached in your OS keyring, never in files.",
                classes="hint",
            )
        yield WizardFooter()

    def on_mount(self) -> None:
        self.load_choices()

    @work(thread=True, exclusive=True, exit_on_error=False, group="connect-choices")
    def load_choices(self) -> None:
        from v6wizard.tui.backend import available_profiles, available_regions

        profiles, regions = available_profiles(), available_regions()
        self.app.call_from_thread(self._fill, profiles, regions)

    def _fill(self, profiles: list[str], regions: list[str]) -> None:
        target = self.app.target
        profile_select = self.query_one("#profile", Select)
        profile_select.set_options([(DEFAULT_PROFILE, DEFAULT_PROFILE)] + [(p, p) for p in profiles])
        profile_select.prompt = "Choose a profile"
        profile_select.value = target.profile if target.profile in profiles else DEFAULT_PROFILE
        region_select = self.query_one("#region", Select)
        region_select.set_options([(r, r) for r in regions])
        region_select.prompt = "Choose a region"
        if target.region in regions:
            region_select.value = target.region
        if self.app.identity is not None:
            self._show_identity()

    def _show_identity(self) -> None:
        identity = self.app.identity
        if identity is not None:
            self.query_one("#identity", Static).update(f"Connected as {identity.arn} (account {identity.account_id}).")

    @on(Button.Pressed, "#check")
    def action_check(self) -> None:
        from v6wizard.aws.session import AwsTarget

        profile = self.query_one("#profile", Select).value
        region = self.query_one("#region", Select).value
        target = AwsTarget(
            profile=None if profile in (Select.BLANK, DEFAULT_PROFILE) else str(profile),
            region=None if region is Select.BLANK else str(region),
            endpoint_url=self.app.target.endpoint_url,
        )
        self.query_one("#identity", Static).update(f"Checking {target.describe()}…")
        self._report_failure(self.app.connect(target), target)

    @work(exclusive=True, group="connect-status")
    async def _report_failure(self, check: Worker[None], target: AwsTarget) -> None:
        """Say on this screen when the check failed (the app shows the error dialog), and what is still connected."""
        try:
            await check.wait()
        except WorkerCancelled:
            return  # a newer check replaced this one and reports for itself
        except WorkerFailed as failed:
            reason = str(failed.error) if isinstance(failed.error, V6WizardError) else "see the error dialog."
            identity = self.app.identity
            still = f" Still connected as {identity.arn} ({self.app.target.describe()})." if identity else ""
            self.query_one("#identity", Static).update(f"Not connected with {target.describe()}: {reason}{still}")

    def connection_changed(self, message: Connected) -> None:
        self._show_identity()
        self.notify(f"Connected to account {message.identity.account_id}.")

    def action_back(self) -> None:
        self.app.pop_screen()
