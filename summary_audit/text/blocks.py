"""Cleaned lines → blocks: every stretch of a page that holds one table, from its `Model:`
line (or its header) to its totals, each repaired by the block repairs; and the rows that
stand outside every table without a header above them (the end of a table quoted with its
totals, a few layers from the middle of one).

Searched through the page's joined text (substring searches at C speed) rather than line by
line: a long table is thousands of lines, its header and totals a few.
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import List, Optional, Sequence, Tuple

from ..printers.keras3 import HEADER_BOXES
from .lines import (FENCE_LINE, MODEL_LINE, TOTALS_LINE, AppliedRepair, Block, Line, Page, is_header, is_rule_line,
                    joined_texts, lines_holding, may_be_row)
from ..printers.titles import HEADER_WORDS, looks_like_header
from .repairs import repair_block


def find_blocks(page: Page, origin: Optional[str] = None) -> List[Block]:
    """Every stretch of lines that holds one table, each from its header to its totals."""
    lines, text = page.lines, page.text
    headers = [(i, at) for i, at in lines_holding(text, "Layer") if is_header(lines[i].text)]
    headers = _with_misread_headers(lines, text, headers)
    blocks: List[Block] = []
    spans: List[Tuple[int, int]] = []
    for k, (header, at) in enumerate(headers):
        start = _block_start(lines, header, blocks[-1] if blocks else None)
        limit, limit_at = headers[k + 1] if k + 1 < len(headers) else (len(lines), len(text) + 1)
        first, first_at = _first_line_holding(text, header, at, limit, limit_at, BLOCK_END_WORDS)
        end = _block_end(lines, header, limit, first)
        # (the block's text is cut from the page's, not joined again)
        start_at = _line_start(text, header, at, start)
        end_at = limit_at if end == limit else _line_start(text, first, first_at, end)
        blocks.append(_block(page, start, end, origin, text[start_at:end_at - 1]))
        spans.append((start, end))
    tails = [(span, _block(page, span[0], span[1], origin, headerless=True))
             for span in _headerless_spans(lines, spans)]
    if not tails:
        return blocks
    return [block for _, block in sorted(list(zip(spans, blocks)) + tails, key=lambda item: item[0])]


def _with_misread_headers(lines: Sequence[Line], text: str, headers: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """The headers found, and those whose titles were misread (`printers.titles`: an OCR'd
    screenshot's `Layer (tvpe)  0utput Shape  Parans #`, a retyped `Layer (Type)`), looked
    for on the lines holding `ayer` or `Para` that are not headers already."""
    found = {i for i, _ in headers}
    misread = [(i, at) for word in HEADER_WORDS for i, at in lines_holding(text, word)
               if i not in found and looks_like_header(lines[i].text)]
    return sorted(set(headers + misread)) if misread else headers


def _block(page: Page, start: int, end: int, origin: Optional[str], whole: Optional[str] = None,
           headerless: bool = False) -> Block:
    """The page's lines `start:end` as a block, through the block repairs (`whole`: their
    texts joined, if known), with every repair that touched them."""
    lines, repairs = repair_block(list(page.lines[start:end]), whole)
    if page.repairs and start < end:
        repairs = _repairs_within(page.repairs, page.lines[start].number, page.lines[end - 1].number) + repairs
    return Block(lines=tuple(lines), origin=origin, headerless=headerless, repairs=repairs)


def _repairs_within(repairs: Sequence[AppliedRepair], first: int, last: int) -> Tuple[AppliedRepair, ...]:
    """The page's and lines' repairs on lines `first` to `last` (line numbers never go down
    along a page), by line."""
    return tuple(sorted((repair for repair in repairs if first <= repair.line <= last), key=itemgetter(1)))


def _headerless_spans(lines: Sequence[Line], spans: Sequence[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Rows outside every table, without a header: the end of a table quoted with its totals
    (an issue showing a model's last layers), reaching back from the totals over rules, blank
    lines and lines holding a number; or a run of at least three lines that read like rows
    (a few layers from the middle of a table)."""
    found: List[Tuple[int, int]] = []
    bounds = [0] + [i for span in spans for i in span] + [len(lines)]
    for low, high in zip(bounds[::2], bounds[1::2]):
        i = floor = low  # (no reaching back above `floor`: what a totals line or a table ended)
        while i < high:
            text = lines[i].text
            if "params" in text and TOTALS_LINE.search(text):
                start = _rows_above(lines, i, floor)
                end = _block_end(lines, start - 1, high) if start < i else i + 1
                if start < i < end and any(may_be_row(lines[k].text) for k in range(start, i)):
                    found.append((start, end))
                floor = max(end, i + 1)
            elif len(text) <= MAX_ROW_LIKE and ROW_LIKE.match(text):
                end, rows = _row_run(lines, i, high)
                if rows >= 3 and end > i:
                    found.append((i, end))
                    floor = end
            else:
                end = i + 1
            i = max(end, i + 1)
    return found


def _row_run(lines: Sequence[Line], start: int, high: int) -> Tuple[int, int]:
    """Where a run of rows that starts at `start` ends (rules, blank lines and a wrapped
    cell's indented lines may stand between them), and how many rows it holds; totals
    below it end it there, with the totals in it."""
    end, rows, blanks = start, 0, 0
    for j in range(start, high):
        text = lines[j].text
        if "params" in text and TOTALS_LINE.search(text):
            return _block_end(lines, start - 1, high), max(rows, 3)
        if len(text) <= MAX_ROW_LIKE and ROW_LIKE.match(text):
            end, rows, blanks = j + 1, rows + 1, 0
        elif not text.strip():
            blanks += 1
            if blanks == 3:
                break
        elif is_rule_line(text) or text[:1] in " \t|" or LINKS_ONLY.fullmatch(text):
            # a rule, a wrapped cell's piece, a nested frame, a row's next reference
            if end == j and rows:
                end = j + 1  # (the last row's wrapped pieces belong to it)
        else:
            break
    return end, rows


#: a line that reads like a row, for rows that came without a header to say where its cells
#: are: a name with its type, a shape, a count, maybe references (used only to find the rows
#: and their columns; the grammar reads them). Bounded repeats: linear on any line.
ROW_LIKE = re.compile(r"[ \t│┃|]{0,40}(?P<name>[^\s()│┃|]{1,200}) ?\([A-Za-z][\w.…]{0,80}\)?"
                      r"[ \t│┃|]{1,80}(?P<shape>\[?\((?:None|\d)[^()\[\]\n]{0,200}\)?"
                      r"(?:, ?\((?:None|\d)[^()\[\]\n]{0,200}\)?){0,20}\]?,?|multiple)"
                      r"[ \t│┃|]{1,80}(?P<count>\d[\d,]{0,40})"
                      r"(?:[ \t│┃|]{1,80}(?P<links>\[\]|\[?'?[^\s\[\]',]{1,200}\[\d{1,9}\]\[\d{1,9}\].*))?"
                      r"[ \t│┃|]*$")
MAX_ROW_LIKE = 1000
#: a line of `Connected to` references alone (`leaky_re_lu_3[0][0]`, `'add_1[0][0]']`).
LINKS_ONLY = re.compile(r"[ \t]*(?:\[?'?[^\s\[\]',()]+\[\d{1,9}\]\[\d{1,9}\]'?\]?,?[ \t]*)+")


def _rows_above(lines: Sequence[Line], totals: int, floor: int) -> int:
    """Where the rows above a totals line begin: up over lines that may be rows, rules and
    blank lines, to a line of words, or three blank lines in a row."""
    start, blanks = totals, 0
    while start > floor:
        text = lines[start - 1].text
        if not text.strip():
            blanks += 1
            if blanks == 3:
                break
        elif is_rule_line(text) or may_be_row(text):
            blanks = 0
        else:
            break
        start -= 1
    while start < totals and not lines[start].text.strip():
        start += 1
    return start


#: the bars a box header stands between.
HEADER_BARS = frozenset(bar for _, _, bar, _ in HEADER_BOXES)


def _block_start(lines: Sequence[Line], header: int, previous: Optional[Block]) -> int:
    """Reach back from the header over rules and blank lines to a `Model:` line."""
    floor = 0
    if previous is not None and previous.lines:
        last_number = previous.lines[-1].number
        floor = next((i + 1 for i in range(header - 1, -1, -1) if lines[i].number <= last_number
                      and lines[i] is previous.lines[-1]), 0)
    start = header
    fenced = False  # (past a fence only a `Model:` line moves the start: one printed apart, in a code block of its own)
    bar = lines[header].text.lstrip()[:1]
    for i in range(header - 1, max(floor, header - 6) - 1, -1):
        text = lines[i].text.replace("?", " ").strip()
        if MODEL_LINE.match(lines[i].text):
            return i
        fence = FENCE_LINE.match(text) is not None
        if text and not fence and not is_rule_line(lines[i].text.replace("?", "━")) and not _header_above(text, bar):
            break
        fenced = fenced or fence
        if not fenced:
            start = i
    return start


def _header_above(text: str, bar: str) -> bool:
    """The first lines of a box header rich wrapped (`┃ │ Output ┃ Param ┃` above `┃ Layer (type) ┃ Shape ┃ # ┃`)."""
    return bar in HEADER_BARS and text[:1] == bar and not any(ch.isdigit() for ch in text)


def _block_end(lines: Sequence[Line], header: int, limit: int, first: Optional[int] = None) -> int:
    """After the last totals line, or before the next table, a fence or a `Model:` line
    (`first`: the first line below the header holding one of `BLOCK_END_WORDS`, if known)."""
    seen_totals = False
    if first is None:
        first = _first_holding(lines, header + 1, limit, BLOCK_END_WORDS)
    for i in range(first, limit):
        text = lines[i].text
        if "params" in text and TOTALS_LINE.search(text):
            seen_totals = True
            continue
        if seen_totals:
            if is_rule_line(text) or not text.strip() or _fence_before_totals(lines, i, limit):
                continue  # (a fence: the next totals line in a code block of its own)
            return i
        if _is_fence(text) and not _totals_follow(lines, i + 1, limit) or "Model" in text and MODEL_LINE.match(text):
            return i
    return limit


def _is_fence(text: str) -> bool:
    return ("```" in text or "~~~" in text) and FENCE_LINE.match(text) is not None


def _fence_before_totals(lines: Sequence[Line], index: int, limit: int) -> bool:
    return _is_fence(lines[index].text) and _totals_follow(lines, index + 1, limit)


#: what a line that can end a block holds (a totals line, a fence's first character, a
#: `Model:` line). (A fence is looked for by one character: a search for a single character
#: is many times faster than one for a word of a repeated character.)
BLOCK_END_WORDS = ("params", "`", "~", "Model")


def _first_holding(lines: Sequence[Line], start: int, limit: int, words: Sequence[str]) -> int:
    """The first line from `start` that holds one of `words` (`limit` if none). Searched a
    stretch at a time, each twice the last: what is near costs little (headerless tables
    one after another would otherwise each join the rest of the page), a long table O(n)."""
    stretch = 64
    while start < limit:
        stop = min(limit, start + stretch)
        joined = joined_texts(lines[start:stop])
        found = [position for position in map(joined.find, words) if position >= 0]
        if found:
            return start + joined.count("\n", 0, min(found))
        start, stretch = stop, stretch * 2
    return limit


def _first_line_holding(text: str, header: int, at: int, limit: int, limit_at: int, words: Sequence[str]
                        ) -> Tuple[int, int]:
    """`_first_holding` over a page's text: the first line below the header (whose line
    starts at `at`) and above line `limit` (at `limit_at`) that holds one of `words`, and
    where it starts; `(limit, limit_at)` if none does."""
    below = text.find("\n", at) + 1
    if not below or below >= limit_at:
        return limit, limit_at
    found = [position for position in (text.find(word, below, limit_at - 1) for word in words) if position >= 0]
    if not found:
        return limit, limit_at
    position = min(found)
    return header + 1 + text.count("\n", below, position), text.rfind("\n", 0, position) + 1


def _line_start(text: str, known: int, known_at: int, index: int) -> int:
    """Where line `index` starts in a page's text, stepped to from line `known` (starting at
    `known_at`), a few lines away."""
    at = known_at
    for _ in range(index, known):
        at = text.rfind("\n", 0, at - 1) + 1
    for _ in range(known, index):
        at = text.find("\n", at) + 1
    return at


def _totals_follow(lines: Sequence[Line], start: int, limit: int) -> bool:
    """A fence closed too early (a page that put the box in a code block, its totals below,
    maybe each in a code block of its own: a notebook's outputs, one a print)."""
    for i in range(start, min(start + 4, limit)):
        text = lines[i].text
        if text.strip() and not FENCE_LINE.match(text):
            return "params" in text and TOTALS_LINE.search(text) is not None
    return False
