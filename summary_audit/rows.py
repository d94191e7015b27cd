"""The layout pass: a block of lines (from `text/`) → a `Summary` of parsed rows.

Each table's printer is told once (`printers.for_lines`), and builds the layout that cuts its
lines (a box table's delimiters, or the column starts its header line names); every line is
then cut into cells, wrapped cells are stitched back together as that printer wraps them, and
each row's cells are read by the grammar (memoized: `_reading`). A line whose layout was lost —
a collapsed table, columns no longer aligned — is read whole by the grammar's `rows` rule
instead. The printer is then confirmed by the rows read (`printers.for_rows`).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import memo
from .errors import SummaryAuditError
from .grammar import (CellError, LayerCell, ParamsCell, ShapeCell, StreamRow, TotalsLine,
                      layer_cell_parts, parse_cell, read_connected_cell, read_shape_cell)
from .layers import REGISTRY
from .shapes import one_output
from .model import CellRepair, Code, Document, Finding, Inbound, OutputShape, ReadError, Row, Summary, Totals
from .text import (FENCE_LINE, LINKS_ONLY, MODEL_LINE, ROW_LIKE, TOTALS_LINE, Block, Line, clean_lines, decode,
                  document_lines, joined_texts, may_hold_a_row,
                  find_blocks, is_rule_line)
from .printers import DELIMITERS, LAYER, PARAMS, ROLES, SHAPE, Printer, TableRows, for_lines, for_rows, table_lines
from .printers.keras3 import HEADER_SEARCH, box_header, cropped_note
from .printers.titles import HEADER_WORDS
from .text.cells import Applied, is_misread_totals, nearest_type, repair_cells, repair_steps, repair_totals
from .printers.layout import Layout, frame_depth, header_roles, is_delimited, title_repairs, titles_run_together

#: the cells of a line that are not cut into columns (read whole, or not a row).
NO_CELLS: Tuple[str, ...] = ()
#: the characters a rule line can begin with (after spaces); others are never rules.
RULE_STARTS = frozenset("_=━─═-¯~┏┓┗┛┡┩┳┻╇╋┌┐└┘├┤┬┴┼+|┃│:")
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


# ---- entry points ------------------------------------------------------------------------------


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
    lines = _one_header_line(list(block.lines))
    header_index = next((i for i, line in enumerate(lines) if any(word in line.text for word in HEADER_WORDS)
                         and header_roles(line.text)), None)
    if header_index is None:
        first = lines[0]
        raise SummaryAuditError("a table header without the columns 'Layer (type)' ... 'Param #': "
                                "cannot tell the cells apart", first.number, 1)
    header = lines[header_index]
    if not header.collapsed and not is_delimited(header.text) and titles_run_together(header.text):
        header = header._replace(collapsed=True)  # its columns line up with nothing: rows read whole
    findings: List[Finding] = [Finding("info", header.number, "repaired-title",
                                       f"header title {repair.before!r} read as {repair.after!r}")
                               for repair in title_repairs(header.text)]
    table = _read_table(header, lines[_skip_header_continuation(lines, header_index):], findings)
    if table.totals is None:
        _table_cut_off(table.rows, findings, lines[-1].number)
    return Summary(model_name=_model_name(lines[:header_index]), format=table.printer.format,
                   start_line=lines[0].number, end_line=lines[-1].number, rows=table.rows, totals=table.totals,
                   findings=tuple(findings), origin=block.origin, columns=table.columns,
                   gaps=_with_unread_rows(table.gaps, findings))


def _with_unread_rows(gaps: Tuple[int, ...], findings: Sequence[Finding]) -> Tuple[int, ...]:
    """Where rows were left out: the paste's `...`, and every line that held a row the table
    could not read (its row is missing: no chain of shapes runs across it, and the rows shown
    need not add up to the totals)."""
    unread = [f.line for f in findings if f.code == "bad-row" and f.severity == "error" and f.line is not None]
    return tuple(sorted(set(gaps).union(unread))) if unread else gaps


def _one_header_line(lines: List[Line]) -> List[Line]:
    """A box header rich wrapped, cut or cropped (`printers.box_header`), as one line."""
    found = box_header([line.text for line in lines[:HEADER_SEARCH]])
    if found is None:
        return lines
    first, last, text = found
    lines[first:last + 1] = [lines[first]._replace(text=text)]
    return lines


def _parse_headerless(block: Block) -> Summary:
    """Rows quoted without their header (an issue showing a model's last layers, or a few
    from its middle). The columns are found from the rows themselves where they line up,
    else each line is read whole; lines of words above the first row are set aside, and
    since rows above it are missing, the rows shown need not add up to the totals."""
    lines = list(block.lines)
    findings: List[Finding] = []
    table = _read_table(_header_from_rows(lines), lines, findings)
    if not table.rows:
        raise SummaryAuditError("found rows or totals but no header line ('Layer (type)  Output Shape  Param #'), and "
                                "no line above them reads as a row", lines[0].number, 1)
    first = table.rows[0].line
    findings[:] = [Finding("info", f.line, "text-ignored", f"before the table's first row, not a row: {f.message}")
                   if f.code == "bad-row" and (f.line or 0) < first else f for f in findings]
    findings.insert(0, Finding("warning", first, "no-header",
                               "no header line: the table is quoted from this row down; rows above it are missing"))
    if table.totals is None:
        _table_cut_off(table.rows, findings, lines[-1].number)
    return Summary(model_name=None, format=table.printer.format, start_line=lines[0].number,
                   end_line=lines[-1].number, rows=table.rows, totals=table.totals, findings=tuple(findings),
                   origin=block.origin, columns=table.columns, gaps=(first,))


class _Table(NamedTuple):
    """A table's body read: its printer, rows and totals."""

    printer: Printer
    columns: Tuple[str, ...]
    rows: Tuple[Row, ...]
    totals: Optional[Totals]
    gaps: Tuple[int, ...]


def _read_table(header: Line, body: Sequence[Line], findings: List[Finding]) -> _Table:
    """The rows and totals below a header, read the way the table's printer printed them: told
    by the lines first (which cuts them), then by the rows read (`printers`)."""
    lines = table_lines(header.text, joined_texts(body), header.collapsed)
    printer = for_lines(lines)
    layout = printer.layout_for(lines)
    if layout.open_roles:
        findings.append(Finding("warning", header.number, Code.TABLE_CROPPED, cropped_note(layout)))
    cut = _cut_rows(body, header.collapsed, layout, printer, findings)
    wrapped = _has_wrapped_cells(cut.rows)
    rows = tuple(_known_types(_read_rows(cut.rows, printer, findings), findings))
    totals = _read_totals(cut.totals, findings)
    return _Table(for_rows(printer, TableRows(lines, rows, wrapped)), layout.roles, rows, totals, tuple(cut.gaps))


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
    if not _lined_up(matches, starts, linked):
        return Line(lines[0].number, "Layer (type)  Output Shape  Param #" + ("  Connected to" if linked else ""),
                    collapsed=True)
    text = " " * layer + "Layer (type)".ljust(shape - layer - 1) + " " + "Output Shape".ljust(count - shape - 1) + " "
    text += ("Param #".ljust(links - count - 1) + " Connected to") if linked else "Param #"
    return Line(lines[0].number, text)


def _lined_up(matches: Sequence["re.Match[str]"], starts: Sequence[int], linked: bool) -> bool:
    """The rows' cells start in order, and four rows in five start their shape and count where
    most do (nested rows and cut types shift a cell a place or two: `_snap` finds it)."""
    layer, shape, count, links = starts
    if not layer < shape < count or (linked and not count < links):
        return False
    near = sum(1 for m in matches if abs(m.start("shape") - shape) <= 2 and abs(m.start("count") - count) <= 2)
    return near * 5 >= len(matches) * 4


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


class _Cut(NamedTuple):
    """A table body's lines grouped: its rows, its totals lines, where rows were left out."""

    rows: List[_RawRow]
    totals: List[Line]
    gaps: List[int]


def _cut_rows(body: Sequence[Line], collapsed: bool, layout: Layout, printer: Printer,
              findings: List[Finding]) -> _Cut:
    """Group the body's lines into rows (a row starts where its Param # cell is filled), as the
    table's printer wraps them; and the lines where the paste left rows out (`...`). (The loop
    every line of a long table goes through: the common line takes no call but its cutter's.)"""
    cut = layout.cut
    delimited = layout.delimited
    # (a box that rules its rows wraps any cell below its first line, its Param # too)
    wraps = printer.wraps_names or layout.rows_after_rules
    open_roles = layout.open_roles
    rows: List[_RawRow] = []
    totals: List[Line] = []
    gaps: List[int] = []
    separated = True  # a wrapped row's next lines follow it directly, before any rule
    marks: Dict[str, str] = {}  # line text → its kind, for lines that are not rows (rules repeat)
    for line in body:
        text = line.text
        kind = marks.get(text) or _line_kind(text, marks)
        if kind is not None:
            if kind == "totals":
                totals.append(line)
                continue
            separated = True
            if kind in NOTED_MARKS:
                _note_mark(kind, line, gaps, findings)
            continue
        if line.collapsed or collapsed:
            _add_whole_line(rows, line)
            continue
        cells = cut(text)
        # (a row starts with its name and its Param # — a cropped table's maybe past the edge, an
        # OCR'd one's maybe lost; below a row, unseparated, as its printer wraps)
        if cells is not None and (cells[LAYER].strip() and (cells[PARAMS].strip() or open_roles) or _count_lost(cells)) \
                and (separated or not wraps or _starts_below(rows, cells)):
            if open_roles:
                cells = _cropped_row_start(cells, open_roles)
            rows.append(_RawRow(line.number, line.number, cells, _frame_depth(text, delimited), text))
            separated = False
        elif cells is not None and rows and not separated and not rows[-1].foreign:
            _continue_row(rows[-1], cells, line)
        else:
            rows.append(_RawRow(line.number, line.number, NO_CELLS, text=text, foreign=True))
    _drop_trailing_prose(rows, totals)
    return _Cut(rows, totals, gaps)


def _frame_depth(text: str, delimited: bool) -> int:
    """The nesting tf_keras' `|` frame around a row shows (0 in a delimited table)."""
    return 0 if delimited or "|" not in text else frame_depth(text)


def _cropped_row_start(cells: Tuple[str, ...], open_roles: Tuple[int, ...]) -> Tuple[str, ...]:
    """A row of a table cropped at the console's edge: its cells at the edge and past it maybe
    all lost (`…`: a count cut, links unknown)."""
    return tuple(["…" if role in open_roles and not cell.strip() else cell for role, cell in enumerate(cells)])


#: a whole layer cell, `name (Type)`, and a whole shape cell: what a row whose count an OCR
#: engine lost still holds (`block2_pool (MaxPooling2D)   (None,8,8, 128)`).
WHOLE_LAYER_CELL = re.compile(r"\s*[\w.:/-]+ ?[(（][A-Za-z]\w*[)）]?\s*")
WHOLE_SHAPE_CELL = re.compile(r"\s*[(（\[{].*(?:[)）\]}]\s*\d[\d,]*|[)）\]}]|[^\s,，]\s+\d[\d,]*)\s*")


#: a layer cell holding a name alone, its type wrapped onto the next line (Keras 3).
BARE_NAME_CELL = re.compile(r"\s*[A-Za-z_][\w.:/-]*\s*")


def _count_lost(cells: Tuple[str, ...]) -> bool:
    """A line with a whole `name (Type)` (or `name (Typ` the column edge cut, or a name whose
    type wrapped below) and a whole shape (maybe with the count glued after it) but no count: a row whose count was lost or
    moved (read with the count unknown, or cut apart), not a piece of the row above."""
    return not cells[PARAMS].strip() and (WHOLE_LAYER_CELL.fullmatch(cells[LAYER]) is not None or
                                          BARE_NAME_CELL.fullmatch(cells[LAYER]) is not None) and \
        WHOLE_SHAPE_CELL.fullmatch(cells[SHAPE]) is not None


#: a layer cell's start that opens a type after a name: `conv_dw_1_bn (BatchNormali`.
OPENS_TYPE = re.compile(r"\s*[\w.:/-]+ ?[(（][A-Za-z]")


def _starts_below(rows: Sequence[_RawRow], cells: Tuple[str, ...]) -> bool:
    """Whether a line with a name and a count, right below a row, starts a row of its own."""
    return _starts_row(rows) or _opens_own_row(cells)


def _opens_own_row(cells: Tuple[str, ...]) -> bool:
    """Below a row whose type was left open, a line with a name opening its own type and a
    whole shape starts a row of its own (an OCR'd tf_keras table: the closing `)` of the row
    above lost); what tf_keras wraps there is the rest of a type (`nv2D)`), no name before it."""
    return OPENS_TYPE.match(cells[LAYER]) is not None and WHOLE_SHAPE_CELL.fullmatch(cells[SHAPE]) is not None


def _is_totals(text: str) -> bool:
    """A totals line, as printed or with its words misread (`Total paras:`)."""
    return "params" in text and TOTALS_LINE.search(text) is not None or is_misread_totals(text)


def _drop_trailing_prose(rows: List[_RawRow], totals: Sequence[Line]) -> None:
    """Prose after a table cut off before its totals (not every line: those are read whole)."""
    while not totals and rows and rows[-1].foreign and not all(row.foreign for row in rows):
        rows.pop()


#: the kinds of non-row lines that say something (a finding, a gap), beside rules and blanks.
NOTED_MARKS = frozenset({"comment", "elision"})


def _line_kind(text: str, marks: Dict[str, str]) -> Optional[str]:
    """`totals`, `blank`, or what `_mark_kind` makes of a line that is not a row, noted in
    `marks` by its text; None for a row. (The line's first characters first: a copy of the
    whole line only if need be.)"""
    if "ara" in text and _is_totals(text):
        kind: Optional[str] = "totals"
    else:
        head = text[:8].lstrip(" |┃│")[:1] or text.lstrip(" |┃│")[:1]
        if not head:
            kind = "blank"
        else:
            kind = _mark_kind(text, head) if head in LINE_MARKS else None
    if kind is not None:
        marks[text] = kind
    return kind


def _note_mark(kind: str, line: Line, gaps: List[int], findings: List[Finding]) -> None:
    """What a line that is not a row says: a code comment written under a row
    (`# Conv2D(32, (3, 3))`), or rows left out (`...`)."""
    if kind == "comment":
        findings.append(Finding("info", line.number, "text-ignored", f"comment line ignored: {line.text.strip()!r}"))
    elif kind == "elision":
        gaps.append(line.number)
        findings.append(Finding("info", line.number, "rows-elided",
                                "rows left out here: the rows around it are not read as one chain, and "
                                "the rows shown need not add up to the totals"))


def _add_whole_line(rows: List[_RawRow], line: Line) -> None:
    """A line of a table whose layout was lost, kept whole for the stream reader; a line of
    `Connected to` references alone is the row above's next reference."""
    if rows and not rows[-1].cells and LINKS_ONLY.fullmatch(line.text):
        _continue_row(rows[-1], NO_CELLS, line)
    else:
        rows.append(_RawRow(line.number, line.number, NO_CELLS, text=line.text))


def _has_wrapped_cells(rows: Sequence[_RawRow]) -> bool:
    return any(row.wrapped and (LAYER in row.wrapped or SHAPE in row.wrapped) for row in rows)


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
    return rows[-1].last_piece(LAYER).rstrip().endswith((")", "）"))


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


# ---- cells → rows -------------------------------------------------------------------------------


def _read_rows(raw_rows: List[_RawRow], printer: Printer, findings: List[Finding]) -> List[Row]:
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
                keep(_row_from_cells(raw, printer, findings))
                continue
            except CellError:
                pass  # (read again below: its error, or the whole line as a stream)
        rows.extend(_read_row(raw, printer, findings))
    return rows


def _read_row(raw: _RawRow, printer: Printer, findings: List[Finding]) -> List[Row]:
    if raw.cells:
        try:
            return [_row_from_cells(raw, printer, findings)]
        except CellError as error:
            stream = _try_stream(raw)
            if stream is not None:
                _note_lines_left(raw, findings)
                return stream
            repaired = _repaired_row(raw, printer, findings)
            if repaired is not None:
                return [repaired]
            span = f" (lines {raw.line}-{raw.end_line} read as one row)" if raw.end_line > raw.line else ""
            findings.append(Finding("error", raw.line, "bad-row", f"column {error.column + 1}: {error}{span}"))
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


def _note_lines_left(raw: _RawRow, findings: List[Finding]) -> None:
    """A row read from its first line alone (`_try_stream`) whose lines below held a shape or
    a count: those lines are said to be left unread, not dropped in silence (an OCR'd row
    whose own count was lost, glued under the row above)."""
    if raw.wrapped and (SHAPE in raw.wrapped or PARAMS in raw.wrapped):
        left = " / ".join(piece.strip() for role in (LAYER, SHAPE, PARAMS) for piece in raw.wrapped.get(role, ()))
        findings.append(Finding("warning", raw.line + 1, "bad-row", f"lines {raw.line + 1}-{raw.end_line} not read: "
                                f"the row above was read from its own line alone ({left[:80]!r} left over)"))


def _repaired_row(raw: _RawRow, printer: Printer, findings: List[Finding]) -> Optional[Row]:
    """A row the grammar refused as printed, read through the cell repairs (`text.cells`: an
    OCR'd screenshot's `(None，16)`, `2S6`, `Nome`), if it then reads; what was repaired is
    kept on the row and said in a finding. None when no repair makes it read."""
    cells = raw.joined_cells(printer.joiner)
    row: Optional[Row] = None
    applied: Tuple[Applied, ...] = ()
    for cells, applied in repair_steps(cells, ROLES):  # (the fewest repairs that make it read)
        row = _read_cells(raw, cells, printer, findings)
        if row is not None:
            break
    repairs = tuple(CellRepair(a.kind, raw.line, a.role, a.before, a.after) for a in applied)
    if row is None:
        row = _row_unread_cell(raw, cells, printer, findings)
    if row is None:
        return None
    repairs += row.repairs
    if repairs:
        _note_repairs(row.name, raw.line, repairs, findings)
    return row._replace(repairs=repairs)


def _read_cells(raw: _RawRow, cells: Tuple[str, ...], printer: Printer, findings: List[Finding]) -> Optional[Row]:
    try:
        return _row_from_cells(_RawRow(raw.line, raw.end_line, cells, raw.depth, raw.text), printer, findings)
    except CellError:
        return None


def _row_unread_cell(raw: _RawRow, cells: Tuple[str, ...], printer: Printer, findings: List[Finding]
                     ) -> Optional[Row]:
    """A row whose name and type read but whose count or shape does not (an OCR engine lost
    it or garbled it past repair): kept, that value unknown, the cell reported. The count is
    read as 0 to go through the one reader, then made unknown."""
    if not cells[LAYER].strip() or not (cells[SHAPE].strip() or cells[PARAMS].strip()):
        return None
    for role, stand_in in ((PARAMS, "0"), (SHAPE, "")):
        tried = cells[:role] + (stand_in,) + cells[role + 1:]
        row = _read_cells(raw, tried, printer, findings)
        if row is None:
            continue
        printed = cells[role].strip()
        if role == PARAMS and _weightless(row):
            return row._replace(repairs=(CellRepair("count-lost", raw.line, "params", printed, "0"),))
        _unread_cell(raw, row.name, role, printed, findings)
        return row._replace(params=None, params_note="unread") if role == PARAMS else row
    return None


def _unread_cell(raw: _RawRow, name: str, role: int, printed: str, findings: List[Finding]) -> None:
    """Say which cell of a kept row could not be read, where, and why."""
    title, start = ("Param #", "params_cell") if role == PARAMS else ("output shape", "shape_cell")
    column = raw.text.find(printed) + 1 if printed and printed in raw.text else None
    why = "nothing printed"
    if printed:
        try:
            parse_cell(start, printed)
        except CellError as error:
            why = str(error)
    shown = printed if len(printed) <= 60 else printed[:57] + "..."
    findings.append(Finding("warning", raw.line, "unread-cell", f"{f'column {column}: ' if column else ''}{name}: "
                            f"{title} not read ({shown!r}: {why}): the row is kept with it unknown", column))


def _weightless(row: Row) -> bool:
    """A row of a class that never has weights (`Flatten`, `MaxPooling2D`, `Merge`): its lost
    count can only be 0, the one its formula gives."""
    specs = [REGISTRY.get(name) for name in row.class_candidates]
    return bool(specs) and all(spec is not None and not spec.has_weights and not spec.is_container for spec in specs)


def _note_repairs(name: str, line: int, repairs: Sequence[CellRepair], findings: List[Finding]) -> None:
    said = "; ".join(f"{r.role} {r.before!r} read as {r.after!r} ({r.kind})" for r in repairs)
    findings.append(Finding("info", line, "repaired-cell", f"{name}: {said}"))


def _known_types(rows: Sequence[Row], findings: List[Finding]) -> List[Row]:
    """Rows whose printed type the registry does not know, read as the one class it is a
    letter or two off (`LSTH` → `LSTM`), the repair kept on the row; other rows as they are."""
    out = list(rows)
    for index, row in enumerate(rows):
        if row.class_candidates or not row.type:
            continue
        nearest = nearest_type(row.type, tuple(REGISTRY.class_names()), row.truncated)
        if nearest is None:
            continue
        repair = CellRepair("type-misread", row.line, "layer", row.type, nearest)
        _note_repairs(row.name, row.line, (repair,), findings)
        out[index] = row._replace(layer_class=nearest, class_candidates=(nearest,), repairs=row.repairs + (repair,))
    return out


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


def _row_from_cells(raw: _RawRow, printer: Printer, findings: List[Finding]) -> Row:
    # The cells are read in this order (layer, shape, count, connected, trainable): the first
    # bad one names the column of the row's error.
    layer_text, _, shape_text, params_text, connected, trainable_text = \
        raw.cells if raw.wrapped is None else raw.joined_cells(printer.joiner)
    depth = raw.depth
    if "└" in layer_text:
        indent = NEST_INDENT.match(layer_text)
        if indent:
            depth = max(1, round((len(indent.group(1)) - 1) / printer.nest_indent)) if printer.nest_indent \
                else depth + 1
    name, printed_type, type_cut = layer_cell_parts(layer_text.strip())
    reading = _reading(printed_type, type_cut, shape_text, params_text, trainable_text)
    connected = connected.strip()
    inbound: Tuple[Inbound, ...] = ()
    repairs: Tuple[CellRepair, ...] = ()
    if connected:
        try:
            inbound = read_connected_cell(connected)
        except CellError as error:
            inbound, repairs = _repaired_links(connected, raw.line, error, findings)
    name = name or ""
    printed, layer_class, output_shape, params, trainable, candidates, note, shape_cut = reading
    return _NEW_ROW((raw.line, name, printed, layer_class, output_shape, params, depth, inbound, trainable, candidates,
                     note, raw.end_line, type_cut or name.endswith("…"), shape_cut, repairs))


#: `Row(...)` from a tuple of all its fields, made in C (a long table makes one a row).
_NEW_ROW = partial(tuple.__new__, Row)


_Reading = Tuple[str, Optional[str], OutputShape, Optional[int], Optional[bool], Tuple[str, ...], Optional[str],
                 bool]


@memo.cached(maxsize=100_000)
def _reading(printed_type: Optional[str], type_cut: bool, shape_text: str, params_text: str,
             trainable_text: str) -> _Reading:
    """What a row's cells other than its name and links say, by their texts as cut (spaces
    and all): a long table repeats the same type, shape and count row after row."""
    shape_text, params_text, trainable_text = shape_text.strip(), params_text.strip(), trainable_text.strip()
    shape = read_shape_cell(shape_text) if shape_text else NO_SHAPE
    params: ParamsCell = parse_cell("params_cell", params_text)
    trainable = parse_cell("trainable_cell", trainable_text) if trainable_text else None
    printed = printed_type or ""
    layer_class, candidates = _classes(printed, type_cut)
    return (printed, layer_class, one_output(shape.shape), params.count, trainable, candidates, params.note, shape.cut)


def _classes(printed_type: str, type_cut: bool) -> Tuple[Optional[str], Tuple[str, ...]]:
    """The Keras class a printed type names (None when it may be several), and every one it may."""
    candidates = REGISTRY.resolve(printed_type, type_cut) if printed_type else ()
    return (candidates[0] if len(candidates) == 1 else None), candidates


NO_SHAPE = ShapeCell(shape=None, cut=False)


def _repaired_links(connected: str, line: int, error: CellError, findings: List[Finding]
                    ) -> Tuple[Tuple[Inbound, ...], Tuple[CellRepair, ...]]:
    """A `Connected to` cell that does not read as printed, read through the cell repairs
    (`features[0] [0]`, `dense_1[o][o]`), or else reported and left without links."""
    (fixed,), applied = repair_cells((connected,), ("connected",))
    if applied:
        try:
            inbound = read_connected_cell(fixed.strip())
        except CellError:
            pass
        else:
            return inbound, tuple(CellRepair(a.kind, line, a.role, a.before, a.after) for a in applied)
    _bad_connected(error, line, findings)
    return (), ()


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
    return Row(line, name, printed_type, layer_class, one_output(shape.shape),
               params.count, depth, inbound, trainable, candidates, params.note, end_line,
               name.endswith("…") or type_cut, shape.cut)


# ---- totals ---------------------------------------------------------------------------------------


def _totals_line(line: Line, findings: List[Finding], repaired: List[str]) -> Optional[TotalsLine]:
    """A totals line; prose glued after it (a paste collapsed onto one line) is set aside
    with a note rather than costing the count. The kind of a line read through repairs is
    added to `repaired`."""
    text = line.text.strip()
    try:
        return parse_cell("totals_line", text)
    except CellError as error:
        fixed = _repaired_totals_line(text, line.number, findings)
        if fixed is not None:
            repaired.append(fixed.kind)
            return fixed
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


def _repaired_totals_line(text: str, number: int, findings: List[Finding]) -> Optional[TotalsLine]:
    """A totals line that does not read as printed, read through the totals repairs (an OCR'd
    `Non-trainable params:8（o.oo B)`), the repair said in a finding; None if it still does not read."""
    fixed, applied = repair_totals(text)
    if not applied:
        return None
    try:
        parsed: TotalsLine = parse_cell("totals_line", fixed)
    except CellError:
        return None
    said = "; ".join(f"{a.before!r} read as {a.after!r} ({a.kind})" for a in applied)
    findings.append(Finding("info", number, "repaired-cell", f"totals line: {said}"))
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
    repaired: List[str] = []
    for line in (piece for whole in lines for piece in _one_count_each(whole)):
        parsed = _totals_line(line, findings, repaired)
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
                  sizes=sizes, lines=where, repaired=tuple(repaired))
