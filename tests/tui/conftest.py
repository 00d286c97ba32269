"""Fixtures for the wizard's tests: the seeded demo account, and apps wired to the emulator with a call recorder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from v6wizard.aws.session import AwsAccess, AwsTarget
from v6wizard.demo.seed import DemoAccount, seed_demo
from v6wizard.emulator import Emulator
from v6wizard.tui.app import WizardApp, make_app

@pytest.fixture
def demo(access: AwsAccess) -> DemoAccount:
    """The demo account, seeded into a fresh emulator."""
    return seed_demo(access)


@pytest.fixture
def journal_path(tmp_path: Path) -> str:
    return str(tmp_path / "journal.sqlite3")


@pytest.fixture
def build_app(emulator: Emulator, recorder: Any, journal_path: str) -> Callable[..., WizardApp]:
    """Makes wizard apps against the emulator whose AWS access records every operation."""

    def factory(target: AwsTarget, mfa_prompter: Any) -> AwsAccess:
        return AwsAccess(target, event_hooks=[("before-call", recorder)], mfa_prompter=mfa_prompter)

    def build(**kwargs: Any) -> WizardApp:
        target = AwsTarget(region="us-east-1", endpoint_url=emulator.endpoint)
        kwargs.setdefault("journal_spec", journal_path)
        return make_app(target, access_factory=factory, **kwargs)

    return build
