"""Build a plan with real Keras, through its API — never by running generated text.

`build(plan, keras)` makes the model in-process (it is what `to_keras` returns). The
cross-check runs `python -m summary_audit.keras_build LIBRARY` in a child process instead:
the plan goes in as JSON on stdin, the model's own printed summary comes out on stdout, so a
table that would hang or exhaust Keras only costs the child.
"""

from __future__ import annotations

import dataclasses
import io
import json
import sys
from contextlib import redirect_stdout
from typing import Any, Dict, List, Tuple

from .layers.base import LayerCall
from .plan import STAND_IN, InputPlan, LayerPlan, ModelPlan, TensorRef

LIBRARIES = {"keras": "keras", "tf_keras": "tf_keras"}


def build(plan: ModelPlan, keras: Any) -> Any:
    """The Keras model a plan describes, built with the given library module."""
    if plan.sequential:
        layers = [_input(plan.inputs[0], keras)] + [_layer(layer, keras) for layer in plan.layers]
        return keras.Sequential(layers, name=keras_name(plan.name))
    tensors: Dict[Tuple[str, int], Any] = {(i.name, 0): _input(i, keras) for i in plan.inputs}
    for layer in plan.layers:
        made = _layer(layer, keras)
        for node, call in enumerate(layer.calls):
            arguments = [_tensor(tensors, ref) for ref in call]
            tensors[(layer.name, node)] = _apply(made, layer, arguments)
    outputs = [_tensor(tensors, ref) for ref in plan.outputs]
    inputs = [tensors[(i.name, 0)] for i in plan.inputs]
    return keras.Model(inputs=inputs if len(inputs) > 1 else inputs[0],
                       outputs=outputs if len(outputs) > 1 else outputs[0], name=keras_name(plan.name))


def _input(spec: InputPlan, keras: Any) -> Any:
    return keras.Input(shape=tuple(spec.shape), batch_size=spec.batch_size, dtype=spec.dtype, name=keras_name(spec.name))


def _layer(layer: LayerPlan, keras: Any) -> Any:
    if layer.submodel is not None:
        made = build(dataclasses.replace(layer.submodel, name=layer.name), keras)
    else:
        made = _construct(layer.call, keras, name=keras_name(layer.name))  # type: ignore[arg-type]
    if layer.trainable is False:
        made.trainable = False
    return made


def _construct(call: LayerCall, keras: Any, **extra: Any) -> Any:
    factory = stand_in_class(keras) if call.class_name == STAND_IN else getattr(keras.layers, call.class_name)
    args = {**_plain(call.args), **extra}
    if call.wrapped is not None:
        return factory(_construct(call.wrapped, keras), **args)
    return factory(**args)


def stand_in_class(keras: Any) -> Any:
    """A layer owning a nested model's weights (trainable and frozen) that gives its output
    shape: what a table shows of a nested model printed without its layers."""

    class StandIn(keras.layers.Layer):  # type: ignore[misc,name-defined]
        def __init__(self, weights: int, frozen: int, output_shape: Tuple[int, ...], **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.counts = (weights - frozen, frozen)
            self.shape_out = tuple(output_shape)

        def build(self, input_shape: Any) -> None:
            trained, frozen = self.counts
            if trained:
                self.add_weight(shape=(trained,), initializer="zeros", name="trained")
            if frozen:
                self.add_weight(shape=(frozen,), initializer="zeros", name="frozen", trainable=False)

        def call(self, inputs: Any) -> Any:
            first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
            if hasattr(keras, "ops"):
                return keras.ops.zeros((keras.ops.shape(first)[0],) + self.shape_out)
            import tensorflow as tf

            return tf.zeros(tf.concat([tf.shape(first)[:1], self.shape_out], 0))

        def compute_output_shape(self, input_shape: Any) -> Tuple[Any, ...]:
            return (None,) + self.shape_out

    return StandIn


def _apply(made: Any, layer: LayerPlan, arguments: List[Any]) -> Any:
    if layer.positional:
        return made(*arguments)
    if layer.as_list:
        return made(arguments)
    return made(arguments[0])


def _tensor(tensors: Dict[Tuple[str, int], Any], ref: TensorRef) -> Any:
    value = tensors[(ref[0], ref[1])]
    return value[ref[2]] if isinstance(value, (list, tuple)) else value


def _plain(args: Any) -> Any:
    """JSON turned tuples into lists; Keras wants tuples for shapes and paddings."""
    if isinstance(args, dict):
        return {k: _plain(v) for k, v in args.items()}
    if isinstance(args, (list, tuple)):
        return tuple(_plain(v) for v in args)
    return args


def keras_name(name: str) -> str:
    """Keras refuses '/' in names; everything else a table prints is kept as it is."""
    return name.replace("/", "_") or "layer"


# ---- the plan as JSON, for the child process ------------------------------------------------------


def plan_to_json(plan: ModelPlan) -> str:
    return json.dumps(dataclasses.asdict(plan))


def plan_from_json(text: str) -> ModelPlan:
    return _model(json.loads(text))


def _model(data: Dict[str, Any]) -> ModelPlan:
    return ModelPlan(
        name=data["name"], sequential=data["sequential"],
        inputs=tuple(InputPlan(i["name"], tuple(i["shape"]), i["batch_size"], i["dtype"]) for i in data["inputs"]),
        layers=tuple(_layer_from(layer) for layer in data["layers"]),
        outputs=tuple(tuple(ref) for ref in data["outputs"]),  # type: ignore[misc]
        expected_params=data["expected_params"], assumptions=tuple(data["assumptions"]))


def _layer_from(data: Dict[str, Any]) -> LayerPlan:
    return LayerPlan(
        name=data["name"], call=_call_from(data["call"]),
        calls=tuple(tuple(tuple(ref) for ref in call) for call in data["calls"]),  # type: ignore[misc]
        line=data["line"], positional=data["positional"], as_list=data["as_list"], trainable=data["trainable"],
        submodel=_model(data["submodel"]) if data["submodel"] else None, notes=tuple(data["notes"]))


def _call_from(data: Any) -> Any:
    if data is None:
        return None
    return LayerCall(data["class_name"], data["args"], _call_from(data["wrapped"]))


def main(argv: List[str]) -> int:
    """Child process: plan JSON on stdin → the built model's summary on stdout."""
    library = LIBRARIES.get(argv[0] if argv else "keras")
    if library is None:
        print(f"unknown library {argv[0]!r}", file=sys.stderr)
        return 2
    plan = plan_from_json(sys.stdin.read())
    printed = io.StringIO()
    with redirect_stdout(io.StringIO()):
        keras = __import__(library)
        model = build(plan, keras)
    nested = any(layer.submodel is not None for layer in plan.layers)
    model.summary(expand_nested=nested, print_fn=lambda text, *a, **k: printed.write(text + "\n"))
    sys.stdout.write(printed.getvalue())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
