"""A process that only serves the emulator hands its GIL over sooner than CPython's default."""

from __future__ import annotations

import sys

import pytest

from v6wizard.emulator.server import SERVING_SWITCH_INTERVAL, tune_for_serving


def test_a_serving_process_switches_threads_every_millisecond() -> None:
    previous = sys.getswitchinterval()
    try:
        assert previous > SERVING_SWITCH_INTERVAL, "CPython's default is 5 ms"
        tune_for_serving()
        assert sys.getswitchinterval() == pytest.approx(SERVING_SWITCH_INTERVAL)
    finally:
        sys.setswitchinterval(previous)
