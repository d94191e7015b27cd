"""A build plan printed as a self-contained Keras script.

Every value that came from the pasted text (names above all) is written with `repr`, so it
reaches Python as a string literal and nothing pasted ever becomes code. Variables are
numbered (`layer_3`, `t3_0`), never derived from layer names. A script never calls a class its
library does not have (`LayerSpec.libraries`): such a plan is refused.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from .keras_build import keras_name
from .layers import REGISTRY
from .layers.base import LayerCall
from .plan import STAND_IN, LayerPlan, ModelPlan, PlanError, TensorRef

#: the library a script is written for → its module and its name in the script's first line.
FLAVOURS = {"keras": ("keras", "Keras 3"), "tf_keras": ("tf_keras", "tf_keras (Keras 2)")}
LITERALS = (str, int, float, bool, type(None))
#: written into a script whose table shows a nested model without its layers; the same layer
#: as keras_build.stand_in_class.
STAND_IN_SOURCE = '''

class StandIn(keras.layers.Layer):
    """Stands in for a nested model printed without its layers: owns as many weights
    (trained and frozen) and gives the same output shape; it computes nothing useful."""

    def __init__(self, weights, frozen, output_shape, **kwargs):
        super().__init__(**kwargs)
        self.counts = (weights - frozen, frozen)
        self.shape_out = tuple(output_shape)

    def build(self, input_shape):
        trained, frozen = self.counts
        if trained:
            self.add_weight(shape=(trained,), initializer="zeros", name="trained")
        if frozen:
            self.add_weight(shape=(frozen,), initializer="zeros", name="frozen", trainable=False)

    def call(self, inputs):
        first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        if hasattr(keras, "ops"):
            return keras.ops.zeros((keras.ops.shape(first)[0],) + self.shape_out)
        import tensorflow as tf
        return tf.zeros(tf.concat([tf.shape(first)[:1], self.shape_out], 0))

    def compute_output_shape(self, input_shape):
        return (None,) + self.shape_out
'''


def generate(plan: ModelPlan, flavour: str = "keras", source: str = "") -> str:
    """The script; run it and `model.summary()` prints the table again. PlanError when the
    plan calls a class the flavour's library lacks (a plan made for the other library)."""
    module, label = FLAVOURS[flavour]
    _refuse_missing(plan, flavour)
    lines = [f"# A {label} model rebuilt by summary-audit from {_comment(source) or 'a pasted summary'}.",
             "# Its summary reproduces the table's output shapes and Param #; settings a table cannot",
             "# show (activations, initializers, dropout rates) are placeholders.", "",
             f"import {module}" if module == "keras" else f"import {module} as keras", "", "",
             "def pick(value, index):",
             '    """One output of a layer that returns several (an LSTM with return_state)."""',
             "    return value[index] if isinstance(value, (list, tuple)) else value", ""]
    if _uses_stand_in(plan):
        lines.extend(STAND_IN_SOURCE.splitlines())
        lines.append("")
    for assumption in _all_assumptions(plan):
        lines.append(f"# assumption: {_comment(assumption)}")
    counter = [0]
    lines.extend(_model_lines(plan, "model", counter))
    lines += ["", 'if __name__ == "__main__":',
              "    model.summary(expand_nested=True)" if _nested(plan) else "    model.summary()"]
    return "\n".join(lines) + "\n"


def _refuse_missing(plan: ModelPlan, library: str) -> None:
    """No script calls a layer its library does not have (`LayerSpec.libraries`)."""
    for layer in plan.layers:
        if layer.submodel is not None:
            _refuse_missing(layer.submodel, library)
        call = layer.call
        while call is not None:
            spec = REGISTRY.get(call.class_name) if call.class_name != STAND_IN else None
            problem = spec.build_problem(library) if spec is not None else None
            if problem is not None:
                raise PlanError(f"{layer.name}: {call.class_name} {problem}: no {library} script can call it",
                                layer.line, None)
            call = call.wrapped


def _model_lines(plan: ModelPlan, variable: str, counter: List[int]) -> List[str]:
    lines: List[str] = []
    submodels: Dict[str, str] = {}
    for layer in plan.layers:
        if layer.submodel is not None:
            counter[0] += 1
            name = f"submodel_{counter[0]}"
            lines.extend(_model_lines(_renamed(layer.submodel, layer.name), name, counter))
            submodels[layer.name] = name
    lines.append("")
    if plan.sequential:
        lines.append(f"{variable} = keras.Sequential([")
        lines.append(f"    {_input_call(plan.inputs[0])},")
        for layer in plan.layers:
            lines.extend(_comments(layer, "    "))
            lines.append(f"    {submodels.get(layer.name) or _layer_call(layer)},")
        lines.append(f"], name={_literal(plan.name)})")
        lines.extend(_freeze_lines(plan, variable))
        return lines
    tensors: Dict[Tuple[str, int], str] = {}
    inputs = []
    for number, spec in enumerate(plan.inputs):
        tensors[(spec.name, 0)] = f"input_{counter[0]}_{number}"
        inputs.append(tensors[(spec.name, 0)])
        lines.append(f"{tensors[(spec.name, 0)]} = {_input_call(spec)}")
    for position, layer in enumerate(plan.layers):
        holder = submodels.get(layer.name) or f"layer_{counter[0]}_{position}"
        lines.extend(_comments(layer, ""))
        if layer.name not in submodels:
            lines.append(f"{holder} = {_layer_call(layer)}")
        if layer.trainable is False:
            lines.append(f"{holder}.trainable = False")
        for node, call in enumerate(layer.calls):
            arguments = [_tensor(tensors, ref) for ref in call]
            out = f"t_{counter[0]}_{position}_{node}"
            tensors[(layer.name, node)] = out
            lines.append(f"{out} = {holder}({_arguments(layer, arguments)})")
    outputs = [_tensor(tensors, ref) for ref in plan.outputs]
    lines.append(f"{variable} = keras.Model(inputs={_many(inputs)}, outputs={_many(outputs)}, "
                 f"name={_literal(keras_name(plan.name))})")
    return lines


def _freeze_lines(plan: ModelPlan, variable: str) -> List[str]:
    return [f"{variable}.layers[{i}].trainable = False" for i, layer in enumerate(plan.layers)
            if layer.trainable is False]


def _comments(layer: LayerPlan, indent: str) -> List[str]:
    return [f"{indent}# line {layer.line}: {_comment(note)}" for note in layer.notes]


def _input_call(spec: Any) -> str:
    args = [f"shape={_literal(tuple(spec.shape))}"]
    if spec.batch_size is not None:
        args.append(f"batch_size={_literal(spec.batch_size)}")
    if spec.dtype != "float32":
        args.append(f"dtype={_literal(spec.dtype)}")
    args.append(f"name={_literal(keras_name(spec.name))}")
    return f"keras.Input({', '.join(args)})"


def _layer_call(layer: LayerPlan) -> str:
    return _call_text(layer.call, name=keras_name(layer.name))  # type: ignore[arg-type]


def _call_text(call: LayerCall, **extra: Any) -> str:
    args = [f"{key}={_literal(value)}" for key, value in {**call.args, **extra}.items()]
    if call.wrapped is not None:
        args.insert(0, _call_text(call.wrapped))
    if not call.class_name.isidentifier():
        raise ValueError(f"not a layer class name: {call.class_name!r}")
    factory = call.class_name if call.class_name == STAND_IN else f"keras.layers.{call.class_name}"
    return f"{factory}({', '.join(args)})"


def _arguments(layer: LayerPlan, arguments: List[str]) -> str:
    if layer.positional:
        return ", ".join(arguments)
    if layer.as_list:
        return "[" + ", ".join(arguments) + "]"
    return arguments[0]


def _tensor(tensors: Dict[Tuple[str, int], str], ref: TensorRef) -> str:
    return f"pick({tensors[(ref[0], ref[1])]}, {int(ref[2])})"


def _many(names: List[str]) -> str:
    return names[0] if len(names) == 1 else "[" + ", ".join(names) + "]"


def _literal(value: Any) -> str:
    """A Python literal of plain data; anything else is refused rather than printed."""
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_literal(v) for v in value)
        return f"({inner},)" if isinstance(value, tuple) and len(value) == 1 else \
            (f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, LITERALS):
        return repr(value)
    raise ValueError(f"cannot write {type(value).__name__} as a literal")


def _comment(text: str) -> str:
    """One comment line: no line breaks can end the comment early."""
    return " ".join(str(text).split())


def _all_assumptions(plan: ModelPlan) -> List[str]:
    found = list(plan.assumptions)
    for layer in plan.layers:
        if layer.submodel is not None:
            found.extend(_all_assumptions(layer.submodel))
    return found


def _uses_stand_in(plan: ModelPlan) -> bool:
    return any(layer.is_stand_in or (layer.submodel is not None and _uses_stand_in(layer.submodel))
               for layer in plan.layers)


def _nested(plan: ModelPlan) -> bool:
    return any(layer.submodel is not None for layer in plan.layers)


def _renamed(plan: ModelPlan, name: str) -> ModelPlan:
    from dataclasses import replace

    return replace(plan, name=name)
