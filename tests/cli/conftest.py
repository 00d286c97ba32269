"""Fixtures for driving the CLI in-process and recording every AWS operation it makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner

from v6wizard.cli import cli


class RecordingSession(boto3.Session):
    """A boto3 Session whose clients report every operation to `operations`."""

    operations: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.events.register("before-call", self._record)

    def _record(self, model: Any = None, **_: Any) -> None:
        if model is not None:
            RecordingSession.operations.append(model.name)


class Calls(list):
    """Operation names in call order."""

    @property
    def mutating(self) -> list[str]:
        return [op for op in self if not op.startswith(("Describe", "List", "Get"))]


@pytest.fixture
def cli_calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Every AWS operation name the CLI makes during the test (a botocore before-call hook)."""
    RecordingSession.operations = Calls()
    monkeypatch.setattr("v6wizard.aws.session.boto3.Session", RecordingSession)
    return RecordingSession.operations


@pytest.fixture
def run_cli(emulator: Any):
    """Run `v6wizard ARGS...` in-process against the emulator; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Any:
        # Only the command's own calls count, not the fixtures' seeding.
        RecordingSession.operations.clear()
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def journal_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite journal for the CLI under test (V6WIZARD_JOURNAL points at it)."""
    path = tmp_path / "journal.sqlite3"
    monkeypatch.setenv("V6WIZARD_JOURNAL", str(path))
    return path
