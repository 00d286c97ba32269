"""The choose screen's discovery runs in the helper process: a helper killed mid-discovery is one sentence in the
error dialog and enter tries again; the helper ends with the app; no credential lands in the wizard's files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from tui.flows import connect
from tui.helpers import SIZE, text_of, wait_for
from v6wizard.aws.discovery import discover
from v6wizard.errors import AwsCallFailed
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.dialogs import ErrorDialog


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


async def test_a_helper_killed_mid_discovery_shows_one_sentence_and_enter_retries(build_app, demo, emulator, journal_path) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        helper = app.backend.discovery
        await wait_for(pilot, lambda: helper.pid is not None and _alive(helper.pid), what="the discovery helper")
        first = helper.pid
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count >= 2, what="the VPC list")
        choose = app.screen
        table = choose.query_one("#vpcs", DataTable)
        table.move_cursor(row=table.get_row_index(demo.vpc_id))
        emulator.faults.latency = 0.2  # the kill lands while the helper is still reading
        await pilot.press("enter")
        status = choose.query_one("#choose-status", Static)
        await wait_for(pilot, lambda: text_of(status).startswith("Read "), what="discovery progress")
        os.kill(first, 9)

        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), what="the error dialog")
        assert app.screen.title_text == "Discovery helper failed"
        assert f"stopped unexpectedly (exit code -9) while discovering {demo.vpc_id}" in app.screen.message_text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is choose, what="back on the choose screen")

        emulator.faults.latency = 0.0
        await pilot.press("enter")
        await wait_for(pilot, lambda: choose._inventory is not None, what="discovery after the retry")
        assert {s.id for s in choose._inventory.subnets} == set(demo.subnet_ids)
        second = helper.pid
        assert second not in (None, first) and _alive(second)
    await wait_for(pilot, lambda: not _alive(second), timeout=10, what="the helper to end with the app")

    secret = os.environ["AWS_SECRET_ACCESS_KEY"].encode()
    written = [p for root in (Path(journal_path).parent, Path(os.environ["HOME"])) for p in root.rglob("*") if p.is_file()]
    assert not [p for p in written if secret in p.read_bytes()]


async def test_a_discovery_refused_by_aws_shows_the_same_sentence_as_the_cli(build_app, demo, access, emulator) -> None:
    emulator.faults.deny("ec2", "DescribeRouteTables")
    with pytest.raises(AwsCallFailed) as in_process:
        discover(access, demo.vpc_id)
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count >= 2, what="the VPC list")
        table = app.screen.query_one("#vpcs", DataTable)
        table.move_cursor(row=table.get_row_index(demo.vpc_id))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), what="the error dialog")
        assert app.screen.title_text == "AWS call failed"
        assert app.screen.message_text == str(in_process.value)
