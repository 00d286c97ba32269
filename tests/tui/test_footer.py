"""WizardFooter: shows what Textual's Footer shows, and composes again only when that changes."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from v6wizard.tui.widgets.footer import WizardFooter


class FooterApp(App[None]):
    BINDINGS = [Binding("p", "make_plan", "Make plan"), Binding("x", "unused", "Hidden", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.plan_ready = False

    def compose(self) -> ComposeResult:
        yield Button("one")
        yield Button("two")
        yield WizardFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Shown, but dimmed, until a plan can be made.
        return True if action != "make_plan" or self.plan_ready else None


def _keys(app: App[None]) -> dict[str, bool]:
    return {key.description: not key.has_class("-disabled") for key in app.screen.query(FooterKey)}


async def test_it_skips_signals_that_change_nothing_and_follows_those_that_do() -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.screen.query_one(WizardFooter)
        assert _keys(app).get("Make plan") is False
        assert "Hidden" not in _keys(app)
        first = list(app.screen.query(FooterKey))
        # A focus change and explicit refreshes with the same bindings: the same keys stay mounted.
        await pilot.press("tab")
        app.screen.refresh_bindings()
        app.screen.refresh_bindings()
        await pilot.pause()
        assert list(app.screen.query(FooterKey)) == first, "nothing it shows changed, so nothing was composed again"
        # An enabled state changes: the footer shows it.
        app.plan_ready = True
        app.screen.refresh_bindings()
        await pilot.pause()
        assert _keys(app)["Make plan"] is True
        assert list(app.screen.query(FooterKey)) != first
        assert footer.is_attached
