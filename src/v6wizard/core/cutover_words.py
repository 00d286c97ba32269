"""The cutover's verdicts and gate checks in words, marked so they read without colour.

One wording for every face: the engine puts it in its cutover events, the CLI prints
those, the TUI's panels and log show them. A verdict is ✓ passed, ✗ failed, or … for
too little traffic to judge (the stage's bake is extended, or the stage waits on).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from v6wizard.core.gates import VerdictOutcome

PASSED = "✓"
FAILED = "✗"
WAITING = "…"

STOPPED = "■"
STOPPED_BY_YOU = f"{STOPPED} stopped by you"
"""The label of a function whose cutover the operator aborted: not a failure."""

VERDICT_MARKS: dict[str, str] = {"pass": PASSED, "fail": FAILED, "low-traffic": WAITING, "stopped": STOPPED}
"""A verdict event's `data["verdict"]` -> its mark."""


def verdict_label(outcome: VerdictOutcome | str, decision: str = "") -> str:
    """`✓ passed`, `✗ failed`, `… extended` (low traffic at the end of a bake) or `… too little traffic yet`."""
    if outcome == "pass":
        return f"{PASSED} passed"
    if outcome == "fail":
        return f"{FAILED} failed"
    if decision == "extend":
        return f"{WAITING} extended"
    if decision == "stop-low-traffic":
        return f"{WAITING} stopped for low traffic"
    return f"{WAITING} too little traffic yet"


def gate_marks(checks: Iterable[dict[str, Any]]) -> str:
    """`error-rate ✓, throttles ✓, p99 ✗` from a poll's gate checks (as dumped in its event)."""
    return ", ".join(f"{check.get('name')} {_check_mark(check)}" for check in checks)


def _check_mark(check: dict[str, Any]) -> str:
    if check.get("passed"):
        return PASSED
    # Too few calls is not a failure: the stage waits or is extended.
    return WAITING if check.get("name") == "traffic" else FAILED


def stopped_by_you(returned: list[tuple[str, str]], functions: list[str] | None = None) -> str:
    """The sentence for an operator's abort, from each aborted function's (alias, old version).

    `Cutover stopped by you: alias live is back on version 1` when they agree (the usual case);
    otherwise each function's alias and version, in the order of `functions`.
    """
    if len(set(returned)) == 1:
        alias, version = returned[0]
        return f"Cutover stopped by you: alias {alias} is back on version {version}"
    names = functions or [""] * len(returned)
    parts = [f"{name}'s alias {alias} on version {version}" for name, (alias, version) in zip(names, returned)]
    return "Cutover stopped by you: " + ", ".join(parts) + " again"
