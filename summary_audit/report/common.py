"""Formatting shared by every renderer: shapes, counts and marks as a person reads them."""

from __future__ import annotations

from typing import Any, List, Optional, Union

from ..model import OutputShape, Status, is_multi

MARKS = {"ok": "ok", "mismatch": "MISMATCH", "unverified": "?"}


def shape_text(shape: OutputShape) -> str:
    if shape is None:
        return ""
    if isinstance(shape, str):
        return shape
    if is_multi(shape):
        return "[" + ", ".join(shape_text(s) for s in shape) + "]"  # type: ignore[arg-type]
    dims = ", ".join("None" if d is None else str(d) for d in shape)  # type: ignore[union-attr]
    return f"({dims},)" if len(shape) == 1 else f"({dims})"  # type: ignore[arg-type]


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
