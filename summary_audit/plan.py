"""From an audited table to a build plan: the model the table describes, as plain data.

The plan is what code generation prints and what the cross-check builds, so both follow the
same reading: inputs (shape, batch size, dtype), then layers in table order, each with its
Keras constructor call (from the layer registry) and the tensors it is called on; nested
models become sub-plans. A plan is made for one library (Keras 3 or tf_keras): a class that
library lacks (`LayerSpec.libraries`) gets a stand-in. Every string in it — layer names above
all — is data, never code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

from .errors import SummaryAuditError
from .layers import REGISTRY
from .layers.base import LayerCall, cut_name_match
from .model import Audit, Inbound, OutputShape, RowAudit, Shape, is_multi
from .shapes import one_output, shape_text

#: the layer that stands in for a nested model printed without its layers: it owns the row's
#: weights and gives its output shape, so the rebuilt model prints the same numbers.
STAND_IN = "StandIn"

#: a tensor: the producing layer's name, which call of it (node), which of that call's outputs.
TensorRef = Tuple[str, int, int]


class PlanError(SummaryAuditError):
    """The table cannot be turned into a model (an old layer class, a missing input shape)."""


@dataclass(frozen=True)
class InputPlan:
    name: str
    shape: Tuple[Optional[int], ...]
    batch_size: Optional[int] = None
    dtype: str = "float32"


@dataclass(frozen=True)
class LayerPlan:
    name: str
    call: Optional[LayerCall]
    #: one entry per call of the layer (a shared layer is called several times), each the
    #: tensors that call reads.
    calls: Tuple[Tuple[TensorRef, ...], ...]
    line: int
    #: the layer was called on its inputs as separate arguments (attention).
    positional: bool = False
    #: several tensors passed as one list (merges) rather than one tensor.
    as_list: bool = False
    trainable: Optional[bool] = None
    submodel: Optional["ModelPlan"] = None
    notes: Tuple[str, ...] = ()

    @property
    def is_stand_in(self) -> bool:
        return self.call is not None and self.call.class_name == STAND_IN


@dataclass(frozen=True)
class ModelPlan:
    name: str
    #: Sequential when the table is a plain chain without InputLayer rows.
    sequential: bool
    inputs: Tuple[InputPlan, ...]
    layers: Tuple[LayerPlan, ...]
    outputs: Tuple[TensorRef, ...]
    #: the table's Param # total, for the budget guard.
    expected_params: int = 0
    assumptions: Tuple[str, ...] = field(default=())


def plan_model(audit: Audit, library: str = "keras") -> ModelPlan:
    """The model an audited table describes, to be built with `library` (`keras` or
    `tf_keras`: a class it lacks gets a stand-in); PlanError when a row cannot be rebuilt."""
    rows = list(audit.rows)
    name = audit.summary.model_name or "model"
    total = max(audit.totals.expected_total or 0, sum(r.row.params or 0 for r in rows if r.row.depth == 0))
    if all(_is_input(r) for r in rows):
        raise PlanError("the table has no layer rows to rebuild", audit.summary.start_line, None)
    untrained = _unexplained_non_trainable(audit)
    target = _Target(audit.data_format or "channels_last", library)
    plan = _Level(name, rows, 0, target, None, total).plan()
    frozen = _frozen_row(audit, untrained, _stand_in_weights(plan)) if untrained else None
    if frozen is not None:
        rows[frozen] = rows[frozen]._replace(row=rows[frozen].row._replace(trainable=False))
        untrained -= rows[frozen].trainable_params or 0
        plan = _Level(name, rows, 0, target, None, total).plan()
        note = f"line {rows[frozen].row.line} {rows[frozen].row.name}: frozen (trainable=False), as the non-trainable total says"
        plan = replace(plan, assumptions=plan.assumptions + (note,))
    return _untrained_in_stand_in(plan, untrained)


def _stand_in_weights(plan: ModelPlan) -> int:
    return sum(layer.call.args["weights"] for layer in plan.layers if layer.is_stand_in)  # type: ignore[union-attr]


def _untrained_in_stand_in(plan: ModelPlan, extra: int) -> ModelPlan:
    """What the table does not train and its shown rows do not explain sits in the layers that
    stand in for hidden ones, as much as each holds."""
    layers = list(plan.layers)
    for position, layer in enumerate(layers):
        call = layer.call
        if extra > 0 and call is not None and layer.is_stand_in:
            frozen = min(extra, call.args["weights"])
            layers[position] = replace(layer, call=replace(call, args={**call.args, "frozen": frozen}))
            extra -= frozen
    return replace(plan, layers=tuple(layers))


def _unexplained_non_trainable(audit: Audit) -> int:
    printed = audit.totals.totals.non_trainable if audit.totals.totals else None
    explained = audit.totals.expected_non_trainable or 0
    return max((printed or 0) - explained, 0)


def _frozen_row(audit: Audit, extra: int, hidden: int) -> Optional[int]:
    """The table says more is not trained than it explains, and prints no Trainable column: the
    last row whose own count is that much (or that much less what hidden layers may hold) was frozen."""
    if any(r.row.trainable is not None for r in audit.rows):
        return None
    counts = [(i, r.trainable_params or 0) for i, r in enumerate(audit.rows) if r.row.depth == 0 and r.status == "ok"]
    exact = [i for i, count in counts if count == extra]
    if exact or extra <= hidden:
        return exact[-1] if exact else None
    near = [i for i, count in counts if 0 < count < extra and extra - count <= hidden]
    return near[-1] if near else None


@dataclass(frozen=True)
class _Target:
    """What every level of a plan is built for: the table's data format and the library."""

    data_format: str
    library: str


class _Level:
    """One level of a table — the model, or a nested model's rows — planned row by row: its
    inputs (printed, or the ones a first layer implies), then each layer and what it reads."""

    def __init__(self, name: str, rows: List[RowAudit], depth: int, target: _Target,
                 outer_input: Optional[Shape], total: int) -> None:
        self.name, self.rows, self.depth, self.target = name, rows, depth, target
        self.outer_input, self.total = outer_input, total
        self.level = [(i, r) for i, r in enumerate(rows) if r.row.depth == depth]
        self.functional = any(r.row.inbound for _, r in self.level)
        self.has_input_rows = any(_is_input(r) for _, r in self.level)
        self.inputs: List[InputPlan] = []
        self.layers: List[LayerPlan] = []
        self.assumptions: List[str] = []
        self.previous: Optional[TensorRef] = None
        self.consumed: set = set()
        #: the rows met so far at this level, with their printed outputs.
        self.known: Dict[str, object] = {}
        #: how many times each layer of this level is called (the nodes a reference can name).
        self.calls: Dict[str, int] = {}

    def plan(self) -> ModelPlan:
        for index, row_audit in self.level:
            if _is_input(row_audit):
                self._input_row(index, row_audit)
                continue
            self._implied_inputs(index, row_audit)
            self._layer_row(index, row_audit)
        outputs = tuple(_outputs_of(layer) for layer in self.layers if layer.name not in self.consumed)
        if not outputs and self.layers:
            outputs = (_outputs_of(self.layers[-1]),)
        sequential = not self.functional and not self.has_input_rows and len(self.inputs) == 1
        return ModelPlan(self.name, sequential, tuple(self.inputs), tuple(self.layers), outputs, self.total,
                         tuple(self.assumptions))

    def _input_row(self, index: int, row_audit: RowAudit) -> None:
        row = row_audit.row
        self.inputs.append(_input_plan(row.name, _single(row.output_shape), row.line, _int_input(self.rows, index)))
        self.previous = (row.name, 0, 0)
        self.known[row.name] = _single(row.output_shape)

    def _implied_inputs(self, index: int, row_audit: RowAudit) -> None:
        """The input a table without input rows implies: a Sequential model's (its shape
        printed by an outer model, or reconstructed), or the one a Keras 1 first layer names."""
        row = row_audit.row
        if self.previous is None and not self.functional:
            shape = self.outer_input or _first_input(row_audit, self.target.data_format)
            self.inputs.append(_input_plan(f"{self.name}_input", shape, row.line, _int_input(self.rows, index - 1)))
            if self.outer_input is None:
                self.assumptions.append(f"input shape {shape_text(shape)} of line {row.line}: "
                                        f"{'as printed' if self.has_input_rows else 'reconstructed from its numbers'}")
            self.previous = (f"{self.name}_input", 0, 0)
        if row.inbound and not self.inputs and not self.known:
            # Keras 1 Sequential: the first layer reads an input the table never prints.
            implicit = row.inbound[0].layer
            self.inputs.append(_input_plan(implicit, _first_input(row_audit, self.target.data_format), row.line,
                                           _int_input(self.rows, index - 1)))
            self.known[implicit] = (self.inputs[-1].batch_size,) + self.inputs[-1].shape

    def _layer_row(self, index: int, row_audit: RowAudit) -> None:
        row = row_audit.row
        wanted = list(row_audit.input_shapes) + [None] * len(row.inbound)
        refs = tuple(_ref(ref, self.known, self.calls, row.line, wanted[i]) for i, ref in enumerate(row.inbound)) \
            if row.inbound else ((self.previous,) if self.previous else ())
        self.consumed.update(ref[0] for ref in refs)
        inner = self.rows[index + 1:_end_of(self.rows, index)]
        unique = _unique(row.name, list(self.known))
        self.layers.append(replace(_layer_plan(row_audit, refs, inner, self.depth, self.target), name=unique))
        self.known[unique] = row.output_shape
        self.calls[unique] = len(self.layers[-1].calls)
        if row_audit.alternatives and row_audit.inferred:
            self.assumptions.append(f"line {row.line} {row.name}: one of several configurations that fit")
        self.previous = (unique, 0, 0)


def _known_name(name: str, known: Dict[str, object], line: int, wanted: object = None) -> str:
    """A `Connected to` name as printed, or cut (`batch_normalizatio…`): the latest row it can
    name whose output is what the reading row takes (the shape the audit found), else the latest."""
    if name in known and not name.endswith("…"):
        return name
    fitting = [c for c in reversed(list(known)) if cut_name_match(name, c)]
    if not fitting:
        raise PlanError(f"'Connected to' names {name!r}, which no earlier row is", line, None)
    return next((c for c in fitting if wanted is not None and _gives(known[c], wanted)), fitting[0])


def _gives(output: object, wanted: object) -> bool:
    if isinstance(output, tuple) and is_multi(output):
        return wanted in output
    return output == wanted


def _ref(ref: Inbound, known: Dict[str, object], calls: Dict[str, int], line: int, wanted: object) -> TensorRef:
    """`name[node][tensor]`: Keras 1 numbers nodes its own way, so a node this table's rows do
    not call the layer that often is its last call."""
    name = _known_name(ref.layer, known, line, wanted)
    node = min(ref.node or 0, max(calls.get(name, 1) - 1, 0))
    return name, node, ref.tensor or 0


def _unique(name: str, known: Sequence[str]) -> str:
    """Keras wants unique names that are valid scopes (tf_keras refuses `…`); cut names
    (`expanded_conv_dept…`) repeat. A cut name loses its `…`, and a repeat gets a number, as
    Keras would name it."""
    base = name.rstrip("…")
    if base not in known and name not in known:
        return base
    count = 2
    while f"{base}_{count}" in known:
        count += 1
    return f"{base}_{count}"


def _outputs_of(layer: "LayerPlan") -> TensorRef:
    return (layer.name, 0, 0)


def _split_calls(refs: Tuple[TensorRef, ...], several_inputs: bool) -> Tuple[Tuple[TensorRef, ...], ...]:
    """A merge reads all its tensors in one call; any other layer listing several was shared."""
    if several_inputs or len(refs) <= 1:
        return (refs,)
    return tuple((ref,) for ref in refs)


def _layer_plan(row_audit: RowAudit, refs: Tuple[TensorRef, ...], inner: List[RowAudit], depth: int,
                target: _Target) -> LayerPlan:
    row = row_audit.row
    spec = REGISTRY.get(row_audit.layer_class or row.layer_class or "")
    if spec is None:
        return _stand_in(row_audit, (refs,), f"{row.type!r} is a custom or unknown layer type")
    if spec.is_container:
        if not inner:
            return _stand_in(row_audit, _split_calls(refs, False), "a nested model printed without its layers")
        outer_input = row_audit.input_shapes[0] if len(row_audit.input_shapes) == 1 else None
        sub = _Level(row.name, inner, depth + 1, target, outer_input, row.params or 0).plan()
        return LayerPlan(row.name, None, _split_calls(refs, False), row.line, submodel=sub,
                         trainable=row.trainable)
    problem = spec.build_problem(target.library)
    if problem is not None:
        one_call = spec.several_inputs or not spec.has_weights  # an op reads all its tensors at once
        return _stand_in(row_audit, _split_calls(refs, one_call), f"{spec.class_name} {problem}")
    if row_audit.status != "ok" or row_audit.inferred is None:
        raise PlanError(f"{row.name}: the row is {row_audit.status}; only rows whose numbers hold can be rebuilt",
                        row.line, None)
    call = spec.keras_layer(row_audit.inferred, target.data_format)
    return LayerPlan(row.name, call, _split_calls(refs, spec.several_inputs), row.line,
                     positional=spec.positional_inputs and len(refs) > 1,
                     as_list=spec.several_inputs and not spec.positional_inputs, trainable=row.trainable,
                     notes=tuple(row_audit.messages))


def _stand_in(row_audit: RowAudit, calls: Tuple[Tuple[TensorRef, ...], ...], why: str) -> LayerPlan:
    """A row today's Keras cannot build as such: a layer that holds its weights and gives its
    output shape, so the rebuilt model prints the same numbers (and says so in a comment)."""
    row = row_audit.row
    out = one_output(row.output_shape)
    if not isinstance(out, tuple) or is_multi(out) or not out or any(d is None for d in out[1:]):
        raise PlanError(f"{row.name}: {why}, and without one concrete output shape nothing can stand in for it",
                        row.line, None)
    weights = row.params or 0
    note = f"{why}: a stand-in layer holds its {weights:,} weights and gives its output shape"
    call = LayerCall(STAND_IN, {"weights": weights, "frozen": 0, "output_shape": tuple(out[1:])})
    return LayerPlan(row.name, call, calls, row.line, as_list=any(len(c) > 1 for c in calls),
                     trainable=row.trainable, notes=(note,))


def _is_input(row_audit: RowAudit) -> bool:
    return REGISTRY.is_input_row(row_audit.row)


def _end_of(rows: Sequence[RowAudit], index: int) -> int:
    depth = rows[index].row.depth
    end = index + 1
    while end < len(rows) and rows[end].row.depth > depth:
        end += 1
    return end


def _first_input(row_audit: RowAudit, data_format: str) -> Shape:
    shape = (row_audit.inferred or {}).get("input_shape") or (row_audit.input_shapes[0] if row_audit.input_shapes else None)
    spec = REGISTRY.get(row_audit.layer_class or "")
    if shape is None and spec is not None and isinstance(row_audit.row.output_shape, tuple):
        shape = spec.default_input(row_audit.row.output_shape, data_format)  # type: ignore[arg-type]
    if not isinstance(shape, tuple) or is_multi(shape):
        raise PlanError(f"{row_audit.row.name}: the model's input shape cannot be told from the table",
                        row_audit.row.line, None)
    return shape


def _single(shape: OutputShape) -> Shape:
    shape = one_output(shape)
    if not isinstance(shape, tuple) or is_multi(shape):
        raise PlanError("an input layer without one concrete shape", None, None)
    return shape  # type: ignore[return-value]


def _input_plan(name: str, shape: Shape, line: int, integer: bool) -> InputPlan:
    if not shape or any(d is not None and d <= 0 for d in shape):
        raise PlanError(f"{name}: no model has an input of shape {shape_text(shape)}", line, None)
    return InputPlan(name, tuple(shape[1:]), shape[0], "int32" if integer else "float32")


def _int_input(rows: Sequence[RowAudit], index: int) -> bool:
    """A layer right after the input that reads integer ids (an Embedding): the input is int32."""
    following = rows[index + 1] if index + 1 < len(rows) else None
    spec = REGISTRY.get(following.row.layer_class or "") if following is not None else None
    return spec is not None and spec.integer_inputs


def plans_by_name(plan: ModelPlan) -> Dict[str, LayerPlan]:
    return {layer.name: layer for layer in plan.layers}
