"""Constants the CLI needs at import time, kept free of imports so `v6wizard --help` stays fast."""

DEFAULT_SCHEDULE = "10%:5m,50%:5m,100%"
"""The default cutover: 10% for five minutes, 50% for five minutes, then all traffic."""
