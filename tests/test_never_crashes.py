"""Whatever arrives, reading and auditing it ends in a report or a located `SummaryAuditError`,
never another exception. Seeded and bounded for CI; for a longer campaign set the environment
variable SUMMARY_AUDIT_FUZZ_EXAMPLES (e.g. 20000) and run `pytest tests/test_never_crashes.py`."""

from __future__ import annotations

import os
from typing import List

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import summary_audit
from conftest import printer_fixtures
from summary_audit.report import renderer

MAX_EXAMPLES = int(os.environ.get("SUMMARY_AUDIT_FUZZ_EXAMPLES", "300"))
TEXTS: List[str] = [p.read_text(encoding="utf-8") for p in printer_fixtures()][::7]
PIECES = list("()[],'\"…└│┃━─?_=-#0123456789 \n\t") + ["(None, ", "Total params: ", "Layer (type)", "None",
                                                        "9" * 40, "[" * 50, "Param #", "Model: "]


def read_all(data: object) -> None:
    try:
        document = summary_audit.parse(data)  # type: ignore[arg-type]
    except summary_audit.SummaryAuditError as error:
        assert error.message
        return
    audits = [summary_audit.audit(summary) for summary in document.summaries]
    for name in ("json", "table", "markdown"):
        assert renderer(name)(document, audits) is not None


@st.composite
def damaged(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(text)))
        kind = draw(st.integers(0, 3))
        if kind == 0:
            text = text[:where]
        elif kind == 1:
            text = text[:where] + draw(st.sampled_from(PIECES)) + text[where + 1:]
        elif kind == 2:
            text = text[:where] + text[where + draw(st.integers(1, 200)):]
        else:
            text = text[:where] + draw(st.sampled_from(TEXTS))[:draw(st.integers(0, 500))] + text[where:]
    return text


SETTINGS = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_corpus_present() -> None:
    assert len(TEXTS) >= 20


@SETTINGS
@given(damaged())
def test_damaged_fixtures(text: str) -> None:
    read_all(text)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    read_all(data)


@SETTINGS
@given(st.lists(st.sampled_from(PIECES + list("abcXYZ(Conv2D)")), max_size=200))
def test_random_text(pieces: List[str]) -> None:
    read_all("".join(pieces))
