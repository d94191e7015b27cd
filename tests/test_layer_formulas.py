"""Each spec's forward rule (Param #, its trainable split, output shape) against the real
Keras 3 layer built on the same input, over seeded random configurations; then the inverse:
the printed numbers lead back to a configuration that reproduces them."""

from __future__ import annotations

import os
import random
from typing import Any, Dict, List, Tuple

import pytest

from summary_audit.layers import REGISTRY, LayerQuery
from summary_audit.shapes import same_shape

Case = Tuple[str, Dict[str, Any], Tuple[Any, ...]]


def _keras() -> Any:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import keras
    except ImportError as error:
        if os.environ.get("CI"):
            pytest.fail(f"keras is required in CI: {error}")
        pytest.skip("keras not installed")
    return keras


def cases() -> List[Case]:
    rng = random.Random(4)
    found: List[Case] = []
    for _ in range(12):
        k, c, f = rng.choice([1, 3, 5]), rng.choice([1, 3, 8]), rng.choice([4, 16])
        stride, padding, bias = rng.choice([1, 2]), rng.choice(["valid", "same"]), rng.random() < 0.8
        size = rng.choice([9, 16, 17])
        found.append(("Conv2D", {"filters": f, "kernel_size": (k, k), "strides": (stride, stride),
                                 "padding": padding, "use_bias": bias}, (None, size, size, c)))
        found.append(("Conv1D", {"filters": f, "kernel_size": (k,), "strides": (stride,), "padding": padding,
                                 "use_bias": bias}, (None, size, c)))
        found.append(("Conv2DTranspose", {"filters": f, "kernel_size": (k, k), "strides": (stride, stride),
                                          "padding": padding}, (None, size, size, c)))
        found.append(("SeparableConv2D", {"filters": f, "kernel_size": (k, k), "depth_multiplier": rng.choice([1, 2]),
                                          "padding": padding}, (None, size, size, c)))
        found.append(("DepthwiseConv2D", {"kernel_size": (k, k), "depth_multiplier": rng.choice([1, 2]),
                                          "use_bias": bias}, (None, size, size, c)))
        found.append(("Dense", {"units": f, "use_bias": bias}, (None, size)))
        found.append(("Embedding", {"input_dim": size * 10, "output_dim": f}, (None, 7)))
        units = rng.choice([3, 8])
        found.append(("LSTM", {"units": units, "return_sequences": bias}, (None, 5, c)))
        found.append(("GRU", {"units": units, "reset_after": bias}, (None, 5, c)))
        found.append(("SimpleRNN", {"units": units, "use_bias": bias}, (None, 5, c)))
        found.append(("BatchNormalization", {"center": bias, "scale": rng.random() < 0.5}, (None, size, c)))
        found.append(("LayerNormalization", {"center": bias}, (None, size, c)))
        found.append(("MultiHeadAttention", {"num_heads": rng.choice([1, 2, 4]), "key_dim": rng.choice([2, 8])},
                      (None, 6, c)))
        found.append(("Conv3D", {"filters": f, "kernel_size": (2, 2, 2), "use_bias": bias}, (None, 6, 6, 6, c)))
        found.append(("ConvLSTM2D", {"filters": f, "kernel_size": (k, k), "padding": padding,
                                     "return_sequences": bias}, (None, 3, size, size, c)))
        found.append(("GroupQueryAttention", {"head_dim": rng.choice([2, 4, 8]), "num_query_heads": 4,
                                              "num_key_value_heads": rng.choice([1, 2, 4])}, (None, 6, c)))
        found.append(("GroupNormalization", {"groups": 1, "center": bias}, (None, size, c)))
        found.append(("PReLU", {"shared_axes": [1]} if bias else {}, (None, size, c)))
        heads, width = rng.choice([1, 2, 4]), rng.choice([3, 8])
        found.append(("EinsumDense", {"equation": "abc,cde->abde", "output_shape": (size, heads, width),
                                      "bias_axes": "de" if bias else None}, (None, size, c)))
        found.append(("EinsumDense", {"equation": "abcd,cde->abe", "output_shape": (size, f),
                                      "bias_axes": "e" if bias else None}, (None, size, heads, width)))
        found.append(("Conv2D", {"filters": f * 2, "kernel_size": (k, k), "groups": 2, "use_bias": bias,
                                 "dilation_rate": (1, 2) if stride == 1 else (1, 1), "strides": (stride, stride)},
                      (None, size + 6, size + 6, 8)))
    return found


CASES = cases()
TWO_INPUTS = ("MultiHeadAttention", "GroupQueryAttention")


def _live(keras: Any, name: str, config: Dict[str, Any], shape: Tuple[Any, ...]) -> Tuple[int, int, Any]:
    layer = getattr(keras.layers, name)(**config)
    inputs = keras.Input(shape[1:])
    outputs = layer(inputs, inputs) if name in TWO_INPUTS else layer(inputs)
    trainable = sum(int(w.numpy().size) for w in layer.trainable_weights)
    frozen = sum(int(w.numpy().size) for w in layer.non_trainable_weights)
    return trainable, frozen, tuple(outputs.shape)


@pytest.mark.parametrize("name,config,shape", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_forward_matches_keras(name: str, config: Dict[str, Any], shape: Tuple[Any, ...]) -> None:
    keras = _keras()
    trainable, frozen, out = _live(keras, name, config, shape)
    shapes = [shape, shape] if name in TWO_INPUTS else [shape]
    derived = REGISTRY.get(name).forward(config, shapes)  # type: ignore[union-attr]
    assert (derived.trainable_params, derived.non_trainable_params) == (trainable, frozen)
    assert derived.params == trainable + frozen
    assert same_shape(derived.output_shape, out)


@pytest.mark.parametrize("name,config,shape", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_inverse_reproduces_the_numbers(name: str, config: Dict[str, Any], shape: Tuple[Any, ...]) -> None:
    spec = REGISTRY.get(name)
    assert spec is not None
    shapes = (shape, shape) if name in TWO_INPUTS else (shape,)
    forward = spec.forward(config, shapes)
    query = LayerQuery(input_shapes=shapes, output_shape=forward.output_shape, params=forward.params)
    exact = [c for c in spec.candidates(query) if c.params == forward.params
             and same_shape(c.output_shape, forward.output_shape)]
    assert exact, f"nothing reproduces {forward.params} and {forward.output_shape}"
    determined = {k: v for k, v in config.items() if k in ("filters", "units", "output_dim")}
    assert all(exact[0].config.get(k) == v for k, v in determined.items())
