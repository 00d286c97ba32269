"""Session ids: short, unique, readable, e.g. `v6-20261123-ab12cd`."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone


def new_session_id(now: datetime | None = None) -> str:
    """`v6-YYYYMMDD-xxxxxx`: the UTC day and 24 random bits; backends retry on a clash."""
    day = (now or datetime.now(timezone.utc)).strftime("%Y%m%d")
    return f"v6-{day}-{secrets.token_hex(3)}"
