"""`--api-rate`: an account with raised AWS quotas gives the engine a larger request budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from v6wizard.aws.rate_limit import HEADROOM
from v6wizard.engine.runner import Engine

from engine.scenario import small


def test_a_raised_rate_reaches_the_engine_and_the_functions_step_reports_progress(
    access, run_cli, journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    budgets: list[Any] = []
    made = Engine.__init__

    def remember(self: Engine, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        budgets.append(self.budget)

    monkeypatch.setattr(Engine, "__init__", remember)
    monkeypatch.setenv("V6WIZARD_API_RATES", "ec2-write=10")
    info = small(access, functions=2)
    result = run_cli("apply", "--vpc-id", info.vpc_id, "--until", "functions", "--yes", "--api-rate", "lambda=150")
    assert result.exit_code == 0, result.output
    assert budgets[-1].quota("lambda").rate == pytest.approx(150 * HEADROOM)
    assert budgets[-1].quota("ec2-write").rate == pytest.approx(10 * HEADROOM), "the environment's rate is kept"
    progress = [line.strip() for line in result.stdout.splitlines() if " updated, " in line]
    assert progress and progress[-1].startswith("Dual-stack functions: 2 of 2 updated, 0 in progress (0:"), progress


@pytest.mark.parametrize(("value", "says"), [("lambdas=30", "no API rate class 'lambdas'"), ("lambda=-1", "above 0")])
def test_a_bad_rate_is_refused_before_any_call(run_cli, cli_calls, journal_path: Path, value: str, says: str) -> None:
    result = run_cli("rollback", "s-unknown", "--yes", "--api-rate", value)
    assert result.exit_code == 2
    assert says in result.output
    assert list(cli_calls) == []
