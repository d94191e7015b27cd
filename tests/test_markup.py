"""Real printer tables through real markdown and HTML converters (fixtures/markup/, made by
fixtures/generate/markup.py: python-markdown, markdownify, html2text, minify-html) read as the
printer's own output did: the same rows (name, type, shape, Param #), the same verdict on each,
the same totals — compared with the source fixture's stored report, field by field."""

from __future__ import annotations

import json
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
