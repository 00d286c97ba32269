"""The wizard's controls the flow tests do not reach: Skip on the step screen, Inspect on the start screen,
and Pause and Promote now on the cutover screen (on a fake clock the test moves one poll at a time).
"""

from __future__ import annotations

import threading
from typing import Any

from textual.widgets import DataTable

from cutover.clocks import FakeClock
from tui.flows import confirm_typed, connect, open_step, plan_demo
from tui.helpers import SIZE, text_of, wait_for
from tui.test_apply_rollback import egress_gateways, vpc_ipv6_blocks
from tui.test_cutover import alias_of, migrate_to_cutover, traffic
from tui.test_failure_and_resume import dual_stack_functions
from v6wizard.aws.discovery import discover
from v6wizard.core.plan import PlanOptions, STEP_ORDER
from v6wizard.core.planner import build_plan
from v6wizard.engine.cutover import CutoverSettings
from v6wizard.engine.runner import Engine
from v6wizard.journal import open_journal
from v6wizard.tui.screens.cutover import CutoverScreen
from v6wizard.tui.screens.dialogs import ConfirmDialog
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.step import StepScreen
from v6wizard.tui.widgets.function_cutover import FunctionCutover

POLL = 60
SCHEDULE = "50%:2m,100%"
"""One split stage that bakes two polls, then all traffic on the new version."""


class Ticks:
    """A clock hook that holds the cutover in each sleep until the test lets one poll through (or all)."""

    def __init__(self) -> None:
        self._permits = threading.Semaphore(0)
        self._free = threading.Event()

    def __call__(self, clock: FakeClock) -> None:
        if not self._free.is_set():
            self._permits.acquire(timeout=60)

    def allow(self, polls: int = 1) -> None:
        self._permits.release(polls)

    def free(self) -> None:
        self._free.set()
        self._permits.release(100)


def network_acl_ipv6_entries(access: Any, vpc_id: str) -> int:
    acls = access.client("ec2").describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NetworkAcls"]
    return sum(1 for acl in acls if not acl["IsDefault"] for entry in acl["Entries"] if entry.get("Ipv6CidrBlock"))


def split_weights(access: Any, names: list[str]) -> dict[str, dict[str, float]]:
    """Function -> the alias's additional version weights (empty: all traffic on one version)."""
    return {name: alias_of(access, name).get("RoutingConfig", {}).get("AdditionalVersionWeights", {}) for name in names}


async def polls_done(pilot: Any, clock: FakeClock, polls: int) -> None:
    """Wait until the cutover finished `polls` polls (it is asleep again, in the next one's wait)."""
    await wait_for(pilot, lambda: clock.sleeps > polls, timeout=60, what=f"{polls} poll(s) of the cutover (at {clock.sleeps})")


async def test_skip_marks_the_step_and_apply_all_runs_the_later_steps_without_it(build_app, demo, access, journal_path) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        await open_step(pilot, "network-acls")
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the skip question")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.engine_running and app.statuses.get("network-acls") == "skipped", what="the skip")
        assert isinstance(app.screen, StepScreen)
        assert "Status: skipped" in text_of(app.screen.query_one("#step-status"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="back to the plan")
        table = app.screen.query_one("#steps", DataTable)
        await wait_for(pilot, lambda: table.get_cell_at((STEP_ORDER.index("network-acls"), 4)) == "skipped", what="the plan's status")

        await pilot.press("A")
        await confirm_typed(pilot, "apply")
        await wait_for(pilot, lambda: not app.engine_running and app.statuses.get("functions") == "applied", timeout=120, what="steps up to the functions")
        assert app.statuses.get("network-acls") == "skipped"
        session_id = app.session_id
    assert network_acl_ipv6_entries(access, demo.vpc_id) == 0, "a skipped step changes nothing in AWS"
    assert len(egress_gateways(access, demo.vpc_id)) == 1
    assert dual_stack_functions(access, demo.function_names) == demo.function_names
    notes = [e.data for e in open_journal(journal_path).entries(session_id) if e.kind == "note"]
    assert {"note": "skip-step", "step": "network-acls"}.items() <= next(n for n in notes if n.get("step") == "network-acls").items()


async def test_inspect_opens_the_session_plan_and_changes_nothing(build_app, demo, access, recorder, journal_path) -> None:
    plan = build_plan(discover(access, demo.vpc_id), PlanOptions(function_names=demo.function_names))
    journal = open_journal(journal_path)
    engine = Engine(access, journal)
    session_id = engine.start(plan).id
    engine.apply(session_id, only=["vpc-cidr"])
    journal.close()
    blocks = vpc_ipv6_blocks(access, demo.vpc_id)
    assert len(blocks) == 1

    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        sessions = app.screen.query_one("#sessions", DataTable)
        await wait_for(pilot, lambda: sessions.row_count == 1, what="the session")
        recorder.operations.clear()
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the session's plan")
        assert app.session_id == session_id
        table = app.screen.query_one("#steps", DataTable)
        assert table.get_cell_at((STEP_ORDER.index("vpc-cidr"), 4)) == "applied"
        assert table.get_cell_at((STEP_ORDER.index("subnets"), 4)) == "planned"
        assert f"session {session_id}" in text_of(app.screen.query_one("#plan-title"))
        assert not app.engine_running, "inspect starts no run"
    assert recorder.mutating == [], "inspecting a session makes no mutating AWS call"
    assert vpc_ipv6_blocks(access, demo.vpc_id) == blocks


def stepped_cutover_app(build_app, demo, access):
    """An app whose cutover runs on a fake clock with healthy traffic, one poll per `ticks.allow()`."""
    clock = FakeClock()
    ticks = Ticks()
    clock.hooks += [traffic(access, demo.function_names, new_errors=0), ticks]
    app = build_app(cutover_settings=CutoverSettings(poll_interval=POLL, min_invocations=10), cutover_clock=clock)
    return app, clock, ticks


async def split_every_alias(pilot, app, demo):
    """Migrate the demo up to the cutover and wait until every alias is split; returns (screen, panels)."""
    await migrate_to_cutover(pilot, demo)
    screen = next(s for s in app.screen_stack if isinstance(s, CutoverScreen))
    panels = list(screen.query(FunctionCutover))
    await wait_for(pilot, lambda: all("stage 0" in p.stage_text for p in panels), timeout=60, what="every alias split")
    return screen, panels


async def test_pause_holds_the_stage_and_stops_the_bake_clock(build_app, demo, access) -> None:
    app, clock, ticks = stepped_cutover_app(build_app, demo, access)
    names = demo.function_names
    async with app.run_test(size=SIZE) as pilot:
        screen, panels = await split_every_alias(pilot, app, demo)
        await pilot.press("space")
        for name in names:
            assert app.backend.cutover_control.is_paused(name), f"space pauses every function ({name})"

        # The stage bakes two polls; five paused polls later every alias still holds it.
        ticks.allow(5)
        await polls_done(pilot, clock, 5)
        assert all(list(weights.values()) == [0.5] for weights in split_weights(access, names).values()), "every alias holds 50%"
        stages = [text_of(p.query_one(".stage")) for p in panels]
        assert all("paused: the bake clock is stopped" in text for text in stages), stages

        # Resumed: the pause did not count as bake time, so the next poll still holds the stage.
        await pilot.press("space")
        ticks.allow(1)
        await polls_done(pilot, clock, 6)
        assert all(split_weights(access, names).values()), "the stage still has a poll of bake left"
        stages = [text_of(p.query_one(".stage")) for p in panels]
        assert all("next stage in" in text and "paused" not in text for text in stages), stages

        ticks.free()
        await wait_for(pilot, lambda: not app.engine_running and app.statuses.get("cutover") == "applied", timeout=60, what="the cutover")
        assert all("100%" in p.stage_text for p in panels)
    for name, weights in split_weights(access, names).items():
        assert weights == {} and alias_of(access, name)["FunctionVersion"] != "1"


async def test_promote_now_finalizes_every_alias_at_the_next_poll(build_app, demo, access) -> None:
    app, clock, ticks = stepped_cutover_app(build_app, demo, access)
    names = demo.function_names
    async with app.run_test(size=SIZE) as pilot:
        screen, panels = await split_every_alias(pilot, app, demo)
        await pilot.press("P")
        await confirm_typed(pilot, "promote")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the cutover screen")
        ticks.allow(1)
        await wait_for(pilot, lambda: not app.engine_running, timeout=60, what="the cutover to finish")
        assert clock.sleeps == 1, "promoted at the first poll, a stage before the schedule would allow"
        assert app.statuses.get("cutover") == "applied"
        assert all("100%" in p.stage_text and "is on version" in p.verdict for p in panels)
    for name, weights in split_weights(access, names).items():
        alias = alias_of(access, name)
        assert weights == {} and alias["FunctionVersion"] != "1", f"{name} is on the new version alone"
