"""The contract every layer declaration fulfils, and the registry that finds them by name.

A `LayerSpec` is declared once per Keras class (in the family module under `layers/`) and
answers one question: *which configurations of this layer are consistent with what the
table says?* (`candidates`). Each `Candidate` carries its own re-derived Param #, output
shape and explanation, so the verifier only compares and ranks; it never knows layer types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ..model import Candidate, Format, OutputShape, Shape, is_multi
from ..printers import KERAS3


@dataclass(frozen=True)
class LayerCall:
    """How to make one Keras layer: its class and constructor arguments, and for a wrapper
    (Bidirectional, TimeDistributed) the layer it wraps. Plain data: code generation prints
    it, the cross-check builds it."""

    class_name: str
    args: Mapping[str, Any]
    wrapped: Optional["LayerCall"] = None


@dataclass(frozen=True)
class LayerQuery:
    """What the table tells about one row: everything a spec may use to invert it."""

    #: shapes entering the layer, batch dim included (None); () when unknown (a first layer
    #: without an InputLayer row): the spec may then reconstruct them.
    input_shapes: Tuple[Shape, ...]
    #: the printed output shape (one shape, several, a word like 'multiple', or None).
    output_shape: OutputShape
    #: the printed Param # (None when the table has none).
    params: Optional[int]
    data_format: str = "channels_last"
    generation: Format = KERAS3.format
    name: str = ""
    printed_type: str = ""

    @property
    def input_shape(self) -> Optional[Shape]:
        """The single input shape, or None when unknown or several."""
        return self.input_shapes[0] if len(self.input_shapes) == 1 else None

    @property
    def single_output(self) -> Optional[Shape]:
        """The printed output shape when it is one concrete shape."""
        shape = self.output_shape
        if isinstance(shape, tuple) and not is_multi(shape):
            return shape  # type: ignore[return-value]
        if is_multi(shape) and len(shape) == 1:  # type: ignore[arg-type]
            return shape[0]  # type: ignore[index]
        return None


class LayerSpec:
    """One Keras layer class: names, inverse (`candidates`), and forward rules.

    Subclasses set `names` (the Keras 3 class name first, then older spellings such as
    Keras 1's `Convolution2D`) and implement `candidates`. `forward` re-derives a candidate
    from a known configuration; codegen and cross-checks build models from `config`, whose
    keys are the Keras constructor arguments.
    """

    names: Tuple[str, ...] = ()
    #: False for layers that never own weights (pooling, reshaping, merges, ...).
    has_weights: bool = True
    #: spellings only Keras 1 printed (`Convolution2D`, `Merge`): they resolve to this class
    #: and tell a Keras 1 table apart. They need not be repeated in `names`.
    keras1_names: Tuple[str, ...] = ()
    #: a model used as a layer: its count is the sum of its own rows.
    is_container: bool = False
    #: an op or a layer whose output the table alone cannot derive: it fits any row, so it
    #: never stands for a row whose type was cut off.
    opaque: bool = False
    #: merges and attention read several tensors in one call; other layers listing several
    #: inbound tensors were called several times (shared), each time on one of them.
    several_inputs: bool = False
    #: several inputs go in as separate arguments (`mha(query, value)`), not as one list.
    positional_inputs: bool = False
    #: the layer takes `data_format` (convolutions, pooling, 2D/3D padding ...).
    takes_data_format: bool = False
    #: a mask computation Keras 3 prints as a row of its own (`NotEqual` for an Embedding's
    #: `mask_zero=True`); tf_keras computes the same mask without a row.
    mask_op: bool = False
    #: the class still exists in Keras 3 and tf_keras, so a model can be built with it.
    buildable: bool = True
    #: why not, when it cannot be built.
    unbuildable_why: str = "no longer exists in Keras 3 or tf_keras"
    #: constructor arguments Keras requires but a table cannot tell (a dropout rate).
    required_args: Mapping[str, Any] = {}

    @property
    def class_name(self) -> str:
        return self.names[0]

    def default_input(self, output: Shape, data_format: str = "channels_last") -> Optional[Shape]:
        """The input a first layer without an input row gets in a rebuilt model: a weightless
        layer keeps its shape unless it says otherwise."""
        return None if self.has_weights else output

    def call_inputs(self, inputs: Tuple[Shape, ...]) -> Tuple[Shape, ...]:
        """The inbound tensors that are the layer's inputs proper, out of all its `Connected
        to` lists (a recurrent layer's mask and initial states arrive there beside its sequence)."""
        return inputs

    def keras_layer(self, config: Mapping[str, Any], data_format: str = "channels_last") -> LayerCall:
        """The constructor call that reproduces a configuration this spec inferred."""
        args = {**self.required_args, **{k: v for k, v in config.items() if k != "input_shape"}}
        if self.takes_data_format and data_format == "channels_first":
            args["data_format"] = data_format
        return LayerCall(self.class_name, args)

    def refusal(self, input_shapes: Sequence[Shape]) -> Optional[str]:
        """Why Keras would refuse to call the layer on these inputs (None: it would not, or
        the spec cannot tell): the message a row gets when nothing fits its inputs."""
        return None

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        raise NotImplementedError

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        raise NotImplementedError


class Registry:
    """Finds the spec of a printed type: exact, older alias, or a cut-off prefix."""

    def __init__(self) -> None:
        self._by_name: Dict[str, LayerSpec] = {}
        self._classes: Dict[str, LayerSpec] = {}
        self._keras1: set = set()
        self._resolved: Dict[Tuple[str, bool], Tuple[str, ...]] = {}

    def register(self, spec: LayerSpec) -> LayerSpec:
        if not spec.names:
            raise ValueError(f"{type(spec).__name__} declares no names")
        self._keras1.update(spec.keras1_names)
        for name in spec.names + spec.keras1_names:
            if name in self._by_name and self._by_name[name] is not spec:
                raise ValueError(f"layer name {name!r} declared twice")
            self._by_name[name] = spec
        self._classes[spec.class_name] = spec
        self._resolved.clear()
        return spec

    def get(self, class_name: str) -> Optional[LayerSpec]:
        return self._by_name.get(class_name)

    def is_legacy_spelling(self, printed_type: str) -> bool:
        """True for a name only Keras 1 printed."""
        return printed_type in self._keras1

    def class_names(self) -> List[str]:
        return sorted(self._classes)

    def resolve(self, printed_type: str, truncated: bool = False) -> Tuple[str, ...]:
        """Keras 3 class names the printed type can stand for, best first.

        An exact or alias match gives one; a type cut at the column edge (``MaxPooling2``,
        ``BatchNo``, ``BatchNormalizatio…``) gives every class it is a prefix of.
        """
        key = (printed_type, truncated)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(printed_type, truncated)
        return self._resolved[key]

    def _resolve(self, printed_type: str, truncated: bool) -> Tuple[str, ...]:
        text = printed_type.strip().rstrip("…").rstrip(".")
        if not text:
            return ()
        spec = self._by_name.get(text)
        if spec is not None and not truncated:
            return (spec.class_name,)
        prefixed = {s.class_name for name, s in self._by_name.items() if name.startswith(text)}
        if spec is not None:
            prefixed.discard(spec.class_name)
            return (spec.class_name,) + tuple(sorted(prefixed, key=lambda n: (len(n), n)))
        return tuple(sorted(prefixed, key=lambda n: (len(n), n)))

    def suggest(self, printed_type: str) -> Optional[str]:
        """'Did you mean …?' for a type that resolves to nothing (``Conv2d`` → ``Conv2D``)."""
        import difflib  # only for a type nothing resolves: kept off the start-up path

        lowered = {name.lower(): s.class_name for name, s in self._by_name.items()}
        if printed_type.lower() in lowered:
            return lowered[printed_type.lower()]
        close = difflib.get_close_matches(printed_type.lower(), list(lowered), n=1, cutoff=0.8)
        return lowered[close[0]] if close else None


REGISTRY = Registry()


def register(cls: type) -> type:
    """Class decorator: instantiate the spec and add it to the registry."""
    REGISTRY.register(cls())
    return cls


# ----------------------------------------------------------------------------------------
# Helpers shared by the family modules.


def fmt(n: int) -> str:
    """An integer the way the explanations print it: 18,496."""
    return f"{n:,}"


def product(values: Iterable[int]) -> int:
    result = 1
    for v in values:
        result *= v
    return result


def channel_axis(data_format: str, rank: int) -> int:
    """Index of the channel dimension in a shape with batch dim (rank counts it)."""
    return 1 if data_format == "channels_first" else rank - 1


def spatial_dims(shape: Shape, data_format: str) -> Tuple[Optional[int], ...]:
    return shape[2:] if data_format == "channels_first" else shape[1:-1]


def channels(shape: Shape, data_format: str) -> Optional[int]:
    return shape[channel_axis(data_format, len(shape))]


def with_spatial(batch: Optional[int], spatial: Sequence[Optional[int]], chans: Optional[int],
                 data_format: str) -> Shape:
    """Assemble a shape from its parts in the table's data format."""
    if data_format == "channels_first":
        return (batch, chans, *spatial)
    return (batch, *spatial, chans)


def conv_output_length(length: Optional[int], kernel: int, padding: str, stride: int,
                       dilation: int = 1) -> Optional[int]:
    """Keras' conv arithmetic for one spatial dimension."""
    if length is None:
        return None
    effective = kernel + (kernel - 1) * (dilation - 1)
    if padding == "same" or padding == "causal":
        out = length
    elif padding == "valid":
        out = length - effective + 1
    elif padding == "full":
        out = length + effective - 1
    else:
        raise ValueError(padding)
    return (out + stride - 1) // stride


def deconv_output_length(length: Optional[int], kernel: int, padding: str, stride: int,
                         dilation: int = 1, output_padding: Optional[int] = None) -> Optional[int]:
    """Keras' transposed-conv arithmetic for one spatial dimension."""
    if length is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel - stride, 0)
        if padding == "full":
            return length * stride - (stride + kernel - 2)
        return length * stride
    pad = {"same": kernel // 2, "valid": 0, "full": kernel - 1}[padding]
    return (length - 1) * stride + kernel - 2 * pad + output_padding


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

