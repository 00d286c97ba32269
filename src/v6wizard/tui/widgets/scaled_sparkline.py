"""A sparkline on a fixed scale: a bar's height says the value, not its rank among the values shown.

Textual's `Sparkline` stretches its data between the data's own minimum and maximum,
so a single poll, or a constant 0% error rate, draws as a full bar. Here every metric
has a scale of its own (0 to a ceiling), the same for the old and the new version, so
0% is always the lowest bar and the two versions compare at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

BARS = "▁▂▃▄▅▆▇█"


def bars(values: Sequence[float], width: int, ceiling: float) -> str:
    """The last `width` values as bars on the scale 0..ceiling (over the ceiling: a full bar)."""
    shown = list(values)[-width:] if width > 0 else []
    top = len(BARS) - 1
    line = "".join(BARS[round(min(max(value / ceiling, 0.0), 1.0) * top)] if ceiling > 0 else BARS[0] for value in shown)
    return line.ljust(width) if shown else BARS[0] * width


class ScaledSparkline(Widget):
    """One metric's recent values, newest on the right, one bar per poll."""

    DEFAULT_CSS = "ScaledSparkline { height: 1; }"

    data: reactive[tuple[float, ...]] = reactive(tuple)

    def __init__(self, ceiling: float, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ceiling = ceiling
        """The value drawn as a full bar; the scale starts at 0."""

    def render(self) -> Text:
        return Text(bars(self.data, self.size.width, self.ceiling))

