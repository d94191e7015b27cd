"""Layers that keep their input's shape (dropout, noise, activations, rescaling, ...), PReLU
with its one weight per position, and ops whose shape cannot be derived from a table."""

from __future__ import annotations

from dataclasses import replace

from typing import Any, Iterable, Mapping, Sequence, Tuple

from ..model import Candidate, Shape
from .base import BOTH_LIBRARIES, LayerQuery, LayerSpec, fmt, product, register

SHAPE_KEEPING = (
    "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
    "AlphaDropout", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU", "Masking",
    "ActivityRegularization", "Rescaling", "Identity", "UnitNormalization", "RandomFlip", "RandomRotation",
    "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness", "RandomCrop",
)
#: what Keras requires of them and a table never shows: any value reproduces the table.
REQUIRED_ARGS = {
    "Dropout": {"rate": 0.5}, "SpatialDropout1D": {"rate": 0.5}, "SpatialDropout2D": {"rate": 0.5},
    "SpatialDropout3D": {"rate": 0.5}, "GaussianNoise": {"stddev": 0.1}, "GaussianDropout": {"rate": 0.1},
    "AlphaDropout": {"rate": 0.1}, "Activation": {"activation": "relu"}, "Rescaling": {"scale": 1 / 255},
    "RandomRotation": {"factor": 0.1}, "RandomZoom": {"height_factor": 0.1},
    "RandomTranslation": {"height_factor": 0.1, "width_factor": 0.1}, "RandomContrast": {"factor": 0.1},
    "RandomBrightness": {"factor": 0.1},
}
#: shape-keeping layers a table cannot rebuild, and why.
UNBUILDABLE = {"Lambda": "wraps a Python function a table cannot show",
               "RandomCrop": "needs a crop size the table does not show"}
#: the layers here that not both libraries have (`LayerSpec.libraries`).
LIBRARIES = {"ThresholdedReLU": frozenset({"tf_keras"})}  # removed in Keras 3
#: ops whose output shape only the framework knows; the table's shape is taken as printed
#: (a Lambda may resize, slice or reshape as its function likes).
OPAQUE = ("Lambda", "NotEqual", "Any", "Cast", "GetItem",
          "TFOpLambda", "SlicingOpLambda", "TensorFlowOpLayer", "KerasTensor", "Functional.op", "Operation",
          "CategoryEncoding", "Hashing", "StringLookup", "IntegerLookup", "TextVectorization", "Discretization",
          "HashedCrossing")
#: the opaque ones that are layers of both libraries (the others are ops in a graph).
OPAQUE_LAYERS = ("Lambda", "CategoryEncoding", "Hashing", "StringLookup", "IntegerLookup", "TextVectorization",
                 "Discretization", "HashedCrossing")
#: stems of generated names besides the class's own (tf.keras names its ops `tf.…`).
OTHER_STEMS = {"TFOpLambda": ("tf",)}
#: the ops Keras 3 prints for a mask (an Embedding's `mask_zero=True`: `not_equal (NotEqual)`)
MASK_OPS = ("NotEqual",)


class ShapeKeeping(LayerSpec):
    """No weights; the output is the input, unchanged in shape."""

    has_weights = False

    def __init__(self, name: str) -> None:
        self.names = (name,)
        self.required_args = REQUIRED_ARGS.get(name, {})
        self.libraries = LIBRARIES.get(name, self.libraries)
        self.unbuildable_why = UNBUILDABLE.get(name, "")

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        return Candidate(config=dict(config), params=0, output_shape=input_shapes[0],
                         explanation="no weights; shape unchanged", trainable_params=0, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        if query.input_shape is None:
            return [Candidate(config={}, params=0, output_shape=query.single_output,
                              explanation="no weights; shape unchanged", trainable_params=0, non_trainable_params=0)]
        return [self.forward({}, [query.input_shape])]


class Opaque(LayerSpec):
    """An op in a functional graph (`tf.__operators__.add (TFOpLambda)`): no weights, and an
    output shape that the table alone cannot re-derive."""

    has_weights = False
    opaque = True
    libraries = frozenset()
    unbuildable_why = "is an op or a preprocessing layer whose settings a table cannot show"

    def __init__(self, name: str) -> None:
        self.names = (name,)
        self.libraries = BOTH_LIBRARIES if name in OPAQUE_LAYERS else frozenset()
        self.unbuildable_why = UNBUILDABLE.get(name, Opaque.unbuildable_why)
        self.other_stems = OTHER_STEMS.get(name, ())
        self.mask_op = name in MASK_OPS

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        what = "a Python function" if self.names[0] == "Lambda" else "an op"
        return Candidate(config={}, params=0, output_shape=None, explanation=f"no weights: {what}",
                         trainable_params=0, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        return [self.forward({}, query.input_shapes)]


for _name in SHAPE_KEEPING:
    from .base import REGISTRY
    REGISTRY.register(ShapeKeeping(_name))
for _name in OPAQUE:
    REGISTRY.register(Opaque(_name))


@register
class PReLU(LayerSpec):
    """One learned slope per input position, shared along `shared_axes`."""

    names = ("PReLU",)

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        shared = set(config.get("shared_axes") or ())
        dims = [1 if axis in shared else (d or 0) for axis, d in enumerate(shape) if axis > 0]
        params = product(dims)
        return Candidate(config=dict(config), params=params, output_shape=shape,
                         explanation=f"one slope per position: {'*'.join(str(d) for d in dims)} = {fmt(params)}",
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape = query.input_shape
        if shape is None:
            return []
        rank = len(shape) - 1
        options = [()] + [tuple(axes) for axes in _subsets(range(1, rank + 1)) if axes]
        return [replace(self.forward({"shared_axes": list(axes)} if axes else {}, [shape]), rank=float(len(axes)))
                for axes in options[:16]]


def _subsets(items: Iterable[int]) -> Iterable[Tuple[int, ...]]:
    from itertools import combinations
    values = list(items)
    for size in range(1, len(values) + 1):
        yield from combinations(values, size)
