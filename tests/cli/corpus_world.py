"""The seeded account the bad-input corpus and the plan-file property test share, and a CLI runner for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from v6wizard.aws.session import AwsAccess, AwsTarget
from v6wizard.aws.snapshot import take_snapshot
from v6wizard.demo import builder as b

from engine.scenario import small


class World:
    """The seeded account: our VPC, a foreign VPC with its own group, and a valid plan file of ours."""

    def __init__(self, access: AwsAccess, vpc_id: str, foreign_vpc: str, foreign_group: str, plan_file: Path, session_id: str) -> None:
        self.access = access
        self.vpc_id = vpc_id
        self.foreign_vpc = foreign_vpc
        self.foreign_group = foreign_group
        self.plan_file = plan_file
        self.session_id = session_id
        self.baseline = self.snapshot()
        """Both VPCs as seeded: every case must leave them exactly so (a case that changed one fails itself)."""

    def snapshot(self) -> dict[str, Any]:
        return {vpc: take_snapshot(self.access, vpc) for vpc in (self.vpc_id, self.foreign_vpc)}


@pytest.fixture(scope="module")
def world(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> World:
    """Seeded once: the cases change nothing (each one checks it), so they can share it."""
    folder = tmp_path_factory.mktemp("corpus")
    with pytest.MonkeyPatch.context() as env_for_setup:
        # Module-scoped: made before the autouse isolated_env, so it isolates its own setup the same way.
        for name, value in {
            "AWS_ACCESS_KEY_ID": "AKIATESTTESTTEST0000", "AWS_SECRET_ACCESS_KEY": "test-secret-key-never-written-anywhere",
            "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(folder / "aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(folder / "aws-credentials"), "AWS_EC2_METADATA_DISABLED": "true",
        }.items():
            env_for_setup.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
            env_for_setup.delenv(name, raising=False)
        return _seed(emulator_server, folder)


def _seed(emulator_server, folder: Path) -> World:
    from click.testing import CliRunner

    from v6wizard.cli import cli

    emulator_server.reset()
    access = AwsAccess(AwsTarget(region="us-east-1", endpoint_url=emulator_server.endpoint))
    info = small(access, functions=1)
    foreign_vpc = b.create_vpc(access, "10.99.0.0/16", "someone-elses")
    foreign_group = b.create_security_group(access, foreign_vpc, "theirs", "another team's group")
    plan_file = folder / "plan.json"
    env = {"AWS_ENDPOINT_URL": emulator_server.endpoint, "V6WIZARD_JOURNAL": str(folder / "journal.sqlite3")}
    runner = CliRunner()
    made = runner.invoke(cli, ["plan", "--vpc-id", info.vpc_id, "--output", "json", "--out", str(plan_file)], env=env, catch_exceptions=False)
    assert made.exit_code == 0, made.output
    # A session with nothing applied yet (a dry-run-safe target for resume/rollback cases): apply refused at confirmation
    # would leave none, so start one through the engine without applying a step.
    from v6wizard.engine.runner import Engine
    from v6wizard.journal import open_journal
    from v6wizard.plan_file import read_plan_file

    journal = open_journal(env["V6WIZARD_JOURNAL"])
    session_id = Engine(access, journal).start(read_plan_file(plan_file)).id
    journal.close()
    return World(access, info.vpc_id, foreign_vpc, foreign_group, plan_file, session_id)


@pytest.fixture
def cli_env(world: World, emulator_server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The world's endpoint and journal for the CLI (the function-scoped `emulator` fixture would reset the world)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator_server.endpoint)
    monkeypatch.setenv("V6WIZARD_JOURNAL", str(world.plan_file.parent / "journal.sqlite3"))


@pytest.fixture
def run(cli_env, cli_calls):
    from click.testing import CliRunner

    from v6wizard.cli import cli

    runner = CliRunner()

    def invoke(*args: str) -> Any:
        cli_calls.clear()
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke
