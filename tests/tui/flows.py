"""Pilot steps shared by the flow tests: connect, choose the demo VPC, make the plan, apply a step."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input

from tui.helpers import wait_for
from v6wizard.core.plan import STEP_ORDER
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.dialogs import ReviewDialog, TypedConfirmDialog
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.start import StartScreen
from v6wizard.tui.screens.step import StepScreen


async def connect(pilot: Any) -> None:
    await wait_for(pilot, lambda: pilot.app.identity is not None and isinstance(pilot.app.screen, StartScreen), what="connecting")


async def plan_demo(pilot: Any, vpc_id: str, *, schedule: str | None = None) -> None:
    """From the start screen: new migration, pick the demo VPC, keep every tick, make the plan."""
    app = pilot.app
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count >= 2, what="the VPC list")
    table = app.screen.query_one("#vpcs", DataTable)
    table.move_cursor(row=table.get_row_index(vpc_id))
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen._inventory is not None, what="discovery")
    if schedule is not None:
        app.screen.query_one("#schedule", Input).value = schedule
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")


async def open_step(pilot: Any, step: str) -> None:
    app = pilot.app
    table = app.screen.query_one("#steps", DataTable)
    table.move_cursor(row=STEP_ORDER.index(step))
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(app.screen, StepScreen) and app.screen.step_name == step, what=f"step {step}")


async def confirm_typed(pilot: Any, word: str) -> None:
    """Type `word` in the apply confirmation; a review dialog asked first (once per step) is marked reviewed."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, (TypedConfirmDialog, ReviewDialog)), what="the confirmation dialog")
    if isinstance(pilot.app.screen, ReviewDialog):
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TypedConfirmDialog), what="the confirmation after the review")
    await pilot.press(*word, "enter")


async def run_step(pilot: Any, step: str, key: str = "a", word: str | None = None, expect: str = "applied") -> None:
    """On the plan screen: open `step`, press `key` (a apply, r roll back), type the word, wait for `expect`."""
    app = pilot.app
    await open_step(pilot, step)
    await pilot.press(key)
    await confirm_typed(pilot, word or step)
    await wait_for(pilot, lambda: not app.engine_running and app.statuses.get(step) == expect, timeout=60, what=f"{step} to be {expect} (is {app.statuses.get(step)})")
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="back to the plan")
