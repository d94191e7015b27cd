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
from summary_audit.shapes import prefix_shape, same_shape
from summary_audit.model import Row

VARIANTS = sorted((FIXTURES / "variants").glob("*/*.txt"))
#: each print as printed, and as pages keep it: trailing spaces stripped (a cropped cell then
#: no longer shows the space that says it is whole, and must be read as cut).
CASES = [(path, stripped) for path in VARIANTS for stripped in (False, True)]
IDS = [f"{p.parent.name}/{p.stem}" + ("-stripped" if stripped else "") for p, stripped in CASES]


def _text(path: Path, stripped: bool) -> bytes:
    data = path.read_bytes()
    if not stripped:
        return data
    return b"\n".join(line.rstrip(b" \r") for line in data.split(b"\n"))


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


@pytest.mark.parametrize("path,stripped", CASES, ids=IDS)
def test_reads_as_the_live_model(path: Path, stripped: bool) -> None:
    truth = _truth(path)
    document = summary_audit.parse(_text(path, stripped), path.name)
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


@pytest.mark.parametrize("path,stripped", CASES, ids=IDS)
def test_no_false_alarm_and_cut_counts_say_so(path: Path, stripped: bool) -> None:
    [summary] = summary_audit.parse(_text(path, stripped), path.name).summaries
    audit = summary_audit.audit(summary)
    assert [(r.row.line, r.row.name, r.messages) for r in audit.rows if r.status == "mismatch"] == []
    assert audit.totals.status != "mismatch"
    for checked in audit.rows:
        if checked.row.params is None:
            assert checked.status == "unverified"
            assert any("cut" in message for message in checked.messages), checked.messages
    bad = [f for f in summary.findings if f.severity == "error"]
    assert bad == []


def _read(stem: str) -> "summary_audit.model.Summary":
    path = FIXTURES / "variants" / f"{stem}.txt"
    [summary] = summary_audit.parse(path.read_bytes(), path.name).summaries
    return summary


def test_the_variants_hold_each_kind() -> None:
    """The kinds the tests above must read are in the prints (they cannot pass by reading none)."""
    cropped = _read("keras3/big_dense__pipe_ll85")  # `│      2,722,` at the edge
    assert [(row.params, row.params_note) for row in cropped.rows] == [(None, "cut"), (None, "cut")]
    narrow = _read("keras3/big_dense__c40")  # Keras 3's own `2,72…`
    assert [row.params_note for row in narrow.rows] == ["cut", "cut"]
    links_lost = _read("keras3/merge_zoo__pipe_ll108")  # Connected to all past the edge
    assert all(row.params is not None for row in links_lost.rows)
    assert "connected" in links_lost.columns
    said = [f.message for f in links_lost.findings if f.code == "table-cropped"]
    assert len(said) == 1 and "Connected to" in said[0] and "Param #" not in said[0]
    assert not [f for f in _read("keras3/conv_zoo__w130").findings if f.code == "table-cropped"]
    unbuilt = _read("keras3/unbuilt__c40")  # `0` / `(unb…` wrapped in the Param # cell
    assert [(row.params, row.params_note) for row in unbuilt.rows] == [(0, "unbuilt"), (0, "unbuilt")]
    [backbone, split, _] = _read("keras3/hub_like__c60").rows  # a dict, its first key cut
    assert backbone.output_shape == ((1, 12, 6), (1, 12, 3)) and split.output_shape == ((1, 12, 2), (1, 12, 4))
    knitr = _read("r-keras3/nested_functional__knitr80_nested")  # `+---+` box, `>` nesting, `## `
    assert knitr.format == "keras3" and [row.depth for row in knitr.rows].count(1) == 4
    question_marks = _read("r-keras3/merge_zoo__cp1252_100")
    assert question_marks.format == "keras3" and max(row.depth for row in question_marks.rows) == 1
