"""The layout pass: a block of lines → a `Summary` of parsed rows.

Each table's layout is found once (a box table's delimiters, or the column starts its header
line names); every line is then cut into cells, wrapped cells are stitched back together,
and each cell is read by the grammar (memoized). A line whose layout was lost — a collapsed
table, columns no longer aligned — is read whole by the grammar's `rows` rule instead.
"""

from __future__ import annotations

import re
from functools import partial
from operator import itemgetter
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple, Union

from .errors import SummaryAuditError
from .grammar import (CellError, LayerCell, ParamsCell, ShapeCell, StreamRow, TotalsLine,
                      layer_cell_parts, parse_cell, read_connected_cell, read_shape_cell)
from .layers import REGISTRY
from .model import Document, Finding, Format, Inbound, OutputShape, ReadError, Row, Summary, Totals, record
from .normalize import (FENCE_LINE, LINKS_ONLY, MODEL_LINE, ROW_LIKE, TOTALS_LINE, Block, Line, clean_lines, decode,
                        document_lines, joined_texts, may_hold_a_row,
                        find_blocks, is_rule_line)
from .speed import paused_gc

#: the columns a header can name, in the words each generation used.
COLUMN_TITLES: Tuple[Tuple[str, "re.Pattern[str]"], ...] = (
    ("layer", re.compile(r"Layer\s*\(\s*type\s*\)|Layer")),
    ("shape", re.compile(r"Output\s*Shape|Output")),
    ("params", re.compile(r"Param\s*#|Param|Params")),
    ("connected", re.compile(r"Connected\s*to|Connected")),
    ("trainable", re.compile(r"Trai\w*…?|Tr…")),
)
#: the roles in the order every header names them (`COLUMN_TITLES`): a line's cells are cut
#: into a tuple of this order, "" for a column the table lacks.
ROLES: Tuple[str, ...] = tuple(role for role, _ in COLUMN_TITLES)
LAYER, SHAPE, PARAMS, CONNECTED, TRAINABLE = range(len(ROLES))
#: the cells of a line that are not cut into columns (read whole, or not a row).
NO_CELLS: Tuple[str, ...] = ()
CELL_START = {"layer": "layer_cell", "shape": "shape_cell", "params": "params_cell",
              "connected": "connected_cell", "trainable": "trainable_cell"}
DELIMITERS = re.compile(r"[┃│|]")
#: the characters a rule line can begin with (after spaces); others are never rules.
RULE_STARTS = frozenset("_=━─═-¯~┏┓┗┛┡┩┳┻╇╋┌┐└┘├┤┬┴┼+|┃│:")
BOX_CHARS = set("┃│┏┓┡┩━")
NEST_INDENT = re.compile(r"^(\s*)└")


class _RawRow:
    """A row's cell texts as cut from its lines, before the grammar reads them (slots: a long
    table holds one a row at once). Cells are tuples in `ROLES` order (a dict a line cost
    more than cutting it)."""

    __slots__ = ("line", "end_line", "cells", "wrapped", "depth", "text", "foreign")

    def __init__(self, line: int, end_line: int, cells: Tuple[str, ...], depth: int = 0, text: str = "",
                 foreign: bool = False) -> None:
        self.line = line
        self.end_line = end_line
        #: the cells on the row's first line, in `ROLES` order (NO_CELLS: read whole).
        self.cells = cells
        #: role index → the pieces of the cell wrapped onto the lines below (most rows have none).
        self.wrapped: Optional[Dict[int, List[str]]] = None
        self.depth = depth
        self.text = text
        #: a line that fits no row: prose after a cut-off table, or a damaged row inside one.
        self.foreign = foreign

    def last_piece(self, role: int) -> str:
        """A cell's last piece: on the last line that held some of it."""
        below = self.wrapped.get(role) if self.wrapped else None
        return below[-1] if below else self.cells[role]

    def joined_cells(self, joiner: str) -> Tuple[str, ...]:
        """Every cell's text, its wrapped pieces joined."""
        if not self.wrapped:
            return self.cells
        cells = list(self.cells)
        for role, below in self.wrapped.items():
            cells[role] = _join(cells[role], below, joiner)
        return tuple(cells)


@record
class _Layout:
    """A table's layout: its generation's format, and its columns."""

    format: Format
    delimited: bool
    #: role → start column (positional layouts), or the roles in cell order (delimited).
    roles: Tuple[str, ...]

    def __init__(self, format: Format, delimited: bool, roles: Tuple[str, ...]) -> None:
        state = self.__dict__  # (filled key by key: instances keep sharing their keys)
        state["format"] = format
        state["delimited"] = delimited
        state["roles"] = roles

    @property
    def joiner(self) -> str:
        """How a wrapped cell's pieces go back together: tf_keras cuts mid-word."""
        return "" if self.format == "keras2-wrapped" else " "


# ---- entry points ------------------------------------------------------------------------------


@paused_gc()
def parse(data: Union[str, bytes], source: Optional[str] = None) -> Document:
    """Every summary table in a paste, a document or a notebook, with what could not be read."""
    text = decode(data) if isinstance(data, bytes) else data
    if not text.strip():
        return Document(source, (), (ReadError(1, 1, "empty input: no summary to read"),))
    lines, origin = document_lines(text)
    blocks = find_blocks(clean_lines(lines), origin)
    del text, lines  # the blocks hold what is read from here on (a long paste: peak memory)
    summaries: List[Summary] = []
    errors: List[ReadError] = []
    for block in blocks:
        try:
            summary = parse_block(block)
        except SummaryAuditError as error:
            errors.append(ReadError(error.line, error.column, error.message))
            continue
        if summary.rows or summary.totals is not None:
            summaries.append(summary)
    if not summaries:
        text = decode(data) if isinstance(data, bytes) else data  # decoded once already: cannot fail
        return Document(source, (), tuple(errors) or (_nothing_found(text),))
    return Document(source, tuple(summaries), tuple(errors))


def _nothing_found(text: str) -> ReadError:
    if "params" in text.lower() and "Total" in text:
        line = next(i for i, l in enumerate(text.splitlines(), 1) if "Total" in l)
        return ReadError(line, 1, "found totals but no header line ('Layer (type)  Output Shape  Param #'): "
                                  "cannot tell the columns apart")
    return ReadError(1, 1, "no model summary found: no line like 'Layer (type)  Output Shape  Param #'")


# ---- one block → one summary ------------------------------------------------------------------


def parse_block(block: Block) -> Summary:
    if block.headerless:
        return _parse_headerless(block)
    lines = list(block.lines)
    header_index = next((i for i, line in enumerate(lines) if "Layer" in line.text and _header_roles(line)), None)
    if header_index is None:
        first = lines[0]
        raise SummaryAuditError("a table header without the columns 'Layer (type)' ... 'Param #': "
                                "cannot tell the cells apart", first.number, 1)
    header = lines[header_index]
    if not header.collapsed and not _is_delimited(header) and _titles_run_together(header):
        header = header._replace(collapsed=True)  # its columns line up with nothing: rows read whole
    model_name = _model_name(lines[:header_index])
    body_start = _skip_header_continuation(lines, header_index)
    findings: List[Finding] = []
    cut = _cut_rows(lines[body_start:], header, findings)
    layout = _layout(header, lines[body_start:], cut)
    rows = _read_rows(cut.rows, layout, findings)
    totals = _read_totals(cut.totals, findings)
    if totals is None:
        _table_cut_off(rows, findings, lines[-1].number)
    return Summary(model_name=model_name, format=_generation_of(layout, header, rows),
                   start_line=lines[0].number, end_line=lines[-1].number, rows=tuple(rows), totals=totals,
                   findings=tuple(findings), origin=block.origin, columns=layout.roles, gaps=tuple(cut.gaps))


def _parse_headerless(block: Block) -> Summary:
    """Rows quoted without their header (an issue showing a model's last layers, or a few
    from its middle). The columns are found from the rows themselves where they line up,
    else each line is read whole; lines of words above the first row are set aside, and
    since rows above it are missing, the rows shown need not add up to the totals."""
    lines = list(block.lines)
    header = _header_from_rows(lines)
    findings: List[Finding] = []
    cut = _cut_rows(lines, header, findings)
    layout = _layout(header, lines, cut)
    rows = _read_rows(cut.rows, layout, findings)
    if not rows:
        raise SummaryAuditError("found rows or totals but no header line ('Layer (type)  Output Shape  Param #'), and "
                                "no line above them reads as a row", lines[0].number, 1)
    first = rows[0].line
    findings[:] = [Finding("info", f.line, "text-ignored", f"before the table's first row, not a row: {f.message}")
                   if f.code == "bad-row" and (f.line or 0) < first else f for f in findings]
    findings.insert(0, Finding("warning", first, "no-header",
                               "no header line: the table is quoted from this row down; rows above it are missing"))
    totals = _read_totals(cut.totals, findings)
    if totals is None:
        _table_cut_off(rows, findings, lines[-1].number)
    return Summary(model_name=None, format=_generation_of(layout, header, rows), start_line=lines[0].number,
                   end_line=lines[-1].number, rows=tuple(rows), totals=totals, findings=tuple(findings),
                   origin=block.origin, columns=layout.roles, gaps=(first,))


def _header_from_rows(lines: Sequence[Line]) -> Line:
    """A header for rows that came without one: titles where most rows start their cells
    (printers line them up), or — when they do not line up — a header that has rows read
    whole. A box table's rows get a box header with as many cells."""
    matches = [match for match in map(ROW_LIKE.match, (line.text for line in lines)) if match is not None]
    if not matches:
        return Line(lines[0].number, "Layer (type)  Output Shape  Param #", collapsed=True)
    linked = sum(1 for match in matches if match["links"]) * 2 > len(matches)
    if all("│" in match.group() for match in matches):
        cells = max(len(DELIMITERS.split(match.group().strip())) - 2 for match in matches)
        titles = ["Layer (type)", "Output Shape", "Param #", "Connected to", "Trainable"][:max(3, cells)]
        return Line(lines[0].number, "┃ " + " ┃ ".join(titles) + " ┃")
    starts = [max(_most_common([match.start(group) for match in matches if match[group]]), 0)
              for group in ("name", "shape", "count", "links")]
    layer, shape, count, links = starts
    if not layer < shape < count or (linked and not count < links) or \
            sum(1 for m in matches if abs(m.start("shape") - shape) <= 2 and abs(m.start("count") - count) <= 2) * 5 \
            < len(matches) * 4:  # (nested rows and cut types shift a cell a place or two: `_snap` finds it)
        return Line(lines[0].number, "Layer (type)  Output Shape  Param #" + ("  Connected to" if linked else ""),
                    collapsed=True)
    text = " " * layer + "Layer (type)".ljust(shape - layer - 1) + " " + "Output Shape".ljust(count - shape - 1) + " "
    text += ("Param #".ljust(links - count - 1) + " Connected to") if linked else "Param #"
    return Line(lines[0].number, text)


def _most_common(values: Sequence[int]) -> int:
    return max(set(values), key=values.count) if values else -1


def _table_cut_off(rows: Sequence[Row], findings: List[Finding], last_line: int) -> None:
    """A table cut off before its totals runs on into the page's next words: lines after its
    last row that read as no row are set aside, not flagged; the missing totals are."""
    last = rows[-1].end_line if rows else 0
    findings[:] = [Finding("info", f.line, "text-ignored", f"after the table's last row, not a row: {f.message}")
                   if f.code == "bad-row" and (f.line or 0) > last else f for f in findings]
    findings.append(Finding("warning", last_line, "incomplete-table", "the table ends before its 'Total params' line"))


def _model_name(lines: Sequence[Line]) -> Optional[str]:
    for line in lines:
        if MODEL_LINE.match(line.text):
            try:
                return parse_cell("model_line", line.text.strip())
            except CellError:
                return line.text.split(":", 1)[1].strip().strip('"') or None
    return None


def _skip_header_continuation(lines: Sequence[Line], header_index: int) -> int:
    """A narrow tf_keras header wraps (`Param` / `#`): skip to the rule below it — over title
    pieces only: a line holding a number is a row (a paste that lost the `===` under its header)."""
    for i in range(header_index + 1, min(header_index + 4, len(lines))):
        if is_rule_line(lines[i].text):
            return i + 1
        if may_hold_a_row(lines[i].text):
            break
    return header_index + 1


def _is_blank(text: str) -> bool:
    return not text.strip(" |┃│")


# ---- cutting lines into cells ------------------------------------------------------------------


def _header_roles(header: Line) -> Tuple[Tuple[str, int], ...]:
    """(role, start column) for each column the header names, left to right."""
    text = header.text
    found: List[Tuple[str, int]] = []
    position = 0
    for role, pattern in COLUMN_TITLES:
        match = pattern.search(text, position)
        if match is None:
            continue
        found.append((role, match.start()))
        position = match.end()
    roles = [role for role, _ in found]
    return tuple(found) if roles[:1] == ["layer"] and "params" in roles else ()


def _is_delimited(header: Line) -> bool:
    """A box table, or a markdown one (`Layer (type) | Output Shape | Param # |`, its outer
    bars optional): cells are cut at the bars, not at columns."""
    stripped = header.text.strip()
    if not stripped or header.collapsed:
        return False
    if stripped[0] in "┃│|":
        return True
    roles = _header_roles(header)
    return len(roles) > 1 and DELIMITERS.search(header.text, roles[0][1], roles[1][1]) is not None


def _titles_run_together(header: Line) -> bool:
    """A header whose titles stand a single space apart, or with words between them
    (`Layer (type) Output Shape Param #`, `Layer (type) - Output Shape`): its spaces were
    squeezed or retyped, so its columns tell nothing about where the rows' cells are."""
    text = header.text
    starts = [start for _, start in _header_roles(header)]
    for start in starts[1:]:
        before = text[:start].rstrip()
        gap = start - len(before)
        if gap < 2 or before.endswith(("-", "–", "—", "/", ",", ";")):
            return True
    return False


class _Cut(NamedTuple):
    """A table body's lines grouped: its rows, its totals lines, where rows were left out."""

    rows: List[_RawRow]
    totals: List[Line]
    gaps: List[int]
    #: the first line after the first row's that begins with a `__` rule (Keras 2 draws one
    #: between rows, tf_keras none): what tells the two layouts apart (`_generation`).
    first_rule: Optional[int]


def _cut_rows(body: Sequence[Line], header: Line, findings: List[Finding]) -> _Cut:
    """Group the body's lines into rows (a row starts where its Param # cell is filled); and
    the lines where the paste left rows out (`...`)."""
    roles = _header_roles(header)
    delimited = _is_delimited(header)
    cut = _bars(roles) if delimited else _columns(roles)
    rows: List[_RawRow] = []
    totals: List[Line] = []
    gaps: List[int] = []
    separated = True  # a wrapped row's next lines follow it directly, before any rule
    marks: Dict[str, str] = {}  # line text → its kind, for lines that are not rows (rules repeat)
    collapsed = header.collapsed
    first_rule: Optional[int] = None
    for line in body:
        text = line.text
        if "params" in text and TOTALS_LINE.search(text):
            totals.append(line)
            continue
        kind = marks.get(text)
        if kind is None:
            # (the line's first characters first: a copy of the whole line only if need be)
            head = text[:8].lstrip(" |┃│")[:1] or text.lstrip(" |┃│")[:1]
            kind = "blank" if not head else _mark_kind(text, head) if head in LINE_MARKS else None
            if kind is not None:
                marks[text] = kind
            elif head == "_" and first_rule is None and rows and text.strip().startswith("__"):
                first_rule = line.number  # (a row whose name begins with `__`: read as the rule check always did)
        if kind is not None:
            separated = True
            if kind == "separator":
                if first_rule is None and rows and "__" in text and text.strip().startswith("__"):
                    first_rule = line.number
            elif kind == "comment":  # a code comment written under a row (`# Conv2D(32, (3, 3))`)
                findings.append(Finding("info", line.number, "text-ignored", f"comment line ignored: {text.strip()!r}"))
            elif kind == "elision":
                gaps.append(line.number)
                findings.append(Finding("info", line.number, "rows-elided",
                                        "rows left out here: the rows around it are not read as one chain, and "
                                        "the rows shown need not add up to the totals"))
            continue
        if line.collapsed or collapsed:
            if rows and not rows[-1].cells and LINKS_ONLY.fullmatch(text):
                _continue_row(rows[-1], NO_CELLS, line)  # a row's next reference, on a line of its own
            else:
                rows.append(_RawRow(line.number, line.number, NO_CELLS, text=text))
            continue
        cells = cut(text)
        # (a row starts with its name and its Param #: `_starts_row`, its first test inlined)
        if cells is not None and cells[PARAMS].strip() and cells[LAYER].strip() and \
                (separated or delimited or _starts_row(rows)):
            rows.append(_RawRow(line.number, line.number, cells,
                                0 if delimited or "|" not in text else _frame_depth(text), text))
            separated = False
        elif cells is not None and rows and not separated and not rows[-1].foreign:
            _continue_row(rows[-1], cells, line)
        else:
            rows.append(_RawRow(line.number, line.number, NO_CELLS, text=text, foreign=True))
    while rows and rows[-1].foreign and not totals and not all(row.foreign for row in rows):
        rows.pop()  # prose after a table cut off before its totals (not every line: those are read whole)
    return _Cut(rows, totals, gaps, first_rule)


#: what a line that is not a row can begin with (after spaces and bars): rules, fences,
#: comments, ellipses. A row begins with its name.
LINE_MARKS = RULE_STARTS | frozenset("#`~.…[(<")


def _mark_kind(text: str, head: str) -> Optional[str]:
    """`separator` (a rule, also behind a markdown heading's `#####`, or a fence), `comment`,
    `elision` (`...` where rows were left out), or None: a row after all."""
    if head == "#":
        return "separator" if is_rule_line(text.lstrip(" #")) else "comment"
    if head in "`~":
        return "separator" if FENCE_LINE.match(text) else None
    if head in RULE_STARTS and is_rule_line(text):
        return "separator"
    if ("..." in text or "…" in text) and is_elision(text):
        return "elision"
    return None


def is_elision(text: str) -> bool:
    """A line that only says rows were left out: `...`, `…`, `[...]`, one per column or alone."""
    words = DELIMITERS.sub(" ", text).split()
    return bool(words) and all(word in ELLIPSES or (len(word) >= 3 and not word.strip(".")) for word in words)


ELLIPSES = frozenset({"…", "[...]", "(...)", "[…]", "(…)", "<...>"})


def _starts_row(rows: Sequence[_RawRow]) -> bool:
    """A line with a name and a Param # right below a row (no rule or blank line between)
    starts a row of its own, unless it continues the row above: tf_keras wraps long counts
    too (`15360` / `0`), under a type cut mid-word (`block_14_expand (Co` / `nv2D)`)."""
    if not rows or rows[-1].foreign or not rows[-1].cells:
        return True
    return rows[-1].last_piece(LAYER).rstrip().endswith(")")


def _frame_depth(text: str) -> int:
    if "|" not in text:
        return 0
    return text[:len(text) - len(text.lstrip("| "))].count("|")


def _continue_row(row: _RawRow, cells: Tuple[str, ...], line: Line) -> None:
    if not row.cells:  # the row was left to the stream reader: keep its text whole
        row.text += " " + line.text
        row.end_line = line.number
        return
    wrapped = row.wrapped if row.wrapped is not None else {}
    for role, cell in enumerate(cells):
        if cell and not cell.isspace():
            wrapped.setdefault(role, []).append(cell)
    row.wrapped = wrapped or None
    row.end_line = line.number


#: a table's line → its cells in `ROLES` order (None: not cut into this table's columns).
Cutter = Callable[[str], Optional[Tuple[str, ...]]]


def _bars(roles: Sequence[Tuple[str, int]]) -> Cutter:
    """The cells of a box or markdown table's line, cut at its bars, for one header's columns
    (None for a line with another number of cells)."""
    names = [role for role, _ in roles]
    in_role_order = itemgetter(*(names.index(role) if role in names else len(names) for role in ROLES))

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


def _columns(roles: Sequence[Tuple[str, int]]) -> Cutter:
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
        frame = _frame_depth(text)
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


# ---- the layout's generation ---------------------------------------------------------------------


def _layout(header: Line, body: Sequence[Line], cut: _Cut) -> _Layout:
    roles = tuple(role for role, _ in _header_roles(header))
    delimited = _is_delimited(header)
    return _Layout(format=_generation(header, body, cut, delimited), delimited=delimited,
                   roles=roles)


def _generation(header: Line, body: Sequence[Line], cut: _Cut, delimited: bool) -> Format:
    if delimited:
        return "keras3" if BOX_CHARS & set(header.text) else "unknown"
    rows = cut.rows
    if len(rows) >= 2 and cut.first_rule is not None and cut.first_rule < rows[-1].line:
        return "keras2"  # a `____` rule between rows (or keras1: told apart by the rows once read, `_generation_of`)
    if _has_wrapped_cells(rows) or "Byte)" in joined_texts(body) or \
            (header.text.startswith(" ") and any(_is_blank(line.text) for line in body)):
        return "keras2-wrapped"
    return "keras2"


def _has_wrapped_cells(rows: Sequence[_RawRow]) -> bool:
    return any(row.wrapped and (LAYER in row.wrapped or SHAPE in row.wrapped) for row in rows)


def _generation_of(layout: _Layout, header: Line, rows: Sequence[Row]) -> Format:
    """The layout's generation, Keras 1 told from Keras 2 by the rows read: Keras 1 printed
    `Connected to` for Sequential models too, used its own class names, and named an input
    after its first layer (`convolution2d_input_1[0][0]`)."""
    if layout.format != "keras2" or "Connected" not in header.text:
        return layout.format
    legacy = any(REGISTRY.is_legacy_spelling(name) for name in {row.type for row in rows})
    links = " ".join([ref.text for row in rows for ref in row.inbound])
    return "keras1" if legacy or KERAS1_INPUT_LINK.search(links) else "keras2"


KERAS1_INPUT_LINK = re.compile(r"_input_\d+\[\d+\]\[\d+\]")


# ---- cells → rows -------------------------------------------------------------------------------


def _read_rows(raw_rows: List[_RawRow], layout: _Layout, findings: List[Finding]) -> List[Row]:
    """The rows, in order. Takes `raw_rows` apart as it goes: each row's cut cells are freed
    once its Row is made, so a long table never holds both in full (peak memory)."""
    rows: List[Row] = []
    pending = raw_rows[::-1]
    raw_rows.clear()
    keep, take = rows.append, pending.pop
    while pending:
        raw = take()
        if raw.cells:
            try:  # the common row, read here without a call more
                keep(_row_from_cells(raw, layout, findings))
                continue
            except CellError:
                pass  # (read again below: its error, or the whole line as a stream)
        rows.extend(_read_row(raw, layout, findings))
    return rows


def _read_row(raw: _RawRow, layout: _Layout, findings: List[Finding]) -> List[Row]:
    if raw.cells:
        try:
            return [_row_from_cells(raw, layout, findings)]
        except CellError as error:
            stream = _try_stream(raw)
            if stream is not None:
                return stream
            findings.append(Finding("error", raw.line, "bad-row", f"column {error.column + 1}: {error}"))
            return []
    stream = _try_stream(raw)
    if stream is not None:
        return stream
    text = raw.text.strip()
    if not may_hold_a_row(text):
        findings.append(Finding("error", raw.line, "bad-row", f"column 1: cannot read as a layer row: no Param # "
                                                              f"count in {text[:60]!r}"))
        return []
    try:
        parse_cell("rows", text)
    except CellError as error:
        findings.append(Finding("error", raw.line, "bad-row",
                                f"column {error.column + 1}: cannot read as a layer row: {error}"))
    return []


def _try_stream(raw: _RawRow) -> Optional[List[Row]]:
    text = DELIMITERS.sub(" ", raw.text).strip()
    if not text:
        return []
    if not may_hold_a_row(text):
        return None
    try:
        parsed: List[StreamRow] = parse_cell("rows", text)
    except CellError:
        return None
    return [_row(raw.line, raw.end_line, s.layer, s.shape, s.params, s.inbound, s.trainable, 0)
            for s in parsed]


def _row_from_cells(raw: _RawRow, layout: _Layout, findings: List[Finding]) -> Row:
    # The cells are read in this order (layer, shape, count, connected, trainable): the first
    # bad one names the column of the row's error.
    layer_text, shape_text, params_text, connected, trainable_text = \
        raw.cells if raw.wrapped is None else raw.joined_cells(layout.joiner)
    depth = raw.depth
    if "└" in layer_text:
        indent = NEST_INDENT.match(layer_text)
        if indent:
            depth = max(1, round((len(indent.group(1)) - 1) / 3)) if layout.delimited else depth + 1
    name, printed_type, type_cut = layer_cell_parts(layer_text.strip())
    key = (printed_type, type_cut, shape_text, params_text, trainable_text)
    reading = _READINGS.get(key)
    if reading is None:
        reading = _reading(printed_type, type_cut, shape_text.strip(), params_text.strip(), trainable_text.strip())
        if len(_READINGS) > 100_000:
            _READINGS.clear()
        _READINGS[key] = reading
    connected = connected.strip()
    inbound: Tuple[Inbound, ...] = ()
    if connected:
        try:
            inbound = read_connected_cell(connected)
        except CellError as error:
            _bad_connected(error, raw.line, findings)
    name = name or ""
    printed, layer_class, output_shape, params, trainable, candidates, note, shape_cut = reading
    return _NEW_ROW((raw.line, name, printed, layer_class, output_shape, params, depth, inbound, trainable, candidates,
                     note, raw.end_line, type_cut or name.endswith("…"), shape_cut))


#: `Row(...)` from a tuple of all its fields, made in C (a long table makes one a row).
_NEW_ROW = partial(tuple.__new__, Row)


_Reading = Tuple[str, Optional[str], OutputShape, Optional[int], Optional[bool], Tuple[str, ...], Optional[str],
                 bool]
#: what a row's cells other than its name and links say, by their texts: a long table repeats
#: the same type, shape and count row after row, each read the same way.
_READINGS: Dict[Tuple[Optional[str], bool, str, str, str], _Reading] = {}


def _reading(printed_type: Optional[str], type_cut: bool, shape_text: str, params_text: str,
             trainable_text: str) -> _Reading:
    shape = read_shape_cell(shape_text) if shape_text else NO_SHAPE
    params: ParamsCell = parse_cell("params_cell", params_text)
    trainable = parse_cell("trainable_cell", trainable_text) if trainable_text else None
    printed = printed_type or ""
    layer_class, candidates = _classes(printed, type_cut)
    return (printed, layer_class, _one_shape(shape.shape), params.count, trainable, candidates, params.note, shape.cut)


def _classes(printed_type: str, type_cut: bool) -> Tuple[Optional[str], Tuple[str, ...]]:
    """The Keras class a printed type names (None when it may be several), and every one it may."""
    candidates = REGISTRY.resolve(printed_type, type_cut) if printed_type else ()
    return (candidates[0] if len(candidates) == 1 else None), candidates


def _one_shape(shape: OutputShape) -> OutputShape:
    """tf.keras' `[(None, 28, 28, 1)]`: one output, in a list."""
    if isinstance(shape, tuple) and len(shape) == 1 and isinstance(shape[0], tuple):
        return shape[0]  # type: ignore[no-any-return]
    return shape


NO_SHAPE = ShapeCell(shape=None, cut=False)


def _bad_connected(error: CellError, line: int, findings: List[Finding]) -> None:
    """A `Connected to` cell a printer or a paste garbled costs the links, not the row (its
    count and shape still check, and still add up)."""
    findings.append(Finding("warning", line, "bad-connected",
                            f"Connected to not read (column {error.column + 1}: {error}): the row is read "
                            f"as if it followed the row above"))


def _join(first: str, below: Sequence[str], joiner: str) -> str:
    """A wrapped cell's first piece and the pieces below it, back together."""
    if joiner == " ":
        return " ".join([first.strip(), *map(str.strip, below)])
    return first.rstrip() + "".join(map(str.rstrip, below))


def _row(line: int, end_line: int, layer: LayerCell, shape: ShapeCell, params: ParamsCell,
         inbound: Tuple[Inbound, ...], trainable: Optional[bool], depth: int) -> Row:
    printed_type = layer.type or ""
    name = layer.name or ""
    type_cut = layer.type_cut
    layer_class, candidates = _classes(printed_type, type_cut)
    return Row(line, name, printed_type, layer_class, _one_shape(shape.shape),
               params.count, depth, inbound, trainable, candidates, params.note, end_line,
               name.endswith("…") or type_cut, shape.cut)


# ---- totals ---------------------------------------------------------------------------------------


def _totals_line(line: Line, findings: List[Finding]) -> Optional[TotalsLine]:
    """A totals line; prose glued after it (a paste collapsed onto one line) is set aside
    with a note rather than costing the count."""
    text = line.text.strip()
    try:
        return parse_cell("totals_line", text)
    except CellError as error:
        head, tail = text[:error.column].rstrip(), text[error.column:]
        try:
            parsed: Optional[TotalsLine] = parse_cell("totals_line", head) if tail[:1].isalpha() else None
        except CellError:
            parsed = None
        if parsed is None:
            # `Non-trainable params:` where a page ended: a count lost, not a wrong one
            cut = text.rstrip().endswith(":") or error.column >= len(text.rstrip())
            findings.append(Finding("warning" if cut else "error", line.number,
                                    "incomplete-totals" if cut else "bad-totals", str(error)))
            return None
        findings.append(Finding("info", line.number, "text-ignored", f"text after the totals line ignored: {tail!r}"))
        return parsed


def _one_count_each(line: Line) -> List[Line]:
    """A line holding several counts (`Total params: 5 Trainable params: 5 ...`, its line
    breaks lost, or cells of a markdown row) as one line per count, without what a page put
    around them (`- `, `| `, `__…__\\`)."""
    starts = [match.start() for match in TOTALS_LINE.finditer(line.text)]
    if not starts:
        return [line]
    ends = starts[1:] + [len(line.text)]
    return [line._replace(text=line.text[start:end].rstrip(" \t|┃│\\*_")) for start, end in zip(starts, ends)]


def _read_totals(lines: Iterable[Line], findings: List[Finding]) -> Optional[Totals]:
    counts: Dict[str, int] = {}
    sizes: Dict[str, float] = {}
    where: Dict[str, int] = {}
    for line in (piece for whole in lines for piece in _one_count_each(whole)):
        parsed = _totals_line(line, findings)
        if parsed is None:
            continue
        counts[parsed.kind] = parsed.count
        where[parsed.kind] = line.number
        if parsed.size_bytes is not None:
            sizes[parsed.kind] = parsed.size_bytes
    if not counts:
        return None
    return Totals(total=counts.get("total"), trainable=counts.get("trainable"),
                  non_trainable=counts.get("non_trainable"), optimizer=counts.get("optimizer"),
                  sizes=sizes, lines=where)
