"""Run a step's actions concurrently in a bounded pool, respecting their ordering.

`run_ordered` starts an item as soon as every item it waits for (within the same
batch) has finished, never more than `concurrency` at once. After the first failure,
or once `cancel` is set, nothing new starts; the items already running finish, so
each one's journal record is complete. The first error is raised at the end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


class PoolResult:
    """What a batch did: the keys that finished, and whether it stopped early."""

    def __init__(self) -> None:
        self.done: list[Hashable] = []
        self.error: BaseException | None = None
        self.cancelled = False
        self.not_started: list[Hashable] = []


def run_ordered(
    keys: list[K],
    waits_for: dict[K, set[K]],
    work: Callable[[K], None],
    *,
    concurrency: int = 8,
    cancel: threading.Event | None = None,
) -> PoolResult:
    """Run `work(key)` for every key, a key only after the keys in `waits_for[key]` finished."""
    result = PoolResult()
    pending = list(keys)
    batch = set(keys)
    finished: set[K] = set()
    running: dict[Future[None], K] = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="v6wizard-action") as pool:
        while pending or running:
            stopping = result.error is not None or (cancel is not None and cancel.is_set())
            if not stopping:
                for key in list(pending):
                    if len(running) >= concurrency:
                        break
                    if all(dep in finished or dep not in batch for dep in waits_for.get(key, set())):
                        pending.remove(key)
                        running[pool.submit(work, key)] = key
            if not running:
                break
            completed, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in completed:
                key = running.pop(future)
                error = future.exception()
                if error is None:
                    finished.add(key)
                    result.done.append(key)
                elif result.error is None:
                    result.error = error
    result.not_started = list(pending)
    result.cancelled = bool(pending) and cancel is not None and cancel.is_set() and result.error is None
    return result
