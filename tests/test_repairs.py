"""The paste repairs as a registry: each repair that changed a line is recorded on the block
it touched, and the "nothing to repair" check is derived from the triggers, so a repair
added to the registry runs without anything else changing."""

from __future__ import annotations

from typing import Dict, List, Set

import pytest

import mangle
import summary_audit
from conftest import FIXTURES
from summary_audit import text
from summary_audit.text import repairs

KERAS2 = (FIXTURES / "samples" / "seed000_keras2.txt").read_text(encoding="utf-8")
KERAS3 = (FIXTURES / "samples" / "keras3_functional_variants.txt").read_text(encoding="utf-8")


def blocks_of(page_text: str) -> List[text.Block]:
    lines, origin = text.document_lines(page_text)
    return text.find_blocks(text.clean_lines(lines), origin)


def lines_repaired(block: text.Block, kind: str) -> Set[int]:
    return {repair.line for repair in block.repairs if repair.kind == kind}


def input_lines(page_text: str) -> Dict[int, str]:
    return dict(enumerate(page_text.split("\n"), start=1))


def rows_of(page_text: str) -> list:
    return [[(r.name, r.output_shape, r.params) for r in s.rows] for s in summary_audit.parse(page_text).summaries]


@pytest.mark.parametrize("sample", [KERAS2, KERAS3], ids=["keras2", "keras3"])
def test_a_clean_table_records_no_repair(sample: str) -> None:
    assert [block.repairs for block in blocks_of(sample)] == [()] * len(blocks_of(sample))


def test_a_tab_damaged_table_records_tabs_on_the_lines_that_held_them() -> None:
    damaged = mangle.tabs(KERAS2)
    assert damaged is not None
    [block] = blocks_of(damaged)
    numbers = {line.number for line in block.lines}
    tabbed = {number for number, line in input_lines(damaged).items() if "\t" in line and number in numbers}
    assert len(tabbed) >= 10
    assert lines_repaired(block, "tabs") == tabbed
    assert {repair.kind for repair in block.repairs} == {"tabs"}
    assert rows_of(damaged) == rows_of(KERAS2)


def test_a_quoted_table_records_quote_prefix_on_every_line() -> None:
    damaged = mangle.quoted(KERAS2)
    assert damaged is not None
    [block] = blocks_of(damaged)
    quoted = {line.number for line in block.lines if input_lines(damaged)[line.number].startswith("> ")}
    assert len(quoted) == len(KERAS2.splitlines())
    assert lines_repaired(block, "quote-prefix") == quoted
    assert rows_of(damaged) == rows_of(KERAS2)


def test_a_cp1252_box_table_records_question_marks_on_its_lines() -> None:
    damaged = mangle.cp1252_console(KERAS3)
    assert damaged is not None
    found = blocks_of(damaged)
    assert len(found) == 2
    for block in found:
        marked = {line.number for line in block.lines if "?" in input_lines(damaged)[line.number]}
        assert len(marked) > 20
        assert lines_repaired(block, "question-marks") == marked
    assert rows_of(damaged) == rows_of(KERAS3)


def test_page_and_block_repairs_are_recorded_too() -> None:
    numbered = mangle.line_numbers(KERAS2)
    wrapped = mangle.collapsed_with_comments(KERAS2)
    assert numbered is not None and wrapped is not None
    [block] = blocks_of(numbered)
    assert lines_repaired(block, "line-numbers") == set(range(1, len(KERAS2.splitlines()) + 1))
    [block] = blocks_of(wrapped)
    assert lines_repaired(block, "collapsed-table") == {1}
    page = text.clean_lines(text.document_lines(numbered)[0])
    assert {repair.kind for repair in page.repairs} == {"line-numbers"}


#: a character no built-in repair looks for: where a console dropped a separator mark.
UNKNOWN_DAMAGE = "\u2063"


def test_a_new_line_repair_runs_where_the_old_early_check_would_have_returned(monkeypatch: pytest.MonkeyPatch
                                                                               ) -> None:
    """A Keras 3 box paste is not ASCII, holds no tab, no `>`, no `**`, no space look-alike
    and no line over 120 characters: the hand-kept early check returned the page as it was.
    A repair registered alone must still run on it."""
    damaged = KERAS3.replace("conv2d (Conv2D)  ", "conv2d" + UNKNOWN_DAMAGE + " (Conv2D) ")
    assert damaged.count(UNKNOWN_DAMAGE) == 2 and not damaged.isascii()
    whole = damaged.rstrip("\n")
    widest = max(map(len, whole.split("\n")))
    assert "\t" not in whole and ">" not in whole and "**" not in whole and widest <= 120
    assert not any(repair.trigger.may_hold(whole, widest) for repair in repairs.REPAIRS if repair.scope == "line")
    assert not any(repair.trigger.may_hold(UNKNOWN_DAMAGE) for repair in repairs.REPAIRS if repair.trigger.reads_text)
    assert rows_of(damaged) != rows_of(KERAS3)  # (unrepaired: the name keeps the mark)

    dummy = repairs.Repair("separator-mark", "line", repairs.Trigger((UNKNOWN_DAMAGE,)),
                           lambda line: line.replace(UNKNOWN_DAMAGE, " "))
    monkeypatch.setattr(repairs, "REPAIRS", repairs.REPAIRS + (dummy,))
    found = blocks_of(damaged)
    marked = {number for number, line in input_lines(damaged).items() if UNKNOWN_DAMAGE in line}
    assert {repair.line for block in found for repair in block.repairs if repair.kind == "separator-mark"} == marked
    assert rows_of(damaged) == rows_of(KERAS3)


def test_a_new_block_repair_runs_in_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: List[int] = []

    def count_lines(lines: List[text.Line], whole: str) -> List[text.Line]:
        assert whole == text.joined_texts(lines)
        seen.append(len(lines))
        return lines

    dummy = repairs.Repair("counted", "block", repairs.Trigger(("Layer",)), count_lines)
    monkeypatch.setattr(repairs, "REPAIRS", repairs.REPAIRS + (dummy,))
    found = blocks_of(KERAS3)
    assert seen == [len(block.lines) for block in found] and all(block.repairs == () for block in found)


def test_a_trigger_checks_its_cheap_parts_before_its_test() -> None:
    calls: List[str] = []

    def test(line: str) -> bool:
        calls.append(line)
        return True

    trigger = repairs.Trigger(("*", "**"), test=test)
    assert not trigger.fires("a * b") and calls == []
    assert trigger.fires("**5130**") and calls == ["**5130**"]
    assert repairs.Trigger(any_of="\u00a0\u3000").may_hold("plain ascii") is False
    assert repairs.Trigger(wider_than=5).may_hold("short\nmuch longer") is True
    with pytest.raises(AttributeError):
        trigger.needles = ()  # type: ignore[misc]
