"""Keras 3's box at every width, printed live: wide tables (`line_length` up to 260 in a console
wide enough) read exactly, and tables cropped at an 80-column console's edge at every place the
edge can fall read their names and shapes, with every count they lost said to be cut — never a
wrong number, never a row dropped. (The console's width is set the way a terminal sets it for
rich and shutil: `COLUMNS`.)"""

from __future__ import annotations

import contextlib
import io
from functools import lru_cache
from typing import Any, List

import pytest

import summary_audit
from conftest import import_library
from zoo import zoo_models

MODELS = ("conv_zoo", "merge_zoo", "sequence_zoo", "nested_functional")
WIDE = list(range(100, 261, 13))
CROPPED = list(range(81, 140, 3))


@lru_cache(maxsize=None)
def _model(name: str) -> Any:
    return zoo_models(import_library("keras"))[name]()


def _printed(model: Any, columns: int, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> str:
    """What `model.summary()` writes to a console of `columns` (stdout not a terminal)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.summary(**kwargs)
    return out.getvalue()


def _problems(text: str, model: Any, cropped: bool, nested: bool = False) -> List[str]:
    document = summary_audit.parse(text)
    problems = [f"error: {error.message}" for error in document.errors]
    [summary] = document.summaries
    live = summary_audit.from_model(model, expand_nested=nested)
    if len(summary.rows) != len(live.rows):
        return problems + [f"{len(summary.rows)} rows read, {len(live.rows)} in the model"]
    for row, true in zip(summary.rows, live.rows):
        if not (row.name == true.name or (row.name.endswith("…") and true.name.startswith(row.name[:-1]))):
            problems.append(f"line {row.line}: name {row.name!r} != {true.name!r}")
        if row.params is None if not cropped else row.params is None and row.params_note != "cut":
            problems.append(f"line {row.line}: count lost without saying so")
        elif row.params is not None and row.params != true.params:
            problems.append(f"line {row.line}: params {row.params} != {true.params}")
        if not cropped and row.output_shape != true.output_shape:
            problems.append(f"line {row.line}: shape {row.output_shape} != {true.output_shape}")
    audit = summary_audit.audit(summary)
    problems += [f"line {r.row.line} {r.row.name}: false alarm {r.messages}" for r in audit.rows
                 if r.status == "mismatch"]
    problems += [f"{f.code} line {f.line}: {f.message}" for f in summary.findings if f.severity == "error"]
    return problems


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("width", WIDE)
def test_a_wide_box_reads_exactly(name: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _model(name)
    text = _printed(model, width + 10, monkeypatch, line_length=width, show_trainable=width % 2 == 0)
    assert not _problems(text, model, cropped=False)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("width", CROPPED)
def test_a_box_cropped_at_the_console_edge(name: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _model(name)
    text = _printed(model, 80, monkeypatch, line_length=width, expand_nested=width % 2 == 0)
    assert max(len(line) for line in text.splitlines()) == 80
    assert not _problems(text, model, cropped=True, nested=width % 2 == 0)
