"""The plan options form: CIDR source and pool, assign-on-create, the public ::/0 route, alias and schedule."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Switch



class OptionsForm(Vertical):
    """Mounted lazily by the choose screen so opening it is two short frames, not one long one."""

    def compose(self) -> ComposeResult:
        yield Label("Options", classes="section-title")
        with Horizontal(classes="option-row"):
            with RadioSet(id="cidr-source"):
                yield RadioButton("Amazon /56", value=True, id="src-amazon")
                yield RadioButton("IPAM pool", id="src-ipam")
                yield RadioButton("BYOIP pool", id="src-byoip")
            yield Input(placeholder="pool id (IPAM or BYOIP)", id="pool-id", disabled=True)
        with Horizontal(classes="option-row"):
            yield Switch(value=False, id="assign-on-create")
            yield Label("Assign IPv6 on create in migrated subnets")
        with Horizontal(classes="option-row"):
            yield Switch(value=False, id="public-route")
            yield Label("Public subnets: ::/0 to their internet gateway")
        with Horizontal(classes="option-row"):
            yield Label("Alias")
            yield Input("live", id="alias", classes="short")
            yield Label("Schedule")
            yield Input(self.app.default_schedule, id="schedule", classes="short")

    @on(RadioSet.Changed, "#cidr-source")
    def _source_changed(self, event: RadioSet.Changed) -> None:
        self.query_one("#pool-id", Input).disabled = event.index == 0
