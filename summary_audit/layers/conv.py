"""Convolutions: Conv1D/2D/3D (groups, dilation), their transposes, separable, depthwise,
and Keras 2's locally connected layers, each with the inverse the seed pages do by hand:
`896 = (3*3*3 + 1) * 32` → a 3×3 kernel over 3 channels, bias on."""

from __future__ import annotations

from dataclasses import replace

from itertools import product as cartesian
from math import gcd
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from ..model import Candidate, Shape
from ..shapes import shape_text
from .base import (LayerQuery, LayerSpec, channels, conv_output_length, deconv_output_length, fmt,
                   product, register, spatial_dims, with_spatial)

Window = Tuple[Tuple[int, ...], Tuple[int, ...], str, Tuple[int, ...]]  # kernel, strides, padding, dilation
MAX_KERNEL = 15
#: a longer side is read only beside a short side of at least LONG_KERNEL_BESIDE and never longer
#: than the input it slides over: speech models' 11x41 kernels over spectrograms.
LONG_KERNEL, LONG_KERNEL_BESIDE = 64, 3
#: kernel sides tried for a first layer with no input row, with how unusual each is.
FIRST_LAYER_KERNELS = ((3, 0.0), (2, 0.6), (5, 0.7), (7, 1.0), (4, 1.0), (11, 1.2), (1, 2.0))
PADDINGS = ("valid", "same")


def kernel_shapes(volume: int, rank: int) -> Iterator[Tuple[int, ...]]:
    """Kernel shapes with `volume` cells, the most plausible first (3x3 before 1x9)."""
    if volume < 1:
        return
    shapes = [k for k in _factorizations(volume, rank) if _usual_sides(k)]
    yield from sorted(shapes, key=_kernel_rank)


def _usual_sides(kernel: Tuple[int, ...]) -> bool:
    longest = max(kernel)
    if len(kernel) == 1:
        return longest <= MAX_KERNEL * 4
    return longest <= MAX_KERNEL or (longest <= LONG_KERNEL and min(kernel) >= LONG_KERNEL_BESIDE)


def _factorizations(n: int, rank: int) -> Iterator[Tuple[int, ...]]:
    if rank == 1:
        yield (n,)
        return
    for first in range(1, min(n, LONG_KERNEL) + 1):  # longer sides are filtered out anyway
        if n % first == 0:
            for rest in _factorizations(n // first, rank - 1):
                yield (first,) + rest


def _kernel_rank(kernel: Tuple[int, ...]) -> float:
    """Square odd kernels are the usual choice; long thin ones are rare."""
    spread = max(kernel) - min(kernel)
    return spread * 2 + (0 if all(k % 2 for k in kernel) else 1) + max(kernel) / 100


def windows_per_dim(length: Optional[int], out: Optional[int], kernel: int,
                    transposed: bool = False) -> List[Tuple[int, str, int, float]]:
    """(stride, padding, dilation, rank) for one spatial dim that take `length` to `out`."""
    if length is None or out is None:
        return [(1, "valid", 1, 0.5), (1, "same", 1, 0.6)]
    found = []
    for stride in _strides(length, out, kernel, transposed):
        for padding in PADDINGS:
            for dilation in (1, 2, 3, 4, 6, 8) if stride == 1 and kernel > 1 else (1,):
                rule = deconv_output_length if transposed else conv_output_length
                if rule(length, kernel, padding, stride, dilation) == out:
                    rank = (stride - 1) * 1.0 + (dilation - 1) * 1.5 + (0.2 if padding == "same" else 0)
                    found.append((stride, padding, dilation, rank))
    return sorted(found, key=lambda option: option[3])


#: strides up to this are each tried; a longer kernel's longer strides only where the lengths
#: point (a kernel as long as a side of 10**9: trying every stride up to it never ended).
MAX_STRIDE_SCAN = 64


def _strides(length: int, out: int, kernel: int, transposed: bool) -> Iterable[int]:
    """The strides to try for one dim: 1 up to the kernel (or 4), each checked by the caller;
    past `MAX_STRIDE_SCAN`, the few around the one that takes the length to the printed one
    (out = ceil(length / stride) with either padding, or length * stride transposed)."""
    top = max(kernel, 4)
    if top <= MAX_STRIDE_SCAN:
        return range(1, top + 1)
    if transposed:
        near = [out // length] if length > 0 else []
    else:
        near = [-(-reach // out) for reach in (length, length - kernel + 1) if out > 0 and reach > 0]
    solved = {stride + step for stride in near for step in (-1, 0, 1)}
    return [*range(1, MAX_STRIDE_SCAN + 1), *sorted(s for s in solved if MAX_STRIDE_SCAN < s <= top)]


#: groups up to this are each tried; past it, only those leaving as few channels a group.
MAX_GROUP_SCAN = 4096


def _common_divisors(c_in: int, filters: int) -> List[int]:
    """The group counts above 1 that divide both channel counts, ascending: the divisors of
    their gcd up to `MAX_GROUP_SCAN`, and those with a quotient up to it (channels of 10**9:
    trying every count up to them never ended)."""
    if min(c_in, filters) < 2:
        return []
    common = gcd(c_in, filters)
    small = [d for d in range(1, min(common, MAX_GROUP_SCAN) + 1) if common % d == 0]
    return sorted({*small[1:], *(common // d for d in small)} - {1})


def windows(in_spatial: Sequence[Optional[int]], out_spatial: Sequence[Optional[int]],
            kernel: Tuple[int, ...], transposed: bool = False) -> List[Tuple[Window, float]]:
    """Stride/padding/dilation choices explaining every spatial dim; one padding for all."""
    per_dim = [windows_per_dim(i, o, k, transposed) for i, o, k in zip(in_spatial, out_spatial, kernel)]
    if any(not options for options in per_dim):
        return []
    results: List[Tuple[Window, float]] = []
    for combo in cartesian(*[options[:4] for options in per_dim]):
        paddings = {option[1] for option in combo}
        if len(paddings) > 1:
            continue
        strides = tuple(option[0] for option in combo)
        dilations = tuple(option[2] for option in combo)
        if max(strides) > 1 and max(dilations) > 1:
            continue
        uneven = (len(set(strides)) > 1) + (len(set(dilations)) > 1)
        rank = sum(option[3] for option in combo) + uneven * 2
        results.append(((kernel, strides, combo[0][1], dilations), rank))
    return sorted(results, key=lambda item: item[1])


def _x(values: Sequence[int]) -> str:
    return "*".join(str(v) for v in values)


def kernel_windows(volume: int, rank: int, ins: Sequence[Optional[int]], outs: Sequence[Optional[int]],
                   kernels: int, per_kernel: int, transposed: bool = False) -> Iterator[Tuple[Window, float]]:
    """Every kernel with `volume` cells and the windows that take `ins` to `outs`, best first
    within each kernel: the search each convolution's inverse runs."""
    for kernel in list(kernel_shapes(volume, rank))[:kernels]:
        if all(k <= MAX_KERNEL or length is None or k <= length for k, length in zip(kernel, ins)):
            yield from windows(ins, outs, kernel, transposed)[:per_kernel]


class ConvSpec(LayerSpec):
    """Conv1D/2D/3D: kernel (k... * C_in/groups * F) plus F biases."""

    takes_data_format = True
    rank = 2
    transposed = False

    def kernel_volume_factor(self, c_in: int, filters: int, groups: int) -> Optional[int]:
        """Weights per kernel cell: what the Param # is divided by to find the kernel size."""
        if c_in % groups or filters % groups:
            return None
        return (c_in // groups) * filters

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        c_in = channels(shape, data_format)
        kernel = tuple(config["kernel_size"])
        filters = int(config["filters"])
        groups = int(config.get("groups", 1))
        bias = bool(config.get("use_bias", True))
        params = self.count(kernel, c_in, filters, groups, bias)
        spatial = self.spatial_out(shape, config, kernel, data_format)
        out = with_spatial(shape[0], spatial, filters, data_format)
        return Candidate(config=dict(config), params=params, output_shape=out,
                         explanation=self.explain(kernel, c_in, filters, groups, bias, params),
                         trainable_params=params, non_trainable_params=0)

    def count(self, kernel: Tuple[int, ...], c_in: Optional[int], filters: int, groups: int, bias: bool) -> Optional[int]:
        if c_in is None:
            return None
        return product(kernel) * (c_in // groups) * filters + (filters if bias else 0)

    def spatial_out(self, shape: Shape, config: Mapping[str, Any], kernel: Tuple[int, ...],
                    data_format: str) -> List[Optional[int]]:
        """Each spatial length after the window slides over it."""
        return [self.out_length(length, k, config, axis)
                for axis, (length, k) in enumerate(zip(spatial_dims(shape, data_format), kernel))]

    def out_length(self, length: Optional[int], kernel: int, config: Mapping[str, Any], axis: int) -> Optional[int]:
        stride = tuple(config.get("strides", (1,) * self.rank))[axis]
        dilation = tuple(config.get("dilation_rate", (1,) * self.rank))[axis]
        if self.transposed:
            return deconv_output_length(length, kernel, config.get("padding", "valid"), stride, dilation)
        return conv_output_length(length, kernel, config.get("padding", "valid"), stride, dilation)

    def explain(self, kernel: Tuple[int, ...], c_in: Optional[int], filters: int, groups: int, bias: bool,
                params: Optional[int]) -> str:
        per_group = c_in // groups if c_in is not None else "?"
        inner = f"{_x(kernel)}*{per_group}"
        text = f"({inner} + 1) * {filters}" if bias else f"{inner} * {filters}"
        if groups > 1:
            text += f"  (groups={groups}: {c_in}/{groups} input channels per filter)"
        return f"{text} = {fmt(params)}" if params is not None else text

    # ---- the inverse ----------------------------------------------------------------------------

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        out = query.single_output
        if (out is None or channels(out, query.data_format) is None) and query.input_shape is not None:
            return list(self._unknown_filters(query, query.input_shape))
        if out is None or len(out) != self.rank + 2:
            return []
        filters = channels(out, query.data_format)
        if filters is None:
            return []
        if query.input_shape is None:
            return list(self._first_layer(query, out, filters))
        shape = query.input_shape
        if len(shape) != self.rank + 2:
            return []
        return list(self._known_input(query, shape, out, filters))

    def _configs(self, kernel: Tuple[int, ...], window: Window, filters: int, groups: int, bias: bool) -> Dict[str, Any]:
        _, strides, padding, dilation = window
        config: Dict[str, Any] = {"filters": filters, "kernel_size": kernel, "strides": strides,
                                  "padding": padding, "dilation_rate": dilation, "use_bias": bias}
        if groups > 1:
            config["groups"] = groups
        return config

    def _known_input(self, query: LayerQuery, shape: Shape, out: Shape, filters: int) -> Iterator[Candidate]:
        c_in = channels(shape, query.data_format)
        in_spatial, out_spatial = spatial_dims(shape, query.data_format), spatial_dims(out, query.data_format)
        found = False
        if c_in is not None and query.params is not None:
            for bias, groups in self._bias_groups(c_in, filters):
                factor = self.kernel_volume_factor(c_in, filters, groups)
                rest = query.params - (self.bias_count(filters, c_in) if bias else 0)
                if not factor or rest <= 0 or rest % factor:
                    continue
                for window, rank in kernel_windows(rest // factor, self.rank, in_spatial, out_spatial, 6, 3,
                                                   self.transposed):
                    kernel = window[0]
                    if groups > 1 and len(set(kernel)) > 1:
                        continue  # grouped convolutions (ResNeXt, RegNet) use square kernels
                    found = True
                    config = self._configs(kernel, window, filters, groups, bias)
                    yield self._ranked(config, shape, query, rank + (0 if bias else 1.5) + (groups > 1) * 3
                                       + _kernel_rank(kernel))
        if not found:
            yield from self._closest(query, shape, in_spatial, out_spatial, filters)

    def _unknown_filters(self, query: LayerQuery, shape: Shape) -> Iterator[Candidate]:
        """The output says `multiple` or lost its channel count at the column edge: the count
        alone tells the filters once the kernel is guessed (square, odd first)."""
        c_in = channels(shape, query.data_format)
        if c_in is None or query.params is None or len(shape) != self.rank + 2:
            return
        for side, side_rank in FIRST_LAYER_KERNELS:
            kernel = (side,) * self.rank
            for bias in (True, False):
                per_filter = product(kernel) * c_in + (1 if bias else 0)
                if query.params % per_filter:
                    continue
                filters = query.params // per_filter
                for padding in ("valid", "same"):
                    config = self._configs(kernel, (kernel, (1,) * self.rank, padding, (1,) * self.rank),
                                           filters, 1, bias)
                    yield replace(self.forward(config, [shape], query.data_format),
                                  rank=side_rank + (0 if bias else 2) + (padding == "same") * 0.5)

    def bias_count(self, filters: int, c_in: Optional[int]) -> int:
        return filters

    def _bias_groups(self, c_in: int, filters: int) -> Iterator[Tuple[bool, int]]:
        for bias in (True, False):
            yield bias, 1
        for groups in _common_divisors(c_in, filters):
            yield True, groups
            yield False, groups

    def _ranked(self, config: Dict[str, Any], shape: Shape, query: LayerQuery, rank: float) -> Candidate:
        candidate = self.forward(config, [shape], query.data_format)
        return Candidate(config=candidate.config, params=candidate.params, output_shape=candidate.output_shape,
                         explanation=candidate.explanation, trainable_params=candidate.params,
                         non_trainable_params=0, rank=rank)

    def _closest(self, query: LayerQuery, shape: Shape, in_spatial: Sequence[Optional[int]],
                 out_spatial: Sequence[Optional[int]], filters: int) -> Iterator[Candidate]:
        """Nothing fits: the kernels the spatial arithmetic or the count points to, for the message."""
        kernels: List[Tuple[int, ...]] = []
        if all(i is not None and o is not None and i >= o for i, o in zip(in_spatial, out_spatial)) and not self.transposed:
            kernels.append(tuple(i - o + 1 for i, o in zip(in_spatial, out_spatial)))  # type: ignore[operator]
        for k in (3, 1, 5, 7):
            kernels.append((k,) * self.rank)
        for kernel in kernels:
            if min(kernel) < 1:
                continue
            options = windows(in_spatial, out_spatial, kernel, self.transposed)
            window = options[0][0] if options else (kernel, (1,) * self.rank, "valid", (1,) * self.rank)
            yield self._ranked(self._configs(kernel, window, filters, 1, True), shape, query, 50.0)

    def _first_layer(self, query: LayerQuery, out: Shape, filters: int) -> Iterator[Candidate]:
        """No input row: reconstruct the input channels and size from the count and a stride-1 window."""
        if query.params is None:
            return
        for bias in (True, False):
            rest = query.params - (filters if bias else 0)
            if rest <= 0 or rest % filters:
                continue
            per_filter = rest // filters
            for side, side_rank in FIRST_LAYER_KERNELS:
                kernel = (side,) * self.rank
                volume = product(kernel)
                if per_filter % volume:
                    continue
                c_in = per_filter // volume
                for padding in ("valid", "same"):
                    spatial = [None if o is None else (o + side - 1 if padding == "valid" else o)
                               for o in spatial_dims(out, query.data_format)]
                    shape = with_spatial(None, spatial, c_in, query.data_format)
                    config = self._configs(kernel, (kernel, (1,) * self.rank, padding, (1,) * self.rank),
                                           filters, 1, bias)
                    candidate = self.forward(config, [shape], query.data_format)
                    channel_rank = 0 if c_in in (1, 3) else 0.5 if c_in <= 16 else 2
                    rank = channel_rank + side_rank + (0 if bias else 2) + (0 if padding == "valid" else 0.5)
                    yield Candidate(config={**candidate.config, "input_shape": shape}, params=candidate.params,
                                    output_shape=candidate.output_shape, explanation=candidate.explanation,
                                    trainable_params=candidate.params, non_trainable_params=0, rank=rank,
                                    note=f"input shape {shape_text(shape)} reconstructed: no input row")


@register
class Conv1D(ConvSpec):
    names = ("Conv1D", "Convolution1D")
    keras1_names = ("Convolution1D", "AtrousConvolution1D")
    rank = 1


@register
class Conv2D(ConvSpec):
    names = ("Conv2D", "Convolution2D")
    keras1_names = ("Convolution2D", "AtrousConvolution2D")
    rank = 2


@register
class Conv3D(ConvSpec):
    names = ("Conv3D", "Convolution3D")
    keras1_names = ("Convolution3D",)
    rank = 3


class TransposeSpec(ConvSpec):
    """Transposed convolutions: kernel (k... * F * C_in) plus F biases; no groups."""

    transposed = True

    def _bias_groups(self, c_in: int, filters: int) -> Iterator[Tuple[bool, int]]:
        yield True, 1
        yield False, 1


@register
class Conv1DTranspose(TransposeSpec):
    names = ("Conv1DTranspose",)
    rank = 1


@register
class Conv2DTranspose(TransposeSpec):
    names = ("Conv2DTranspose", "Deconvolution2D")
    keras1_names = ("Deconvolution2D",)
    rank = 2


@register
class Conv3DTranspose(TransposeSpec):
    names = ("Conv3DTranspose", "Deconvolution3D")
    rank = 3


class DepthwiseSpec(ConvSpec):
    """Depthwise: k... * C_in * depth_multiplier, plus C_in * depth_multiplier biases."""

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        c_in = channels(shape, data_format) or 0
        multiplier = int(config.get("depth_multiplier", 1))
        kernel = tuple(config["kernel_size"])
        bias = bool(config.get("use_bias", True))
        params = product(kernel) * c_in * multiplier + (c_in * multiplier if bias else 0)
        spatial = self.spatial_out(shape, config, kernel, data_format)
        out = with_spatial(shape[0], spatial, c_in * multiplier, data_format)
        inner = f"{_x(kernel)}*{c_in}*{multiplier}"
        text = f"({_x(kernel)} + 1) * {c_in}*{multiplier}" if bias else inner
        return Candidate(config=dict(config), params=params, output_shape=out,
                         explanation=f"{text} = {fmt(params)}", trainable_params=params, non_trainable_params=0)

    def _known_input(self, query: LayerQuery, shape: Shape, out: Shape, filters: int) -> Iterator[Candidate]:
        c_in = channels(shape, query.data_format)
        if c_in is None or filters % c_in or query.params is None:
            return
        multiplier = filters // c_in
        in_spatial, out_spatial = spatial_dims(shape, query.data_format), spatial_dims(out, query.data_format)
        found = False
        for bias in (True, False):
            rest = query.params - (filters if bias else 0)
            if rest <= 0 or rest % filters:
                continue
            for window, rank in kernel_windows(rest // filters, self.rank, in_spatial, out_spatial, 6, 3):
                kernel = window[0]
                found = True
                _, strides, padding, dilation = window
                config = {"kernel_size": kernel, "strides": strides, "padding": padding,
                          "dilation_rate": dilation, "depth_multiplier": multiplier, "use_bias": bias}
                candidate = self.forward(config, [shape], query.data_format)
                yield replace(candidate, rank=rank + _kernel_rank(kernel) + (0 if bias else 1.5))
        if not found:
            kernel = (3,) * self.rank
            options = windows(in_spatial, out_spatial, kernel)
            strides = options[0][0][1] if options else (1,) * self.rank
            padding = options[0][0][2] if options else "same"
            config = {"kernel_size": kernel, "strides": strides, "padding": padding, "depth_multiplier": multiplier,
                      "use_bias": True}
            yield self.forward(config, [shape], query.data_format)

    def _first_layer(self, query: LayerQuery, out: Shape, filters: int) -> Iterator[Candidate]:
        return iter(())


@register
class DepthwiseConv1D(DepthwiseSpec):
    names = ("DepthwiseConv1D",)
    rank = 1


@register
class DepthwiseConv2D(DepthwiseSpec):
    names = ("DepthwiseConv2D",)
    rank = 2


class SeparableSpec(ConvSpec):
    """Separable: depthwise k...*C_in*m, pointwise C_in*m*F, plus F biases."""

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        c_in = channels(shape, data_format) or 0
        multiplier = int(config.get("depth_multiplier", 1))
        kernel = tuple(config["kernel_size"])
        filters = int(config["filters"])
        bias = bool(config.get("use_bias", True))
        depthwise = product(kernel) * c_in * multiplier
        pointwise = c_in * multiplier * filters
        params = depthwise + pointwise + (filters if bias else 0)
        spatial = self.spatial_out(shape, config, kernel, data_format)
        out = with_spatial(shape[0], spatial, filters, data_format)
        text = f"{_x(kernel)}*{c_in}*{multiplier} + {c_in}*{multiplier}*{filters}" + (f" + {filters}" if bias else "")
        return Candidate(config=dict(config), params=params, output_shape=out,
                         explanation=f"{text} = {fmt(params)}", trainable_params=params, non_trainable_params=0)

    def _known_input(self, query: LayerQuery, shape: Shape, out: Shape, filters: int) -> Iterator[Candidate]:
        c_in = channels(shape, query.data_format)
        if c_in is None or query.params is None:
            return
        in_spatial, out_spatial = spatial_dims(shape, query.data_format), spatial_dims(out, query.data_format)
        found = False
        for bias in (True, False):
            for multiplier in (1, 2, 3, 4, 8):
                rest = query.params - (filters if bias else 0) - c_in * multiplier * filters
                if rest <= 0 or rest % (c_in * multiplier):
                    continue
                for window, rank in kernel_windows(rest // (c_in * multiplier), self.rank, in_spatial, out_spatial,
                                                   4, 2):
                    kernel = window[0]
                    found = True
                    _, strides, padding, dilation = window
                    config = {"filters": filters, "kernel_size": kernel, "strides": strides, "padding": padding,
                              "dilation_rate": dilation, "depth_multiplier": multiplier, "use_bias": bias}
                    candidate = self.forward(config, [shape], query.data_format)
                    yield replace(candidate, rank=rank + _kernel_rank(kernel) + (multiplier - 1) + (0 if bias else 1.5))
        if not found:
            config = {"filters": filters, "kernel_size": (3,) * self.rank, "padding": "same", "use_bias": True}
            yield self.forward(config, [shape], query.data_format)

    def _first_layer(self, query: LayerQuery, out: Shape, filters: int) -> Iterator[Candidate]:
        return iter(())


@register
class SeparableConv1D(SeparableSpec):
    names = ("SeparableConv1D",)
    rank = 1


@register
class SeparableConv2D(SeparableSpec):
    names = ("SeparableConv2D", "SeparableConvolution2D")
    keras1_names = ("SeparableConvolution2D",)
    rank = 2


class LocallyConnectedSpec(ConvSpec):
    """Keras 2's unshared convolutions: one kernel per output position."""

    libraries = frozenset({"tf_keras"})  # gone from Keras 3

    def count_for(self, out_positions: int, kernel: Tuple[int, ...], c_in: int, filters: int, bias: bool) -> int:
        return out_positions * (product(kernel) * c_in * filters + (filters if bias else 0))

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        c_in = channels(shape, data_format) or 0
        kernel = tuple(config["kernel_size"])
        filters = int(config["filters"])
        bias = bool(config.get("use_bias", True))
        spatial = self.spatial_out(shape, config, kernel, data_format)
        positions = product(d or 0 for d in spatial)
        params = self.count_for(positions, kernel, c_in, filters, bias)
        out = with_spatial(shape[0], spatial, filters, data_format)
        text = f"{_x(spatial)} * ({_x(kernel)}*{c_in}*{filters}" + (f" + {filters})" if bias else ")")
        return Candidate(config=dict(config), params=params, output_shape=out,
                         explanation=f"{text} = {fmt(params)}", trainable_params=params, non_trainable_params=0)

    def _known_input(self, query: LayerQuery, shape: Shape, out: Shape, filters: int) -> Iterator[Candidate]:
        c_in = channels(shape, query.data_format)
        in_spatial, out_spatial = spatial_dims(shape, query.data_format), spatial_dims(out, query.data_format)
        if c_in is None or query.params is None or None in out_spatial:
            return
        positions = product(out_spatial)  # type: ignore[arg-type]
        found = False
        for bias in (True, False):
            if query.params % positions:
                continue
            rest = query.params // positions - (filters if bias else 0)
            if rest <= 0 or rest % (c_in * filters):
                continue
            for window, rank in kernel_windows(rest // (c_in * filters), self.rank, in_spatial, out_spatial, 4, 2):
                kernel = window[0]
                if window[2] != "valid" or max(window[3]) > 1:
                    continue
                found = True
                config = {"filters": filters, "kernel_size": kernel, "strides": window[1], "padding": "valid",
                          "use_bias": bias}
                candidate = self.forward(config, [shape], query.data_format)
                yield replace(candidate, rank=rank + _kernel_rank(kernel) + (0 if bias else 1.5))
        if not found:
            kernel = tuple(max(i - o + 1, 1) for i, o in zip(in_spatial, out_spatial)) \
                if None not in in_spatial else (3,) * self.rank  # type: ignore[operator]
            yield self.forward({"filters": filters, "kernel_size": kernel, "use_bias": True}, [shape], query.data_format)

    def _first_layer(self, query: LayerQuery, out: Shape, filters: int) -> Iterator[Candidate]:
        return iter(())


@register
class LocallyConnected1D(LocallyConnectedSpec):
    names = ("LocallyConnected1D",)
    rank = 1


@register
class LocallyConnected2D(LocallyConnectedSpec):
    names = ("LocallyConnected2D",)
    rank = 2
