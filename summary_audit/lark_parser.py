"""The grammar's Lark parser, and what its parse trees mean as plain values.

Imported by `grammar` only when a cell misses its fast paths: a table whose every cell takes
one never imports Lark at all (importing it was most of the command's own start-up).
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from lark import Lark, Token, Transformer, UnexpectedInput

from . import memo
from .grammar import (START_SYMBOLS, UNIT_BYTES, MAX_DIGITS, CellError, LayerCell, ParamsCell, ShapeCell,
                      StreamRow, TotalsLine, count_value, inbound_ref, grammar_text)
from .model import Inbound

#: the notes Keras prints beside a count (`0 (unbuilt)`, tf.keras `0 (unused)`).
PARAMS_NOTES = ("unbuilt", "unused")


@memo.once
def parser() -> Lark:
    """The LALR parser of every start symbol, built once (from Lark's own cache file after the first run)."""
    return Lark(grammar_text(), parser="lalr", lexer="contextual",
                start=list(START_SYMBOLS), transformer=_ToValues(), propagate_positions=False,
                cache=True, maybe_placeholders=False)


def parse(start: str, text: str) -> Any:
    """One cell read by the grammar from `start`; a `CellError` at the column of the trouble."""
    try:
        return parser().parse(text, start=start)
    except UnexpectedInput as exc:
        column = max(getattr(exc, "column", 1) or 1, 1) - 1
        raise CellError(_describe(exc, text, start), column) from None


def _describe(exc: UnexpectedInput, text: str, start: str) -> str:
    what = start.replace("_", " ")
    column = max(getattr(exc, "column", 1) or 1, 1) - 1
    if column >= len(text.rstrip()):
        return f"{what} ends too early: {text.strip()!r}"
    return f"unexpected {text[column:column + 12]!r} in {what} {text.strip()!r}"


class _ToValues(Transformer):
    """Parse tree → plain values; runs inline with the LALR parser."""

    def layer_cell(self, children: List[Any]) -> LayerCell:
        nested = any(isinstance(c, Token) and c.type == "NEST" for c in children)
        name = next((str(c) for c in children if isinstance(c, Token) and c.type in ("NAME", "LAYER_NAME")), None)
        typ = next((c for c in children if isinstance(c, tuple)), None)
        return LayerCell(name=name, type=typ[0] if typ else None,
                         type_cut=bool(typ and typ[1]), nested=nested)

    def layer_type(self, children: List[Token]) -> Tuple[Optional[str], bool]:
        text = next((str(c) for c in children if c.type == "TYPE"), None)
        closed = any(c.type == "CLOSE" for c in children)
        cut = not closed or (text is not None and text.endswith("…"))
        return (text.rstrip("…") if text else None, cut)

    def dim_int(self, children: List[Token]) -> int:
        return count_value(children[0])

    def dim_none(self, children: List[Token]) -> None:
        return None

    def shape(self, children: List[Any]) -> ShapeCell:
        closed = bool(children) and isinstance(children[-1], Token) and children[-1].type in ("CLOSE", "CLOSE_LIST")
        dims = [c for c in children if not (isinstance(c, Token) and c.type in ("CLOSE", "CLOSE_LIST"))]
        return ShapeCell(shape=tuple(dims), cut=not closed, open_end=not closed)

    def dict_entry(self, children: List[Any]) -> ShapeCell:
        return children[-1]  # type: ignore[no-any-return]  # (the shape; the output's key is a name only)

    def shape_list(self, children: List[Any]) -> ShapeCell:
        shapes = [c for c in children if isinstance(c, ShapeCell)]
        closed = isinstance(children[-1], Token) and children[-1].type in ("CLOSE_LIST", "CLOSE", "CLOSE_DICT")
        return ShapeCell(shape=tuple(s.shape for s in shapes),
                         cut=not closed or any(s.cut for s in shapes), open_end=shapes[-1].cut)

    def shape_cell(self, children: List[ShapeCell]) -> ShapeCell:
        return children[0]

    def shape_word(self, children: List[Token]) -> ShapeCell:
        return ShapeCell(shape=str(children[0]), cut=False)

    def note(self, children: List[Token]) -> str:
        return str(children[0])

    def cut_note(self, children: List[Token]) -> str:
        """`(unb…`: the note it begins (Keras 3 writes one, `unbuilt`), else as printed."""
        stem = str(children[0]).rstrip("…")
        return next((note for note in PARAMS_NOTES if note.startswith(stem)), stem)

    def params_cell(self, children: List[Any]) -> ParamsCell:
        return ParamsCell(count=count_value(children[0]), note=children[1] if len(children) > 1 else None)

    def params_cut(self, children: List[Any]) -> ParamsCell:
        return ParamsCell(count=None, note="cut")

    def no_inbound(self, children: List[Any]) -> Tuple[Inbound, ...]:
        return ()

    def quoted_ref(self, children: List[Token]) -> Inbound:
        return inbound_ref(str(children[0]))

    def inbound_list(self, children: List[Any]) -> Tuple[Inbound, ...]:
        return tuple(c if isinstance(c, Inbound) else inbound_ref(str(c)) for c in children)

    def connected_cell(self, children: List[Any]) -> Tuple[Inbound, ...]:
        return children[0]

    def trainable_cell(self, children: List[Token]) -> Optional[bool]:
        return str(children[0]) == "Y"

    def no_flag(self, children: List[Any]) -> None:
        return None

    def model_line(self, children: List[Token]) -> Optional[str]:
        return str(children[0]).strip('"') if children else None

    def size(self, children: List[Token]) -> float:
        digits = str(children[0]).replace(",", "")
        if len(digits) > MAX_DIGITS:  # toward float's range: infinity would travel on to the report
            raise CellError(f"a size of {len(digits):,} digits: too long to be a size", 0)
        return float(digits) * UNIT_BYTES.get(str(children[1]).upper(), 1)

    def totals_line(self, children: List[Any]) -> TotalsLine:
        kind = str(children[0]).lower().replace("-", "_")
        return TotalsLine(kind=kind, count=count_value(children[1]),
                          size_bytes=next((c for c in children[2:] if isinstance(c, float)), None))

    def row(self, children: List[Any]) -> StreamRow:
        layer, shape, params = children[0], children[1], children[2]
        rest = children[3:]
        inbound = next((c for c in rest if isinstance(c, tuple)), ())
        flags = [c for c in rest if not isinstance(c, tuple)]
        return StreamRow(layer=layer, shape=shape, params=params, inbound=inbound,
                         trainable=flags[0] if flags else None)

    def rows(self, children: List[StreamRow]) -> List[StreamRow]:
        return children
