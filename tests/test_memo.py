"""The caches: every one a memoized function registered with `summary_audit.memo`, cleared by
`memo.clear_all()`, and none changing a result (a cold read is the warm one)."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Dict, List

import pytest

import summary_audit
from summary_audit import grammar, infer, lark_parser, memo, rows, verify
from summary_audit.layers import base
from summary_audit.report.json import render

from conftest import FIXTURES

TABLES = sorted(FIXTURES.glob("samples/*.txt")) + sorted(FIXTURES.glob("corpus/applications/**/*.txt"))
#: the modules whose caches `memo` holds.
MODULES = (grammar, infer, lark_parser, verify, rows, base)


def forget_everything() -> None:
    memo.clear_all()


def reports(clear_between: bool) -> List[str]:
    found = []
    for path in TABLES:
        if clear_between:
            forget_everything()
        document = summary_audit.parse(path.read_bytes(), str(path))
        found.append(render(document, [summary_audit.audit(s) for s in document.summaries]))
    return found


def test_the_tables_are_there() -> None:
    assert len(TABLES) >= 7


def test_a_cold_read_is_the_warm_one() -> None:
    warm = reports(clear_between=False)
    warm_again = reports(clear_between=False)
    cold = reports(clear_between=True)
    assert warm == warm_again == cold
    assert all(json.loads(report)["summaries"] for report in cold)


def test_every_memoized_function_is_registered() -> None:
    registered = {id(function) for function in memo.registered()}
    for module in MODULES:
        for name, value in vars(module).items():
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == module.__name__:
                assert id(value) in registered, f"{module.__name__}.{name} is memoized outside summary_audit.memo"


def _module_dicts(module: ModuleType) -> Dict[str, int]:
    return {name: len(value) for name, value in vars(module).items() if isinstance(value, (dict, list, set))}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_no_module_keeps_a_cache_of_its_own(module: ModuleType) -> None:
    """Reading tables grows no module-level dict, list or set: a memo would be one."""
    summary_audit.parse(TABLES[0].read_bytes())  # (whatever loads once, loaded)
    before = _module_dicts(module)
    memo.clear_all()
    reports(clear_between=False)
    assert _module_dicts(module) == before


def test_clear_all_forgets_every_reading_and_every_load() -> None:
    forget_everything()
    reports(clear_between=False)
    sizes = {function.__qualname__: function.cache_info().currsize for function in memo.registered()}
    assert sizes["_read_repeating_cell"] and sizes["read_shape_cell"] and sizes["_row_outcome"]
    assert sizes["_spec_candidates"] and sizes["_reading"] and sizes["_resolved"] and sizes["terminal_patterns"] == 1
    memo.clear_readings()
    kept = {function.__qualname__: function.cache_info().currsize for function in memo.registered()}
    assert kept["_row_outcome"] == 0 and kept["terminal_patterns"] == 1  # (the grammar stays loaded)
    memo.clear_all()
    assert all(function.cache_info().currsize == 0 for function in memo.registered())
    assert reports(clear_between=False)  # (and reads again from nothing)
