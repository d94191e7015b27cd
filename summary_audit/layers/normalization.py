"""Normalization layers: BatchNormalization's 4·C of which the moving mean and variance
(2·C) are not trained; LayerNormalization and GroupNormalization's gamma and beta;
the Normalization preprocessing layer's mean, variance and count."""

from __future__ import annotations

from dataclasses import replace

from typing import Any, Iterable, Mapping, Optional, Sequence

from ..model import Candidate, Shape
from .base import LayerCall, LayerQuery, LayerSpec, channels, fmt, register

AFFINE = ((True, True), (True, False), (False, True), (False, False))


def _affine_text(center: bool, scale: bool) -> str:
    parts = [name for name, on in (("gamma", scale), ("beta", center)) if on]
    return " + ".join(parts) if parts else "no affine weights"


class NormalizationSpec(LayerSpec):
    """gamma and/or beta per feature; `moving` extra non-trainable vectors per feature."""

    moving = 0

    def default_input(self, output: Shape, data_format: str = "channels_last") -> Optional[Shape]:
        """A normalization keeps its input's shape: a first row's output is its input."""
        return output

    def features(self, shape: Shape, data_format: str) -> Optional[int]:
        return shape[-1]

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        axis = config.get("axis")
        c = (shape[axis] if isinstance(axis, int) and -len(shape) <= axis < len(shape) else
             self.features(shape, data_format)) or 0
        center, scale = bool(config.get("center", True)), bool(config.get("scale", True))
        trainable = c * (int(center) + int(scale))
        frozen = c * self.moving
        params = trainable + frozen
        vectors = int(center) + int(scale) + self.moving
        text = f"{vectors} * {fmt(c)} = {fmt(params)} ({_affine_text(center, scale)}"
        text += ", moving mean + variance not trained)" if self.moving else ")"
        return Candidate(config=dict(config), params=params, output_shape=shape, explanation=text,
                         trainable_params=trainable, non_trainable_params=frozen)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape = query.input_shape
        if shape is None:
            shape = query.single_output
            if shape is None:
                return []
        found = []
        for rank, (center, scale) in enumerate(AFFINE):
            c = self.forward({"center": center, "scale": scale, **self.axis_config(shape, query.data_format)},
                             [shape], query.data_format)
            found.append(replace(c, rank=float(rank)))
        exact = [c for c in found if c.params == query.params]
        return exact or self.other_axes(shape, query) or found[:1]

    def other_axes(self, shape: Shape, query: LayerQuery) -> list:
        """Readings that normalize over another axis than the features' (`axis=1` on an image):
        asked only when the usual axis does not fit the count."""
        return []

    def axis_config(self, shape: Shape, data_format: str) -> Mapping[str, Any]:
        return {}


@register
class BatchNormalization(NormalizationSpec):
    names = ("BatchNormalization",)
    moving = 2

    def features(self, shape: Shape, data_format: str) -> Optional[int]:
        return channels(shape, data_format) if len(shape) > 2 else shape[-1]

    def axis_config(self, shape: Shape, data_format: str) -> Mapping[str, Any]:
        return {"axis": 1} if data_format == "channels_first" and len(shape) > 2 else {}

    def other_axes(self, shape: Shape, query: LayerQuery) -> list:
        found = []
        for axis in range(1, len(shape)):
            c = self.forward({"axis": axis}, [shape], query.data_format)
            if c.params == query.params and shape[axis] is not None:
                found.append(replace(c, rank=float(len(AFFINE) + axis),
                                     note=f"normalizes over axis {axis} ({shape[axis]}), not the channels"))
        return found


@register
class LayerNormalization(NormalizationSpec):
    names = ("LayerNormalization",)


@register
class GroupNormalization(NormalizationSpec):
    names = ("GroupNormalization",)

    def features(self, shape: Shape, data_format: str) -> Optional[int]:
        return channels(shape, data_format) if len(shape) > 2 else shape[-1]

    def keras_layer(self, config: Mapping[str, Any], data_format: str = "channels_last") -> LayerCall:
        """The count does not depend on `groups`, but Keras needs one that divides the channels."""
        call = super().keras_layer(config, data_format)
        shape = config.get("input_shape")
        width = self.features(tuple(shape), data_format) if isinstance(shape, (tuple, list)) else None
        if "groups" in call.args or not width:
            return call
        groups = max(g for g in range(1, min(width, 32) + 1) if width % g == 0)
        return LayerCall(call.class_name, {**call.args, "groups": groups})


@register
class Normalization(LayerSpec):
    """The preprocessing layer: mean and variance per feature plus a count, none trained."""

    names = ("Normalization",)

    def default_input(self, output: Shape, data_format: str = "channels_last") -> Optional[Shape]:
        return output

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        c = shape[-1] or 0
        params = 2 * c + 1
        return Candidate(config=dict(config), params=params, output_shape=shape,
                         explanation=f"2 * {fmt(c)} + 1 = {fmt(params)} (mean, variance, count; not trained)",
                         trainable_params=0, non_trainable_params=params)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape = query.input_shape or query.single_output
        if shape is None:
            return []
        return [self.forward({}, [shape])]
