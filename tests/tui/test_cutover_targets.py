"""Pause, Promote and Abort act on the focused function's panel when one has focus, on every function
otherwise; an abort by the operator reads as a stop by you, never as a failure."""

from __future__ import annotations

from tui.helpers import SIZE, text_of, wait_for
from tui.test_controls import split_every_alias, split_weights, stepped_cutover_app
from tui.test_cutover import alias_of
from v6wizard.tui.screens.cutover import CutoverScreen
from v6wizard.tui.screens.dialogs import ConfirmDialog, ErrorDialog
from v6wizard.tui.widgets.function_cutover import FunctionCutover


async def test_keys_act_on_the_focused_panel_only(build_app, demo, access) -> None:
    app, clock, ticks = stepped_cutover_app(build_app, demo, access)
    names = demo.function_names
    target = "payments-worker"
    async with app.run_test(size=SIZE) as pilot:
        screen, panels = await split_every_alias(pilot, app, demo)
        assert not isinstance(screen.focused, FunctionCutover), "no panel is focused at first: the keys act on every function"
        assert "every function" in text_of(screen.query_one("#cutover-target"))
        panel = next(p for p in panels if p.function == target)
        panel.focus()
        await pilot.pause()
        assert f"Keys act on {target} only" in text_of(screen.query_one("#cutover-target"))

        await pilot.press("space")
        control = app.backend.cutover_control
        assert control.is_paused(target)
        assert not any(control.is_paused(name) for name in names if name != target)

        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the abort question")
        await pilot.press("y")
        ticks.free()
        await wait_for(pilot, lambda: not app.engine_running, timeout=60, what="the cutover to end")
        assert not isinstance(app.screen, ErrorDialog), "an abort by the operator opens no error dialog"
        title = text_of(screen.query_one("#cutover-title"))
        assert title.startswith("Cutover stopped by you: alias live is back on version 1"), title
        assert "fail" not in title.lower()
        assert "Cutover stopped by you: alias live is back on version 1" in panel.verdict
    weights = split_weights(access, names)
    assert alias_of(access, target)["FunctionVersion"] == "1" and weights[target] == {}
    for name in names:
        if name != target:
            assert alias_of(access, name)["FunctionVersion"] != "1" and weights[name] == {}, f"{name} finished"


async def test_without_focus_abort_stops_every_function_and_says_so_once(build_app, demo, access) -> None:
    app, clock, ticks = stepped_cutover_app(build_app, demo, access)
    async with app.run_test(size=SIZE) as pilot:
        screen, panels = await split_every_alias(pilot, app, demo)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the abort question")
        await pilot.press("y")
        ticks.free()
        await wait_for(pilot, lambda: not app.engine_running, timeout=60, what="the cutover to end")
        await pilot.pause()
        assert isinstance(app.screen, CutoverScreen), "no error dialog over the cutover screen"
        title = text_of(screen.query_one("#cutover-title")).strip()
        assert title == "Cutover stopped by you: alias live is back on version 1. Press s for the summary, escape for the step."
        shown = title + " ".join(p.verdict for p in panels)
        assert "fix the cause" not in shown and "failed" not in shown
        assert shown.count("resume") <= 1
    for name in demo.function_names:
        alias = alias_of(access, name)
        assert alias["FunctionVersion"] == "1" and not alias.get("RoutingConfig", {}).get("AdditionalVersionWeights")
