"""Pooling: no weights, a window whose strides default to its size (`148 / 2 = 74`)."""

from __future__ import annotations

from dataclasses import replace
from itertools import product as cartesian
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple

from ..model import Candidate, Shape
from .base import LayerQuery, LayerSpec, channels, conv_output_length, register, spatial_dims, with_spatial


class PoolingSpec(LayerSpec):
    has_weights = False
    takes_data_format = True
    rank = 2

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        pool = tuple(config.get("pool_size", (2,) * self.rank))
        strides = tuple(config.get("strides") or pool)
        padding = config.get("padding", "valid")
        spatial = [conv_output_length(length, p, padding, s) for length, p, s in
                   zip(spatial_dims(shape, data_format), pool, strides)]
        out = with_spatial(shape[0], spatial, channels(shape, data_format), data_format)
        return Candidate(config=dict(config), params=0, output_shape=out,
                         explanation=_explain(spatial_dims(shape, data_format), spatial, pool, strides, padding),
                         trainable_params=0, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape, out = query.input_shape, query.single_output
        if shape is None or len(shape) != self.rank + 2:
            return []
        if out is None or len(out) != self.rank + 2:
            return [self.forward({"pool_size": (2,) * self.rank}, [shape], query.data_format)]
        ins, outs = spatial_dims(shape, query.data_format), spatial_dims(out, query.data_format)
        found = [self._ranked(window, shape, query, rank) for window, rank in _windows(ins, outs)[:6]]
        return found or [self.forward({"pool_size": (2,) * self.rank}, [shape], query.data_format)]

    def _ranked(self, window: Tuple[Tuple[int, ...], Tuple[int, ...], str], shape: Shape, query: LayerQuery,
                rank: float) -> Candidate:
        pool, strides, padding = window
        config = {"pool_size": pool, "strides": strides, "padding": padding}
        return replace(self.forward(config, [shape], query.data_format), rank=rank)


def _windows(ins: Sequence[Optional[int]], outs: Sequence[Optional[int]]
             ) -> List[Tuple[Tuple[Tuple[int, ...], Tuple[int, ...], str], float]]:
    """Pool sizes and strides per axis (2x2 first, strides equal to the pool) that take each
    input length to the printed one, with one padding for all axes."""
    results = []
    for padding in ("valid", "same"):
        per_axis = [_axis_options(i, o, padding) for i, o in zip(ins, outs)]
        if any(not options for options in per_axis):
            continue
        for combo in cartesian(*[options[:3] for options in per_axis]):
            pool = tuple(option[0] for option in combo)
            strides = tuple(option[1] for option in combo)
            rank = sum(option[2] for option in combo) + (len(set(pool)) > 1) + (padding == "same") * 0.3
            results.append(((pool, strides, padding), rank))
    return sorted(results, key=lambda item: item[1])


def _axis_options(length: Optional[int], out: Optional[int], padding: str) -> List[Tuple[int, int, float]]:
    if length is None or out is None:
        return [(2, 2, 0.0)]
    options = []
    # the usual windows, and the one a wide pool with strides of its size calls for
    # (MaxPooling1D(13, 13): 975 → 75)
    wide = [size for size in ((length // out, -(-length // out)) if out > 0 else ()) if 8 < size <= length]
    for pool in dict.fromkeys((2, 3, 1, 4, 5, 6, 7, 8, *wide)):
        for stride in dict.fromkeys((pool, 1, 2, 3) if pool <= 8 else (pool,)):
            if conv_output_length(length, pool, padding, stride) == out:
                options.append((pool, stride, (pool != 2) * 0.5 + (stride != pool) * 1.0))
    return sorted(options, key=lambda option: option[2])


def _explain(ins: Sequence[Optional[int]], outs: Sequence[Optional[int]], pool: Tuple[int, ...],
             strides: Tuple[int, ...], padding: str) -> str:
    size = "x".join(str(p) for p in pool)
    moves = f"{_x(ins)} → {_x(outs)}"
    stride_text = "" if strides == pool else f", strides {'x'.join(str(s) for s in strides)}"
    return f"no weights; pool {size}{stride_text}, padding {padding}: {moves}"


def _x(dims: Sequence[Optional[int]]) -> str:
    return "x".join("?" if d is None else str(d) for d in dims)


@register
class MaxPooling1D(PoolingSpec):
    names = ("MaxPooling1D", "MaxPool1D")
    rank = 1


@register
class MaxPooling2D(PoolingSpec):
    names = ("MaxPooling2D", "MaxPool2D")
    rank = 2


@register
class MaxPooling3D(PoolingSpec):
    names = ("MaxPooling3D", "MaxPool3D")
    rank = 3


@register
class AveragePooling1D(PoolingSpec):
    names = ("AveragePooling1D", "AvgPool1D")
    rank = 1


@register
class AveragePooling2D(PoolingSpec):
    names = ("AveragePooling2D", "AvgPool2D")
    rank = 2


@register
class AveragePooling3D(PoolingSpec):
    names = ("AveragePooling3D", "AvgPool3D")
    rank = 3


class GlobalPoolingSpec(LayerSpec):
    """Pools every spatial position away: (None, 7, 7, 512) → (None, 512), or keeps them as 1s."""

    has_weights = False
    takes_data_format = True
    rank = 2

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        chans = channels(shape, data_format)
        if config.get("keepdims"):
            out = with_spatial(shape[0], [1] * self.rank, chans, data_format)
        else:
            out = (shape[0], chans)
        return Candidate(config=dict(config), params=0, output_shape=out,
                         explanation=f"no weights: pools {self.rank} spatial axes away, keeps {chans} channels",
                         trainable_params=0, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape = query.input_shape
        if shape is None or len(shape) != self.rank + 2:
            return []
        out = query.single_output
        keep = out is not None and len(out) == self.rank + 2
        return [self.forward({"keepdims": keep} if keep else {}, [shape], query.data_format)]


@register
class GlobalMaxPooling1D(GlobalPoolingSpec):
    names = ("GlobalMaxPooling1D", "GlobalMaxPool1D")
    rank = 1


@register
class GlobalMaxPooling2D(GlobalPoolingSpec):
    names = ("GlobalMaxPooling2D", "GlobalMaxPool2D")
    rank = 2


@register
class GlobalMaxPooling3D(GlobalPoolingSpec):
    names = ("GlobalMaxPooling3D", "GlobalMaxPool3D")
    rank = 3


@register
class GlobalAveragePooling1D(GlobalPoolingSpec):
    names = ("GlobalAveragePooling1D", "GlobalAvgPool1D")
    rank = 1


@register
class GlobalAveragePooling2D(GlobalPoolingSpec):
    names = ("GlobalAveragePooling2D", "GlobalAvgPool2D")
    rank = 2


@register
class GlobalAveragePooling3D(GlobalPoolingSpec):
    names = ("GlobalAveragePooling3D", "GlobalAvgPool3D")
    rank = 3
