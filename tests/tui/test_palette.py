"""Every action of a screen is reachable from the command palette, not only from its key."""

from __future__ import annotations

import inspect

from tui.helpers import SIZE, wait_for
from tui.snapshot_app import FixedApp, with_plan
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.step import StepScreen


async def test_palette_lists_the_screens_bindings_and_runs_them() -> None:
    app = FixedApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="the fixed connection")
        with_plan(app)
        await app.push_screen(PlanScreen())
        await pilot.pause()
        titles = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"Open step (o)", "Apply all (A)", "Summary (s)", "Theme (ctrl+t)"} <= set(titles)
        result = titles["Open step (o)"].callback()
        if inspect.isawaitable(result):  # run_action is a coroutine; the palette awaits it the same way
            await result
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen), what="the step opened from the palette")
        await pilot.pause()
        assert "Apply (a)" in {c.title for c in app.get_system_commands(app.screen)}


async def test_palette_leaves_out_apply_in_dry_run() -> None:
    app = FixedApp(dry_run=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="the fixed connection")
        with_plan(app)
        await app.push_screen(StepScreen("subnets"))
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Back (escape)" in titles
        assert not {"Apply (a)", "Skip (k)", "Roll back (r)"} & titles
