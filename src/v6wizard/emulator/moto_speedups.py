"""Faster, same-answer versions of moto lookups that the emulator redoes on every request.

Time a real AWS endpoint does not charge the client inflates every round trip the
benchmarks and tests measure, and the emulator shares the machine's cores with the
wizard. Each replacement below returns exactly what moto's own code returns (a test
compares them); nothing about what moto answers changes. Installed once, by
`v6wizard.emulator.Emulator`.

- `backends.list_of_moto_modules`: moto 5.2.5's server lists its own package
  directory (`os.listdir` and a `stat` per entry) on every request to route the Host
  header. The listing is fixed for the life of the process: cached.
- `responses.method_names_from_class`: walks the responding class with
  `inspect.getmembers` to find the action's method; fixed per class: cached.
  Together these two were about a third of the emulator's CPU per call.
- `TaggedEC2Resource.get_tags`: looks up one resource's tags by scanning every tag
  in the region against a regular expression made from the resource's id; with a
  few hundred tagged resources, describing 200 subnets made about 200 x 600 regex
  matches. Now a dictionary lookup of the same entries, in the same order.
- The `fnmatch` that `moto.ec2.utils` filters with: a filter value without a
  wildcard (`subnet-id` = an id) is compared for equality instead of being
  translated and matched per object and value (a 24-id filter over 200 subnets made
  about 4,800 matches per DescribeSubnets). Values with `*`, `?` or `[` still go to
  `fnmatch`.
"""

from __future__ import annotations

import fnmatch as _fnmatch
import functools
import os
import types
from typing import Any

_installed = False
WILDCARDS = frozenset("*?[")


def install() -> None:
    """Replace the lookups with the faster ones (idempotent)."""
    global _installed
    if _installed:
        return
    from moto import backends
    from moto.core import responses
    from moto.ec2 import utils as ec2_utils
    from moto.ec2.models.core import TaggedEC2Resource

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules  # type: ignore[assignment]

    original = responses.method_names_from_class
    names = functools.lru_cache(maxsize=None)(lambda clazz: tuple(original(clazz)))

    def method_names_from_class(clazz: Any) -> list[str]:
        return list(names(clazz))

    responses.method_names_from_class = method_names_from_class  # type: ignore[attr-defined]
    TaggedEC2Resource.get_tags = _tags_of  # type: ignore[method-assign]
    ec2_utils.fnmatch = _literal_fnmatch_module()  # type: ignore[attr-defined]
    _installed = True


def _tags_of(resource: Any) -> list[dict[str, str]]:
    """What `ec2_backend.describe_tags(filters={"resource-id": [resource.id]})` returns, read directly."""
    from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE, get_prefix

    resource_id = resource.id
    if not resource_id:
        return []
    tags = resource.ec2_backend.tags.get(resource_id) or {}
    kind = EC2_PREFIX_TO_RESOURCE.get(get_prefix(resource_id), "")
    return [{"resource_id": resource_id, "key": key, "value": value, "resource_type": kind} for key, value in tags.items()]


def literal_fnmatch(name: str, pattern: str) -> bool:
    """`fnmatch.fnmatch`, with a pattern free of wildcards compared for equality (as fnmatch would)."""
    if WILDCARDS.isdisjoint(pattern):
        return os.path.normcase(name) == os.path.normcase(pattern)
    return _fnmatch.fnmatch(name, pattern)


def _literal_fnmatch_module() -> types.ModuleType:
    """A stand-in for the `fnmatch` module inside `moto.ec2.utils`: the same, with `literal_fnmatch`."""
    module = types.ModuleType("fnmatch")
    module.__dict__.update(vars(_fnmatch))
    module.fnmatch = literal_fnmatch  # type: ignore[attr-defined]
    return module
