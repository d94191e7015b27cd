"""The real pastes of fixtures/pastes/dev read as their readers counted them: every table found,
every layer row read (a name and a Param #), no false alarm on a table whose sidecar names no
wrong number. (fixtures/pastes/heldout is never read by a test: benchmarks/pastes.py measures it.)

A paste that is not read right yet is listed in KNOWN with what is still wrong: a strict xfail,
so that the paste that starts passing must be taken off the list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List

import pytest

import summary_audit
from conftest import FIXTURES

DEV = FIXTURES / "pastes" / "dev"
PASTES = sorted(DEV.glob("*.txt"))

#: paste → what is still read wrong in it.
KNOWN: Dict[str, str] = {
    "022_keras-site-gemma-lora": "a Keras-Hub preprocessor table (`Tokenizer (type)`, `Vocab #`) is not read as a table",
    "108_claire-chang-code-widget": "spaces inserted around punctuation (`( None , 30 )`, `288 , 006`, `= = =`)",
    "122_md-table-hand-summary-vgg16": "a hand-written table: rows named in words, another table between rows and totals",
}


def test_the_dev_corpus_is_there() -> None:
    assert len(PASTES) >= 70
    assert all(path.with_suffix(".meta.json").is_file() for path in PASTES)


def _rows_read(summary: "summary_audit.model.Summary") -> int:
    return sum(1 for row in summary.rows if row.name and row.params is not None)


def _cases() -> List["pytest.param"]:
    return [pytest.param(path, id=path.stem, marks=[pytest.mark.xfail(strict=True, reason=KNOWN[path.stem])]
                         if path.stem in KNOWN else []) for path in PASTES]


def test_every_known_failure_is_a_paste() -> None:
    assert set(KNOWN) <= {path.stem for path in PASTES}


@pytest.mark.parametrize("path", _cases())
def test_paste_reads_as_counted(path: Path) -> None:
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    document = summary_audit.parse(path.read_bytes(), path.name)
    assert len(document.summaries) == meta["summaries"], document.errors
    counted: List[int] = meta["rows"]
    assert sorted(map(_rows_read, document.summaries)) == sorted(counted)


#: paste → why a correct row or total in it is still called wrong (issue 16): strict xfails.
FALSE_ALARMS: Dict[str, str] = {
    "022_keras-site-gemma-lora": "a Keras-Hub table's totals beside its preprocessor table",
    "080_rkeras-2018-functional-html": "an HTML table whose Connected to cells lost their alignment",
}


def _alarm_cases() -> List["pytest.param"]:
    return [pytest.param(path, id=path.stem, marks=[pytest.mark.xfail(strict=True, reason=FALSE_ALARMS[path.stem])]
                         if path.stem in FALSE_ALARMS else []) for path in PASTES]


@pytest.mark.parametrize("path", _alarm_cases())
def test_no_false_alarm(path: Path) -> None:
    """Every number called wrong is one the sidecar's `wrong` list names (a real typo the
    page printed), and every one it names is called wrong."""
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    document = summary_audit.parse(path.read_bytes(), path.name)
    called = set()
    for summary in document.summaries:
        audit = summary_audit.audit(summary)
        called |= {r.row.name for r in audit.rows if r.status == "mismatch"}
        called |= {"Total params"} if audit.totals.status == "mismatch" else set()
    assert called == {wrong["layer"] for wrong in meta.get("wrong", ())}

