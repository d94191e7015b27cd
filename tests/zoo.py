"""Live models for the round-trip tests, built with Keras 3 or tf_keras (same builders).

`zoo_models(keras)` returns name → builder; `summary_text(model, **kwargs)` captures exactly what
`model.summary()` prints. Not a test module.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List

APPLICATIONS = {
    "MobileNet": (96, 96, 3), "MobileNetV2": (96, 96, 3), "MobileNetV3Small": (96, 96, 3),
    "ResNet50": (64, 64, 3), "DenseNet121": (64, 64, 3), "EfficientNetB0": (64, 64, 3),
    "InceptionV3": (75, 75, 3), "VGG16": (32, 32, 3), "Xception": (71, 71, 3),
}


def _application(keras: Any, name: str) -> Callable[[], Any]:
    def build() -> Any:
        factory = getattr(keras.applications, name)
        kwargs: Dict[str, Any] = {"weights": None, "input_shape": APPLICATIONS[name], "classes": 10}
        if name == "MobileNetV3Small":
            kwargs["include_preprocessing"] = False
        return factory(**kwargs)
    return build


def _maybe(layers: Any, name: str, *args: Any, **kwargs: Any) -> List[Any]:
    return [getattr(layers, name)(*args, **kwargs)] if hasattr(layers, name) else []


def conv_zoo(keras: Any) -> Any:
    L = keras.layers
    return keras.Sequential([
        keras.Input((32, 32, 3)),
        L.ZeroPadding2D(((1, 2), (0, 1))),
        L.Conv2D(16, 3, strides=2, padding="same", use_bias=False),
        L.BatchNormalization(center=False),
        L.ReLU(),
        L.Conv2D(32, (3, 5), dilation_rate=(2, 1)),
        L.Conv2D(32, 3, groups=4, padding="same"),
        L.SeparableConv2D(24, 3, depth_multiplier=2, padding="same"),
        L.DepthwiseConv2D(3, depth_multiplier=2),
        L.Conv2DTranspose(8, 3, strides=2),
        L.Cropping2D(((1, 1), (2, 3))),
        L.UpSampling2D(2),
        L.AveragePooling2D(3, strides=2, padding="same"),
        L.MaxPooling2D(2),
        L.SpatialDropout2D(0.1),
        L.LayerNormalization(),
        L.GroupNormalization(groups=2) if hasattr(L, "GroupNormalization") else L.Identity(),
        L.PReLU(shared_axes=[1, 2]),
        L.GlobalMaxPooling2D(keepdims=True),
        L.Flatten(),
        L.Dense(10, activation="softmax"),
    ], name="conv_zoo")


def conv_1d_3d_zoo(keras: Any) -> Any:
    L = keras.layers
    inputs = keras.Input((12, 12, 12, 2))
    x = L.Conv3D(4, 3, padding="same")(inputs)
    x = L.Conv3DTranspose(3, 2, strides=2)(x)
    x = L.MaxPooling3D(2)(x)
    x = L.AveragePooling3D(2)(x)
    x = L.ZeroPadding3D(1)(x)
    x = L.Cropping3D(1)(x)
    x = L.UpSampling3D(2)(x)
    x = L.GlobalAveragePooling3D()(x)
    x = L.RepeatVector(6)(x)
    x = L.Conv1D(8, 3, padding="causal", dilation_rate=2)(x)
    x = L.SeparableConv1D(8, 3)(x)
    x = L.DepthwiseConv1D(2)(x)
    x = L.Conv1DTranspose(4, 3)(x)
    x = L.MaxPooling1D(2)(x)
    x = L.AveragePooling1D(1)(x)
    x = L.ZeroPadding1D(2)(x)
    x = L.Cropping1D((1, 0))(x)
    x = L.UpSampling1D(2)(x)
    x = L.GlobalAveragePooling1D()(x)
    outputs = L.Dense(3)(x)
    return keras.Model(inputs, outputs, name="conv_1d_3d_zoo")


def sequence_zoo(keras: Any) -> Any:
    L = keras.layers
    inputs = keras.Input((20,), dtype="int32")
    x = L.Embedding(500, 16)(inputs)
    x = L.SimpleRNN(8, return_sequences=True)(x)
    x = L.LSTM(12, return_sequences=True)(x)
    x = L.GRU(6, return_sequences=True)(x)
    x = L.GRU(5, reset_after=False, return_sequences=True)(x)
    x = L.Bidirectional(L.LSTM(4, return_sequences=True))(x)
    x = L.TimeDistributed(L.Dense(7))(x)
    attended = L.MultiHeadAttention(num_heads=2, key_dim=3)(x, x)
    scored = L.Attention()([x, attended])
    additive = L.AdditiveAttention()([x, scored])
    x = L.Concatenate()([x, additive])
    x = L.Permute((2, 1))(x)
    x = L.Reshape((-1, 10))(x)
    x = L.GaussianNoise(0.1)(x)
    x = L.Dropout(0.1)(x)
    x = L.Flatten()(x)
    x = L.Dense(4, use_bias=False)(x)
    return keras.Model(inputs, x, name="sequence_zoo")


def merge_zoo(keras: Any) -> Any:
    L = keras.layers
    a = keras.Input((8,), name="left")
    b = keras.Input((8,), name="right")
    shared = L.Dense(8, name="shared_dense")
    x, y = shared(a), shared(b)
    merged = [L.Add()([x, y]), L.Subtract()([x, y]), L.Multiply()([x, y]), L.Average()([x, y]),
              L.Maximum()([x, y]), L.Minimum()([x, y])]
    dot = L.Dot(axes=1)([x, y])
    joined = L.Concatenate()(merged + [dot])
    inner = keras.Sequential([keras.Input((49,)), L.Dense(6), L.Dense(2)], name="inner_block")
    out = inner(joined)
    seq = keras.Input((10, 4), name="seq")
    whole, h, c = L.LSTM(5, return_sequences=True, return_state=True)(seq)
    state = L.Concatenate(name="a_very_long_layer_name_that_the_printers_must_cut")([h, c])
    head = L.Dense(1, name="head", trainable=False)(L.Concatenate()([out, state]))
    return keras.Model([a, b, seq], [head, whole], name="merge_zoo")


def nested_functional(keras: Any) -> Any:
    L = keras.layers
    inner_in = keras.Input((16,))
    inner_out = L.Dense(4)(L.BatchNormalization()(L.Dense(8)(inner_in)))
    inner = keras.Model(inner_in, inner_out, name="inner_functional")
    outer_in = keras.Input((16,))
    x = inner(outer_in)
    x = L.Dense(2)(x)
    return keras.Model(outer_in, x, name="nested_functional")


def zoo_models(keras: Any) -> Dict[str, Callable[[], Any]]:
    models: Dict[str, Callable[[], Any]] = {name: _application(keras, name) for name in APPLICATIONS}
    for builder in (conv_zoo, conv_1d_3d_zoo, sequence_zoo, merge_zoo, nested_functional):
        models[builder.__name__] = (lambda b: lambda: b(keras))(builder)
    return models


VARIANTS: Dict[str, Dict[str, Any]] = {
    "default": {}, "expand_nested": {"expand_nested": True}, "show_trainable": {"show_trainable": True},
    "notebook76": {"line_length": 76},
}


def summary_text(model: Any, **kwargs: Any) -> str:
    lines: List[str] = []

    def collect(text: str, *args: Any, **more: Any) -> None:
        lines.append(text)

    model.summary(print_fn=collect, **kwargs)
    return "\n".join(lines) + "\n"
