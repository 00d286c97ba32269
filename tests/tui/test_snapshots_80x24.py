"""SVG snapshots at 80x24 of every dialog and of the screens whose fit issue #11 is about, fed `fixed.py`.

Regenerate with `pytest tests/tui/test_snapshots_80x24.py --snapshot-update` and open the SVGs.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tui import fixed
from tui.helpers import wait_for
from tui.snapshot_app import FixedApp, choosing, connected, mfa_prompt, with_plan
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.dialogs import ConfirmDialog, ErrorDialog
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.step import StepScreen
from v6wizard.tui.screens.summary import SummaryScreen

SMALL = (80, 24)


async def on_plan(pilot: Pilot, **kwargs: object) -> None:
    await connected(pilot)
    with_plan(pilot.app, **kwargs)  # type: ignore[arg-type]
    await pilot.app.push_screen(PlanScreen())
    await pilot.pause()


def test_start_footer_at_80_columns(snap_compare) -> None:
    """Start at 80x24: the footer reads n New migration, r Resume, b Roll back, i Inspect, d Dry run,
    ^q Quit, ? Help, all whole (Connect and Theme are in the palette and the help)."""
    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=connected)


def test_typed_confirmation_with_many_changes(snap_compare) -> None:
    """Apply all over the plan at 80x24, after the review: the dialog lists the seven steps' changes in a
    scrolling body (a scrollbar on its right), and below it, always on screen, the prompt
    'Type "apply" and press enter' and the input with "app" typed into it."""

    async def show(pilot: Pilot) -> None:
        await on_plan(pilot)
        pilot.app.reviewed.update({"security-groups"})
        await pilot.press("A")
        await pilot.press(*"app")
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_typed_confirmation_of_a_step(snap_compare) -> None:
    """Step 2's apply dialog at 80x24: its three subnets, 'Type "subnets" or "apply"', the empty input focused."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app)
        await pilot.app.push_screen(StepScreen("subnets"))
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_review_dialog(snap_compare) -> None:
    """Apply all at 80x24 before the review: "Review before applying security-groups", the REVIEW finding about
    lambda-restricted's egress to 10.20.0.0/16, and the buttons Mark reviewed (v) and Back, Back focused."""

    async def show(pilot: Pilot) -> None:
        await on_plan(pilot)
        await pilot.press("A")
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_plan_after_review(snap_compare) -> None:
    """The plan at 80x24 once its findings are marked reviewed: the heading over the finding reads "Reviewed"."""

    async def show(pilot: Pilot) -> None:
        await on_plan(pilot)
        pilot.app.reviewed.update({"security-groups"})
        pilot.app.screen.refresh_plan()
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_stop_the_run_question(snap_compare) -> None:
    """The quit-during-a-run question at 80x24: its sentence, then the buttons Stop after this action and No."""

    async def show(pilot: Pilot) -> None:
        await on_plan(pilot, session=True)
        await pilot.app.push_screen(
            ConfirmDialog(
                "Stop the run?",
                "The current action finishes, then the run stops. The session stays resumable from the start screen.",
                yes="Stop after this action",
            )
        )
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_abort_question_with_many_functions(snap_compare) -> None:
    """The cutover's abort question at 80x24 naming thirty functions: the text scrolls in the dialog and the
    Abort and No buttons stay whole at its foot."""
    names = ", ".join(f"orders-worker-{n:02d}" for n in range(30))

    async def show(pilot: Pilot) -> None:
        await on_plan(pilot, session=True)
        await pilot.app.push_screen(
            ConfirmDialog("Abort the cutover?", f"The alias of {names} goes back to the old version (routing cleared).", yes="Abort")
        )
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_error_dialog_with_a_long_message(snap_compare) -> None:
    """A long AWS failure at 80x24: the red dialog scrolls its message and next step; Close is whole at its foot."""
    reason = " ".join(["AWS refused ec2 CreateRoute: You are not authorized to perform this operation (AccessDenied)."] * 6)

    async def show(pilot: Pilot) -> None:
        await on_plan(pilot, session=True)
        await pilot.app.push_screen(
            ErrorDialog("AWS call failed", reason, next_step=f"The session {fixed.SESSION} is resumable: fix the cause, then resume it.")
        )
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_mfa_dialog(snap_compare) -> None:
    """The MFA dialog at 80x24: the profile's prompt, "Enter sends the code; escape cancels.", six masked digits."""

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=mfa_prompt)


def test_help_on_the_plan(snap_compare) -> None:
    """Help (F1) over the plan at 80x24: "Help: Plan", what the plan is for, then "Keys on this screen"
    (o Open step, A Apply all, s Summary, v Mark reviewed, escape Back, each with what it does), and at
    the foot "Arrows or page keys scroll; escape, q or ? closes."."""

    async def show(pilot: Pilot) -> None:
        await on_plan(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_help_on_start_scrolled_to_the_app_keys(snap_compare) -> None:
    """Help on Start at 80x24, scrolled to its end: "Keys everywhere" lists ^c / ^q Quit, ^t Theme,
    f1 / ? Help and ^p Command palette."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_choose_vpc_table_fits_80_columns(snap_compare) -> None:
    """Choose at 80x24 after the NAT spend read: the VPC table fits the width with NAT/mo visible (prod-main
    $…, staging -): VPC, Name, IPv6 (IPv4 only; partly 1/2), NAT, Fns, NAT/mo; the IPv4 CIDR column is left
    out at this width."""

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=choosing)


def test_choose_ticks_without_colour(snap_compare) -> None:
    """Choose at 80x24 with the first subnet unticked by space: rows read [ ] and [x], the CIDR source reads
    (•) Amazon /56, ( ) IPAM pool, ( ) BYOIP pool, and the schedule shows 10%:5m,50%:5m,100% whole."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        await pilot.app.push_screen(ChooseScreen(overview=fixed.overview(), inventory=fixed.inventory()))
        screen = pilot.app.screen
        await wait_for(pilot, lambda: bool(screen.query("#schedule")), what="the options")
        screen.query_one("#subnets").focus()
        await pilot.press("space")
        screen.query_one("#choose-body").scroll_end(animate=False)
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)


def test_step_in_dry_run_at_80x24(snap_compare) -> None:
    """Step 1 in dry run at 80x24: the footer has no Apply, Skip or Roll back, only escape Back, ^q Quit, ? Help."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app)
        await pilot.app.push_screen(StepScreen("vpc-cidr"))
        await pilot.pause()

    assert snap_compare(FixedApp(dry_run=True), terminal_size=SMALL, run_before=show)


def test_summary_at_80x24(snap_compare) -> None:
    """Summary at 80x24: each change in words with its VPC id ("Associate an Amazon-provided /56 with VPC
    vpc-0a1b2c3d4e5f60001 (prod-main)"), what AWS returned ("Association id: ...", "IPv6 CIDR block: ..."
    one per line), wrapped inside 80 columns, no horizontal scrollbar."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app, session=True)
        await pilot.app.push_screen(SummaryScreen(entries=fixed.entries()))
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SMALL, run_before=show)
