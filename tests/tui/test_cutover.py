"""The whole demo migration through the cutover screen on a fake clock, and a cutover a failed gate aborts.

Lambda's per-version metrics are written as the clock moves (a hook on the fake clock's sleep),
the way Lambda would write them while the alias splits traffic.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from cutover.clocks import FakeClock
from tui.flows import confirm_typed, connect, open_step, plan_demo
from tui.helpers import SIZE, text_of, wait_for
from tui.test_failure_and_resume import dual_stack_functions
from v6wizard.engine.cutover import CutoverSettings
from v6wizard.tui.screens.cutover import CutoverScreen
from v6wizard.tui.screens.dialogs import ConfirmDialog, ErrorDialog
from v6wizard.tui.widgets.function_cutover import FunctionCutover
from v6wizard.tui.widgets.savings_outcome import SavingsOutcomePanel


def traffic(access: Any, functions: list[str], *, new_errors: int) -> Any:
    """A clock hook: each minute both versions of every function serve 100 calls; the new one errs `new_errors` times."""
    lam = access.client("lambda")
    cloudwatch = access.client("cloudwatch")

    def put(clock: FakeClock) -> None:
        for name in functions:
            versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"] if v["Version"] != "$LATEST"]
            old, new = versions[0], versions[-1]
            if old == new:
                continue
            for version, errors in ((old, 0), (new, new_errors)):
                dims = [
                    {"Name": "FunctionName", "Value": name},
                    {"Name": "Resource", "Value": f"{name}:live"},
                    {"Name": "ExecutedVersion", "Value": version},
                ]
                at = clock.current - timedelta(seconds=20)
                cloudwatch.put_metric_data(
                    Namespace="AWS/Lambda",
                    MetricData=[
                        {"MetricName": "Invocations", "Dimensions": dims, "Timestamp": at, "Value": 100.0, "Unit": "Count"},
                        {"MetricName": "Errors", "Dimensions": dims, "Timestamp": at, "Value": float(errors), "Unit": "Count"},
                        {"MetricName": "Throttles", "Dimensions": dims, "Timestamp": at, "Value": 0.0, "Unit": "Count"},
                        {"MetricName": "Duration", "Dimensions": dims, "Timestamp": at, "Values": [100.0] * 20, "Unit": "Milliseconds"},
                    ],
                )

    return put


def alias_of(access: Any, function: str) -> dict[str, Any]:
    return access.client("lambda").get_alias(FunctionName=function, Name="live")


async def migrate_to_cutover(pilot: Any, demo: Any) -> None:
    """Plan the demo with a short schedule, apply every step up to the functions, start the cutover."""
    app = pilot.app
    await connect(pilot)
    await plan_demo(pilot, demo.vpc_id, schedule="50%:2m,100%")
    await pilot.press("A")
    await confirm_typed(pilot, "apply")
    await wait_for(pilot, lambda: not app.engine_running and app.statuses.get("functions") == "applied", timeout=120, what="steps 1-7")
    await open_step(pilot, "cutover")
    await pilot.press("a")
    await confirm_typed(pilot, "cutover")
    await wait_for(pilot, lambda: any(isinstance(s, CutoverScreen) for s in app.screen_stack), what="the cutover screen")


async def test_full_demo_migration_through_cutover(build_app, demo, access) -> None:
    clock = FakeClock()
    clock.hooks.append(traffic(access, demo.function_names, new_errors=0))
    app = build_app(cutover_settings=CutoverSettings(poll_interval=60, min_invocations=10), cutover_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await migrate_to_cutover(pilot, demo)
        await wait_for(pilot, lambda: not app.engine_running and app.statuses.get("cutover") == "applied", timeout=120, what="the cutover")
        panels = list(app.screen.query(FunctionCutover))
        assert sorted(p.function for p in panels) == demo.function_names
        assert all("100%" in p.stage_text for p in panels)
        await pilot.press("s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SummaryScreen" and len(app.screen.query_one("#changes").rows) > 10, what="the summary")
        assert f"v6wizard rollback {app.session_id} --yes" in str(app.screen.query_one("#summary-howto").content)
        outcome = app.screen.query_one(SavingsOutcomePanel)
        await wait_for(pilot, lambda: outcome.outcome is not None, what="what it did")
        assert "What it did: Too early to tell: fewer than 24 whole hours of NAT metrics since the cutover finished (ask again in 24 hours)" in text_of(outcome)
    assert dual_stack_functions(access, demo.function_names) == demo.function_names
    for name in demo.function_names:
        alias = alias_of(access, name)
        assert alias["FunctionVersion"] != "1" and not alias.get("RoutingConfig", {}).get("AdditionalVersionWeights")


async def test_a_failed_gate_aborts_the_cutover_and_returns_the_alias(build_app, demo, access) -> None:
    clock = FakeClock()
    clock.hooks.append(traffic(access, demo.function_names, new_errors=40))
    app = build_app(cutover_settings=CutoverSettings(poll_interval=60, min_invocations=10), cutover_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await migrate_to_cutover(pilot, demo)
        await wait_for(pilot, lambda: not app.engine_running, timeout=120, what="the cutover to stop")
        assert app.statuses.get("cutover") != "applied"
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), what="the failed gate's error dialog")
        assert "failed a health gate" in app.screen.message_text
        cutover = next(s for s in app.screen_stack if isinstance(s, CutoverScreen))
        verdicts = " ".join(p.verdict for p in cutover.query(FunctionCutover))
        assert verdicts.count("error-rate gate failed") == len(demo.function_names)
        assert "back on version 1" in verdicts
        assert verdicts.count("✗ The cutover of") == len(demo.function_names), "each rolled-back panel is marked ✗"
        title = str(cutover.query_one("#cutover-title").render())
        assert f"Cutover: 0 of {len(demo.function_names)} functions on their new version;" in title and "by a health gate" in title, title
    for name in demo.function_names:
        alias = alias_of(access, name)
        assert alias["FunctionVersion"] == "1"
        assert not alias.get("RoutingConfig", {}).get("AdditionalVersionWeights")


async def test_abort_from_the_cutover_screen_returns_every_alias(build_app, demo, access) -> None:
    clock = FakeClock()
    clock.hooks.append(traffic(access, demo.function_names, new_errors=0))
    released = threading.Event()
    # The first bake waits for the test: the operator's abort lands while traffic is split.
    clock.hooks.append(lambda _: released.wait(timeout=60))
    app = build_app(cutover_settings=CutoverSettings(poll_interval=60, min_invocations=10), cutover_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await migrate_to_cutover(pilot, demo)
        screen = next(s for s in app.screen_stack if isinstance(s, CutoverScreen))
        await wait_for(pilot, lambda: all("stage 0" in p.stage_text for p in screen.query(FunctionCutover)), timeout=60, what="every alias split")
        assert alias_of(access, demo.function_names[0]).get("RoutingConfig", {}).get("AdditionalVersionWeights")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the abort question")
        await pilot.press("y")
        released.set()
        await wait_for(pilot, lambda: not app.engine_running, timeout=60, what="the cutover to stop")
        assert app.statuses.get("cutover") != "applied"
    for name in demo.function_names:
        alias = alias_of(access, name)
        assert alias["FunctionVersion"] == "1"
        assert not alias.get("RoutingConfig", {}).get("AdditionalVersionWeights")
