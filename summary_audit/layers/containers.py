"""Models used as layers: their Param # is the sum of their own layers, which the inference
engine adds up from the nested rows when the table shows them (expand_nested)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ..model import Candidate, Shape
from .base import LayerQuery, LayerSpec, register


class ContainerSpec(LayerSpec):
    is_container = True

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        return Candidate(config={}, params=None, output_shape=None, explanation=None)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        return []


@register
class Sequential(ContainerSpec):
    names = ("Sequential",)


@register
class Functional(ContainerSpec):
    names = ("Functional", "Model")
    #: Keras 3 names it `functional_1`, tf.keras `model_1`.
    other_stems = ("model",)
