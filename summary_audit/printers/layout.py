"""A table's layout, found once from its header: which column each title starts, and the
cutter that turns each of its lines into cells (`ROLES` order) — at the bars of a box or
markdown table, or at the header's column starts. The per-line cutting is the hot path of
reading a long table: the common line is cut by slices checked in C.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from ..memo import cached
from .base import COLUMN_TITLES, DELIMITERS, ROLES, TableLines
from .titles import IGNORE, TitleRepair, read_titles

#: a table's line → its cells in `ROLES` order (None: not cut into this table's columns).
Cutter = Callable[[str], Optional[Tuple[str, ...]]]


@dataclass(frozen=True)
class Layout:
    """One table's columns and the cutter built for them."""

    #: the roles the header names, left to right.
    roles: Tuple[str, ...]
    delimited: bool
    cut: Cutter
    #: a box drawing a rule between every two rows (Keras 3): a row starts after a rule, and a
    #: line right below a row continues it (rich wraps any cell, Param # too: `0` / `(unb…`).
    rows_after_rules: bool = False
    #: the table was cropped at the console's edge: the `ROLES` indices of its columns at and
    #: past the edge (() : not cropped). Their cells on a row's first line may be all past it
    #: (`…`: a count cut, links unknown).
    open_roles: Tuple[int, ...] = ()


def layout_of(table: TableLines) -> Layout:
    """The layout a header line sets for the lines below it."""
    roles = table.roles
    return Layout(roles=tuple(role for role, _ in roles), delimited=table.delimited,
                  cut=bars_cutter(roles) if table.delimited else columns_cutter(roles))


def header_roles(header: str) -> Tuple[Tuple[str, int], ...]:
    """(role, start column) for each column the header names, left to right: its titles as
    printed, or else as `titles.read_titles` reads them (misread titles, index columns)."""
    return header_reading(header)[0]


def title_repairs(header: str) -> Tuple[TitleRepair, ...]:
    """The titles `header_roles` read other than as printed (none when it read them as printed)."""
    return header_reading(header)[1]


@cached(maxsize=4096)
def header_reading(header: str) -> Tuple[Tuple[Tuple[str, int], ...], Tuple[TitleRepair, ...]]:
    """`header_roles` and `title_repairs` of a header: the printed titles when they cover
    the line's words (or when the tolerant reading cuts the same columns), else the tolerant
    reading, else what the printed titles found (maybe nothing)."""
    strict, covered = _strict_roles(header)
    if strict and covered:
        return strict, ()
    tolerant = read_titles(header)
    if tolerant is not None and DELIMITERS.search(header) is None:
        # (before the layer title of a table cut at columns, a number or a word is a line's
        # mark, not a column: the layer column takes what stands left of it, as a lost margin)
        tolerant = tolerant._replace(roles=tuple(itertools.dropwhile(lambda pair: pair[0] == IGNORE, tolerant.roles)))
    if tolerant is None:
        return strict, ()
    if tolerant.roles == strict:  # (the printed titles cut the same columns: what was misread is said all the same)
        return strict, tolerant.repairs
    return tolerant.roles, tolerant.repairs


def _strict_roles(header: str) -> Tuple[Tuple[Tuple[str, int], ...], bool]:
    """The titles as printed (`COLUMN_TITLES`), and whether they cover every word of the line."""
    text = header
    found: List[Tuple[str, int]] = []
    position = 0
    left = []
    for role, pattern in COLUMN_TITLES:
        match = pattern.search(text, position)
        if match is None:
            continue
        found.append((role, match.start()))
        left.append(text[position:match.start()])
        position = match.end()
    left.append(text[position:])
    roles = [role for role, _ in found]
    if roles[:1] != ["layer"] or "params" not in roles:
        return (), False
    return tuple(found), not any(map(_WORDY.search, left))


#: what makes text between titles a word: a header's leftovers are spaces, bars, `…`.
_WORDY = re.compile(r"[^\W_]")


def is_delimited(header: str, collapsed: bool = False) -> bool:
    """A box table, or a markdown one (`Layer (type) | Output Shape | Param # |`, its outer
    bars optional): cells are cut at the bars, not at columns."""
    stripped = header.strip()
    if not stripped or collapsed:
        return False
    if stripped[0] in "┃│|":
        return True
    roles = header_roles(header)
    return len(roles) > 1 and DELIMITERS.search(header, roles[0][1], roles[1][1]) is not None


def titles_run_together(header: str) -> bool:
    """A header whose titles stand a single space apart, or with words between them
    (`Layer (type) Output Shape Param #`, `Layer (type) - Output Shape`): its spaces were
    squeezed or retyped, so its columns tell nothing about where the rows' cells are."""
    text = header
    starts = [start for _, start in header_roles(header)]
    for start in starts[1:]:
        before = text[:start].rstrip()
        gap = start - len(before)
        if gap < 2 or before.endswith(("-", "–", "—", "/", ",", ";")):
            return True
    return False


def frame_depth(text: str) -> int:
    if "|" not in text:
        return 0
    return text[:len(text) - len(text.lstrip("| "))].count("|")


def _role_order(roles: Sequence[Tuple[str, int]]) -> Tuple[List[str], Callable[[List[str]], Tuple[str, ...]]]:
    """The header's column roles in their order, and what puts a line's cells (one more at the
    end: what a column the table lacks reads) in `ROLES` order."""
    names = [role for role, _ in roles]
    return names, itemgetter(*(names.index(role) if role in names else len(names) for role in ROLES))


def bars_cutter(roles: Sequence[Tuple[str, int]]) -> Cutter:
    """The cells of a box or markdown table's line, cut at its bars, for one header's columns
    (None for a line with another number of cells)."""
    names, in_role_order = _role_order(roles)

    def cells(text: str) -> Optional[Tuple[str, ...]]:
        stripped = text.strip()
        # a box table draws with `│` alone: a plain split, not the regular expression, for its rows
        pieces = DELIMITERS.split(stripped) if "|" in stripped or "┃" in stripped else stripped.split("│")
        if pieces and not pieces[0].strip():
            del pieces[0]
        if pieces and not pieces[-1].strip():
            del pieces[-1]
        if len(pieces) != len(names):
            return None
        if " _" in stripped and (" _ " in text or text.rstrip(" |").endswith(" _")):
            pieces = ["" if piece.strip() == "_" else piece for piece in pieces]  # `_` for an empty cell
        pieces.append("")  # (what a column the table lacks reads)
        return in_role_order(pieces)  # type: ignore[no-any-return]

    return cells


def cropped_bars_cutter(roles: Sequence[Tuple[str, int]]) -> Cutter:
    """`bars_cutter` for a box cropped at the console's edge: a line stops inside its last
    visible column (that cell marked cut, `…`, unless its padding space shows it whole) or at
    a bar before it (the columns past it empty)."""
    names, in_role_order = _role_order(roles)

    def cells(text: str) -> Optional[Tuple[str, ...]]:
        stripped = text.strip()
        pieces = DELIMITERS.split(stripped)
        if pieces and not pieces[0].strip():
            del pieces[0]
        if not pieces or len(pieces) > len(names) + 1:
            return None
        if stripped[-1] in "┃│|":
            del pieces[-1]
        elif pieces[-1].strip() and not text.endswith(" "):
            pieces[-1] = _cut_at_edge(names[len(pieces) - 1], pieces[-1].rstrip())
        if len(pieces) > len(names):
            return None
        pieces.extend([""] * (len(names) + 1 - len(pieces)))  # (past the edge, and a column the table lacks)
        return in_role_order(pieces)  # type: ignore[no-any-return]

    return cells


def _cut_at_edge(role: str, piece: str) -> str:
    """A cell the console's edge cut, marked as its printer marks a cut (`…`): a name or a count;
    links get ` …` (more may follow). A type or shape closed by its bracket is whole; one left
    open the grammar reads as cut already."""
    if role == "connected":
        return piece + " …"
    if role == "params" or (role == "layer" and not piece.endswith(")")):
        return piece + "…"
    return piece


def columns_cutter(roles: Sequence[Tuple[str, int]]) -> Cutter:
    """`_positional_cells` for one header's columns, with a shortcut for the common line: one
    reaching past the last column start, with spaces before every column start and in the
    header's own margin, and no frame. Its cells are then plain slices, cut and checked in C
    (a long table's every line comes here)."""
    names = [role for role, _ in roles]
    starts = [start for _, start in roles]
    blanks = list(range(starts[0])) + [start - 1 for start in starts[1:]]
    probe = itemgetter(*blanks)
    spaces: Union[str, Tuple[str, ...]] = " " if len(blanks) == 1 else (" ",) * len(blanks)
    bounds = dict(zip(names, zip(starts, starts[1:] + [None])))
    # (a column the table lacks: an empty slice)
    slices = itemgetter(*(slice(*bounds[role]) if role in bounds else slice(0, 0) for role in ROLES))
    last = starts[-1]

    def cells(text: str) -> Tuple[str, ...]:
        if len(text) > last and "|" not in text and probe(text) == spaces:
            return slices(text)  # type: ignore[no-any-return]  # (cells keep their padding: each reader strips)
        cut = _positional_cells(text, roles)
        return tuple([cut.get(role, "") for role in ROLES])

    return cells


def _positional_cells(text: str, roles: Sequence[Tuple[str, int]]) -> Dict[str, str]:
    frame = 0
    if "|" in text:
        frame = frame_depth(text)
        text = _unframe(text)
    size = len(text)
    cells: Dict[str, str] = {}
    first_role, first_start = roles[0]
    role, start = first_role, first_start
    first_end = size
    for index in range(1, len(roles)):
        next_role, boundary = roles[index]
        if 0 < boundary < size and text[boundary - 1] != " ":
            boundary = _snap(text, boundary)
        cells[role] = text[start:boundary].rstrip() if start < size else ""
        if index == 1:
            first_end = boundary
        role, start = next_role, boundary
    cells[role] = text[start:].rstrip() if start < size else ""
    if first_start and text[:first_start].strip():  # the paste lost its left margin
        cells[first_role] = text[:first_end].rstrip()
    if frame:
        layer = cells[first_role]
        if not layer[:frame].strip():  # tf_keras' frame pushes the name column right
            cells[first_role] = layer[frame:]
    return cells


_NUMBER_CHARS = frozenset("0123456789,")


def _number_across(text: str, boundary: int) -> Optional[int]:
    """Where a number that a column boundary cuts in two starts, when it stands after a space
    and after no open shape (a right-aligned count an OCR'd screenshot set a place or three
    left: `(None，4096)   16,781,312`); None otherwise."""
    if text[boundary] not in _NUMBER_CHARS or text[boundary - 1] not in _NUMBER_CHARS:
        return None
    start = boundary - 1
    while start > 0 and text[start - 1] in _NUMBER_CHARS and boundary - start < 12:
        start -= 1
    if start == 0 or text[start - 1] != " " or text[:start].rstrip().endswith((",", "(", "[")):
        return None
    return start


def _unframe(text: str) -> str:
    """Blank out tf_keras' `|` frame around nested rows, keeping every column in place."""
    if "|" not in text:
        return text
    body = text.lstrip("| ")
    head = len(text) - len(body)
    kept = body.rstrip("| ")  # (a regex `[| ]*$` searched here would be quadratic in a run of spaces)
    return " " * head + kept + " " * (len(body) - len(kept))


def _snap(text: str, boundary: int) -> int:
    """Move a column boundary onto the gap a cell actually starts after: nested rows shift
    their cells a place or two either way (tf.keras 2.12). A cell printed flush against the
    previous one (Keras 1 cuts without a space) keeps the header's boundary, and so does a
    cell after a shape left open at a comma: the shape ran on into it (`(None, 100, 13, 13, 13`
    then `2800`, printed `13, 132800`)."""
    if boundary <= 0 or boundary >= len(text) or text[boundary - 1] == " ":
        return boundary
    number = _number_across(text, boundary)
    if number is not None:
        return number
    start = boundary - 1
    while start > 0 and text[start - 1] != " " and boundary - start < 3:
        start -= 1
    if start > 0 and text[start - 1] == " " and boundary - start <= 2 and \
            not text[:start].rstrip().endswith((",", "(", "[")):
        return start  # the cell began a place or two early
    for position in (boundary + 1, boundary + 2):
        if position < len(text) and text[position - 1] == " " and text[position] != " ":
            return position
    return boundary


