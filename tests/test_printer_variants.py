"""Keras 3 tables printed the ways real pastes hold them (fixtures/variants, made by the real
printer with fixtures/generate/print_keras3_variants.py): wide boxes, tables rich cropped at the
console's edge, narrow consoles' wrapped and `…`-cut cells, a terminal's stream, dict- and
list-valued shapes, R keras3's ASCII and `?` boxes. Each reads exactly as its live model says
(class, shape, Param #); a cell the printer cut is read as cut — the row kept, its count
unknown and the row unverified with the reason — never as a wrong number."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import summary_audit
from conftest import FIXTURES
from summary_audit.layers import REGISTRY
from summary_audit.layers.base import prefix_shape, same_shape
from summary_audit.model import Row

VARIANTS = sorted((FIXTURES / "variants").glob("*/*.txt"))


def _truth(path: Path) -> Dict[str, Any]:
    return json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))


def _shape(value: Any) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], list):
        return tuple(tuple(v) for v in value)
    return tuple(value) if isinstance(value, list) else value


def _name_matches(printed: str, true: str) -> bool:
    """Keras 3 cuts a long name with `…`."""
    return printed == true or (printed.endswith("…") and true.startswith(printed[:-1]))


def _problems(row: Row, true: Dict[str, Any]) -> List[str]:
    where = f"line {row.line} ({true['name']})"
    problems = []
    if not _name_matches(row.name, true["name"]):
        problems.append(f"{where}: name {row.name!r}")
    if row.depth != true["depth"]:
        problems.append(f"{where}: depth {row.depth} != {true['depth']}")
    if REGISTRY.get(true["layer_class"]) is None:  # a custom layer: its printed type, unresolved
        if row.type.rstrip("…") != true["type"][:len(row.type.rstrip("…"))] or not row.type:
            problems.append(f"{where}: type {row.type!r} != {true['type']}")
    elif row.layer_class != true["layer_class"] and true["layer_class"] not in row.class_candidates:
        problems.append(f"{where}: class {row.layer_class} ({row.type!r}) != {true['layer_class']}")
    if row.params is not None and row.params != true["params"]:
        problems.append(f"{where}: params {row.params} != {true['params']}")
    if row.params is None and row.params_note != "cut":
        problems.append(f"{where}: no count, and not marked cut")
    shape = _shape(true["output_shape"])
    if row.output_shape is None:
        problems.append(f"{where}: no shape")
    elif isinstance(shape, str) or isinstance(row.output_shape, str):
        if row.output_shape != shape:
            problems.append(f"{where}: shape {row.output_shape} != {true['output_shape']}")
    elif not (prefix_shape(row.output_shape, shape) if row.shape_cut else same_shape(row.output_shape, shape)):
        problems.append(f"{where}: shape {row.output_shape} != {true['output_shape']}")
    return problems


def test_every_variant_is_there() -> None:
    assert len(VARIANTS) >= 20
    assert {path.parent.name for path in VARIANTS} == {"keras3", "r-keras3"}


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_reads_as_the_live_model(path: Path) -> None:
    truth = _truth(path)
    document = summary_audit.parse(path.read_bytes(), path.name)
    [summary] = document.summaries
    assert summary.format == "keras3"
    assert [row.name for row in summary.rows if not row.name] == []
    assert len(summary.rows) == len(truth["rows"]), [row.name for row in summary.rows]
    problems = [problem for row, true in zip(summary.rows, truth["rows"]) for problem in _problems(row, true)]
    assert not problems, "\n".join(problems)
    totals = summary.totals
    assert totals is not None
    assert (totals.total, totals.trainable, totals.non_trainable) == (
        truth["totals"]["total"], truth["totals"]["trainable"], truth["totals"]["non_trainable"])


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_false_alarm_and_cut_counts_say_so(path: Path) -> None:
    [summary] = summary_audit.parse(path.read_bytes(), path.name).summaries
    audit = summary_audit.audit(summary)
    assert [(r.row.line, r.row.name, r.messages) for r in audit.rows if r.status == "mismatch"] == []
    assert audit.totals.status != "mismatch"
    for checked in audit.rows:
        if checked.row.params is None:
            assert checked.status == "unverified"
            assert any("cut" in message for message in checked.messages), checked.messages
    bad = [f for f in summary.findings if f.severity == "error"]
    assert bad == []
