"""Sparklines on a fixed scale: a constant 0% error rate is flat at the bottom, even with one poll
(Textual's Sparkline stretches its data between its own min and max, so one point drew a full bar)."""

from __future__ import annotations

from v6wizard.tui.widgets.scaled_sparkline import bars


def test_zero_is_always_the_lowest_bar() -> None:
    assert bars([0.0], 5, 10.0) == "▁    "
    assert bars([0.0] * 8, 8, 10.0) == "▁" * 8
    assert bars([], 4, 10.0) == "▁▁▁▁"


def test_the_height_is_the_value_on_the_scale_not_its_rank() -> None:
    assert bars([5.0], 1, 10.0) == "▅"
    assert bars([10.0, 50.0], 2, 10.0) == "██", "over the ceiling is a full bar"
    assert bars([0.2, 0.2, 0.2], 3, 10.0) == "▁▁▁", "a small constant rate stays low"
    assert bars([1000.0] * 5 + [0.0] * 3, 3, 1000.0) == "▁▁▁", "only the newest values that fit are drawn"
