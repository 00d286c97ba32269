"""Ticks and radio buttons that read without colour: `[x]`/`[ ]` rows and a `(•)` chosen button.

Textual draws a ticked and an unticked SelectionList row with the same `X` in two
colours, and every RadioButton with the same `●`: on a monochrome terminal, with
NO_COLOR, or to a colour-blind operator they all looked alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import RadioButton, SelectionList


class CheckList(SelectionList[str]):
    """A SelectionList whose rows start `[x]` when ticked and `[ ]` when not.

    It also highlights its first row when it gets focus with none highlighted, so
    space toggles a row at once instead of doing nothing until an arrow key is pressed.
    """

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return line
        segments = list(line)
        if len(segments) < 3:
            return line
        ticked = self.get_option_at_index(index).value in self.selected
        marks = ("[", "x" if ticked else " ", "]")
        return Strip([Segment(mark, seg.style, seg.control) for mark, seg in zip(marks, segments)] + segments[3:], line.cell_length)

    def on_focus(self) -> None:
        self._highlight_first()

    def add_options(self, items: Iterable[Any]) -> SelectionList[str]:
        added = super().add_options(items)
        if self.has_focus:
            self._highlight_first()
        return added

    def _highlight_first(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0


class MarkedRadioButton(RadioButton):
    """A RadioButton drawn `(•)` when chosen and `( )` when not (through ToggleButton's BUTTON_* class variables)."""

    BUTTON_LEFT = "("
    BUTTON_RIGHT = ")"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._mark(self.value)

    def watch_value(self, value: bool) -> None:
        self._mark(value)

    def _mark(self, value: bool) -> None:
        self.BUTTON_INNER = "•" if value else " "
