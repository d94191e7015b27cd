"""A live Keras 3 or tf_keras model as the `Summary` that parsing its printed table gives.

Rows come in the printer's order with the printer's values (a shape of `multiple`, `0` for
an unbuilt layer), read from the layer objects rather than from text. Nothing here imports
TensorFlow or Keras: the model object brings its own library.
"""

from __future__ import annotations

import math
from typing import Any, Iterator, List, Optional, Tuple

from .layers import REGISTRY
from .model import Inbound, OutputShape, Row, Summary, Totals
from .printers import BY_LIBRARY


def from_model(model: Any, *, expand_nested: bool = False) -> Summary:
    library = library_of(model)
    layers = _top_layers(model, library)
    relevant = _relevant_nodes(model)
    rows = [row for layer in layers for row in _rows(layer, library, relevant, 0, expand_nested)]
    numbered = tuple(_numbered(row, index) for index, row in enumerate(rows, start=1))
    return Summary(model_name=model.name, format=BY_LIBRARY[library].format, start_line=1,
                   end_line=max(len(rows), 1), rows=numbered, totals=_totals(model, library), origin="live model")


def library_of(model: Any) -> str:
    """The library a model object comes from (`keras` or `tf_keras`): its objects are read
    differently (Keras 3 lists a functional graph's operations, marks unbuilt layers), and
    each prints its own layout (`printers.BY_LIBRARY`)."""
    return "tf_keras" if type(model).__module__.startswith("tf_keras") else "keras"


def _top_layers(model: Any, library: str) -> List[Any]:
    if library == "keras" and hasattr(model, "_operations"):  # (a Functional model, as Keras' summary tells one)
        return list(model._operations)
    return list(model.layers)


def _relevant_nodes(model: Any) -> Optional[List[Any]]:
    by_depth = getattr(model, "_nodes_by_depth", None)
    if not by_depth:
        return None
    return [node for nodes in by_depth.values() for node in nodes]


def _rows(layer: Any, library: str, relevant: Optional[List[Any]], depth: int,
          expand_nested: bool) -> Iterator[Row]:
    params, note = _params(layer, library)
    yield Row(line=0, name=layer.name, type=type(layer).__name__, layer_class=_row_class(layer),
              output_shape=_output_shape(layer, library), params=params, params_note=note, depth=depth,
              inbound=tuple(_inbound(layer, library, relevant)) if depth == 0 else (),
              trainable=_trainable(layer, library))
    if expand_nested and getattr(layer, "layers", None):
        inner_relevant = _relevant_nodes(layer)
        for inner in layer.layers:
            yield from _rows(inner, library, inner_relevant, depth + 1, expand_nested)


def _numbered(row: Row, index: int) -> Row:
    return row._replace(line=index, end_line=index)


def _row_class(layer: Any) -> str:
    """The class name a parsed row gets for the layer's type (tf_keras' `Model` is a
    `Functional`, `GroupedQueryAttention` a `GroupQueryAttention`); an unknown class its own."""
    name = type(layer).__name__
    spec = REGISTRY.get(name)
    return spec.class_name if spec is not None else name


def _params(layer: Any, library: str) -> Tuple[int, Optional[str]]:
    if library == "keras":
        if not hasattr(layer, "built"):
            return 0, None
        if not layer.built:
            return 0, "unbuilt"
        return int(layer.count_params()), None
    if not layer.built and not getattr(layer, "_is_graph_network", False):
        return 0, "unused"
    return int(layer.count_params()), None


def _output_shape(layer: Any, library: str) -> OutputShape:
    return _keras_shape(layer) if library == "keras" else _tf_keras_shape(layer)


def _keras_shape(layer: Any) -> OutputShape:
    """As keras.src.utils.summary_utils.format_layer_shape prints it."""
    nodes = getattr(layer, "_inbound_nodes", [])
    if not nodes and not getattr(layer, "_build_shapes_dict", None):
        return "?"
    if nodes:
        shapes = [_dims(tensor.shape) for tensor in _flatten(nodes[-1].output_tensors)]
    else:
        try:
            shapes = [_dims(layer.output_shape)] if hasattr(layer, "output_shape") else \
                [_dims(s) for s in _flatten_shapes(layer.compute_output_shape(**layer._build_shapes_dict))]
        except NotImplementedError:
            return "?"
    return shapes[0] if len(shapes) == 1 else tuple(shapes)


def _tf_keras_shape(layer: Any) -> OutputShape:
    try:
        shape = layer.output_shape
    except AttributeError:
        return "multiple"
    except RuntimeError:
        return "?"
    if isinstance(shape, list):
        shapes = tuple(_dims(s) for s in shape)
        return shapes[0] if len(shapes) == 1 else shapes
    if isinstance(shape, tuple) and shape and isinstance(shape[0], tuple):
        return tuple(_dims(s) for s in shape)
    return _dims(shape)


def _dims(shape: Any) -> Tuple[Optional[int], ...]:
    return tuple(None if d is None else int(d) for d in shape)


def _flatten(structure: Any) -> List[Any]:
    if isinstance(structure, dict):
        return [leaf for value in structure.values() for leaf in _flatten(value)]
    if isinstance(structure, (list, tuple)):
        return [leaf for value in structure for leaf in _flatten(value)]
    return [structure]


def _flatten_shapes(structure: Any) -> List[Any]:
    if isinstance(structure, (list, tuple)) and structure and isinstance(structure[0], (list, tuple)):
        return [leaf for value in structure for leaf in _flatten_shapes(value)]
    if isinstance(structure, dict):
        return [leaf for value in structure.values() for leaf in _flatten_shapes(value)]
    return [structure]


def _inbound(layer: Any, library: str, relevant: Optional[List[Any]]) -> Iterator[Inbound]:
    for node in getattr(layer, "_inbound_nodes", []):
        if relevant and node not in relevant:
            continue
        if library == "keras":
            for tensor in _flatten(node.input_tensors):
                history = tensor._keras_history
                name = history.operation.name
                yield Inbound(name, history.node_index, history.tensor_index,
                              f"{name}[{history.node_index}][{history.tensor_index}]")
        else:
            for inbound_layer, node_index, tensor_index, _ in node.iterate_inbound():
                yield Inbound(inbound_layer.name, node_index, tensor_index,
                              f"{inbound_layer.name}[{node_index}][{tensor_index}]")


def _trainable(layer: Any, library: str) -> Optional[bool]:
    if library == "keras" and not getattr(layer, "weights", None):
        return None
    return bool(layer.trainable)


def _count(weights: Any) -> int:
    return int(sum(math.prod(int(d) for d in w.shape) for w in weights))


def _totals(model: Any, library: str) -> Totals:
    trainable_weights = getattr(model, "_collected_trainable_weights", None) or model.trainable_weights
    trainable = _count(trainable_weights)
    non_trainable = _count(model.non_trainable_weights)
    optimizer = None
    if library == "keras" and getattr(model, "compiled", False) and model.optimizer is not None \
            and model.optimizer.built:
        optimizer = _count(model.optimizer.variables)
    total = trainable + non_trainable + (optimizer or 0)
    return Totals(total=total, trainable=trainable, non_trainable=non_trainable, optimizer=optimizer)
