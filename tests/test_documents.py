"""Documents, encodings and unreadable input: every summary found with its span, nothing else
taken for a row, and a located one-line error for what cannot be read."""

from __future__ import annotations

import json

import pytest

import summary_audit
from conftest import FIXTURES, printer_fixtures
from summary_audit import SummaryAuditError
from summary_audit.text import decode

KERAS2 = (FIXTURES / "samples" / "seed000_keras2.txt").read_text(encoding="utf-8")
KERAS3 = (FIXTURES / "samples" / "keras3_functional_variants.txt").read_text(encoding="utf-8")


def rows_of(text: str) -> list:
    return [[(r.name, r.output_shape, r.params) for r in s.rows] for s in summary_audit.parse(text).summaries]


def test_a_blog_page_with_prose_and_two_tables() -> None:
    page = ("Intro: Layer one has (3, 3) kernels. Total cost is low.\n\n" + KERAS2 +
            "\nNow the Keras 3 version, which prints params as 1,234:\n" + KERAS3 + "\nThe end.\n")
    document = summary_audit.parse(page)
    spans = [(s.start_line, s.end_line) for s in document.summaries]
    assert len(spans) == 3  # KERAS3 holds two prints of the same model
    assert spans == sorted(spans) and all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
    assert spans[0][0] == 3
    assert rows_of(page)[0] == rows_of(KERAS2)[0]
    assert not any(f.severity == "error" for s in document.summaries for f in s.findings)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "gb18030", "cp1251"])
def test_encodings(encoding: str) -> None:
    prose = "说明：这是模型。\n" if encoding == "gb18030" else "Модель и её параметры:\n" if encoding == "cp1251" else "Model:\n"
    data = (prose + KERAS2).encode(encoding)
    assert rows_of(decode(data)) == rows_of(KERAS2)
    assert summary_audit.parse(data).summaries[0].totals.total == 3_453_121


def test_notebook_outputs_with_file_line_numbers() -> None:
    cell_output = [line + "\n" for line in KERAS2.splitlines()]
    notebook = {"cells": [
        {"cell_type": "code", "source": ["model.summary()\n"], "outputs": [
            {"output_type": "stream", "name": "stdout", "text": cell_output}]},
        {"cell_type": "markdown", "source": ["Some text\n"]},
        {"cell_type": "code", "source": ["m2.summary()\n"], "outputs": [
            {"output_type": "execute_result", "data": {"text/plain": KERAS3.splitlines(True)}}]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(notebook, indent=1, ensure_ascii=False)
    document = summary_audit.parse(text)
    assert len(document.summaries) == 3
    first = document.summaries[0]
    physical = text.splitlines()
    assert "conv2d_9 (Conv2D)" in physical[first.rows[0].line - 1]
    assert all(s.origin == "notebook" for s in document.summaries)


def test_html_page_with_entities() -> None:
    import html
    page = "<html><body><h1>CNN</h1>\n<pre>" + html.escape(KERAS3) + "</pre><p>x &lt; y</p></body></html>"
    assert rows_of(page) == rows_of(KERAS3)


@pytest.mark.parametrize("data,expected", [
    (b"", "empty input"),
    (b"   \n\n", "empty input"),
    (b"just some prose about Keras and layers.\n", "no model summary found"),
    (b"\x00\x01\x02\x03binary\x00\xff" * 10, "binary data"),
    (b"Total params: 12\nTrainable params: 12\n", "no header line"),
])
def test_unreadable_input(data: bytes, expected: str) -> None:
    try:
        document = summary_audit.parse(data)
    except SummaryAuditError as error:
        assert expected in error.message and error.line and error.column
        return
    assert document.summaries == ()
    [error] = document.errors
    assert expected in error.message and error.line and error.column


def test_one_bad_row_keeps_the_others() -> None:
    lines = KERAS2.splitlines()
    bad = next(i for i, line in enumerate(lines) if line.startswith("conv2d_10"))
    lines[bad] = "conv2d_10 (Conv2D)           (None, 72, 72, 64)        1849#6"
    lines[bad] = lines[bad].replace("#", "x")
    [summary] = summary_audit.parse("\n".join(lines)).summaries
    assert len(summary.rows) == 11  # (the bad row kept, its count unknown: degraded per cell)
    [kept] = [row for row in summary.rows if row.line == bad + 1]
    assert kept.name == "conv2d_10" and kept.output_shape == (None, 72, 72, 64) and kept.params is None
    [finding] = [f for f in summary.findings if f.code == "unread-cell"]
    column = lines[bad].index("1849x6") + 1
    assert finding.line == bad + 1 and finding.severity == "warning" and finding.column == column
    assert f"column {column}:" in finding.message and "1849x6" in finding.message
    [audit] = [r for r in summary_audit.audit(summary).rows if r.row.line == bad + 1]
    assert audit.status == "unverified"


def test_a_header_without_a_param_column_is_a_located_error_not_a_crash() -> None:
    text = "Intro\nLayer (type)        Output Shape\n=======================\nconv (Conv2D)   (None, 3)\nTotal params: 12\n"
    document = summary_audit.parse(text)
    assert document.summaries == ()
    [error] = document.errors
    assert error.line == 2 and "Param #" in error.message


def test_each_block_is_repaired_with_its_own_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The block finder cuts each block's text out of the page's rather than joining its
    lines again: what the repairs look through must be exactly the block's lines joined,
    whatever stands around the tables (prose, several tables, a headerless tail, CRLF)."""
    from summary_audit.text import blocks, joined_texts

    seen = []
    repair = blocks.repair_block

    def checked(lines, whole=None):  # type: ignore[no-untyped-def]
        if whole is not None:
            assert whole == joined_texts(lines)
            seen.append(len(lines))
        return repair(lines, whole)

    monkeypatch.setattr(blocks, "repair_block", checked)
    pages = printer_fixtures("*.txt") + printer_fixtures("*.md")
    for path in pages:
        text = path.read_text(encoding="utf-8", errors="replace")
        for variant in (text, "intro\n\n" + text + "\nmore prose\n" + text, text.replace("\n", "\r\n")):
            summary_audit.parse(variant)
    assert len(seen) > len(pages)
