"""The exported read policy allows every call `readiness` and `savings` make (plan's are checked in tests/cli)."""

from __future__ import annotations

import json
from typing import Any

from v6wizard.emulator.dns_server import DnsServer

from .conftest import Account, cli_test_module

_export = cli_test_module("test_export_cmd.py")
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
