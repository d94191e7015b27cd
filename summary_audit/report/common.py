"""Formatting shared by every renderer: shapes, counts and marks as a person reads them."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Union

from ..model import AppliedRepair, OutputShape, Status, is_multi
from .. import shapes

MARKS = {"ok": "ok", "mismatch": "MISMATCH", "unverified": "?"}
#: a shape as Keras prints it (its one home is shapes.py).
shape_text = shapes.shape_text


def shape_json(shape: OutputShape) -> Union[None, str, List[Any]]:
    """Shapes as JSON lists: one shape → [null, 28, 28, 1]; several → a list of those."""
    if shape is None or isinstance(shape, str):
        return shape
    if is_multi(shape):
        return [list(s) for s in shape]  # type: ignore[union-attr]
    return list(shape)  # type: ignore[arg-type]


def count_text(value: Optional[int]) -> str:
    return "" if value is None else f"{value:,}"


def mark(status: Status) -> str:
    return MARKS[status]


#: how many line ranges of one repair kind the text report names before it says "…".
SHOWN_RANGES = 4


def repairs_text(repairs: Sequence[AppliedRepair]) -> Optional[str]:
    """The repairs made to read a table, as one line a person reads (kinds in the order first
    met, each with its lines): `repaired to read it: tabs (lines 3-20), stray-bytes (line 9,
    column 17)`; None when nothing was repaired."""
    if not repairs:
        return None
    by_kind: Dict[str, List[AppliedRepair]] = {}
    for repair in repairs:
        by_kind.setdefault(repair.kind, []).append(repair)
    return "repaired to read it: " + ", ".join(f"{kind} ({_where(found)})" for kind, found in by_kind.items())


def _where(repairs: List[AppliedRepair]) -> str:
    if len(repairs) == 1 and repairs[0].column is not None:
        return f"line {repairs[0].line}, column {repairs[0].column}"
    lines = sorted({repair.line for repair in repairs})
    ranges: List[List[int]] = []
    for line in lines:
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    shown = [f"{a}-{b}" if a != b else str(a) for a, b in ranges[:SHOWN_RANGES]]
    more = ", …" if len(ranges) > SHOWN_RANGES else ""
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(shown) + more
