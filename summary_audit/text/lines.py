"""The records the reading stage hands on (`Line`, `Page`, `Block`, `AppliedRepair`) and what
a line of a summary is: a rule, a header, a totals line, a `Model:` line, a row.

Shared by the repairs and the block finder, and by the layout pass that reads the blocks.
"""

from __future__ import annotations

import re
from functools import partial
from operator import itemgetter
from typing import List, NamedTuple, Optional, Sequence, Tuple

from ..model import AppliedRepair, record


class Line(NamedTuple):
    """A line of text ready for the layout pass, tied to where it stands in the input
    (a named tuple: documents have many lines, and tuples are cheap to make)."""

    number: int
    text: str
    #: cut out of a line that held a whole collapsed table: its column positions mean nothing.
    collapsed: bool = False


class Page(NamedTuple):
    """A document's cleaned lines, and their texts joined by newlines (made once: what the
    block finder searches through at C speed, and cuts each block's text from), with the
    page and line repairs that made them, in the order they ran."""

    lines: List[Line]
    text: str
    repairs: Tuple[AppliedRepair, ...] = ()


@record
class Block:
    """The lines of one candidate table, from its `Model:` line (or header) to its totals."""

    lines: Tuple[Line, ...]
    origin: Optional[str] = None
    #: rows and totals with no header above them: the end of a table, quoted without its top.
    headerless: bool = False
    #: what was repaired to read it: the page's and lines' repairs on its lines (by line),
    #: then the block's own, in the order they ran.
    repairs: Tuple[AppliedRepair, ...] = ()

    def __init__(self, lines: Tuple[Line, ...], origin: Optional[str] = None, headerless: bool = False,
                 repairs: Tuple[AppliedRepair, ...] = ()) -> None:
        state = self.__dict__  # (filled key by key: instances keep sharing their keys)
        state["lines"] = lines
        state["origin"] = origin
        state["headerless"] = headerless
        state["repairs"] = repairs


#: `Line._make` without its Python frame (a long paste has a line per row or two).
new_line = partial(tuple.__new__, Line)
#: a line's text (`map(text_of, lines)`: a C loop).
text_of = itemgetter(1)


def joined_texts(lines: Sequence[Line]) -> str:
    """The lines' texts as one string: what a substring search looks through at C speed,
    rather than a Python loop over a long table's lines."""
    return "\n".join(map(text_of, lines))


def lines_holding(joined: str, word: str) -> List[Tuple[int, int]]:
    """The indexes of the lines that hold `word`, found in the lines joined (`joined_texts`),
    and where each starts there: a long table holds its header's words, or a `#`, on one
    line or a few."""
    found: List[Tuple[int, int]] = []
    line, searched = 0, 0
    position = joined.find(word)
    while position >= 0:
        line += joined.count("\n", searched, position)
        found.append((line, joined.rfind("\n", 0, position) + 1))
        searched = joined.find("\n", position)
        if searched < 0:
            break
        position = joined.find(word, searched)
    return found


# ---- what a line is -----------------------------------------------------------------------------

RULE_CHARS = "_=━─═-¯┏┓┗┛┡┩┳┻╇╋┌┐└┘├┤┬┴┼+|┃│:~ "
#: a markdown table's |---|--:| line (written so that no stretch of spaces can be split two
#: ways: a line of spaces must not cost quadratic time).
MARKDOWN_RULE = r"^(?:\s*\|)?\s*:?-{3,}:?\s*\|(?:\s*:?-{3,}:?\s*\|)*(?:\s*:?-{3,}:?)?\s*$"
#: a line drawn with rule characters only, with a run of five or more somewhere; or a
#: markdown table's rule. `is_rule_line` answers the same, faster.
RULE_LINE = re.compile(r"^(?=.*([_=━─═\-¯~])\1{4,})[" + re.escape(RULE_CHARS) + r"]+$|" + MARKDOWN_RULE)
_MARKDOWN_RULE = re.compile(MARKDOWN_RULE)
_RULE_RUNS = tuple(ch * 5 for ch in "_=━─═-¯~")


def is_rule_line(text: str) -> bool:
    """`RULE_LINE.match(text)`, without a regular expression for the common case."""
    if text and not text.strip(RULE_CHARS) and "\n" not in text:
        for run in _RULE_RUNS:
            if run in text:
                return True
    return "---" in text and "|" in text and _MARKDOWN_RULE.match(text) is not None


#: (`Layer | Output Shape`: a markdown table's header whose first title lost its `(type)`)
HEADER_LINE = re.compile(r"Layer\s*\(\s*type\s*\)|Layer(?:\s{2,}|[ \t]*[|┃│][ \t]*)Output\s+[Ss]hape")
TOTALS_LINE = re.compile(r"(?:Total|Trainable|Non-trainable|Optimizer)\s+params\s*:")
MODEL_LINE = re.compile(r"^\s*Model\s*:")
FENCE_LINE = re.compile(r"^\s*(```|~~~)")


def is_header(text: str) -> bool:
    """A table's header line (its spaces maybe turned into `?` by a cp1252 console)."""
    if "Layer" not in text:
        return False
    return bool(HEADER_LINE.search(text.replace("?", " ")))


def may_hold_a_row(text: str) -> bool:
    """A row holds its count: a line without a digit is not given to the grammar (a page of
    words under a squeezed header would cost a parse a line)."""
    return any(ch.isdigit() for ch in text)


def may_be_row(text: str) -> bool:
    """A row holds a number (its count) and a parenthesis (its type or its shape)."""
    return "(" in text and may_hold_a_row(text)
