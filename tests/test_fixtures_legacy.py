"""Stored tables printed by tf.keras 2.12 and 2.6, Keras 2.3.1 and Keras 1.2.2 (fixtures/legacy,
made by fixtures/generate/print_legacy.py) parse to the truth read from the live models, and
every row of them is explained: no false alarms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List

import pytest

import summary_audit
from conftest import FIXTURES
from summary_audit.model import Row

LEGACY = sorted((FIXTURES / "legacy").glob("*/*.txt"))
GENERATIONS = {"tfkeras-2.12", "tfkeras-2.6", "keras-2.3.1", "keras-1.2.2"}


def test_every_generation_is_there() -> None:
    assert {path.parent.name for path in LEGACY} == GENERATIONS
    assert len(LEGACY) >= 30


def _shape(value: Any) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], list):
        return tuple(tuple(v) for v in value)
    return tuple(value) if isinstance(value, list) else value


def _name_matches(printed: str, true: str) -> bool:
    """Old printers cut long names at the column edge without a mark."""
    return printed == true or (len(printed) >= 20 and true.startswith(printed.rstrip("…")))


def _shape_matches(row: Row, true: Any) -> bool:
    from summary_audit.shapes import prefix_shape, same_shape
    if true == "multiple" or row.output_shape == "multiple":
        return row.output_shape == true
    if row.shape_cut:
        return prefix_shape(row.output_shape, _shape(true))
    return same_shape(row.output_shape, _shape(true))


@pytest.mark.parametrize("path", LEGACY, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_parses_to_the_live_truth(path: Path) -> None:
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    document = summary_audit.parse(path.read_bytes())
    [summary] = document.summaries
    assert summary.format == truth["format"]
    assert len(summary.rows) == len(truth["rows"])
    problems: List[str] = []
    for row, true in zip(summary.rows, truth["rows"]):
        if row.depth != true["depth"]:
            problems.append(f"line {row.line}: depth {row.depth} != {true['depth']}")
        if not _name_matches(row.name, true["name"]):
            problems.append(f"line {row.line}: name {row.name!r} != {true['name']!r}")
        if row.type and row.layer_class is None and not row.class_candidates:
            problems.append(f"line {row.line}: type {row.type!r} unresolved")
        if row.params != true["params"]:
            problems.append(f"line {row.line}: params {row.params} != {true['params']}")
        if not _shape_matches(row, true["output_shape"]):
            problems.append(f"line {row.line}: shape {row.output_shape} != {true['output_shape']}")
        if true["connected_to"] and sorted(set(row.connected_to)) != sorted(set(true["connected_to"])):
            problems.append(f"line {row.line}: connected {row.connected_to} != {true['connected_to']}")
    totals = summary.totals
    assert totals is not None
    assert (totals.total, totals.trainable, totals.non_trainable) == (
        truth["totals"]["total"], truth["totals"]["trainable"], truth["totals"]["non_trainable"])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", LEGACY, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_row_is_explained(path: Path) -> None:
    [summary] = summary_audit.parse(path.read_bytes()).summaries
    audit = summary_audit.audit(summary)
    wrong = [(r.row.line, r.row.name, r.status, r.messages) for r in audit.rows if r.status == "mismatch"]
    assert not wrong
    unverified = [r for r in audit.rows if r.status == "unverified"]
    # only a nested model printed without its layers may stay unverified
    assert all(r.row.layer_class in ("Sequential", "Functional") for r in unverified), \
        [(r.row.name, r.messages) for r in unverified]
    assert audit.totals.status == "ok"


def test_seed004_keras1_derivations() -> None:
    [summary] = summary_audit.parse((FIXTURES / "legacy" / "keras-1.2.2" / "seed004.txt").read_bytes()).summaries
    audit = summary_audit.audit(summary)
    assert audit.data_format == "channels_first"
    convs = [r for r in audit.rows if r.row.layer_class == "Conv2D"]
    assert [r.row.type for r in convs] == ["Convolution2D", "Convolution2D"]
    assert [(r.expected_params, r.explanation) for r in convs] == [
        (832, "(5*5*1 + 1) * 32 = 832"), (51264, "(5*5*32 + 1) * 64 = 51,264")]
    assert convs[0].inferred["kernel_size"] == (5, 5) and convs[0].inferred["input_shape"] == (None, 1, 28, 28)
