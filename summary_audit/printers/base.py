"""What a printer is: the declared differences of one way Keras printed its summary table.

A `Printer` is a declaration, not code that reads: the header it is told by, whether its
cells are cut at bars or at the header's column starts, its wrapping rule and joiner, how it
marks nested rows, its defaults (GRU's `reset_after`), and which library rebuilds what it
printed. `rows.py` reads every table the same way, asking the table's printer where they
differ; `printers/__init__.py` says, in one place and one order, which printer printed a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Optional, Tuple

from ..model import Format, Row

if TYPE_CHECKING:  # pragma: no cover
    from .layout import Layout

#: the columns a header can name, in the words every generation used (Keras 3 cuts a narrow
#: `Trainable` title: `Traina…`, `Tr…`).
COLUMN_TITLES: Tuple[Tuple[str, "re.Pattern[str]"], ...] = (
    ("layer", re.compile(r"Layer\s*\(\s*type\s*\)|Layer")),
    ("input", re.compile(r"Input\s*Shape")),  # TensorFlow.js prints what enters each layer too
    ("shape", re.compile(r"Output\s*Shape|Output")),
    ("params", re.compile(r"Param\s*#|Param|Params")),
    ("connected", re.compile(r"Connected\s*to|Connected|Receives\s*inputs")),
    ("trainable", re.compile(r"Trai\w*…?|Tr…")),
)
#: the roles in the order every header names them: a line's cells are cut into a tuple of
#: this order, "" for a column the table lacks.
ROLES: Tuple[str, ...] = tuple(role for role, _ in COLUMN_TITLES)
LAYER, INPUT, SHAPE, PARAMS, CONNECTED, TRAINABLE = range(len(ROLES))
#: the bars a delimited table draws between its cells: a box (Keras 3) or markdown.
DELIMITERS = re.compile(r"[┃│|]")
#: what only a box table's header holds.
BOX_CHARS = frozenset("┃│┏┓┡┩━")


class TableLines(NamedTuple):
    """What a printer is told by before its rows are read: the header line and the lines below."""

    header: str
    #: the header's columns as (role, start column), left to right.
    roles: Tuple[Tuple[str, int], ...]
    #: cells cut at bars (`┃ … ┃`, `| … |`) rather than at the header's column starts.
    delimited: bool
    #: the body's lines, joined by newlines.
    body: str
    #: a `____` rule stands between rows (Keras 1 and 2 draw one; tf_keras and later none).
    ruled: bool


class TableRows(NamedTuple):
    """What tells printers of one layout apart once the rows are read."""

    lines: TableLines
    rows: Tuple[Row, ...]
    #: a layer or shape cell continued on the lines below its row.
    wrapped: bool


@dataclass(frozen=True)
class Printer:
    """One printer's declared differences. Subclasses (one a module) say how they are told."""

    #: the report's name of the layout (`Summary.format`).
    format: Format
    #: which layout the printer's tables share: `box`, `bars` or `columns`. Printers of one
    #: layout are read alike and told apart by their rows (`claims_rows`).
    layout: str
    #: an unseparated line holding both a layer cell and a count still continues the row above
    #: when that row's layer piece is not closed by `)` (tf_keras cuts a type mid-word and wraps
    #: the count too: `block_14_expand (Co` / `nv2D)`, `15360` / `0`).
    wraps_names: bool = False
    #: how a wrapped cell's pieces go back together (tf_keras cuts mid-word).
    joiner: str = " "
    #: spaces of indent a nesting level (Keras 3's `└` three places a level); 0: each `└`
    #: is one level below the frame it stands in (tf.keras' `|` frames).
    nest_indent: int = 0
    #: GRU's `reset_after` when the table was printed (None: either).
    gru_reset_after: Optional[bool] = None
    #: the library a model printed this way is rebuilt with.
    rebuild_with: str = "keras"
    #: every layer a `Connected to` cell names is a row of the table (Keras 1 names inputs it
    #: never prints, `dense_input_1`, and the layers of Sequential branches it merges).
    names_every_source: bool = True

    def claims_lines(self, table: TableLines) -> bool:
        """Whether this printer printed the table, told by its lines alone."""
        return False

    def claims_rows(self, table: TableRows) -> bool:
        """Whether this printer printed the table, told by its rows (same layout's printers)."""
        return True

    def layout_for(self, table: TableLines) -> "Layout":
        """The table's layout, built once: its cutter cuts at the bars of a delimited table,
        else at the header's column starts."""
        from .layout import layout_of

        return layout_of(table)


def is_box_header(header: str) -> bool:
    """A Keras 3 box table's header line (`┃ Layer (type) ┃ …`)."""
    return not BOX_CHARS.isdisjoint(header)


_DIGIT = re.compile(r"\d")


def is_rule_between_rows(body: str) -> bool:
    """A `____` rule line with a row above it and a row below it (a row holds its count, a
    digit; the totals below the last row do not count): Keras 1 and 2 draw one after every
    row. Searched in the body's text at C speed; the first rule decides, as a rule."""
    at = body.find("__")
    while at >= 0:
        start = body.rfind("\n", 0, at) + 1
        end = body.find("\n", at)
        end = len(body) if end < 0 else end
        if body[start:end].strip().startswith("__"):
            totals = body.find("params", end)
            if _DIGIT.search(body, 0, start) and _DIGIT.search(body, end, len(body) if totals < 0 else totals):
                return True
        at = body.find("__", end)
    return False
