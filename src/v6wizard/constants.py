"""Constants the CLI needs at import time, kept free of imports so `v6wizard --help` stays fast."""

DEFAULT_SCHEDULE = "10%:5m,50%:5m,100%"
"""The default cutover: 10% for five minutes, 50% for five minutes, then all traffic."""

DEMO_SCHEDULE = "10%:20s,50%:20s,100%"
"""The demo's cutover: the same stages with bakes short enough to watch."""
DEMO_POLL_SECONDS = 5.0
"""The demo's health-poll interval (30 s against AWS)."""
