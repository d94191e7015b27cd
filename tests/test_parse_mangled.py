"""Each way a paste gets damaged, applied to real printed summaries, reads back to exactly
the rows of the clean text."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Tuple

import pytest

import summary_audit
from conftest import printer_fixtures
from mangle import MANGLERS
from summary_audit.model import Summary
from summary_audit.shapes import shape_text


def fixture_texts() -> List[Path]:
    return [p for p in printer_fixtures() if p.parent.name != "mangled"]


def essentials(summary: Summary) -> Tuple[Any, ...]:
    rows = tuple((r.name, r.type, r.layer_class, r.output_shape, r.params, r.depth, r.connected_to, r.trainable)
                 for r in summary.rows)
    return rows


def markdown_table(summary: Summary) -> str:
    """The table retyped as a markdown table, as authors do in READMEs."""
    columns = ["Layer (type)", "Output Shape", "Param #"]
    lines = ["| " + " | ".join(columns) + " |", "|---|---|---:|"]
    for row in summary.rows:
        lines.append(f"| {row.name} ({row.type}) | {shape_text(row.output_shape)} | {row.params:,} |")
    totals = summary.totals
    lines.append("")
    if totals is not None and totals.total is not None:
        lines.append(f"Total params: {totals.total:,}")
    return "Model: \"retyped\"\n" + "\n".join(lines) + "\n"


CASES = [(path, name) for path in fixture_texts() for name in MANGLERS]


def test_enough_cases() -> None:
    assert len(fixture_texts()) >= 3, "the fixture corpus is missing"
    assert len(CASES) >= 12 * 3


@pytest.mark.parametrize("path,mangler", CASES, ids=[f"{p.parent.name}/{p.stem}-{m}" for p, m in CASES])
def test_mangled_reads_like_clean(path: Path, mangler: str) -> None:
    clean_text = path.read_text(encoding="utf-8")
    damaged = MANGLERS[mangler](clean_text)
    if damaged is None:
        pytest.skip(f"{mangler} does not apply to this layout")
    clean = summary_audit.parse(clean_text).summaries
    assert clean, "the clean fixture itself must parse"
    read = summary_audit.parse(damaged).summaries
    assert [essentials(s) for s in read] == [essentials(s) for s in clean]
    if mangler != "cut_before_totals":
        assert [s.totals.total if s.totals else None for s in read] == \
            [s.totals.total if s.totals else None for s in clean]
    else:
        assert all(s.totals is None for s in read)
        assert all(any(f.code == "incomplete-table" for f in s.findings) for s in read)


@pytest.mark.parametrize("path", fixture_texts(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_markdown_retyped_table(path: Path) -> None:
    clean = summary_audit.parse(path.read_text(encoding="utf-8")).summaries
    for summary in clean:
        if summary.format == "keras2-wrapped" or any(r.depth for r in summary.rows):
            continue
        [read] = summary_audit.parse(markdown_table(summary)).summaries
        assert [(r.name, r.type, r.output_shape, r.params) for r in read.rows] == \
            [(r.name, r.type, r.output_shape, r.params) for r in summary.rows]
