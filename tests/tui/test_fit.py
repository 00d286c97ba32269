"""At 80x24 (and up) every dialog keeps its way out on screen, the footer shows Quit and the screen's keys,
ticks read without colour, and the summary wraps; fed the fixed account of `fixed.py`."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Button, Input, SelectionList
from textual.widgets._footer import FooterKey

from tui import fixed
from tui.helpers import wait_for
from tui.snapshot_app import FixedApp, with_plan
from v6wizard.constants import DEFAULT_SCHEDULE
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.connect import ConnectScreen
from v6wizard.tui.screens.cutover import CutoverScreen
from v6wizard.tui.screens.dialogs import ConfirmDialog, ErrorDialog, MfaDialog, ReviewDialog, TypedConfirmDialog
from v6wizard.tui.screens.help import HelpScreen
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.step import StepScreen
from v6wizard.tui.screens.summary import SummaryScreen
from v6wizard.tui.widgets.marked import CheckList

SMALL = (80, 24)
LONG_TEXT = " ".join(f"Sentence {n} of a long message that wraps over many lines of the dialog." for n in range(40))


async def connected(pilot: Any) -> None:
    await wait_for(pilot, lambda: pilot.app.identity is not None, what="the fixed connection")


def shown_whole(pilot: Any, widget: Widget) -> bool:
    """The widget is on screen, not clipped, and nothing covers its middle."""
    app = pilot.app
    region = widget.region
    if region.area == 0 or region.size != widget.outer_size or region.right > app.size.width or region.bottom > app.size.height:
        return False
    under, _ = app.screen.get_widget_at(region.x + region.width // 2, region.y + region.height // 2)
    return under is widget or widget in under.ancestors_with_self


@pytest.mark.parametrize(("size", "changes"), [(SMALL, 6), (SMALL, 40), ((100, 30), 10)])
async def test_typed_confirmation_keeps_its_prompt_and_input_on_screen(size: tuple[int, int], changes: int) -> None:
    app = FixedApp()
    async with app.run_test(size=size) as pilot:
        await connected(pilot)
        summary = f"{changes} change(s) in {fixed.VPC}:\n" + "\n".join(f"• Give subnet subnet-{n:017d} a /64" for n in range(changes))
        answers: list[bool | None] = []
        app.push_screen(TypedConfirmDialog("Apply Subnets?", summary, accepted=("subnets", "apply")), answers.append)
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmDialog), what="the dialog")
        await pilot.pause()
        dialog = app.screen
        assert shown_whole(pilot, dialog.query_one("#confirm-prompt")), "the prompt is visible"
        assert shown_whole(pilot, dialog.query_one("#confirm-input", Input)), "the input is visible"
        assert 'Type "subnets" or "apply"' in str(dialog.query_one("#confirm-prompt").content)
        await pilot.press(*"subnets")
        assert dialog.query_one("#confirm-input", Input).value == "subnets", "typing reaches the input"
        await pilot.press("enter")
        await wait_for(pilot, lambda: answers == [True], what="the dialog to accept")


def dialogs() -> list[tuple[str, Any, str]]:
    """Each dialog with far more text than fits at 80x24, and the control that must stay visible."""
    findings = fixed.plan().findings * 12
    return [
        ("confirm (abort)", lambda: ConfirmDialog("Abort the cutover?", LONG_TEXT, yes="Abort"), "#no"),
        ("confirm yes", lambda: ConfirmDialog("Stop the run?", LONG_TEXT, yes="Stop after this action"), "#yes"),
        ("error", lambda: ErrorDialog("AWS call failed", LONG_TEXT, next_step=LONG_TEXT), "#close"),
        ("mfa", lambda: MfaDialog(LONG_TEXT), "#mfa-code"),
        ("review", lambda: ReviewDialog(findings), "#yes"),
    ]


@pytest.mark.parametrize(("name", "make", "control"), dialogs(), ids=[d[0] for d in dialogs()])
async def test_every_dialogs_buttons_are_visible_at_80x24(name: str, make: Any, control: str) -> None:
    app = FixedApp()
    async with app.run_test(size=SMALL) as pilot:
        await connected(pilot)
        app.push_screen(make())
        await pilot.pause()
        await pilot.pause()
        assert shown_whole(pilot, app.screen.query_one(control)), f"{name}: {control} is cut off"


async def test_abort_dialog_closes_with_its_button_at_80x24() -> None:
    app = FixedApp()
    async with app.run_test(size=SMALL) as pilot:
        await connected(pilot)
        answers: list[bool | None] = []
        app.push_screen(ConfirmDialog("Abort the cutover?", LONG_TEXT, yes="Abort"), answers.append)
        await pilot.pause()
        await pilot.click(app.screen.query_one("#no", Button))
        await wait_for(pilot, lambda: answers == [False], what="the No button to answer")


def screens() -> list[tuple[str, Any]]:
    return [
        ("start", None),
        ("connect", ConnectScreen),
        ("choose", lambda: ChooseScreen(overview=fixed.overview(), inventory=fixed.inventory())),
        ("plan", PlanScreen),
        ("step", lambda: StepScreen("subnets")),
        ("cutover", CutoverScreen),
        ("summary", lambda: SummaryScreen(entries=fixed.entries())),
    ]


@pytest.mark.parametrize(("name", "make"), screens(), ids=[s[0] for s in screens()])
async def test_the_footer_shows_quit_help_and_the_screens_keys_at_80_columns(name: str, make: Any) -> None:
    app = FixedApp()
    async with app.run_test(size=SMALL) as pilot:
        await connected(pilot)
        with_plan(app, session=True)
        if make is not None:
            await app.push_screen(make())
        await pilot.pause()
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        shown = {key.description for key in keys}
        assert {"Quit", "Help"} <= shown, shown
        own = {b.description for b in type(app.screen).BINDINGS if b.show}  # type: ignore[union-attr]
        assert own <= shown, f"keys of the screen missing from the footer: {own - shown}"
        for key in keys:
            assert key.region.right <= SMALL[0] and key.region.width == key.outer_size.width, f"{key.description!r} is cut off"


async def test_ticks_and_radio_buttons_read_without_colour_and_space_works_at_once() -> None:
    app = FixedApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await connected(pilot)
        await app.push_screen(ChooseScreen(overview=fixed.overview(), inventory=fixed.inventory()))
        screen = app.screen
        await wait_for(pilot, lambda: screen.query_one("#subnets", SelectionList).option_count == 3 and bool(screen.query("#schedule")), what="the lists and options")
        subnets = screen.query_one("#subnets", CheckList)
        assert [subnets.render_line(y).text[:3] for y in range(3)] == ["[x]"] * 3
        subnets.focus()
        await pilot.pause()
        await pilot.press("space")
        assert len(subnets.selected) == 2, "space untick the first row as soon as the list has focus"
        assert subnets.render_line(0).text.startswith("[ ]")
        radios = [str(button.render())[:3] for button in screen.query("#cidr-source RadioButton")]
        assert radios == ["(•)", "( )", "( )"]
        schedule = screen.query_one("#schedule", Input)
        assert schedule.value == DEFAULT_SCHEDULE
        assert schedule.content_region.width > len(DEFAULT_SCHEDULE), "the whole default schedule shows, with the cursor after it"


async def test_summary_names_changes_in_words_and_wraps_at_80_columns() -> None:
    app = FixedApp()
    async with app.run_test(size=SMALL) as pilot:
        await connected(pilot)
        with_plan(app, session=True)
        await app.push_screen(SummaryScreen(entries=fixed.entries()))
        await pilot.pause()
        changes = app.screen.query_one("#changes")
        assert [row.change for row in changes.rows] == [
            f"Associate an Amazon-provided /56 with VPC {fixed.VPC} (prod-main)",
            f"Create an egress-only internet gateway for VPC {fixed.VPC} (prod-main)",
        ]
        assert changes.rows[0].result == "Association id: vpc-cidr-assoc-0v6\nIPv6 CIDR block: 2600:1f18:abcd:1200::/56"
        assert changes.rows[1].result == "Egress-only internet gateway id: eigw-0abc0000000001"
        body = app.screen.query_one("#summary-body")
        assert body.max_scroll_x == 0 and changes.region.right <= SMALL[0], "no horizontal scroll at 80 columns"
        text = "\n".join(changes.render_line(y).text for y in range(changes.size.height))
        assert "associate:" not in text and "eigw-0abc0000000001" in text


async def test_help_lists_the_screens_keys_and_closes() -> None:
    app = FixedApp()
    async with app.run_test(size=SMALL) as pilot:
        await connected(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help screen")
        help_screen = app.screen
        assert help_screen.heading == "Start"
        screen_keys = {key: what for key, what, _ in help_screen.screen_keys}
        assert screen_keys["n"].startswith("New migration") and screen_keys["c"].startswith("Connect")
        app_keys = {single: what for keys, what, _ in help_screen.app_keys for single in keys.split(" / ")}
        assert "Help" in app_keys["?"] and app_keys["?"] == app_keys["f1"]
        assert "Quit" in app_keys["^q"] and "Command palette" in app_keys["^p"] and "Theme" in app_keys["^t"]
        assert shown_whole(pilot, help_screen.query_one("#help-close"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), what="help to close")
        with_plan(app)
        await app.push_screen(PlanScreen())
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help on the plan")
        assert app.screen.heading == "Plan"
        assert "Apply all" in {what.split(":")[0] for _, what, _ in app.screen.screen_keys}


async def test_f1_on_a_dialog_explains_the_dialog() -> None:
    app = FixedApp()
    async with app.run_test(size=SMALL) as pilot:
        await connected(pilot)
        app.push_screen(TypedConfirmDialog("Apply Subnets?", "3 change(s)", accepted=("subnets",)))
        await pilot.pause()
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help over the dialog")
        assert app.screen.heading == "Confirmation"
        assert any(what.startswith("Cancel") for _, what, _ in app.screen.screen_keys)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmDialog), what="back on the dialog")
