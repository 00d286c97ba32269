"""Session ids (short, unique, readable, e.g. `v6-20261123-ab12cd`) and this process's run id."""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from pathlib import Path


def new_session_id(now: datetime | None = None) -> str:
    """`v6-YYYYMMDD-xxxxxx`: the UTC day and 24 random bits; backends retry on a clash."""
    day = (now or datetime.now(timezone.utc)).strftime("%Y%m%d")
    return f"v6-{day}-{secrets.token_hex(3)}"


def process_space() -> str:
    """This kernel boot and pid namespace, where a pid names one process; "" when unknown (not Linux).

    Two holders with the same host name but another space (containers sharing the host's
    name, a reboot) must never judge each other's pids.
    """
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""
    return f"{boot}/{namespace}"


_RUN_ID = f"{process_space()}#{secrets.token_hex(8)}"


def current_run_id() -> str:
    """The id of this process's run: `<process space>#<64 random bits>`, the same for every lock it takes."""
    return _RUN_ID
