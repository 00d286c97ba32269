"""The exported read policy allows every call `readiness` and `savings` make (plan's are checked in tests/cli)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from v6wizard.emulator.dns_server import DnsServer

from .conftest import Account


def _export_tests() -> Any:
    """tests/cli/test_export_cmd.py: its service-aware call recorder and export helper, shared rather than copied."""
    path = Path(__file__).parent.parent / "cli" / "test_export_cmd.py"
    spec = importlib.util.spec_from_file_location("v6wizard_tests_export_cmd", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


_export = _export_tests()
calls = _export.calls
export = _export.export


def test_read_policy_allows_every_call_readiness_and_savings_make(run_cli: Any, calls: list[str], dns: DnsServer, account: Account) -> None:
    exported = export(run_cli, calls, "--vpc-id", account.vpc_id, "--format", "iam-policy")
    assert exported.exit_code == 0, exported.output
    read_allowed = {a for s in json.loads(exported.stdout)["ReadPolicy"]["Statement"] for a in s["Action"]}
    for command in (["readiness", "--vpc-id", account.vpc_id], ["savings", "--vpc-id", account.vpc_id], ["savings"]):
        calls.clear()
        result = run_cli(*command)
        assert result.exit_code == 0, result.output
        assert calls, command
        assert set(calls) <= read_allowed, f"{' '.join(command)} made calls the read policy does not allow: {set(calls) - read_allowed}"
