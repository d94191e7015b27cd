"""Dense, EinsumDense and Embedding: `6,272*512 + 512 = 3,211,776`."""

from __future__ import annotations

from dataclasses import replace

import re
from typing import Any, Dict, Iterable, Iterator, Mapping, Optional, Sequence, Tuple

from ..model import Candidate, Shape
from .base import LayerQuery, LayerSpec, fmt, product, register


@register
class Dense(LayerSpec):
    """inputs*units weights plus units biases, applied to the last axis."""

    names = ("Dense",)

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        units, bias = int(config["units"]), bool(config.get("use_bias", True))
        d_in = shape[-1]
        params = None if d_in is None else d_in * units + (units if bias else 0)
        text = f"{fmt(d_in) if d_in is not None else '?'}*{fmt(units)}" + (f" + {fmt(units)}" if bias else "")
        return Candidate(config=dict(config), params=params, output_shape=tuple(shape[:-1]) + (units,),
                         explanation=f"{text} = {fmt(params)}" if params is not None else text,
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        out = query.single_output
        shape = query.input_shape
        if query.output_shape is None:
            return list(self._units_from_count(query, shape))
        if out is None or not out or out[-1] is None:
            return []
        units = out[-1]
        if shape is None:
            return list(self._first_layer(query, out, units))
        if not shape:
            return []
        found = [self._ranked({"units": units, "use_bias": bias}, shape, rank)
                 for bias, rank in ((True, 0.0), (False, 1.0))]
        exact = [c for c in found if c.params == query.params]
        return exact or found[:1]

    def _units_from_count(self, query: LayerQuery, shape: Optional[Shape]) -> Iterator[Candidate]:
        """No printed width: the units that the input and the Param # allow."""
        if shape is None or not shape or shape[-1] is None or not query.params:
            return
        for bias, rank in ((True, 0.0), (False, 1.0)):
            per_unit = shape[-1] + (1 if bias else 0)
            if per_unit and query.params % per_unit == 0:
                yield self._ranked({"units": query.params // per_unit, "use_bias": bias}, shape, rank)

    def _ranked(self, config: Dict[str, Any], shape: Shape, rank: float) -> Candidate:
        c = self.forward(config, [shape])
        return Candidate(config=c.config, params=c.params, output_shape=c.output_shape, explanation=c.explanation,
                         trainable_params=c.params, non_trainable_params=0, rank=rank)

    def _first_layer(self, query: LayerQuery, out: Shape, units: int) -> Iterator[Candidate]:
        if query.params is None:
            return
        for bias, rank in ((True, 0.0), (False, 1.0)):
            rest = query.params - (units if bias else 0)
            if rest > 0 and rest % units == 0:
                shape = tuple(out[:-1]) + (rest // units,)
                c = self._ranked({"units": units, "use_bias": bias}, shape, rank)
                yield Candidate(config={**c.config, "input_shape": shape}, params=c.params,
                                output_shape=c.output_shape, explanation=c.explanation, trainable_params=c.params,
                                non_trainable_params=0, rank=rank,
                                note=f"input of {rest // units} features reconstructed: no input row")


@register
class Embedding(LayerSpec):
    """A table of input_dim vectors of output_dim numbers."""

    names = ("Embedding",)
    integer_inputs = True

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0] if input_shapes else (None, None)
        vocabulary, width = int(config["input_dim"]), int(config["output_dim"])
        params = vocabulary * width
        return Candidate(config=dict(config), params=params, output_shape=tuple(shape) + (width,),
                         explanation=f"{fmt(vocabulary)}*{fmt(width)} = {fmt(params)}",
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        out = query.single_output
        if out is None or not out or out[-1] is None:
            return []
        width = out[-1]
        shape = query.input_shape if query.input_shape is not None else tuple(out[:-1])
        if query.params is not None and query.params % width == 0 and query.params:
            vocabulary = query.params // width
        else:
            vocabulary = max(round((query.params or 0) / width), 1)
        c = self.forward({"input_dim": vocabulary, "output_dim": width}, [shape])
        config = dict(c.config)
        if query.input_shape is None:
            config["input_shape"] = shape
        return [Candidate(config=config, params=c.params, output_shape=c.output_shape, explanation=c.explanation,
                          trainable_params=c.params, non_trainable_params=0)]


@register
class EinsumDense(LayerSpec):
    """A kernel shaped by an einsum equation; the count is the kernel's cells (plus a bias)."""

    names = ("EinsumDense",)

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        equation = str(config["equation"])
        shape = input_shapes[0]
        out_spec = tuple(config["output_shape"]) if isinstance(config["output_shape"], (list, tuple)) \
            else (config["output_shape"],)
        kernel, out = _einsum_shapes(equation, shape, out_spec)
        bias_axes = str(config.get("bias_axes") or "")
        bias = _bias_size(equation, bias_axes, out) if bias_axes else 0
        params = None if kernel is None else product(kernel) + bias
        text = ("*".join(str(k) for k in kernel) if kernel else "?") + (f" + {bias}" if bias else "")
        return Candidate(config=dict(config), params=params, output_shape=out,
                         explanation=f"kernel {text} = {fmt(params)}" if params is not None else None,
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        """The equation is not printed. The usual one maps the last axis like a Dense layer
        (`...b,bc->...c`); otherwise the axes the input and output share up front are kept
        and the rest contracted into new ones (`abc,cde->abde`: attention's projections), with
        a bias on all new axes, on the last, or none."""
        shape, out = query.input_shape, query.single_output
        unknown = Candidate(config={}, params=None, output_shape=None,
                            explanation="EinsumDense: the kernel shape depends on its equation, not printed")
        if shape is None or out is None or shape[-1] is None or out[-1] is None:
            return [unknown]
        found = []
        for bias in (True, False):
            config = {"equation": "...b,bc->...c", "output_shape": out[-1], "bias_axes": "c" if bias else None}
            found.append(replace(self.forward(config, [shape]), rank=0.0 if bias else 1.0))
        found.extend(self._contractions(shape, out))
        return found + [unknown]

    def _contractions(self, shape: Shape, out: Shape) -> Iterator[Candidate]:
        kept = 0
        while kept + 2 < min(len(shape), len(out)) and shape[kept + 1] == out[kept + 1]:
            kept += 1
        contracted, new = shape[1 + kept:], out[1 + kept:]
        if not contracted or not new or None in contracted or None in new or len(contracted) + len(new) <= 2:
            return
        letters = "abcdefghijklmnopqrstuvwxyz"
        front, inner = letters[:1 + kept], letters[1 + kept:1 + kept + len(contracted)]
        fresh = letters[1 + kept + len(contracted):1 + kept + len(contracted) + len(new)]
        equation = f"{front}{inner},{inner}{fresh}->{front}{fresh}"
        for bias_axes, rank in ((fresh, 0.2), (fresh[-1:], 0.6), (None, 1.2)):
            config = {"equation": equation, "output_shape": tuple(out[1:]), "bias_axes": bias_axes}
            yield replace(self.forward(config, [shape]), rank=rank)


def _einsum_shapes(equation: str, shape: Shape, out_spec: Tuple[Any, ...]) -> Tuple[Optional[Tuple[int, ...]], Shape]:
    match = re.fullmatch(r"(\.\.\.)?(\w*),(\w+)->(\.\.\.)?(\w*)", equation.replace(" ", ""))
    if match is None:
        return None, shape
    sizes: Dict[str, Optional[int]] = {}
    input_letters, kernel_letters, output_letters = match.group(2), match.group(3), match.group(5)
    for letter, dim in zip(reversed(input_letters), reversed(shape)):
        sizes[letter] = dim
    for letter, dim in zip(reversed(output_letters), reversed(out_spec)):
        if dim is not None:
            sizes[letter] = dim
    kernel = tuple(sizes.get(letter) for letter in kernel_letters)
    # with `...` the leading axes pass through; without it the batch axis has a letter too
    out = tuple(shape[:len(shape) - len(input_letters)]) if match.group(1) else ()
    out = out + tuple(sizes.get(letter) for letter in output_letters)
    return (None if None in kernel else kernel), out  # type: ignore[return-value]


def _bias_size(equation: str, bias_axes: str, out: Shape) -> int:
    output_letters = equation.split("->")[-1].replace("...", "")
    dims = {letter: dim for letter, dim in zip(reversed(output_letters), reversed(out))}
    return product(dims.get(letter) or 0 for letter in bias_axes)
