"""Damage to a paste's text that the reading stage undoes, each kind recorded and reported:
a legacy code page read as the language it holds (the seed pages, re-encoded), stray bytes in a
UTF-8 page, a code widget's spaced tokens, fullwidth punctuation — and every repair made in a
table's lines shown in its JSON report (per summary, per row) and its text report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Tuple

import pytest

import summary_audit
from conftest import FIXTURES, SEEDS, require_seeds
from summary_audit.report import renderer
from summary_audit.report.json import render
from summary_audit.text import decode, decode_page
from summary_audit.text.decoding import plausibility

KERAS2 = (FIXTURES / "samples" / "seed000_keras2.txt").read_text(encoding="utf-8")
KERAS3 = (FIXTURES / "live" / "keras" / "merge_zoo__default.txt").read_text(encoding="utf-8")
WIDGET = FIXTURES / "widget"


def rows_of(data: "str | bytes") -> List[List[Tuple[str, object, object]]]:
    return [[(r.name, r.output_shape, r.params) for r in s.rows] for s in summary_audit.parse(data).summaries]


# ---- encodings ---------------------------------------------------------------------------------

#: the code pages each seed page is saved in, as pages in its language are (Big5: the characters
#: of a simplified page it has; the Russian page in the CJK code pages, which hold Cyrillic).
CHINESE = ("gbk", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be")
RUSSIAN = ("cp1251", "koi8-r", "gbk", "gb18030", "big5", "utf-16")


def _seed_cases() -> List[Tuple[str, str]]:
    if not SEEDS.is_dir():
        return [("missing", "utf-8")]
    cases = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        russian = sum("а" <= ch <= "я" for ch in text) > sum("\u4e00" <= ch <= "\u9fff" for ch in text)
        cases += [(path.name, encoding) for encoding in (RUSSIAN if russian else CHINESE)]
    return cases


@pytest.mark.parametrize("seed,encoding", _seed_cases())
def test_each_seed_page_decodes_back_exactly_from_its_code_pages(seed: str, encoding: str) -> None:
    require_seeds()
    text = (SEEDS / seed).read_text(encoding="utf-8")
    # what the code page can hold of the page (a page saved in it could hold nothing else)
    kept = "".join(ch for ch in text if ch.encode(encoding, errors="ignore") or ch == "\n")
    assert sum(not ch.isascii() for ch in kept) > 100  # the language is there to be read
    assert decode(kept.encode(encoding)) == kept


def test_a_chinese_page_is_not_read_as_cyrillic_letter_pairs() -> None:
    page = "模型的参数数量：卷积层和全连接层。\n" * 3 + KERAS2
    data = page.encode("gbk")
    assert plausibility(data.decode("gb18030")) > 0.9 > 0.1 > plausibility(data.decode("cp1251"))
    assert decode(data) == page and rows_of(data) == rows_of(KERAS2)


def test_a_koi8_russian_page_is_not_read_as_cp1251() -> None:
    page = "Подтвердить что ты не робот. Расчет параметров модели.\n" + KERAS2
    assert decode(page.encode("koi8-r")) == page
    assert decode(page.encode("cp1251")) == page


def test_a_stray_latin1_byte_in_a_utf8_page_is_read_and_recorded() -> None:
    data = KERAS3.encode("utf-8")
    at = data.index(b"(None, 8)")  # a Keras 3 box table: its box characters are UTF-8
    damaged = data[:at] + b"\xe9" + data[at:]
    decoded = decode_page(damaged)
    line = data[:at].count(b"\n") + 1
    column = len(data[data.rfind(b"\n", 0, at) + 1:at].decode()) + 1  # (in characters, as an editor counts)
    assert decoded.text == KERAS3[:len(data[:at].decode())] + "é" + KERAS3[len(data[:at].decode()):]
    assert [(r.kind, r.line, r.column) for r in decoded.repairs] == [("stray-bytes", line, column)]
    document = summary_audit.parse(damaged)
    assert len(document.summaries) == len(rows_of(KERAS3))
    assert ("stray-bytes", line, column) in [(r.kind, r.line, r.column) for r in document.summaries[0].repairs]


def test_an_ascii_page_with_one_latin1_byte_stays_itself() -> None:
    page = KERAS2.replace("sequential_3", "s\xe9quentiel")
    decoded = decode_page(page.encode("latin-1"))
    assert decoded.text == page and [r.kind for r in decoded.repairs] == ["stray-bytes"]


# ---- a code widget's spaced tokens ---------------------------------------------------------------


def _widget_cases() -> List[Tuple[Path, Path]]:
    cases = []
    for path in sorted(WIDGET.glob("*.txt")):
        meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
        cases.append((path, FIXTURES.parent / meta["source"]))
    return cases


@pytest.mark.parametrize("paste,source", _widget_cases(), ids=lambda p: p.stem)
def test_a_widget_paste_reads_no_row_other_than_its_source_printed(paste: Path, source: Path) -> None:
    """Every row read from the widget's text is a row of the real print, as the print reads;
    and the row's line was marked repaired."""
    printed = {row for table in rows_of(source.read_bytes()) for row in table}
    document = summary_audit.parse(paste.read_bytes())
    read = [(r.name, r.output_shape, r.params) for s in document.summaries for r in s.rows]
    assert set(read) <= printed
    for summary in document.summaries:
        repaired = {repair.line for repair in summary.repairs if repair.kind == "spaced-punctuation"}
        assert all(row.line in repaired or row.end_line in repaired for row in summary.rows)


@pytest.mark.parametrize("name", ["tfkeras-2.6_seed000__gutter_table", "tfkeras-2.6_seed000__gutter_inline",
                                  "tfkeras-2.12_seed004__gutter_inline", "keras_merge_zoo__default__gutter_inline"])
def test_a_widget_paste_reads_as_its_source(name: str) -> None:
    meta = json.loads((WIDGET / f"{name}.meta.json").read_text(encoding="utf-8"))
    source = (FIXTURES.parent / meta["source"]).read_bytes()
    paste = (WIDGET / f"{name}.txt").read_bytes()
    assert rows_of(paste) == rows_of(source)
    status = [summary_audit.audit(s).status for s in summary_audit.parse(source).summaries]
    assert [summary_audit.audit(s).status for s in summary_audit.parse(paste).summaries] == status


def test_only_a_table_spaced_throughout_is_repaired() -> None:
    widget = (WIDGET / "tfkeras-2.6_seed000__gutter_inline.txt").read_text(encoding="utf-8")
    plain = KERAS2.replace("(None, 148, 148, 32)", "(None, 148, 148, 32) ( None , 3 )")
    page = plain + "\nprose ( None , 3 ) after the table, 288 , 006\n\n" + widget
    document = summary_audit.parse(page)
    assert len(document.summaries) == 2
    first, second = document.summaries
    assert [r.kind for r in first.repairs] == []  # it holds shapes printed as Keras prints them
    assert {r.kind for r in second.repairs} >= {"spaced-punctuation"}
    assert rows_of(page)[0] == rows_of(plain)[0]


# ---- fullwidth punctuation ---------------------------------------------------------------------


def test_fullwidth_punctuation_in_a_table_becomes_ascii_and_prose_keeps_it() -> None:
    prose = "模型结构如下（参数数量见表）：\n"
    # (one character for one: the columns keep their places, as an input method's would)
    table = KERAS2.replace(",", "，").replace("(None", "（None").replace(")  ", "）  ").replace(":", "：")
    document = summary_audit.parse(prose + table)
    assert rows_of(prose + table) == rows_of(KERAS2)
    kinds = {r.kind for r in document.summaries[0].repairs}
    assert kinds == {"fullwidth-punctuation"}
    assert all(r.line > 1 for r in document.summaries[0].repairs)


# ---- the repairs in the reports ------------------------------------------------------------------


def test_the_reports_show_every_repair_made_in_a_table() -> None:
    data = (WIDGET / "tfkeras-2.6_seed000__gutter_inline.txt").read_bytes()
    document = summary_audit.parse(data)
    audits = [summary_audit.audit(s) for s in document.summaries]
    report = json.loads(render(document, audits))
    summary = report["summaries"][0]
    listed = [(r["kind"], r["line"]) for r in summary["repairs"]]
    assert listed == [(r.kind, r.line) for r in document.summaries[0].repairs] and listed
    assert {kind for kind, _ in listed} == {"line-numbers", "spaced-punctuation"}
    assert [line for _, line in listed] == sorted(line for _, line in listed)
    for row in summary["rows"]:  # each row names the repairs on its lines
        assert {(r["kind"], r["line"]) for r in row["repairs"]} == {
            (kind, line) for kind, line in listed if row["line"] <= line <= row["end_line"]}
    text = renderer("table")(document, audits)
    assert "info: repaired to read it: line-numbers (lines 1-30), spaced-punctuation (lines " in text
    clean = summary_audit.parse(KERAS2)
    clean_report = json.loads(render(clean, [summary_audit.audit(s) for s in clean.summaries]))
    assert clean_report["summaries"][0]["repairs"] == []
    assert all("repairs" not in row for row in clean_report["summaries"][0]["rows"])
