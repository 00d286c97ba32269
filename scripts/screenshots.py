"""Regenerate screenshots/*.svg from the real wizard against the demo emulator.

    python scripts/screenshots.py [--size 100x32] [--out screenshots]

Starts the emulator on 127.0.0.1, seeds the demo account, then drives the app with
Pilot through a whole migration (cutover on a fast clock, with Lambda metrics written
as it goes) and saves start, choose, plan, step, cutover and summary.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input

os.environ.update({"AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo", "AWS_REGION": "us-east-1"})

from v6wizard.aws.session import AwsAccess, AwsTarget  # noqa: E402
from v6wizard.core.plan import STEP_ORDER  # noqa: E402
from v6wizard.demo.seed import seed_demo  # noqa: E402
from v6wizard.emulator import start_emulator  # noqa: E402
from v6wizard.engine.cutover import CutoverSettings  # noqa: E402
from v6wizard.tui.app import WizardApp, make_app  # noqa: E402
from v6wizard.tui.screens.choose import ChooseScreen  # noqa: E402
from v6wizard.tui.screens.cutover import CutoverScreen  # noqa: E402
from v6wizard.tui.screens.dialogs import TypedConfirmDialog  # noqa: E402
from v6wizard.tui.widgets.change_list import ChangeList  # noqa: E402
from v6wizard.tui.screens.dialogs.review import ReviewDialog  # noqa: E402
from v6wizard.tui.screens.plan import PlanScreen  # noqa: E402
from v6wizard.tui.screens.step import StepScreen  # noqa: E402
from v6wizard.tui.screens.summary import SummaryScreen  # noqa: E402
from v6wizard.tui.widgets.vpc_list import VpcList  # noqa: E402


class FastClock:
    """Cutover time that jumps on sleep, writing healthy Lambda metrics for both versions each jump."""

    def __init__(self, on_tick: Callable[[datetime], None]) -> None:
        self.current = datetime.now(timezone.utc).replace(microsecond=0)
        self.on_tick = on_tick

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
        self.on_tick(self.current)


def healthy_traffic(access: AwsAccess, functions: list[str]) -> Callable[[datetime], None]:
    lam, cloudwatch = access.client("lambda"), access.client("cloudwatch")

    def put(now: datetime) -> None:
        for name in functions:
            versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"] if v["Version"] != "$LATEST"]
            for version, p99 in ((versions[0], 120.0), (versions[-1], 110.0)):
                dims = [
                    {"Name": "FunctionName", "Value": name},
                    {"Name": "Resource", "Value": f"{name}:live"},
                    {"Name": "ExecutedVersion", "Value": version},
                ]
                at = now - timedelta(seconds=20)
                cloudwatch.put_metric_data(
                    Namespace="AWS/Lambda",
                    MetricData=[
                        {"MetricName": "Invocations", "Dimensions": dims, "Timestamp": at, "Value": 200.0, "Unit": "Count"},
                        {"MetricName": "Errors", "Dimensions": dims, "Timestamp": at, "Value": 0.0, "Unit": "Count"},
                        {"MetricName": "Throttles", "Dimensions": dims, "Timestamp": at, "Value": 0.0, "Unit": "Count"},
                        {"MetricName": "Duration", "Dimensions": dims, "Timestamp": at, "Values": [p99] * 20, "Unit": "Milliseconds"},
                    ],
                )

    return put


async def until(pilot: Any, condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}; screens: {pilot.app.screen_stack}")
        await pilot.pause(0.05)


async def typed(pilot: Any, word: str) -> None:
    """Type `word` in the apply confirmation; the review dialog asked first (once per step) is marked reviewed."""
    await until(pilot, lambda: isinstance(pilot.app.screen, (TypedConfirmDialog, ReviewDialog)), "the confirmation")
    if isinstance(pilot.app.screen, ReviewDialog):
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pilot.app.screen, TypedConfirmDialog), "the confirmation after the review")
    await pilot.press(*word, "enter")


async def drive(app: WizardApp, vpc_id: str, size: tuple[int, int], out: Path) -> None:
    def shot(name: str) -> None:
        path = app.save_screenshot(filename=f"{name}.svg", path=str(out))
        print(f"wrote {path}")

    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.identity is not None, "connecting")
        vpcs = app.screen.query_one(VpcList)
        await until(pilot, lambda: vpcs.row_count > 0 and vpcs.savings.arrived, "the VPCs and what each could save")
        await pilot.pause()
        shot("start")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count >= 2, "the VPCs")
        table = app.screen.query_one("#vpcs", DataTable)
        table.move_cursor(row=table.get_row_index(vpc_id))
        await pilot.press("enter")
        await until(pilot, lambda: app.screen._inventory is not None, "discovery")
        app.screen.query_one("#schedule", Input).value = "10%:2m,50%:2m,100%"
        await pilot.pause()
        shot("choose")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan")
        await pilot.pause()
        shot("plan")
        app.screen.query_one("#steps", DataTable).move_cursor(row=STEP_ORDER.index("security-groups"))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, StepScreen), "the step")
        await pilot.pause()
        shot("step")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan again")
        await pilot.press("A")
        await typed(pilot, "apply")
        await until(pilot, lambda: not app.engine_running and app.statuses.get("functions") == "applied", "steps 1-7")
        app.screen.query_one("#steps", DataTable).move_cursor(row=STEP_ORDER.index("cutover"))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, StepScreen), "the cutover step")
        await pilot.press("a")
        await typed(pilot, "cutover")
        await until(pilot, lambda: isinstance(app.screen, CutoverScreen) and not app.engine_running, "the cutover")
        await pilot.pause()
        shot("cutover")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen) and len(app.screen.query_one("#changes", ChangeList).rows) > 1, "the summary")
        await pilot.pause()
        shot("summary")
        await pilot.press("ctrl+q")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100x32", help="terminal size, COLUMNSxROWS")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "screenshots"))
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    emulator = start_emulator(strict=True)
    try:
        target = AwsTarget(region="us-east-1", endpoint_url=emulator.endpoint)
        access = AwsAccess(target)
        demo = seed_demo(access)
        journal = str(Path(tempfile.mkdtemp(prefix="v6wizard-shots-")) / "journal.sqlite3")
        app = make_app(
            target,
            journal_spec=journal,
            demo=True,
            cutover_settings=CutoverSettings(poll_interval=30, min_invocations=10),
            cutover_clock=FastClock(healthy_traffic(access, demo.function_names)),
        )
        asyncio.run(drive(app, demo.vpc_id, (columns, rows), out))
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
