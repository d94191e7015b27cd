"""Layers only older Keras versions had: Keras 1's Highway, MaxoutDense, TimeDistributedDense,
ParametricSoftplus and SReLU (later in keras-contrib)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ..model import Candidate, Shape
from .base import LayerQuery, LayerSpec, fmt, product, register


@register
class Highway(LayerSpec):
    """A gated dense layer: transform and carry weights, d*d + d each."""

    names = ("Highway",)
    libraries = frozenset()

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        d = input_shapes[0][-1] or 0
        params = 2 * (d * d + d)
        return Candidate(config=dict(config), params=params, output_shape=input_shapes[0],
                         explanation=f"2 * ({fmt(d)}*{fmt(d)} + {fmt(d)}) = {fmt(params)}",
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        return [self.forward({}, query.input_shapes)] if query.input_shape else []


@register
class MaxoutDense(LayerSpec):
    """nb_feature dense layers side by side, the maximum kept."""

    names = ("MaxoutDense",)
    libraries = frozenset()

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        d, units, pieces = input_shapes[0][-1] or 0, int(config["output_dim"]), int(config["nb_feature"])
        params = pieces * (d * units + units)
        return Candidate(config=dict(config), params=params, output_shape=(input_shapes[0][0], units),
                         explanation=f"{pieces} * ({fmt(d)}*{fmt(units)} + {fmt(units)}) = {fmt(params)}",
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape, out = query.input_shape, query.single_output
        if shape is None or out is None or not out[-1] or query.params is None:
            return []
        units, d = out[-1], shape[-1] or 0
        one = d * units + units
        pieces = max(round(query.params / one), 1) if one else 1
        return [self.forward({"output_dim": units, "nb_feature": pieces}, [shape])]


class PerPosition(LayerSpec):
    """Activations with learned parameters for every input position."""

    per_position = 1

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        dims = [d or 0 for d in input_shapes[0][1:]]
        params = self.per_position * product(dims)
        text = f"{self.per_position} * {'*'.join(map(str, dims))} = {fmt(params)}"
        return Candidate(config=dict(config), params=params, output_shape=input_shapes[0], explanation=text,
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        return [self.forward({}, query.input_shapes)] if query.input_shape else []


@register
class ParametricSoftplus(PerPosition):
    names = ("ParametricSoftplus",)
    libraries = frozenset()
    per_position = 2


@register
class SReLU(PerPosition):
    names = ("SReLU",)
    libraries = frozenset()
    per_position = 4


@register
class TimeDistributedDense(LayerSpec):
    """Keras 1's Dense applied to every step."""

    names = ("TimeDistributedDense",)
    libraries = frozenset()

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        units, d = int(config["output_dim"]), shape[-1] or 0
        params = d * units + units
        return Candidate(config=dict(config), params=params, output_shape=tuple(shape[:-1]) + (units,),
                         explanation=f"{fmt(d)}*{fmt(units)} + {fmt(units)} = {fmt(params)}",
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape, out = query.input_shape, query.single_output
        if shape is None or out is None or not out[-1]:
            return []
        return [self.forward({"output_dim": out[-1]}, [shape])]
