"""Caches for two of moto's server-mode lookups that are redone on every request.

moto 5.2.5's server, for every request, lists its own package directory (`os.listdir`
and a `stat` per entry, in `backends.list_of_moto_modules`) to route the Host header,
and walks the responding class with `inspect.getmembers` (`method_names_from_class`)
to find the action's method. Both answers are fixed for the life of the process, and
together they were about a third of the emulator's CPU per call: time a real AWS
endpoint does not charge the client, which inflated every round trip the benchmarks
and tests measure. The cached functions return the same values; nothing about what
moto answers changes. Installed once, by `v6wizard.emulator.start_emulator`.
"""

from __future__ import annotations

import functools
from typing import Any

_installed = False


def install() -> None:
    """Replace the two lookups with cached ones (idempotent)."""
    global _installed
    if _installed:
        return
    from moto import backends
    from moto.core import responses

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules  # type: ignore[assignment]

    original = responses.method_names_from_class
    names = functools.lru_cache(maxsize=None)(lambda clazz: tuple(original(clazz)))

    def method_names_from_class(clazz: Any) -> list[str]:
        return list(names(clazz))

    responses.method_names_from_class = method_names_from_class  # type: ignore[attr-defined]
    _installed = True
