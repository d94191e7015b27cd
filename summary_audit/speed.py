"""The collector pause of the entry points (the command line, the benchmarks): nothing here
changes a result, and the library itself never calls it — pausing and freezing the collector
is a process-wide side effect that a notebook or a pytest session calling `parse` must not get."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while a command reads its tables: the pipeline makes a
    few small objects a row and hardly any reference cycles, and CPython would otherwise scan
    every live row again and again as they pile up (measured: a quarter to a third of the
    time of a 10,000-row table). Reference counting still frees what is dropped; the
    collector runs again afterwards. (A caller that turned it off finds it off.)"""
    if not gc.isenabled():
        yield
        return
    gc.collect(1)  # the caller's young garbage first (what its next collections would free): survivors go old below
    gc.disable()
    try:
        yield
    finally:
        # What the pause made would all be young: the first allocation after it would have
        # the collector trace every row of a long table at once (a tenth of the time), though
        # none of it is cyclic. Freezing and unfreezing hands everything to the oldest
        # generation in O(1) instead: still collected, at the next full collection.
        gc.freeze()
        gc.unfreeze()
        gc.enable()

