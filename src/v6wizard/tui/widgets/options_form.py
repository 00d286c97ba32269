"""The plan options form: CIDR source and pool, assign-on-create, the public ::/0 route, alias and schedule."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, RadioSet, Switch

from v6wizard.tui.widgets.marked import MarkedRadioButton


class OptionsForm(Vertical):
    """The options, mounted a row per frame after the screen's first one.

    Mounted whole, the form (radio set, switches, inputs) was the choose screen's one
    long frame: 35-80 ms on a busy 2-core machine, the event-loop stall issue #5 caps
    at 50 ms. A row per frame keeps each frame short; all rows are in place within a
    few frames, long before a VPC's inventory is read and the options can be used.
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._rows: list[Callable[[], Horizontal]] = [self._source_row, self._assign_row, self._public_row, self._sdk_row, self._alias_row]

    def compose(self) -> ComposeResult:
        yield Label("Options", classes="section-title")

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_next_row)

    @property
    def complete(self) -> bool:
        """Every row is mounted."""
        return not self._rows

    async def finish(self) -> None:
        """Mount the rows still to come, now (the options are about to be read)."""
        rows, self._rows = self._rows, []
        if rows:
            await self.mount_all([row() for row in rows])

    def _mount_next_row(self) -> None:
        if not self._rows or not self.is_attached:
            return
        self.mount(self._rows.pop(0)())
        if self._rows:
            self.call_after_refresh(self._mount_next_row)

    @staticmethod
    def _source_row() -> Horizontal:
        return Horizontal(
            RadioSet(
                MarkedRadioButton("Amazon /56", value=True, id="src-amazon"),
                MarkedRadioButton("IPAM pool", id="src-ipam"),
                MarkedRadioButton("BYOIP pool", id="src-byoip"),
                id="cidr-source",
            ),
            Input(placeholder="pool id (IPAM or BYOIP)", id="pool-id", disabled=True),
            classes="option-row",
        )

    @staticmethod
    def _assign_row() -> Horizontal:
        return Horizontal(
            Switch(value=False, id="assign-on-create"), Label("Assign IPv6 on create in migrated subnets"), classes="option-row"
        )

    @staticmethod
    def _public_row() -> Horizontal:
        return Horizontal(
            Switch(value=False, id="public-route"), Label("Public subnets: ::/0 to their internet gateway"), classes="option-row"
        )

    @staticmethod
    def _sdk_row() -> Horizontal:
        return Horizontal(
            Switch(value=False, id="sdk-endpoints"), Label("Set SDK endpoints (AWS_ENDPOINT_URL_<SERVICE>) for opt-in services"), classes="option-row"
        )

    def _alias_row(self) -> Horizontal:
        return Horizontal(
            Label("Alias"),
            Input("live", id="alias", classes="short"),
            Label("Schedule"),
            # Wide enough for the whole default schedule and the cursor after it.
            Input(self.app.default_schedule, id="schedule", classes="schedule"),
            classes="option-row",
        )

    @on(RadioSet.Changed, "#cidr-source")
    def _source_changed(self, event: RadioSet.Changed) -> None:
        self.query_one("#pool-id", Input).disabled = event.index == 0
