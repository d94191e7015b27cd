"""Shapes as the tool reads, compares and writes them: one home for each of those questions.

A shape is a tuple of dims with its batch dim (`(None, 28, 28, 1)`, a None for an unknown
dim); several outputs are a tuple of such tuples; a printer's word (`multiple`, `?`) stays a
string, and an unknown shape is None (`model.OutputShape`).
"""

from __future__ import annotations

from typing import Iterable

from .model import OutputShape, is_multi

__all__ = ["is_multi", "one_output", "prefix_shape", "same_shape", "shape_text", "shapes_text"]


def one_output(shape: OutputShape) -> OutputShape:
    """tf.keras prints one output in a list (`[(None, 28, 28, 1)]`): that is the one shape;
    any other shape is returned as it is."""
    if isinstance(shape, tuple) and len(shape) == 1 and isinstance(shape[0], tuple):
        return shape[0]  # type: ignore[no-any-return]
    return shape


def shape_text(shape: OutputShape) -> str:
    """A shape the way Keras prints it: `(None, 28, 28, 1)`, `(None,)`, several as
    `[(None, 3), (None, 4)]`, a word as printed, an unknown shape as ''."""
    if shape is None:
        return ""
    if isinstance(shape, str):
        return shape
    if is_multi(shape):
        return "[" + ", ".join(shape_text(s) for s in shape) + "]"  # type: ignore[arg-type]
    dims = ", ".join("None" if d is None else str(d) for d in shape)  # type: ignore[union-attr]
    return f"({dims},)" if len(shape) == 1 else f"({dims})"  # type: ignore[arg-type]


def shapes_text(shapes: Iterable[OutputShape]) -> str:
    """Several shapes in a sentence (a layer's inputs): each as `shape_text`, comma-separated."""
    return ", ".join(shape_text(shape) for shape in shapes)


def prefix_shape(printed: OutputShape, derived: OutputShape) -> bool:
    """A shape cut at the column edge (`[(None, 10, 6), (Non`) agrees with what it begins."""
    if not isinstance(printed, tuple) or not isinstance(derived, tuple):
        return False
    if is_multi(printed):
        if not is_multi(derived) or len(printed) > len(derived):  # type: ignore[arg-type]
            return False
        whole = all(same_shape(p, d) for p, d in zip(printed[:-1], derived))  # type: ignore[arg-type]
        return whole and prefix_shape(printed[-1], derived[len(printed) - 1])  # type: ignore[index]
    if is_multi(derived):
        return prefix_shape(printed, derived[0])  # type: ignore[index]
    return len(printed) <= len(derived) and all(p is None or d is None or p == d for p, d in zip(printed, derived))


def same_shape(a: OutputShape, b: OutputShape) -> bool:
    """Shapes equal, a None on either side matching anything (unknown dims)."""
    if isinstance(a, str) or isinstance(b, str) or a is None or b is None:
        return False
    if is_multi(a) != is_multi(b):
        return False
    if is_multi(a):
        return len(a) == len(b) and all(same_shape(x, y) for x, y in zip(a, b))  # type: ignore[arg-type]
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))  # type: ignore[arg-type]
