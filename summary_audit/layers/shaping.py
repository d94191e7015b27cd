"""Layers that only move numbers around: InputLayer, Flatten (`7*7*128 = 6,272`), Reshape,
Permute, RepeatVector, padding, cropping, upsampling, resizing. No weights; a shape rule each."""

from __future__ import annotations

from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple

from ..model import Candidate, OutputShape, Shape
from .base import LayerCall, LayerQuery, LayerSpec, channels, fmt, product, register, spatial_dims, with_spatial


class ShapeRuleSpec(LayerSpec):
    """A weightless layer: the configuration is read off the printed output, the rule checks it."""

    has_weights = False

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        out, text = self.rule(config, input_shapes[0], data_format)
        return Candidate(config=dict(config), params=0, output_shape=out, explanation=text,
                         trainable_params=0, non_trainable_params=0)

    def rule(self, config: Mapping[str, Any], shape: Shape, data_format: str) -> Tuple[OutputShape, str]:
        raise NotImplementedError

    def configs(self, shape: Shape, out: Optional[Shape], data_format: str) -> List[Mapping[str, Any]]:
        return [{}]

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape = query.input_shape
        if shape is None:
            return []
        return [self.forward(config, [shape], query.data_format)
                for config in self.configs(shape, query.single_output, query.data_format)]


@register
class InputLayer(LayerSpec):
    names = ("InputLayer",)
    has_weights = False
    is_input = True
    #: Keras 3 names it `input_layer_1`, tf.keras `input_1`.
    name_stem = "inputlayer"
    other_stems = ("input",)

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = tuple(config.get("batch_shape") or input_shapes[0])
        return Candidate(config=dict(config), params=0, output_shape=shape,
                         explanation="no weights: the model's input", trainable_params=0, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        out = query.single_output
        if out is None:
            return [Candidate(config={}, params=0, output_shape=None, explanation="no weights: the model's input",
                              trainable_params=0, non_trainable_params=0)]
        return [self.forward({"batch_shape": out}, [out])]


@register
class Flatten(ShapeRuleSpec):
    names = ("Flatten",)

    def rule(self, config: Mapping[str, Any], shape: Shape, data_format: str) -> Tuple[OutputShape, str]:
        dims = shape[1:]
        if None in dims:
            return (shape[0], None), "no weights: flattens (size unknown)"
        size = product(dims)  # type: ignore[arg-type]
        return (shape[0], size), f"no weights: {'*'.join(str(d) for d in dims)} = {fmt(size)}"


@register
class Reshape(ShapeRuleSpec):
    names = ("Reshape",)

    def rule(self, config: Mapping[str, Any], shape: Shape, data_format: str) -> Tuple[OutputShape, str]:
        target = list(config["target_shape"])
        known_in = shape[1:]
        if None not in known_in and target.count(-1) == 1:
            rest = product(d for d in target if d != -1)
            target[target.index(-1)] = product(known_in) // rest if rest else None  # type: ignore[arg-type]
        out = (shape[0], *target)
        if None in known_in or None in target:
            return out, "no weights: reshape"
        same = product(known_in) == product(target)  # type: ignore[arg-type]
        text = f"no weights: {'*'.join(map(str, known_in))} = {'*'.join(map(str, target))} = {fmt(product(target))}"
        return (out if same else (shape[0], *([None] * len(target)))), text if same else \
            f"{'*'.join(map(str, known_in))} = {fmt(product(known_in))} values cannot become {'*'.join(map(str, target))}"  # type: ignore[arg-type]

    def configs(self, shape: Shape, out: Optional[Shape], data_format: str) -> List[Mapping[str, Any]]:
        if out is None:
            return []
        known_in, known_out = shape[1:], out[1:]
        if None not in known_in and None not in known_out and product(known_in) != product(known_out):  # type: ignore
            return []  # no reshape changes the number of values
        return [{"target_shape": tuple(-1 if d is None else d for d in out[1:])}]


@register
class Permute(ShapeRuleSpec):
    names = ("Permute",)

    def rule(self, config: Mapping[str, Any], shape: Shape, data_format: str) -> Tuple[OutputShape, str]:
        dims = tuple(config["dims"])
        return (shape[0], *(shape[d] for d in dims)), f"no weights: axes reordered as {dims}"

    def configs(self, shape: Shape, out: Optional[Shape], data_format: str) -> List[Mapping[str, Any]]:
        if out is None or len(out) != len(shape):
            return [{"dims": tuple(range(1, len(shape)))}]
        from itertools import permutations
        matches = [p for p in permutations(range(1, len(shape))) if all(
            o is None or shape[d] is None or shape[d] == o for d, o in zip(p, out[1:]))]
        return [{"dims": p} for p in matches[:3]] or [{"dims": tuple(range(1, len(shape)))}]


@register
class RepeatVector(ShapeRuleSpec):
    names = ("RepeatVector",)

    def rule(self, config: Mapping[str, Any], shape: Shape, data_format: str) -> Tuple[OutputShape, str]:
        n = config["n"]
        return (shape[0], n, shape[-1]), f"no weights: repeats the vector {n} times"

    def configs(self, shape: Shape, out: Optional[Shape], data_format: str) -> List[Mapping[str, Any]]:
        return [{"n": out[1] if out is not None and len(out) == 3 else 1}]


class SpatialSpec(ShapeRuleSpec):
    """Padding, cropping and upsampling: one amount per spatial axis, read off the output."""

    rank = 2
    verb = ""

    @property
    def takes_data_format(self) -> bool:  # type: ignore[override]
        """Keras' 1D padding, cropping and upsampling have no data_format argument."""
        return self.rank > 1

    def amount(self, length: int, out: int) -> Optional[Any]:
        raise NotImplementedError

    def apply(self, length: Optional[int], amount: Any) -> Optional[int]:
        raise NotImplementedError

    def key(self) -> str:
        raise NotImplementedError

    def rule(self, config: Mapping[str, Any], shape: Shape, data_format: str) -> Tuple[OutputShape, str]:
        amounts = config[self.key()]
        ins = spatial_dims(shape, data_format)
        outs = [self.apply(i, a) for i, a in zip(ins, amounts)]
        moves = "x".join(str(i) for i in ins) + " → " + "x".join(str(o) for o in outs)
        return with_spatial(shape[0], outs, channels(shape, data_format), data_format), f"no weights: {self.verb} {moves}"

    def configs(self, shape: Shape, out: Optional[Shape], data_format: str) -> List[Mapping[str, Any]]:
        ins = spatial_dims(shape, data_format)
        if out is None or len(out) != len(shape):
            return [{self.key(): tuple(self.default() for _ in ins)}]
        amounts = [self.amount(i, o) if i is not None and o is not None else self.default()
                   for i, o in zip(ins, spatial_dims(out, data_format))]
        if any(a is None for a in amounts):
            amounts = [self.default() for _ in ins]
        return [{self.key(): tuple(amounts)}]

    def default(self) -> Any:
        return 1

    def keras_layer(self, config: Mapping[str, Any], data_format: str = "channels_last") -> LayerCall:
        call = super().keras_layer(config, data_format)
        amounts = call.args.get(self.key())
        if self.rank == 1 and isinstance(amounts, (tuple, list)) and len(amounts) == 1:
            return LayerCall(call.class_name, {**call.args, self.key(): amounts[0]})  # Keras' 1D layers take one
        return call

    def default_input(self, output: Shape, data_format: str = "channels_last") -> Optional[Shape]:
        """What the default amount turns into the printed output, when nothing precedes it."""
        probe = with_spatial(output[0], [1] * self.rank, channels(output, data_format), data_format)
        grown = self.rule({self.key(): tuple(self.default() for _ in range(self.rank))}, probe, data_format)[0]
        change = [g - 1 for g in spatial_dims(grown, data_format)]  # type: ignore[arg-type,operator]
        if any(c < 0 for c in change) or len(output) != self.rank + 2:
            return None
        spatial = [None if o is None else o - c for o, c in zip(spatial_dims(output, data_format), change)]
        return with_spatial(output[0], spatial, channels(output, data_format), data_format)


class PaddingSpec(SpatialSpec):
    verb = "pads"

    def key(self) -> str:
        return "padding"

    def amount(self, length: int, out: int) -> Optional[Any]:
        extra = out - length
        return (extra // 2, extra - extra // 2) if extra >= 0 else None

    def apply(self, length: Optional[int], amount: Any) -> Optional[int]:
        return None if length is None else length + sum(_pair(amount))

    def default(self) -> Any:
        return (1, 1)


class CroppingSpec(SpatialSpec):
    verb = "crops"

    def key(self) -> str:
        return "cropping"

    def amount(self, length: int, out: int) -> Optional[Any]:
        cut = length - out
        return (cut // 2, cut - cut // 2) if cut >= 0 else None

    def apply(self, length: Optional[int], amount: Any) -> Optional[int]:
        return None if length is None else length - sum(_pair(amount))

    def default(self) -> Any:
        return (0, 0)


class UpSamplingSpec(SpatialSpec):
    verb = "repeats"

    def key(self) -> str:
        return "size"

    def amount(self, length: int, out: int) -> Optional[Any]:
        return out // length if length and out % length == 0 else None

    def apply(self, length: Optional[int], amount: Any) -> Optional[int]:
        return None if length is None else length * int(amount)

    def default(self) -> Any:
        return 2


def _pair(amount: Any) -> Tuple[int, int]:
    if isinstance(amount, (tuple, list)):
        return (int(amount[0]), int(amount[1]))
    return (int(amount), int(amount))


@register
class ZeroPadding1D(PaddingSpec):
    names = ("ZeroPadding1D",)
    rank = 1


@register
class ZeroPadding2D(PaddingSpec):
    names = ("ZeroPadding2D",)
    rank = 2


@register
class ZeroPadding3D(PaddingSpec):
    names = ("ZeroPadding3D",)
    rank = 3


@register
class Cropping1D(CroppingSpec):
    names = ("Cropping1D",)
    rank = 1


@register
class Cropping2D(CroppingSpec):
    names = ("Cropping2D",)
    rank = 2


@register
class Cropping3D(CroppingSpec):
    names = ("Cropping3D",)
    rank = 3


@register
class UpSampling1D(UpSamplingSpec):
    names = ("UpSampling1D",)
    rank = 1


@register
class UpSampling2D(UpSamplingSpec):
    names = ("UpSampling2D",)
    rank = 2


@register
class UpSampling3D(UpSamplingSpec):
    names = ("UpSampling3D",)
    rank = 3


class ResizeSpec(ShapeRuleSpec):
    """Resizing / CenterCrop: a fixed height and width, channels kept."""

    def rule(self, config: Mapping[str, Any], shape: Shape, data_format: str) -> Tuple[OutputShape, str]:
        size = [config["height"], config["width"]]
        return with_spatial(shape[0], size, channels(shape, data_format), data_format), \
            f"no weights: to {config['height']}x{config['width']}"

    def configs(self, shape: Shape, out: Optional[Shape], data_format: str) -> List[Mapping[str, Any]]:
        if out is None or len(out) != 4:
            return []
        height, width = spatial_dims(out, data_format)
        return [{"height": height, "width": width}]


@register
class Resizing(ResizeSpec):
    names = ("Resizing",)


@register
class CenterCrop(ResizeSpec):
    names = ("CenterCrop",)
