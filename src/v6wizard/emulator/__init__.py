"""The embedded AWS emulator: moto's server behind layers that make it answer like AWS."""

from __future__ import annotations

from v6wizard.emulator.server import Emulator


def start_emulator(strict: bool = True) -> Emulator:
    """Start moto on 127.0.0.1 and a free port, with the corrections and (by default) the strictness layer."""
    from v6wizard.emulator.layers import default_layers

    return Emulator(middleware=default_layers(strict=strict)).start()


__all__ = ["Emulator", "start_emulator"]
