"""The caches, in one place: pure functions memoized by their own arguments, and one
`clear_all()` that forgets them all.

Two kinds, told apart so that a benchmark can measure cold reads on a warm grammar:

- `cached(maxsize)` — a *reading*: what an input's cell, row or layer reads as. Real tables
  repeat their cells and rows, so these are hit per cell and per row: a plain
  `functools.lru_cache`, whose lookup runs in C. `clear_readings()` forgets these.
- `once` — a *load*: what the process computes once whatever the input (the grammar text,
  the Lark parser, the fast paths' compiled patterns).

Not here:
- the terminal patterns' file, a start-up cache kept between processes in the temp folder
  (`.summary_audit_terminals_<digest>.txt`, written by `grammar.terminal_patterns`) beside
  Lark's own grammar cache: neither is a memo of an input, and `clear_all()` leaves both.

The readings today: a row's cells by their texts (`rows._reading`), a printed type's classes
(`layers.base._resolved`), cells and shapes (`grammar`, `lark_parser`), a row's reading and
its candidates (`infer`), and the audit's per-row parts (`verify`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, List, Optional, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: every memoized function: (its kind, the function with its `cache_clear`).
_REGISTERED: List[Any] = []
READING, LOAD = "reading", "load"


def cached(maxsize: Optional[int] = 65536) -> Callable[[F], F]:
    """Memoize a pure function of hashable arguments, by its arguments (least recently used
    readings go first once `maxsize` are kept; None: no bound). A reading."""
    def wrap(function: F) -> F:
        return _register(READING, lru_cache(maxsize=maxsize)(function))
    return wrap


def once(function: F) -> F:
    """Compute a load once per process (per distinct arguments, for the few that take one)."""
    return _register(LOAD, lru_cache(maxsize=None)(function))


def _register(kind: str, memoized: F) -> F:
    _REGISTERED.append((kind, memoized))
    return memoized


def clear_readings() -> None:
    """Forget every input read so far, keep the grammar and the patterns loaded (what a
    benchmark's cold run wants)."""
    for kind, memoized in _REGISTERED:
        if kind == READING:
            memoized.cache_clear()


def clear_all() -> None:
    """Forget everything memoized: every reading and every load."""
    for _, memoized in _REGISTERED:
        memoized.cache_clear()


def registered() -> List[Callable[..., Any]]:
    """The memoized functions, readings and loads (tests check every cache is one of them)."""
    return [memoized for _, memoized in _REGISTERED]
