"""Shared fixtures: an isolated environment, an in-memory keyring, and moto's server.

Every test talks HTTP to a real ThreadedMotoServer on 127.0.0.1 (one per xdist
worker), reset before each test, behind the strictness layer that enforces the AWS
rules moto does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from v6wizard.aws.session import AwsAccess, AwsTarget
from v6wizard.emulator import Emulator, start_emulator

REGION = "us-east-1"


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps secrets in a dict, for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """No real AWS config, credentials, journal or keyring can leak into a test."""
    home = tmp_path_factory.mktemp("home")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "V6WIZARD_JOURNAL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "aws-credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTEST0000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret-key-never-written-anywhere")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Emulator]:
    server = start_emulator(strict=True)
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """A fresh, empty emulator; AWS_ENDPOINT_URL points at it."""
    emulator_server.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator_server.endpoint)
    return emulator_server


class CallRecorder:
    """Records every AWS operation a client makes, through a botocore before-call hook."""

    def __init__(self) -> None:
        self.operations: list[str] = []

    def __call__(self, model: Any = None, **_: Any) -> None:
        if model is not None:
            self.operations.append(model.name)

    @property
    def mutating(self) -> list[str]:
        return [op for op in self.operations if not op.startswith(("Describe", "List", "Get"))]


@pytest.fixture
def recorder() -> CallRecorder:
    return CallRecorder()


@pytest.fixture
def access(emulator: Emulator, recorder: CallRecorder) -> AwsAccess:
    """AWS access to the emulator with every operation recorded."""
    return AwsAccess(AwsTarget(region=REGION, endpoint_url=emulator.endpoint), event_hooks=[("before-call", recorder)])
