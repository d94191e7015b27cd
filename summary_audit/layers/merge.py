"""Merges: elementwise ones keep the (broadcast) shape, Concatenate adds along its axis."""

from __future__ import annotations

from dataclasses import replace

from typing import Any, Iterable, List, Mapping, Optional, Sequence

from ..model import Candidate, Shape
from .base import REGISTRY, LayerQuery, LayerSpec, register


class Elementwise(LayerSpec):
    has_weights = False
    several_inputs = True

    def __init__(self, name: str) -> None:
        self.names = (name,)

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        out = _broadcast(input_shapes)
        return Candidate(config={}, params=0, output_shape=out,
                         explanation=f"no weights: {len(input_shapes)} inputs combined elementwise",
                         trainable_params=0, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        """None when the inputs cannot be combined (`Add` of 3 and 16 channels): Keras refuses
        such a call, so no configuration fits and the row is flagged."""
        if not query.input_shapes or _broadcast(query.input_shapes) is None:
            return []
        return [self.forward({}, query.input_shapes)]


    def refusal(self, input_shapes: Sequence[Shape]) -> Optional[str]:
        if len(input_shapes) < 2 or _broadcast(input_shapes) is not None:
            return None
        rank = max(len(s) for s in input_shapes)
        for axis in range(1, rank):
            sizes = [s[axis - rank + len(s)] for s in input_shapes if axis - rank + len(s) >= 0]
            if len({d for d in sizes if d is not None and d != 1}) > 1:
                listed = " vs ".join(str(d) for d in sizes)
                return f"{self.names[0]} needs inputs of one shape, but they differ on axis {axis} ({listed})"
        return None


def _broadcast(shapes: Sequence[Shape]) -> Optional[Shape]:
    """The elementwise result's shape; None when two inputs have different sizes (neither 1)
    on one axis."""
    rank = max(len(s) for s in shapes)
    out: List[Optional[int]] = []
    for axis in range(rank):
        dims = [s[axis - rank + len(s)] for s in shapes if axis - rank + len(s) >= 0]
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            return None
        out.append(known.pop() if known else (None if None in dims else max(dims, default=1)))  # type: ignore
    return tuple(out)


for _name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
    REGISTRY.register(Elementwise(_name))


@register
class Concatenate(LayerSpec):
    names = ("Concatenate",)
    has_weights = False
    several_inputs = True

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        axis = int(config.get("axis", -1))
        first = list(input_shapes[0])
        sizes = [s[axis] for s in input_shapes]
        first[axis] = None if None in sizes else sum(sizes)  # type: ignore[arg-type]
        text = " + ".join(str(s) for s in sizes)
        return Candidate(config={"axis": axis}, params=0, output_shape=tuple(first),
                         explanation=f"no weights: joins along axis {axis}: {text} = {first[axis]}",
                         trainable_params=0, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shapes = query.input_shapes
        if not shapes or len({len(s) for s in shapes}) != 1:
            return []
        rank = len(shapes[0])
        found = [self.forward({"axis": -1}, shapes)]
        for axis in range(1, rank - 1):
            c = self.forward({"axis": axis}, shapes)
            found.append(replace(c, rank=1.0))
        return found


@register
class Dot(LayerSpec):
    names = ("Dot",)
    has_weights = False
    several_inputs = True

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        axes = config.get("axes", -1)
        a, b = input_shapes[0], input_shapes[1]
        axes = (axes, axes) if isinstance(axes, int) else tuple(axes)
        first = axes[0] % len(a)
        second = axes[1] % len(b)
        out = tuple(d for i, d in enumerate(a) if i != first) + tuple(d for i, d in enumerate(b) if i not in (0, second))
        if len(out) == 1:
            out = out + (1,)
        return Candidate(config={"axes": axes}, params=0, output_shape=out,
                         explanation=f"no weights: dot product over axes {axes}", trainable_params=0,
                         non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shapes = query.input_shapes
        if len(shapes) != 2:
            return []
        found = []
        for first in range(1, len(shapes[0])):
            for second in range(1, len(shapes[1])):
                if shapes[0][first] == shapes[1][second]:
                    found.append(self.forward({"axes": (first, second)}, shapes))
        return found or [self.forward({"axes": -1}, shapes)]


@register
class Merge(LayerSpec):
    """Keras 1's one merge layer for every mode: sum, mul, ave, max, concat, dot, cos."""

    names = ("Merge",)
    keras1_names = ("Merge",)
    libraries = frozenset()
    has_weights = False
    several_inputs = True

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        if config.get("mode") == "concat":
            c = Concatenate().forward({"axis": config.get("concat_axis", -1)}, input_shapes)
        else:
            c = Elementwise("Add").forward({}, input_shapes)
        return replace(c, config=dict(config))

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        if not query.input_shapes:
            return []
        elementwise = _broadcast(query.input_shapes) is not None
        found = [self.forward({"mode": "sum"}, query.input_shapes)] if elementwise else []
        joins = Concatenate().candidates(query)
        found += [replace(c, config={"mode": "concat", "concat_axis": c.config["axis"]}, rank=c.rank + 0.5)
                  for c in joins]
        products = Dot().candidates(query) if len(query.input_shapes) == 2 else []
        found += [replace(c, config={"mode": "dot", "dot_axes": c.config["axes"]}, rank=c.rank + 1.0)
                  for c in products]
        first = query.input_shapes[0]
        found.append(Candidate(config={"mode": "cos"}, params=0, output_shape=(first[0], 1),
                               explanation="no weights: cosine of two inputs", trainable_params=0,
                               non_trainable_params=0, rank=1.5))
        return found
