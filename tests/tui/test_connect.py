"""The connect screen: profiles from the user's AWS config, regions from botocore, and whose credentials they are.

The test writes the AWS config and credentials files the isolated environment points at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, OptionList, Select

from tui.flows import connect
from tui.helpers import SIZE, text_of, wait_for
from v6wizard.aws.session import AwsAccess, AwsTarget
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.connect import DEFAULT_PROFILE, ConnectScreen
from v6wizard.tui.screens.dialogs import ErrorDialog
from v6wizard.tui.screens.start import StartScreen

CONFIG = """\
[default]
region = us-east-1

[profile ops]
region = eu-west-1

[profile no-keys]
region = us-east-1
"""

CREDENTIALS = """\
[ops]
aws_access_key_id = AKIAOPSOPSOPSOPS0000
aws_secret_access_key = ops-secret-key-for-the-test
"""


def write_aws_files() -> None:
    Path(os.environ["AWS_CONFIG_FILE"]).write_text(CONFIG)
    Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).write_text(CREDENTIALS)


def choices(select: Select[Any]) -> list[str]:
    """What the picker's drop-down lists, top to bottom (its prompt first)."""
    options = select.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def vpc_ids(emulator: Any, region: str) -> set[str]:
    ec2 = AwsAccess(AwsTarget(region=region, endpoint_url=emulator.endpoint)).client("ec2")
    return {vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"]}


async def open_connect(pilot: Any) -> ConnectScreen:
    app = pilot.app
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, ConnectScreen), what="the connect screen")
    screen = app.screen
    await wait_for(pilot, lambda: len(choices(screen.query_one("#region", Select))) > 1, what="the region list")
    return screen


async def test_profile_and_region_pickers_and_the_credential_status(build_app, demo, emulator) -> None:
    write_aws_files()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        first = app.identity
        screen = await open_connect(pilot)
        profiles, regions = screen.query_one("#profile", Select), screen.query_one("#region", Select)
        assert choices(profiles) == ["Choose a profile", DEFAULT_PROFILE, "default", "no-keys", "ops"]
        assert {"us-east-1", "eu-west-1", "eu-west-2", "ap-southeast-2"} <= set(choices(regions))
        assert (profiles.value, regions.value) == (DEFAULT_PROFILE, "us-east-1")
        assert f"Connected as {first.arn}" in text_of(screen.query_one("#identity"))

        # A profile without keys: the error dialog, then the screen says so and what is still connected.
        profiles.value = "no-keys"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), what="the credentials error")
        assert "No AWS credentials were found in profile no-keys" in app.screen.message_text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the connect screen")
        status = text_of(screen.query_one("#identity"))
        assert "Not connected with profile no-keys" in status and "No AWS credentials were found" in status
        assert f"Still connected as {first.arn}" in status
        assert app.target.profile is None and app.identity == first

        profiles.value, regions.value = "ops", "eu-west-2"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.target.profile == "ops", what="the ops profile")
        await wait_for(pilot, lambda: text_of(screen.query_one("#identity")).startswith("Connected as"), what="the identity line")
        assert app.target.region == "eu-west-2"
        assert "profile ops" in app.context_line and "region eu-west-2" in app.context_line

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen), what="the start screen")
        await pilot.press("n")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count > 0,
            what="the VPCs of eu-west-2",
        )
        listed = {str(key.value) for key in app.screen.query_one("#vpcs", DataTable).rows}
    assert listed == vpc_ids(emulator, "eu-west-2"), "the wizard lists the VPCs of the chosen region"
    assert demo.vpc_id not in listed and demo.vpc_id in vpc_ids(emulator, "us-east-1")
