"""Golden reports: every stored summary (samples, legacy and live prints, the corpus) has its
`summary-audit check --json` report beside it, and today's report is byte for byte that file.
The corpus holds what the other fixture folders lack; its mangled pastes are rebuilt from the
clean tables by tests/mangle.py and read back to the same architecture."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import jsonschema
import pytest

import summary_audit
from conftest import FIXTURES, ROOT, golden_module, require_seeds
from mangle import MANGLERS
from summary_audit.diff import diff, render_text

SCHEMA_PATH = ROOT.parent / "shared" / "report.schema.json"
CORPUS = FIXTURES / "corpus"


golden = golden_module()
TEXTS = golden.summary_texts()
REGENERATE = f"regenerate with `{golden.COMMAND}` (then review the diff of the *.report.json files)"


def test_the_corpus_covers_every_kind_of_summary() -> None:
    relative = [p.relative_to(FIXTURES).as_posix() for p in TEXTS]
    for prefix, at_least in [("samples/", 1), ("legacy/keras-1.2.2/", 5), ("legacy/keras-2.3.1/", 5),
                             ("legacy/tfkeras-2.6/", 5), ("legacy/tfkeras-2.12/", 5), ("live/keras/", 8),
                             ("live/tf_keras/", 8), ("corpus/applications/keras/", 2),
                             ("corpus/applications/tf_keras/", 2), ("corpus/regression/keras/", 6),
                             ("corpus/regression/tf_keras/", 6), ("corpus/mangled/", 10)]:
        assert sum(r.startswith(prefix) for r in relative) >= at_least, prefix
    assert any("seed" in r for r in relative) and any("nested" in r for r in relative)
    assert {name for _, name in golden.MANGLED} >= {"collapsed_with_comments", "question_marks", "cp1252_console",
                                                    "html_pre", "cut_before_totals", "crlf"}


@pytest.mark.parametrize("text", TEXTS, ids=[p.relative_to(FIXTURES).as_posix() for p in TEXTS])
def test_golden_report_is_current(text: Path) -> None:
    stored_path = golden.golden_path(text)
    assert stored_path.is_file(), f"no golden report {stored_path.relative_to(ROOT)}; {REGENERATE}"
    stored = stored_path.read_text(encoding="utf-8")
    fresh = golden.report(text)
    if stored != fresh:
        lines = list(difflib.unified_diff(stored.splitlines(), fresh.splitlines(), "golden", "today", lineterm=""))
        pytest.fail(f"{stored_path.relative_to(ROOT)} is stale; {REGENERATE}\n" + "\n".join(lines[:60]),
                    pytrace=False)
    report = json.loads(stored)
    assert report["source"] == text.relative_to(ROOT).as_posix()
    assert report["summaries"], "every stored summary text must hold at least one readable summary"


def test_no_orphan_golden_reports() -> None:
    reports = {p for p in FIXTURES.rglob("*" + golden.REPORT_SUFFIX)}
    assert reports == {golden.golden_path(p) for p in TEXTS}, REGENERATE


def test_golden_reports_follow_the_schema() -> None:
    if not SCHEMA_PATH.is_file():
        require_seeds()  # fails in CI, skips elsewhere
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for text in TEXTS:
        jsonschema.validate(json.loads(golden.golden_path(text).read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize("source,mangler", golden.MANGLED, ids=[f"{s}-{m}" for s, m in golden.MANGLED])
def test_mangled_paste_is_current_and_reads_as_its_clean_table(source: str, mangler: str) -> None:
    clean_text = (FIXTURES / source).read_text(encoding="utf-8")
    target = CORPUS / "mangled" / f"{Path(source).parent.name}__{Path(source).stem}__{mangler}.txt"
    assert target.read_bytes() == MANGLERS[mangler](clean_text).encode("utf-8"), f"{target.name} is stale; {REGENERATE}"
    clean = summary_audit.parse(clean_text).summaries
    damaged = summary_audit.parse(target.read_bytes()).summaries
    assert len(damaged) == len(clean)
    for a, b in zip(clean, damaged):
        result = diff(a, b, strict_names=True)
        assert result.equal, render_text(result)
