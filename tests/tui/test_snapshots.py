"""SVG snapshots of every screen at 100x32 (and the plan at 80x24), fed the fixed account of `fixed.py`.

Regenerate with `pytest tests/tui --snapshot-update` and look at the diffs before committing.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tui import fixed
from tui.helpers import wait_for
from tui.snapshot_app import FixedApp, choosing, connected, mfa_prompt, with_plan
from v6wizard.engine.events import EngineEvent
from v6wizard.tui.screens.cutover import CutoverScreen
from v6wizard.tui.screens.dialogs import ErrorDialog
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.step import StepScreen
from v6wizard.tui.screens.summary import SummaryScreen

SIZE = (100, 32)


async def connected_with_vpcs(pilot: Pilot, *, savings: bool = True) -> None:
    """Connected, and the region's VPC list (the fixed overview) has arrived on the Start screen, then its
    savings read (unless `savings` is False: the column then shows it is still reading)."""
    from v6wizard.tui.messages import OverviewLoaded
    from v6wizard.tui.savings_work import SavingsRead
    from v6wizard.tui.screens.start import StartScreen

    await connected(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StartScreen)
    screen.post_message(OverviewLoaded(fixed.overview()))
    table = screen.query_one("#start-vpcs")
    await wait_for(pilot, lambda: table.row_count == len(fixed.overview().vpcs), what="the VPC list")
    if savings:
        screen.post_message(SavingsRead(fixed.region_savings()))
        await wait_for(pilot, lambda: table.savings.arrived, what="the savings column")
    await pilot.pause()


async def connected_with_vpcs_still_reading_savings(pilot: Pilot) -> None:
    await connected_with_vpcs(pilot, savings=False)


def test_start_with_an_interrupted_session(snap_compare) -> None:
    """Start: header, the context line (account 123456789012, us-east-1, profile prod), the line "Moves a VPC
    and its Lambda functions to dual-stack IPv6, step by step.", one session of vpc-0a1b2c3d4e5f60001 whose
    status reads "interrupted: 2 of 8 steps applied", then "VPCs in this region": one table with prod-main
    (IPv4 only, 2 functions, could save "up to $… of $…" a month) ranked first and staging (partly 1/2, "-":
    no NAT), the line "Ranked by the most IPv6 could take off each VPC's NAT bill (last 14 days).", the
    dry-run switch off, the journal path, and the footer with New migration, Resume, Roll back, Inspect,
    Dry run, Quit, Help (Connect is in the palette)."""
    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=connected_with_vpcs)


def test_start_at_80x24_says_what_the_tool_is_and_each_sessions_status(snap_compare) -> None:
    """Start at 80x24: the IPv6 line under the context line, the session row with its status
    "interrupted: 2 of 8 steps applied" readable without scrolling (status comes before the VPC), and
    both VPCs of the region in one table that fits 80 columns: IPv6 status and "Could save / mo" (prod-main
    "up to $… of $…", staging "-"), the Functions column left out at this width, all above the footer."""
    assert snap_compare(FixedApp(), terminal_size=(80, 24), run_before=connected_with_vpcs)


def test_start_in_dry_run(snap_compare) -> None:
    """Start in dry run: the header says DRY RUN, the context line is highlighted and starts with DRY RUN,
    the switch is on, the sessions table says none, and the region's two VPCs are listed while their savings
    are still read: prod-main's "Could save / mo" shows …, staging's (no NAT) "-", and the line under the
    table reads "Reading what IPv6 could save on NAT…"."""
    assert snap_compare(FixedApp(dry_run=True, sessions=False), terminal_size=SIZE, run_before=connected_with_vpcs_still_reading_savings)


def test_choose_vpc_subnets_and_functions(snap_compare) -> None:
    """Choose: two VPCs (prod-main 10.0.0.0/16, IPv4 only, 1 NAT, 2 Fns, NAT/mo $…; staging "partly 1/2", "-"),
    every column (the IPv4 CIDR too) at 100 columns, then prod-main's three subnets and two functions all ticked, the Amazon
    CIDR source, the three switches (assign on create, public route, SDK endpoints) off, alias live, the
    default schedule."""
    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=choosing)


def test_plan_with_findings(snap_compare) -> None:
    """Plan: the eight steps with their action counts, all planned, and below them the finding that needs
    review: lambda-restricted's egress to 10.20.0.0/16 is not given an IPv6 twin."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app)
        await pilot.app.push_screen(PlanScreen())
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=show)


def test_plan_holds_at_80x24_in_the_light_theme(snap_compare) -> None:
    """Plan at 80x24 in the light theme, mid-session: vpc-cidr and subnets applied, routes failed; the table,
    the review finding and the footer all fit."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app, session=True, statuses={"vpc-cidr": "applied", "subnets": "applied", "routes": "failed"})
        await pilot.app.push_screen(PlanScreen())
        pilot.app.action_toggle_theme()
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=(80, 24), run_before=show)


def test_step_preview_of_security_groups(snap_compare) -> None:
    """Step 6 (security groups): the review finding first, then each ::/0 twin as a red before / green after
    diff with its undo in words ("revoke the ::/0 rule created above from sg-..."), then a line offering c for
    the exact AWS calls; c Calls in the footer; an empty progress bar."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app)
        await pilot.app.push_screen(StepScreen("security-groups"))
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=show)


def test_step_in_dry_run_disables_apply(snap_compare) -> None:
    """Step 1 in dry run: the status line says DRY RUN: preview only, and Apply, Skip and Roll back are not in the footer."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app)
        await pilot.app.push_screen(StepScreen("vpc-cidr"))
        await pilot.pause()

    assert snap_compare(FixedApp(dry_run=True), terminal_size=SIZE, run_before=show)


def test_apply_confirmation_names_the_changes(snap_compare) -> None:
    """The apply dialog over step 2: it lists the three subnets that get a /64 and asks to type "subnets" or "apply"."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app)
        await pilot.app.push_screen(StepScreen("subnets"))
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=show)


def test_error_dialog(snap_compare) -> None:
    """An AWS failure: the red-bordered dialog with AWS's sentence and what to do next (resume or roll back)."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app, session=True)
        await pilot.app.push_screen(
            ErrorDialog(
                "AWS call failed",
                "AWS refused ec2 CreateRoute: You are not authorized to perform this operation (AccessDenied).",
                next_step=f"The session {fixed.SESSION} is resumable: fix the cause, then resume it from the start screen.",
            )
        )
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=show)


def test_cutover_live_panels(snap_compare) -> None:
    """Cutover: a panel per function; orders-api at stage 1 (50%), with three polls drawn as sparklines, its
    latest numbers (old v1 and new v2 error rates, p99, calls) and its gates marked ✓; notifier still waiting."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app, session=True)
        screen = CutoverScreen()
        await pilot.app.push_screen(screen)
        stage = {"function": "orders-api", "stage": 1, "percent": 50.0, "weight": 0.5, "old_version": "1", "new_version": "2"}
        screen.show_event(EngineEvent(kind="cutover-stage", step="cutover", message="orders-api: 50% on version 2", data=stage, at=fixed.AT))
        for n, (errors, p99) in enumerate([(0.0, 110.0), (0.4, 130.0), (0.2, 120.0)]):
            poll = {
                "function": "orders-api",
                "old": {"version": "1", "invocations": 500 + n, "error_rate": 0.2, "p99_ms": 120.0},
                "new": {"version": "2", "invocations": 480 + n, "error_rate": errors, "p99_ms": p99},
                "checks": [{"name": "error-rate", "passed": True, "detail": ""}, {"name": "p99", "passed": True, "detail": ""}],
            }
            screen.show_event(EngineEvent(kind="cutover-poll", step="cutover", message="pass", data=poll, at=fixed.AT))
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=show)


def test_summary(snap_compare) -> None:
    """Summary: session s-20261120-0930-ab12, the VPC's new /56 and the egress-only gateway with their ids,
    the command `v6wizard rollback s-20261120-0930-ab12 --yes` and where the journal lives."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app, session=True)
        await pilot.app.push_screen(SummaryScreen(entries=fixed.entries()))
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=show)


def test_connect_profile_and_region(snap_compare) -> None:
    """Connect: the profile picker on "(default credentials)" (the test's AWS config has no profiles), the region
    picker on us-east-1 from botocore's region list, the Connect button, who the credentials belong to
    (arn:aws:iam::123456789012:user/operator) and the note that temporary credentials stay in the OS keyring."""
    from textual.widgets import Select

    from v6wizard.tui.screens.connect import ConnectScreen

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        await pilot.app.push_screen(ConnectScreen())
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#region", Select).value == "us-east-1", what="the region list")
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=show)


def test_mfa_prompt(snap_compare) -> None:
    """The MFA dialog botocore's assume-role prompt opens: the profile's prompt text and a masked code input."""
    assert snap_compare(FixedApp(), terminal_size=SIZE, run_before=mfa_prompt)


def test_export_dialog_at_80x24(snap_compare) -> None:
    """Export over the plan at 80x24: the title, three formats (Terraform chosen, CloudFormation, IAM policies),
    the folder /home/operator/exports, and the Export and Cancel buttons, all inside the screen."""
    from pathlib import Path

    from v6wizard.tui.screens.dialogs.export import ExportDialog

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app)
        await pilot.app.push_screen(PlanScreen())
        await pilot.app.push_screen(ExportDialog(Path("/home/operator/exports")))
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=(80, 24), run_before=show)


def test_cutover_verdicts_and_flat_sparklines_at_80x24(snap_compare) -> None:
    """Cutover at 80x24: orders-api at 50%, its last verdict "✓ passed: every gate passed · gates: error-rate ✓,
    throttles ✓, p99 ✓". Its error-rate sparklines are flat, lowest bars (a constant 0.0% new and 0.2% old on a
    0-10% scale, never a full bar); its p99 bars are low (about 120 ms on 0-1000 ms). Each version shows its own
    call count (old 512, new 488). The line under the title says the keys act on every function."""

    async def show(pilot: Pilot) -> None:
        await connected(pilot)
        with_plan(pilot.app, session=True)
        screen = CutoverScreen()
        await pilot.app.push_screen(screen)
        stage = {"function": "orders-api", "stage": 1, "percent": 50.0, "weight": 0.5, "old_version": "1", "new_version": "2"}
        screen.show_event(EngineEvent(kind="cutover-stage", step="cutover", message="orders-api: 50% on version 2", data=stage, at=fixed.AT))
        checks = [{"name": name, "passed": True, "detail": ""} for name in ("error-rate", "throttles", "p99")]
        for n in range(3):
            poll = {
                "function": "orders-api",
                "old": {"version": "1", "invocations": 510 + n, "error_rate": 0.2, "p99_ms": 120.0},
                "new": {"version": "2", "invocations": 486 + n, "error_rate": 0.0, "p99_ms": 118.0},
                "checks": checks,
            }
            screen.show_event(EngineEvent(kind="cutover-poll", step="cutover", message="pass", data=poll, at=fixed.AT))
            verdict = {"function": "orders-api", "verdict": "pass", "label": "✓ passed", "reason": "every gate passed"}
            screen.show_event(
                EngineEvent(kind="cutover-verdict", step="cutover", message="orders-api: ✓ passed: every gate passed", data=verdict, at=fixed.AT)
            )
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=(80, 24), run_before=show)


def test_step_preview_with_the_actual_64s_at_80x24(snap_compare) -> None:
    """Step 2 (subnets) at 80x24 after step 1 ran: each subnet "holds 2600:1f18:abcd:12NN::/64 beside 10.0.x.0/24"
    (the real /64s from the journal's VPC block, no "/64 number N"), undo reads "disassociate the /64 created above",
    and the last line offers c for the exact AWS calls. No ${...} anywhere."""

    async def show(pilot: Pilot) -> None:
        from v6wizard.engine.state import derive_state

        await connected(pilot)
        plan = fixed.plan()
        state = derive_state(plan, fixed.sessions()[0], fixed.entries())
        pilot.app.use_plan(plan, fixed.SESSION, state)
        await pilot.app.push_screen(StepScreen("subnets"))
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=(80, 24), run_before=show)
