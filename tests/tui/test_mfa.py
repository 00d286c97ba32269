"""botocore asks for an MFA code on a worker thread; the wizard asks the operator in a dialog and hands the code back."""

from __future__ import annotations

import threading

import pytest

from tui.helpers import SIZE, wait_for
from tui.snapshot_app import FixedApp
from v6wizard.errors import V6WizardError
from v6wizard.tui.screens.dialogs import MfaDialog


async def test_mfa_code_typed_in_the_dialog_reaches_the_asking_thread() -> None:
    app = FixedApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="the fixed connection")
        answers: list[str] = []
        asking = threading.Thread(target=lambda: answers.append(app.prompt_mfa("Enter MFA code for operator: ")))
        asking.start()
        await wait_for(pilot, lambda: isinstance(app.screen, MfaDialog), what="the MFA dialog")
        await pilot.press(*"654321", "enter")
        await wait_for(pilot, lambda: bool(answers), what="the code to reach the thread")
        asking.join(timeout=5)
    assert answers == ["654321"]


async def test_cancelled_mfa_prompt_refuses_with_a_sentence() -> None:
    app = FixedApp()
    errors: list[BaseException] = []

    def ask() -> None:
        with pytest.raises(V6WizardError) as caught:
            app.prompt_mfa("Enter MFA code: ")
        errors.append(caught.value)

    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.identity is not None, what="the fixed connection")
        asking = threading.Thread(target=ask)
        asking.start()
        await wait_for(pilot, lambda: isinstance(app.screen, MfaDialog), what="the MFA dialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(errors), what="the refusal")
        asking.join(timeout=5)
    assert "No MFA code" in str(errors[0])
