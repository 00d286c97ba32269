"""WSGI layers in front of moto (placeholder until the corrections and strictness layers land)."""

from __future__ import annotations

from v6wizard.emulator.server import Middleware


def default_layers(strict: bool = True) -> list[Middleware]:
    return []
