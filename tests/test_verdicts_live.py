"""Correct tables that real printers print are never called wrong: layers whose settings are
unusual (long speech kernels, a batch norm over another axis than the channels), printed by
Keras 3 and tf_keras from live models."""

from __future__ import annotations

from typing import Any

import pytest

import summary_audit
from conftest import import_library
from zoo import summary_text


def _speech_front(keras: Any) -> Any:
    """DeepSpeech 2's front: 11x41 and 11x21 kernels without bias over a spectrogram."""
    L = keras.layers
    return keras.Sequential([
        keras.Input((None, 193, 1)),
        L.Conv2D(32, (11, 41), strides=2, padding="same", use_bias=False),
        L.BatchNormalization(),
        L.Conv2D(32, (11, 21), strides=(1, 2), padding="same", use_bias=False),
        L.BatchNormalization(),
    ], name="speech_front")


def _axis_one_norm(keras: Any) -> Any:
    """A batch norm over the rows of an image (`axis=1`), as the CarND models wrote it."""
    L = keras.layers
    return keras.Sequential([
        keras.Input((60, 79, 3)),
        L.BatchNormalization(axis=1),
        L.Conv2D(8, 5, strides=2),
        L.BatchNormalization(axis=2),
        L.Flatten(),
        L.Dense(1),
    ], name="axis_one_norm")


@pytest.mark.parametrize("library", ["keras", "tf_keras"])
@pytest.mark.parametrize("build", [_speech_front, _axis_one_norm])
def test_a_correct_unusual_table_is_ok(library: str, build: Any) -> None:
    keras = import_library(library)
    model = build(keras)
    [summary] = summary_audit.parse(summary_text(model)).summaries
    audit = summary_audit.audit(summary)
    assert [(r.row.name, r.status, r.messages) for r in audit.rows if r.status != "ok"] == []
    assert audit.status == "ok"
    layers = [layer for layer in model.layers if layer.count_params()]
    assert [r.expected_params for r in audit.rows if r.expected_params] == [l.count_params() for l in layers]
