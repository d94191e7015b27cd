"""Real printer tables through real markdown and HTML converters (fixtures/markup/, made by
fixtures/generate/markup.py: python-markdown, markdownify, html2text, minify-html) read as the
printer's own output did: the same rows (name, type, shape, Param #), the same verdict on each,
the same totals — compared with the source fixture's stored report, field by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from conftest import FIXTURES, ROOT, golden_module

MARKUP = FIXTURES / "markup"
MANIFEST = json.loads((MARKUP / "manifest.json").read_text(encoding="utf-8"))
golden = golden_module()

#: what a row is read as, and judged: what must not change on the way through a converter.
ROW_FIELDS = ("name", "type", "layer_class", "output_shape", "params", "expected_params", "status")
TOTALS_FIELDS = ("total", "trainable", "non_trainable", "optimizer", "status")


def _reading(report: Dict[str, Any]) -> List[Tuple[Any, ...]]:
    read = []
    for summary in report["summaries"]:
        totals = summary.get("totals") or {}
        read.append((summary.get("model_name"), tuple(tuple(row.get(f) for f in ROW_FIELDS) for row in summary["rows"]),
                     tuple(totals.get(f) for f in TOTALS_FIELDS), summary.get("status")))
    return read


def test_the_fixtures_are_there() -> None:
    fixtures = MANIFEST["fixtures"]
    assert len(fixtures) >= 60 and all((MARKUP / name).is_file() for name in fixtures)
    assert {entry["chain"] for entry in fixtures.values()} >= {"fenced", "paragraphs", "table", "table-bold",
                                                                "table-colspan"}
    assert {name.rsplit(".", 2)[-2] for name in fixtures if name.endswith(".md")} == {"markdownify", "html2text"}


@pytest.mark.parametrize("name", sorted(MANIFEST["fixtures"]))
def test_converted_fixture_reads_as_the_print(name: str) -> None:
    source = ROOT / MANIFEST["fixtures"][name]["source"]
    expected = json.loads(golden.golden_path(source).read_text(encoding="utf-8"))
    report = json.loads(golden.report(MARKUP / name))
    assert report["summaries"], report["errors"]
    assert _reading(report) == _reading(expected)
    assert not [f for s in report["summaries"] for f in s["findings"] if f["severity"] == "error"]


# ---- what a page's markup does around a print (the print itself real, the page around it minimal) ----

KERAS2 = (FIXTURES / "samples" / "seed000_keras2.txt").read_text(encoding="utf-8")
KERAS3 = (FIXTURES / "samples" / "keras3_functional_variants.txt").read_text(encoding="utf-8")


def _read(text: str) -> List[Tuple[Any, ...]]:
    import summary_audit

    return [(s.model_name, [(r.name, r.type, r.output_shape, r.params) for r in s.rows], s.totals and
             (s.totals.total, s.totals.trainable, s.totals.non_trainable)) for s in summary_audit.parse(text).summaries]


def _escaped_lines(text: str) -> List[str]:
    import html

    return [html.escape(line) for line in text.rstrip("\n").split("\n")]


@pytest.mark.parametrize("print_text", [KERAS2, KERAS3], ids=["keras2", "keras3"])
def test_script_and_style_text_is_not_read(print_text: str) -> None:
    """A page that also carries its text in scripts (JSON-LD's articleBody; a copy button's
    template literal, line for line) and a style sheet."""
    page = ("<html><head><style>\npre { font: 12px monospace; }\n/* Total params: 1 */\n</style>\n"
            '<script type="application/ld+json">' + json.dumps({"articleBody": print_text}) + "</script>\n"
            "<script>\nconst copied = `" + print_text.replace("`", "") + "`;\n</script>\n</head><body><pre>" +
            "\n".join(_escaped_lines(print_text)) + "</pre></body></html>")
    assert _read(page) == _read(print_text)


@pytest.mark.parametrize("joiner", ["<br>", "<br/>", "</p><p>", "</div><div>", '</span><span class="line">'],
                         ids=["br", "br-closed", "p", "div", "span-line"])
def test_one_element_a_line_on_one_source_line(joiner: str) -> None:
    """A page's editor put each printed line in an element of its own, all on one line of source."""
    opening = {"</p><p>": "<p>", "</div><div>": "<div>", '</span><span class="line">': '<span class="line">'}
    page = ("<html><body><pre>" + opening.get(joiner, "") + joiner.join(_escaped_lines(KERAS2)) +
            {"</p><p>": "</p>", "</div><div>": "</div>"}.get(joiner, "</span>" if "span" in joiner else "") +
            "</pre></body></html>")
    assert "\n" not in page and _read(page) == _read(KERAS2)


def test_a_print_inside_a_layout_table_keeps_its_lines() -> None:
    """An old blog's layout table: one cell holds the print in a `<pre>`; it is not one row of cells."""
    page = ("<table><tr><td>Menu</td><td><pre>" + "\n".join(_escaped_lines(KERAS2)) + "</pre></td></tr></table>")
    assert _read(page) == _read(KERAS2)


MARKUP_REPAIRS = {"markdown-escapes", "html-entities", "code-spans", "totals-in-cells", "thematic-breaks",
                  "reflowed-totals", "markdown-bold"}


def test_every_markup_repair_is_what_a_real_converter_needs() -> None:
    """Each markup repair is recorded on the blocks of some converted fixture (a converter's
    damage it undoes), and on none of the prints they came from."""
    from summary_audit.text import clean_lines, decode, document_lines, find_blocks

    def kinds(path: Path) -> set:
        lines, origin = document_lines(decode(path.read_bytes()))
        return {repair.kind for block in find_blocks(clean_lines(lines), origin) for repair in block.repairs}

    used = set().union(*(kinds(MARKUP / name) for name in MANIFEST["fixtures"]))
    assert used >= MARKUP_REPAIRS
    sources = {entry["source"] for entry in MANIFEST["fixtures"].values()}
    assert not set().union(*(kinds(ROOT / source) for source in sources)) & MARKUP_REPAIRS
