"""How long the emulator keeps AWS's asynchronous changes unsettled, and whether it throttles.

Tests set short windows on the running emulator (`emulator.timing.update_seconds = 2`);
the demo and the benchmarks can start it with realistic ones from the environment:

- `V6WIZARD_EMULATOR_ASSOCIATING_SECONDS`: a new VPC IPv6 block reads `associating`;
- `V6WIZARD_EMULATOR_UPDATE_SECONDS`: a function update reads `InProgress`;
- `V6WIZARD_EMULATOR_BUCKETS=1`: EC2's and Lambda's request token buckets answer
  as AWS does (`emulator.throttling`).

A reset of the emulator (between tests) puts back the values it was started with.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

ASSOCIATING_SECONDS = 0.2
"""Default: how long a new VPC IPv6 block reads `associating` (the first DescribeVpcs always does)."""
UPDATE_SECONDS = 0.3
"""Default: how long a function update stays InProgress."""


@dataclass
class Timing:
    """The emulator's timing model; the layers read it on every request, so a change applies at once."""

    associating_seconds: float = ASSOCIATING_SECONDS
    update_seconds: float = UPDATE_SECONDS
    buckets: bool = False
    """Answer requests beyond AWS's token buckets with AWS's throttling errors."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Timing:
        timing = cls()
        if value := environ.get("V6WIZARD_EMULATOR_ASSOCIATING_SECONDS"):
            timing.associating_seconds = float(value)
        if value := environ.get("V6WIZARD_EMULATOR_UPDATE_SECONDS"):
            timing.update_seconds = float(value)
        timing.buckets = environ.get("V6WIZARD_EMULATOR_BUCKETS", "") not in ("", "0")
        return timing

    def snapshot(self) -> Timing:
        return replace(self)

    def restore(self, saved: Timing) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(saved, item.name))
