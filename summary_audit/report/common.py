"""Formatting shared by every renderer: shapes, counts and marks as a person reads them."""

from __future__ import annotations

from typing import Any, List, Optional, Union

from ..model import OutputShape, Status, is_multi
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
