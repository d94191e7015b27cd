"""The contract every layer declaration fulfils, and the registry that finds them by name.

A `LayerSpec` is declared once per Keras class (in the family module under `layers/`) and
answers one question: *which configurations of this layer are consistent with what the
table says?* (`candidates`). Each `Candidate` carries its own re-derived Param #, output
shape and explanation, so the verifier only compares and ranks; it never knows layer types.
What else the pipeline needs to know of a class is a fact declared on its spec (an input, reads
integer ids, the libraries that have it, the stem of its generated names).

The questions about layer names have their one answer here too: which class a generated name
is of (`generated_from`, `LayerSpec.named`, `Registry.classes_of`), whether a row is an input
row (`Registry.is_input_row`), whether a name that may be cut names a row (`cut_name_match`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

from .. import memo
from ..model import Candidate, Format, OutputShape, Row, Shape, is_multi
from ..printers import KERAS3
from ..shapes import one_output


#: the libraries a table's model is rebuilt with (their module names), and how a message names them.
LIBRARY_LABELS: Mapping[str, str] = {"keras": "Keras 3", "tf_keras": "tf_keras"}
BOTH_LIBRARIES: FrozenSet[str] = frozenset(LIBRARY_LABELS)
#: why a class neither library has cannot be rebuilt (a Keras 1 or 2 layer since removed).
GONE = "no longer exists in Keras 3 or tf_keras"
#: a generated name's number (`conv2d_9`, Keras 1 `dense_1`).
_NAME_NUMBER = re.compile(r"_\d+$")


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
        shape = one_output(self.output_shape)
        return shape if isinstance(shape, tuple) and not is_multi(shape) else None  # type: ignore[return-value]


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
    #: the model's input (InputLayer): it reads no tensor, and some printers leave its row out.
    is_input: bool = False
    #: it reads integer ids (Embedding): the model input that feeds it is rebuilt as int32.
    integer_inputs: bool = False
    #: the libraries whose `layers` module has the class (`LIBRARY_LABELS`' keys); a model can
    #: be rebuilt with it only in those. Empty: a Keras 1 or 2 layer since removed.
    libraries: FrozenSet[str] = BOTH_LIBRARIES
    #: why a table cannot rebuild it even where a library has it (settings no table shows); ''
    #: when it can.
    unbuildable_why: str = ""
    #: the stem of the names Keras generates for it (`max_pooling2d_3` → `maxpooling2d`: no
    #: underscores, lowercase); '' for its class name's (set when it is registered).
    name_stem: str = ""
    #: the stems other generations coined for it (tf.keras `input_1`, `model_1`).
    other_stems: Tuple[str, ...] = ()
    #: a mask computation Keras 3 prints as a row of its own (`NotEqual` for an Embedding's
    #: `mask_zero=True`); tf_keras computes the same mask without a row.
    mask_op: bool = False
    #: constructor arguments Keras requires but a table cannot tell (a dropout rate).
    required_args: Mapping[str, Any] = {}

    @property
    def class_name(self) -> str:
        return self.names[0]

    @property
    def stems(self) -> Tuple[str, ...]:
        """Every stem a generated name of this class begins with."""
        return (self.name_stem or self.class_name.lower(),) + self.other_stems

    def named(self, name: str, cut: bool = False, prefix: bool = False) -> bool:
        """The name is one Keras generates for this class (`conv2d_9`, `input_1`, `dense`);
        for a `cut` name (`max_pooling2d_1…` less its mark), one that may begin such a name
        (`generated_from`, which says what `prefix` asks)."""
        return generated_from(self.stems, name, cut, prefix)

    def build_problem(self, library: str) -> Optional[str]:
        """Why a model cannot be rebuilt with this class in `library`; None when it can."""
        if self.unbuildable_why:
            return self.unbuildable_why
        if library in self.libraries:
            return None
        return f"does not exist in {LIBRARY_LABELS.get(library, library)}" if self.libraries else GONE

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
        #: the classes of the model's inputs (`LayerSpec.is_input`).
        self._inputs: set = set()
        #: class name, lower case → class name (`class_named`).
        self._lower: Dict[str, str] = {}

    def register(self, spec: LayerSpec) -> LayerSpec:
        if not spec.names:
            raise ValueError(f"{type(spec).__name__} declares no names")
        self._keras1.update(spec.keras1_names)
        for name in spec.names + spec.keras1_names:
            if name in self._by_name and self._by_name[name] is not spec:
                raise ValueError(f"layer name {name!r} declared twice")
            self._by_name[name] = spec
        self._classes[spec.class_name] = spec
        self._lower[spec.class_name.lower()] = spec.class_name
        if spec.is_input:
            self._inputs.add(spec.class_name)
        _resolved.cache_clear()
        return spec

    def get(self, class_name: str) -> Optional[LayerSpec]:
        return self._by_name.get(class_name)

    def is_legacy_spelling(self, printed_type: str) -> bool:
        """True for a name only Keras 1 printed."""
        return printed_type in self._keras1

    def class_names(self) -> List[str]:
        return sorted(self._classes)

    def class_named(self, name: str) -> Optional[str]:
        """The class a row's name spells, its index aside and case aside (`Bidirectional_1`:
        a retyped table that put the class in the name); None when it spells none."""
        stem = _NAME_NUMBER.sub("", name)
        return self._lower.get(stem.lower()) if stem else None

    def named_classes(self, name: str, classes: Sequence[str]) -> Tuple[str, ...]:
        """Of these classes, the ones whose generated names `name` is (generated-name → class:
        `gaussian_dropout_1` is a GaussianDropout, not a GaussianNoise)."""
        specs = self._by_name
        return tuple(c for c in classes if c in specs and specs[c].named(name))

    def classes_of(self, row: Row) -> Tuple[str, ...]:
        """The row's class, else the classes its cut type leaves, narrowed to one where its
        generated name tells (`input_1 (Inpu` is an InputLayer)."""
        if row.layer_class:
            return (row.layer_class,)
        candidates = tuple(row.class_candidates)
        named = self.named_classes(row.name, candidates) if len(candidates) > 1 else ()
        return named if len(named) == 1 else candidates

    def is_input_row(self, row: Row) -> bool:
        """The row is a model input's (an InputLayer row): its one class, read as `classes_of`
        reads it, is an input. A row whose cut type leaves several classes is none."""
        if row.layer_class:
            return row.layer_class in self._inputs
        classes = self.classes_of(row) if row.class_candidates else ()
        return len(classes) == 1 and classes[0] in self._inputs

    def resolve(self, printed_type: str, truncated: bool = False) -> Tuple[str, ...]:
        """Keras 3 class names the printed type can stand for, best first.

        An exact or alias match gives one; a type cut at the column edge (``MaxPooling2``,
        ``BatchNo``, ``BatchNormalizatio…``) gives every class it is a prefix of.
        """
        return _resolved(self, printed_type, truncated)

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


@memo.cached(maxsize=None)
def _resolved(registry: Registry, printed_type: str, truncated: bool) -> Tuple[str, ...]:
    """`Registry.resolve`, memoized (a table prints few types, row after row); forgotten
    whenever a spec is registered."""
    return registry._resolve(printed_type, truncated)


REGISTRY = Registry()


def register(cls: type) -> type:
    """Class decorator: instantiate the spec and add it to the registry."""
    REGISTRY.register(cls())
    return cls


# ----------------------------------------------------------------------------------------
# Helpers shared by the family modules.


def printed_name(row: Row) -> Tuple[str, bool]:
    """A row's name without its cut mark, and whether it may be only the beginning of one:
    Keras 3 marks a cut with `…`, Keras 1/2 cut at the column edge unmarked (a row whose
    type is cut, or gone, lost its name's end too)."""
    name = row.name
    if name.endswith("…"):
        return name.rstrip("…"), True
    return name, row.truncated or not row.type


def cut_name_match(name: str, known: str) -> bool:
    """A name as a `Connected to` cell or a built model prints it names the row called `known`,
    either of them maybe cut: Keras 3 cuts long names with `…`, old printers at the column
    edge with no mark (a name of 20 characters or more may have lost its end)."""
    if name == known:
        return True
    stem, known_stem = name.rstrip("…"), known.rstrip("…")
    if (name.endswith("…") or len(stem) >= 20) and known_stem.startswith(stem):
        return True
    return (known.endswith("…") or len(known_stem) >= 20) and stem.startswith(known_stem)


class CutNames:
    """Names, looked up as `cut_name_match` tests them, without testing each: a Keras 3 table
    cuts most `Connected to` names (`conv2_block1_1_c…`), and a scan of every earlier row per
    reference made a ResNet50 a quadratic read (two fifths of a real-model document's time).
    A cut reference names the names its stem begins (a range of the sorted stems); a cut
    name names the references it begins (a lookup per prefix of the reference's stem)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._names: set = set()
        self._stems: List[str] = []  # sorted, each once
        self._by_stem: Dict[str, set] = {}
        self._cut_by_stem: Dict[str, set] = {}  # the names that may be cut, by stem
        for name in names:
            self.add(name)

    def add(self, known: str) -> None:
        if known in self._names:
            return
        self._names.add(known)
        stem = known.rstrip("…")
        if stem not in self._by_stem:
            bisect.insort(self._stems, stem)
            self._by_stem[stem] = set()
        self._by_stem[stem].add(known)
        if known.endswith("…") or len(stem) >= 20:
            self._cut_by_stem.setdefault(stem, set()).add(known)

    def matches(self, name: str) -> set:
        """Every added `known` for which `cut_name_match(name, known)` holds."""
        found = {name} if name in self._names else set()
        stem = name.rstrip("…")
        if name.endswith("…") or len(stem) >= 20:
            stems = self._stems
            at = bisect.bisect_left(stems, stem)
            while at < len(stems) and stems[at].startswith(stem):
                found |= self._by_stem[stems[at]]
                at += 1
        if self._cut_by_stem:
            for end in range(len(stem) + 1):
                found |= self._cut_by_stem.get(stem[:end], set())
        return found


def generated_from(stems: Sequence[str], name: str, cut: bool = False, prefix: bool = False) -> bool:
    """`name` is a generated name of these stems: a stem, then optionally `_<n>`, underscores
    and case aside (`global_average_pooling2d_1`, Keras 1 `globalaveragepooling2d_1`); a cut
    name also when it may begin one (`max_pooling2d_1`, `global_average_pool`). With `prefix`,
    the looser test that breaks a tie between classes a cut type leaves: the name begins with
    a stem (`timedistributeddense_1` begins with TimeDistributed's as with its own)."""
    if prefix:
        flat = name.replace("_", "").lower()
        return any(flat.startswith(stem) for stem in stems)
    if _NAME_NUMBER.sub("", name).replace("_", "").lower() in stems:
        return True
    if cut and name:
        flat = name.replace("_", "").lower()
        return any(stem.startswith(flat) or flat.startswith(stem) and flat[len(stem):].isdigit() for stem in stems)
    return False


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
