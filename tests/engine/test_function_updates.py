"""A functions step with every update in flight at once, inside Lambda's request quotas.

The emulator keeps each update `InProgress` for a 3 s window and answers beyond
AWS's token buckets with AWS's throttling errors, as AWS does.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from v6wizard.aws.function_watch import read_delay
from v6wizard.aws.rate_limit import RequestBudget, parse_rates
from v6wizard.engine.runner import Engine

from engine.helpers import Events, journal_at, make_plan
from engine.scenario import small

FUNCTIONS = 30
WINDOW = 3.0
"""Long enough that the 30 paced calls (15 at once, then 12 a second) all start inside the first update's window on a loaded CI machine."""


class Sends:
    """When each Lambda request left, by operation and function (a botocore before-send hook, after the budget's wait)."""

    def __init__(self, access: Any) -> None:
        self.at: dict[str, list[tuple[float, str]]] = defaultdict(list)
        # On the same node as the budget's hook, after it (botocore calls more specific names first).
        access.client("lambda").meta.events.register_last("before-send", self._sent)

    def _sent(self, request: Any, event_name: str, **_: Any) -> None:
        name = re.search(r"/functions/([^/?]+)", request.url)
        self.at[event_name.split(".")[2]].append((time.monotonic(), name.group(1) if name else ""))

    def clear(self) -> None:
        self.at.clear()


def _most_at_once(starts: list[float], window: float) -> int:
    """The most updates in progress at once, each for `window` s from its request."""
    starts = sorted(starts)
    return max(sum(1 for s in starts if t <= s < t + window) for t in starts)


def test_every_update_is_in_flight_at_once_within_the_buckets_and_a_raised_budget_is_honoured(access, emulator, tmp_path: Path) -> None:
    info = small(access, functions=FUNCTIONS)
    plan = make_plan(access, info.vpc_id)
    events = Events()
    engine = Engine(access, journal_at(tmp_path / "j.sqlite3"), on_event=events.append, budget=RequestBudget())
    session = engine.start(plan)
    engine.apply(session.id, until="security-groups")
    emulator.timing.update_seconds = WINDOW
    emulator.timing.buckets = True
    sends = Sends(access)

    engine.apply(session.id, until="functions")

    updates = sends.at["UpdateFunctionConfiguration"]
    assert len(updates) == FUNCTIONS
    # In waves of --concurrency (8) at most 8 would be in progress at once, and the step would take four windows.
    progress = events.of("step-progress")
    assert progress[-1].data["peak"] == FUNCTIONS, "in progress at once, from call to settled"
    assert _most_at_once([t for t, _ in updates], WINDOW) >= FUNCTIONS - 6, "AWS had most of them in its window at once"
    assert progress[-1].message.startswith(f"Dual-stack functions: {FUNCTIONS} of {FUNCTIONS} updated, 0 in progress (0:")
    # Lambda's control plane allows 15 a second; the client's budget (15 at once, then 12 a second) spreads the calls.
    spread = max(t for t, _ in updates) - min(t for t, _ in updates)
    assert spread >= (FUNCTIONS - 15) / 12 - 0.1, f"30 updates went out in {spread:.2f}s: faster than the budget"
    assert sum(emulator.buckets.refused.values()) == 0, emulator.buckets.refused
    assert emulator.buckets.admitted[("lambda", "UpdateFunctionConfiguration")] == FUNCTIONS, "the buckets were on"
    assert engine.state(session.id).step("functions").status == "applied"

    # One shared poller: each function read at most once per interval while its update runs.
    started = {name: t for t, name in updates}
    published = {name: t for t, name in sends.at["PublishVersion"]}
    reads: dict[str, list[float]] = defaultdict(list)
    for t, name in sends.at["GetFunction"]:
        if name in started and started[name] <= t < published[name]:  # the wait's reads, not the publish's check
            reads[name].append(t)
    assert set(reads) == set(started)
    for name, times in reads.items():
        for before, after in zip(times, times[1:]):
            assert after - before >= read_delay(before - started[name]) - 0.05, f"{name} read twice within an interval: {times}"

    # An account with a raised Lambda quota: the budget lets the restores out faster, and what the
    # emulator (still at AWS's default 15 a second) throttles, botocore retries; the step still succeeds.
    sends.clear()
    raised = Engine(access, journal_at(tmp_path / "j.sqlite3"), budget=RequestBudget(parse_rates("lambda=150")))
    raised.rollback(session.id, step="functions")
    first_tries: dict[str, float] = {}
    for t, name in sends.at["UpdateFunctionConfiguration"]:
        first_tries.setdefault(name, t)  # later ones are botocore's retries of throttled restores
    assert len(first_tries) == FUNCTIONS
    spread = max(first_tries.values()) - min(first_tries.values())
    assert spread < (FUNCTIONS - 15) / 12, f"the raised budget paced like the default one ({spread:.2f}s)"
    assert emulator.buckets.refused[("lambda", "UpdateFunctionConfiguration")] > 0, "faster than AWS's default quota"
    assert raised.state(session.id).step("functions").status == "rolled-back"
