"""Constants the CLI needs at import time, kept free of imports so `v6wizard --help` stays fast."""

DEFAULT_SCHEDULE = "10%:5m,50%:5m,100%"
"""The default cutover: 10% for five minutes, 50% for five minutes, then all traffic."""

DEMO_SCHEDULE = "10%:20s,50%:20s,100%"
"""The demo's cutover: the same stages with bakes short enough to watch."""
DEMO_POLL_SECONDS = 5.0
"""The demo's health-poll interval (30 s against AWS)."""

# The documented ranges of the numeric cutover settings (flags, journal, TUI alike); README's CLI section lists them.
MAX_BAKE_SECONDS = 24 * 3600
"""The longest bake a schedule stage may ask for: a day."""
POLL_INTERVAL_RANGE = (0.1, 3600.0)
"""Seconds between health polls during a bake."""
MIN_INVOCATIONS_RANGE = (0, 1_000_000)
"""Invocations of the new version needed before its rates are judged."""
RATE_INCREASE_RANGE = (0.0, 100.0)
"""Allowed rise of an error or throttle rate, in percentage points."""
P99_RATIO_RANGE = (1.0, 100.0)
"""Allowed new/old Duration p99."""
BAKE_EXTENSIONS_RANGE = (0, 100)
"""Times a stage's bake may be extended for low traffic."""
PRICE_OVERRIDE_RANGE = (0.0, 10.0)
"""USD for `--nat-hour-price`, `--nat-gb-price` and `--ipv4-hour-price`: every list price is cents, so 10 is a typo's guard."""

EXPORT_FORMATS: tuple[str, ...] = ("terraform", "cloudformation", "iam-policy")
"""What `v6wizard export --format` takes."""
