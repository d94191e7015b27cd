"""The grammar of summary cells: the values a cell reads as, and how a cell is read.

`grammars/summary.lark` is the single definition of what a cell, a row and a totals line
are; a cell reads as plain Python values (shapes as tuples, counts as ints, inbound
references as `Inbound`). The commonest spellings take regex fast paths assembled from the
grammar's own terminals; any other cell goes to the Lark parser (`lark_parser`, imported
only then). Cell texts repeat a lot in real tables (`0`, `(None, 7, 7, 128)`), so readings
are memoized per (start symbol, text).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional, Tuple

from . import memo
from .model import Inbound, OutputShape, record

if TYPE_CHECKING:
    from lark import Lark

START_SYMBOLS = ("rows", "layer_cell", "shape_cell", "params_cell", "connected_cell",
                 "trainable_cell", "model_line", "totals_line")

UNIT_BYTES = {"B": 1, "BYTE": 1, "BYTES": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3,
              "TB": 1024 ** 4, "KIB": 1024, "MIB": 1024 ** 2, "GIB": 1024 ** 3, "TIB": 1024 ** 4}


class CellError(ValueError):
    """A cell the grammar does not accept; `column` is 0-based inside the cell text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


@record
class LayerCell:
    """A layer cell read: the name, the type and whether the printer cut it."""

    name: Optional[str]
    type: Optional[str]
    #: the type lost its closing parenthesis or ends in `…`: the printer cut it.
    type_cut: bool
    nested: bool


@record
class ShapeCell:
    """An output shape cell read, and whether it was cut at the column edge."""

    shape: OutputShape
    #: a shape missing its closing bracket: its last dimension may be cut too.
    cut: bool
    #: the innermost last shape itself is unclosed (not merely the list around it).
    open_end: bool = False


@record
class ParamsCell:
    """A Param # cell read: the count and a note (`unbuilt`, `unused`; `cut`: a count cut at
    the column edge, unknown)."""

    count: Optional[int]
    note: Optional[str]


@record
class TotalsLine:
    """One totals line read: which count, the count, its size in bytes."""

    kind: str  # total / trainable / non_trainable / optimizer
    count: int
    size_bytes: Optional[float]


@record
class StreamRow:
    """A row read whole by the `rows` rule (its layout lost)."""

    layer: LayerCell
    shape: ShapeCell
    params: ParamsCell
    inbound: Tuple[Inbound, ...]
    trainable: Optional[bool]


def count_value(token: str) -> int:
    return _int(str(token).replace(",", ""))


INDEX = re.compile(r"\[(\d+)\]")


#: what stands between two references in a `Connected to` cell (a name holds neither).
REF_SEPARATOR = re.compile(r"[,\s]")

#: the commonest reference, `name[0][0]`: what `inbound_ref` makes of it, without its lists.
PLAIN_REF = re.compile(r"([^\[]*)\[([0-9]{1,18})\]\[([0-9]{1,18})\]")


def inbound_ref(text: str) -> Inbound:
    """`lstm[0][1]` → Inbound('lstm', 0, 1); a bare or cut name keeps only the layer."""
    plain = PLAIN_REF.fullmatch(text)
    if plain is not None:
        layer, node, tensor = plain.groups()
        return Inbound(layer, int(node), int(tensor), text)
    head, bracket, rest = text.partition("[")
    if not bracket:
        return Inbound(layer=head, text=text)
    indexes = INDEX.findall(bracket + rest)
    return Inbound(layer=head, node=_int(indexes[0]) if indexes else None,
                   tensor=_int(indexes[1]) if len(indexes) > 1 else None, text=text)


#: digits in a count, a dimension or an index: far beyond any real one, well within what Python
#: turns into an int (3.11 refuses over 4,300 digits) and a float (about 308).
MAX_DIGITS = 250


def _int(digits: str) -> int:
    """A count, a dimension or an index; a number too long to be one is a bad cell, not a crash."""
    if len(digits) > MAX_DIGITS:
        raise CellError(f"a number of {len(digits):,} digits: too long to be a count", 0)
    return int(digits)


def grammar_path() -> Path:
    """The grammar file: shipped as package data in a wheel, beside the package in a checkout."""
    try:
        from importlib.resources import files

        packaged = files("summary_audit.grammars").joinpath("summary.lark")
        if packaged.is_file():
            return Path(str(packaged))
    except (ModuleNotFoundError, ImportError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "grammars" / "summary.lark"


@memo.once
def grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


def parser() -> "Lark":
    """The grammar's LALR parser (loads Lark: only a cell the fast paths miss needs it)."""
    from .lark_parser import parser as load

    return load()


#: the grammar terminals the fast paths are assembled from.
FAST_TERMINALS = ("NAME", "TYPE", "REF", "COUNT", "TOTALS_KIND", "UNIT")


@memo.once
def terminal_patterns() -> Dict[str, str]:
    """The regular expressions of `FAST_TERMINALS`, as Lark compiles them. Kept in a small file
    beside Lark's own cache, named after the grammar text and the installed Lark, so that a
    table whose every cell takes a fast path never imports Lark (importing it and loading the
    parser, even from Lark's cache, were most of the command's start-up)."""
    import hashlib
    import os
    import tempfile

    digest = hashlib.sha256(f"{_installed_lark()}\0{FAST_TERMINALS}\0{grammar_text()}".encode("utf-8")).hexdigest()
    path = Path(tempfile.gettempdir()) / f".summary_audit_terminals_{digest[:32]}.txt"
    try:
        found = dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").split("\n") if line)
        if tuple(found) == FAST_TERMINALS:
            return found
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    found = {name: parser().get_terminal(name).pattern.to_regexp() for name in FAST_TERMINALS}
    if not any("\n" in pattern for pattern in found.values()):
        scratch = path.with_name(f"{path.name}.{os.getpid()}")
        try:
            scratch.write_text("".join(f"{name}={pattern}\n" for name, pattern in found.items()), encoding="utf-8")
            os.replace(scratch, path)
        except OSError:
            pass
    return found


def _installed_lark() -> str:
    """Which Lark is installed, without importing it: its package's place and files' dates
    (an upgrade or a reinstall changes them)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("lark")
    if spec is None or not spec.origin:
        return "lark not found"
    folder = os.path.dirname(spec.origin)
    stamps = [os.stat(os.path.join(folder, name)) for name in ("__init__.py", "lark.py", "grammars/common.lark")
              if os.path.exists(os.path.join(folder, name))]
    return f"{folder}\0" + ",".join(f"{stamp.st_size}:{stamp.st_mtime_ns}" for stamp in stamps)


FastPath = Tuple["re.Pattern[str]", Callable[["re.Match[str]"], Any]]


@memo.once
def fast_paths() -> Dict[str, FastPath]:
    """Shortcuts for the commonest spelling of the cells that never repeat (layer names,
    inbound lists), assembled from the grammar's own terminals so that they accept nothing
    the grammar would read differently (tests/test_grammar.py checks that they agree).
    A cell they do not match goes to the full grammar."""
    return {key: _fast_path(key) for key in FAST_KEYS}


FAST_KEYS = ("layer_cell", "params_cell", "connected_cell", "connected_list", "shape_cell", "totals_line",
             "model_line")


@memo.once
def _fast_path(key: str) -> FastPath:
    """One of `fast_paths()`, compiled when a table first needs it (start-up: a table without
    a `Connected to` column never compiles the reference patterns)."""
    terminal = terminal_patterns()
    gap = "[ \t\f\r\n]*"  # the grammar's %ignore WS, not Python's wider \s
    if key == "layer_cell":
        # `name (Type)`, `name (Type` cut at the column edge, or a bare `name` (its type wrapped away)
        return (re.compile(rf"(?P<name>{terminal['NAME']})(?:{gap}\({gap}(?P<type>{terminal['TYPE']}){gap}"
                           rf"(?P<close>\))?)?"), _fast_layer_cell)
    if key == "params_cell":
        return (re.compile(rf"(?:{terminal['COUNT']})"),
                lambda match: ParamsCell(count=count_value(match.group()), note=None))
    ref = terminal["REF"]
    find_ref = re.compile(ref)

    def refs(match: "re.Match[str]") -> Tuple[Inbound, ...]:
        text = match.group()
        if REF_SEPARATOR.search(text) is None:  # one reference: what a long chain of layers prints
            return (inbound_ref(find_ref.search(text).group()),)  # type: ignore[union-attr]
        return tuple(inbound_ref(m.group()) for m in find_ref.finditer(text))

    if key == "connected_cell":
        return re.compile(rf"{ref}(?:,?[ \t\f\r\n]+{ref})*"), refs
    if key == "connected_list":
        return re.compile(rf"\[{gap}'{ref}'(?:{gap},{gap}'{ref}')*{gap}\]"), refs
    if key == "totals_line":
        return (re.compile(rf"(?P<kind>{terminal['TOTALS_KIND']}) params: (?P<count>{PLAIN_COUNT})"
                           rf"(?: \((?P<size>{PLAIN_SIZE}) (?P<unit>{terminal['UNIT']})\))?"), _plain_totals)
    plain: Dict[str, FastPath] = {"shape_cell": (PLAIN_SHAPE, _plain_shape),
                                  "model_line": (PLAIN_MODEL_LINE, lambda match: match.group(1))}
    return plain[key]


def _fast_layer_cell(match: "re.Match[str]") -> LayerCell:
    name, typ, type_cut = _layer_parts(match)
    return LayerCell(name=name, type=typ, type_cut=type_cut, nested=False)


def _layer_parts(match: "re.Match[str]") -> Tuple[str, Optional[str], bool]:
    name, typ, close = match.group("name", "type", "close")
    if typ is None:
        return name, None, False
    return name, typ.rstrip("…"), close is None or typ.endswith("…")


# Fast paths for the exact way every printer spells its commonest shapes, totals and model
# lines (single spaces, no trailing comma, no cut): narrower than the grammar on purpose, so
# that what they accept the grammar reads the same way; anything else goes to the grammar.
# (COUNT's `1,024` would be one dimension: a dimension here is digits alone, after ", ".)
PLAIN_SHAPE = re.compile(r"\((?:None|[0-9]{1,18})(?:, (?:None|[0-9]{1,18}))*\)")
PLAIN_COUNT = r"[0-9]{1,3}(?:,[0-9]{3}){1,12}|[0-9]{1,36}"
PLAIN_SIZE = r"[0-9]{1,36}\.[0-9]{1,36}|[0-9]{1,36}"
PLAIN_MODEL_LINE = re.compile(r'Model: "([^"\n]*)"')


def _plain_shape(match: "re.Match[str]") -> ShapeCell:
    return ShapeCell(shape=tuple(None if dim == "None" else int(dim) for dim in match.group()[1:-1].split(", ")),
                     cut=False, open_end=False)


def _plain_totals(match: "re.Match[str]") -> TotalsLine:
    kind, count, size, unit = match.group("kind", "count", "size", "unit")
    return TotalsLine(kind=kind.lower().replace("-", "_"), count=count_value(count),
                      size_bytes=None if size is None else float(size) * UNIT_BYTES.get(unit.upper(), 1))


def complete_cut_shape(cell: ShapeCell, text: str) -> ShapeCell:
    """A shape cut at the column edge: its last number may be cut too (`(None, 150, 150, 102`
    of 1024), so it becomes unknown; cut right after a comma, one more unknown dim follows."""
    if not cell.open_end or not isinstance(cell.shape, tuple) or not cell.shape:
        return cell
    after_comma = text.rstrip().endswith(",")
    if isinstance(cell.shape[-1], tuple):
        last = _open_end(cell.shape[-1], after_comma)
        return ShapeCell(shape=cell.shape[:-1] + (last,), cut=True)
    return ShapeCell(shape=_open_end(cell.shape, after_comma), cut=True)


def _open_end(dims: Tuple[Any, ...], after_comma: bool) -> Tuple[Any, ...]:
    return dims + (None,) if after_comma else dims[:-1] + (None,)


def parse_cell(start: str, text: str) -> Any:
    """Parse one cell (or one stream of rows) with the given start symbol.

    Raises `CellError` with the 0-based column of the trouble inside `text`.
    """
    if start in UNIQUE_CELLS:
        return _read_cell(start, text)
    return _read_repeating_cell(start, text)


#: cells that name a layer differ on every row: a fast-path reading of one is not kept (a long
#: table would hold a second copy of every name in memory for nothing).
UNIQUE_CELLS = frozenset({"layer_cell", "connected_cell"})


@memo.cached(maxsize=200_000)
def _read_repeating_cell(start: str, text: str) -> Any:
    """`_read_cell`, memoized: shapes, counts and types repeat down a table and across tables."""
    return _read_cell(start, text)


def _read_cell(start: str, text: str) -> Any:
    for pattern, build in _fast_paths_for(start):
        match = pattern.fullmatch(text)
        if match is not None:
            return build(match)
    return parse_with_grammar(start, text)


@memo.once
def _fast_paths_for(start: str) -> Tuple[FastPath, ...]:
    """The fast paths a cell of `start` tries, in order (a `Connected to` cell: bare, then listed)."""
    keys = (start, "connected_list") if start == "connected_cell" else (start,)
    return tuple(_fast_path(key) for key in keys if key in FAST_KEYS)


#: a `Connected to` cell of one plain reference, bare or listed (`x[0][0]`, `['x[0][0]']`): what a
#: long chain of layers prints on every row (narrower than the grammar's REF; tests check they agree).
ONE_LINK = re.compile(r"(?P<open>\[[ \t\f\r\n]*')?(?P<ref>(?P<name>[^\s()\[\],'\"…]+)\[(?P<node>[0-9]{1,18})\]"
                      r"\[(?P<tensor>[0-9]{1,18})\])(?(open)'[ \t\f\r\n]*\])")


def read_connected_cell(text: str) -> Tuple[Inbound, ...]:
    """`parse_cell("connected_cell", text)`, a cell of one plain reference read at once: the
    commonest of all (`name[0][0]`, `['name[0][0]']`, with a plain identifier) without a
    regular expression."""
    ref = text[2:-2] if text[:2] == "['" and text[-2:] == "']" else text
    name, _, indexes = ref.partition("[")
    if indexes == "0][0]" and name.isidentifier():
        return (_NEW_INBOUND((name, 0, 0, ref)),)
    match = ONE_LINK.fullmatch(text)
    if match is not None:
        _, ref, name, node, tensor = match.groups()
        return (_NEW_INBOUND((name, int(node), int(tensor), ref)),)
    return parse_cell("connected_cell", text)  # type: ignore[no-any-return]


#: `Inbound(...)` from a tuple of its four fields, made in C.
_NEW_INBOUND = partial(tuple.__new__, Inbound)


def layer_cell_parts(text: str) -> Tuple[Optional[str], Optional[str], bool]:
    """`parse_cell("layer_cell", text)` as (name, type, type_cut), the fast path tried first:
    a layer cell (a name) is never memoized, and a long table's rows need no `LayerCell`.
    `name (Type)` or `name (Typ` cut, both plain identifiers, are read without a regular
    expression (the commonest cell of all)."""
    name, paren, rest = text.partition(" (")
    if paren:
        closed = rest[-1:] == ")"
        typ = rest[:-1] if closed else rest
        if typ.isidentifier() and typ[0] in TYPE_STARTS and name.isidentifier():
            return name, typ, not closed
    paths = _fast_paths_for("layer_cell")
    if len(paths) == 1:
        match = paths[0][0].fullmatch(text)
        if match is not None:
            return _layer_parts(match)
    cell = parse_cell("layer_cell", text)
    return cell.name, cell.type, cell.type_cut


#: what the grammar's TYPE begins with.
TYPE_STARTS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


@memo.cached(maxsize=200_000)
def read_shape_cell(text: str) -> ShapeCell:
    """A shape cell's reading with its cut end completed, memoized: shapes repeat down a table."""
    return complete_cut_shape(parse_cell("shape_cell", text), text)


def parse_with_grammar(start: str, text: str) -> Any:
    """The grammar's reading of a cell, memoized, failures too: cell texts repeat a lot in
    real tables, and so do broken lines in a damaged paste."""
    read, value = _grammar_reading(start, text)
    if read:
        return value
    raise CellError(str(value), value.column)


@memo.cached(maxsize=65536)
def _grammar_reading(start: str, text: str) -> Tuple[bool, Any]:
    from .lark_parser import parse

    try:
        return True, parse(start, text)
    except CellError as error:
        return False, error
