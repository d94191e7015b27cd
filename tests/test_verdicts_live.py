"""Correct tables that real printers print are never called wrong: layers whose settings are
unusual (long speech kernels, a batch norm over another axis than the channels), printed by
Keras 3 and tf_keras from live models."""

from __future__ import annotations

from typing import Any

import pytest

import summary_audit
from conftest import import_library
from summary_audit.diff import diff
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


def _residual_net(keras: Any) -> Any:
    L = keras.layers
    image = keras.Input((8, 8, 3), name="image")
    a = L.Conv2D(16, 3, padding="same", name="conv_a")(image)
    b = L.Conv2D(16, 3, padding="same", name="conv_b")(a)
    added = L.Add(name="residual")([a, b])
    return keras.Model(image, L.Dense(2, name="head")(L.GlobalAveragePooling2D(name="pool")(added)))


def _residual_text(library: str) -> str:
    return summary_text(_residual_net(import_library(library)))


def _edited(text: str, row: str, old: str, new: str) -> tuple:
    """The text with `old` replaced by `new` (padded to its width) in the Connected to cell of
    the lines from `row`'s line down to the next row; and the row's line number."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip("│ ").startswith(row + " "))
    for i in range(start, len(lines)):
        if old in lines[i]:
            lines[i] = lines[i].replace(old, new.ljust(len(old)), 1)
            break
    return "\n".join(lines) + "\n", start + 1


@pytest.mark.parametrize("library", ["keras", "tf_keras"])
def test_a_connected_to_naming_no_layer_is_wrong(library: str) -> None:
    text, line = _edited(_residual_text(library), "residual", "conv_b[0][0]", "nosuch[0][0]")
    audit = summary_audit.audit(summary_audit.parse(text).summaries[0])
    errors = [(f.code, f.line) for f in audit.findings if f.severity == "error"]
    assert ("unknown-source", line) in errors and audit.status == "mismatch"
    assert [r.row.name for r in audit.rows if r.status == "mismatch"] == ["residual"]


@pytest.mark.parametrize("library", ["keras", "tf_keras"])
def test_an_add_of_unequal_shapes_is_wrong_at_the_add(library: str) -> None:
    """Rewired to add the 3-channel image to a 16-channel map: Keras refuses that call. The
    image row is read right by conv_a (whose count checks it): the Add is the one to blame."""
    text, line = _edited(_residual_text(library), "residual", "conv_a[0][0]", "image[0][0]")
    audit = summary_audit.audit(summary_audit.parse(text).summaries[0])
    assert [r.row.name for r in audit.rows if r.status == "mismatch"] == ["residual"]
    [finding] = [f for f in audit.findings if f.severity == "error"]
    assert finding.line == line and "differ on axis 3 (3 vs 16)" in finding.message


@pytest.mark.parametrize("library", ["keras", "tf_keras"])
def test_the_residual_net_as_printed_is_ok(library: str) -> None:
    audit = summary_audit.audit(summary_audit.parse(_residual_text(library)).summaries[0])
    assert audit.status == "ok" and not [f for f in audit.findings if f.severity == "error"]


def _rewired_net(keras: Any) -> Any:
    """`_residual_net` with its residual connection rewired: `add([b, b])` for `add([a, b])`."""
    L = keras.layers
    image = keras.Input((8, 8, 3), name="image")
    a = L.Conv2D(16, 3, padding="same", name="conv_a")(image)
    b = L.Conv2D(16, 3, padding="same", name="conv_b")(a)
    added = L.Add(name="residual")([b, b])
    return keras.Model(image, L.Dense(2, name="head")(L.GlobalAveragePooling2D(name="pool")(added)))


@pytest.mark.parametrize("library", ["keras", "tf_keras"])
def test_diff_compares_the_graph_not_the_rows(library: str) -> None:
    """Every row of the rewired model prints the same name, type, shape and count: only the
    residual's Connected to tells them apart, and diff must say so."""
    keras = import_library(library)
    before = summary_audit.parse(summary_text(_residual_net(keras))).summaries[0]
    after = summary_audit.parse(summary_text(_rewired_net(keras))).summaries[0]
    result = diff(before, after)
    assert not result.equal
    [change] = result.changes
    assert change.name == "residual" and [f.field for f in change.fields] == ["connected_to"]
    assert change.fields[0].before == ("conv_a", "conv_b") and change.fields[0].after == ("conv_b", "conv_b")


def test_one_graph_printed_by_two_printers_is_the_same() -> None:
    keras3 = summary_audit.parse(summary_text(_residual_net(import_library("keras")))).summaries[0]
    tf_keras = summary_audit.parse(summary_text(_residual_net(import_library("tf_keras")))).summaries[0]
    assert diff(tf_keras, keras3).equal


def test_the_plugin_fails_a_rewired_model(tmp_path: Any) -> None:
    from summary_audit.pytest_plugin import assert_summary_matches

    stored = tmp_path / "residual.txt"
    stored.write_text(summary_text(_residual_net(import_library("tf_keras"))), encoding="utf-8")
    assert_summary_matches(_residual_net(import_library("keras")), stored)  # an upgrade: still the same
    with pytest.raises(AssertionError, match=r"layers: residual\)"):
        assert_summary_matches(_rewired_net(import_library("keras")), stored)


def _masked(keras: Any) -> Any:
    L = keras.layers
    ids = keras.Input((10,), name="ids")
    x = L.LSTM(4, name="lstm")(L.Embedding(100, 8, mask_zero=True, name="emb")(ids))
    return keras.Model(ids, L.Dense(1, name="out")(x), name="masked")


def test_an_upgrade_to_keras3_passes_though_it_prints_the_mask_op(tmp_path: Any) -> None:
    """Keras 3 prints `not_equal (NotEqual)` for mask_zero=True, and links the LSTM to it;
    tf_keras computes the same mask without a row. The architecture is the same."""
    from summary_audit.pytest_plugin import assert_summary_matches

    stored = tmp_path / "masked.txt"
    stored.write_text(summary_text(_masked(import_library("tf_keras"))), encoding="utf-8")
    keras3 = _masked(import_library("keras"))
    assert "NotEqual" in summary_text(keras3)
    assert_summary_matches(keras3, stored)


def test_the_plugin_says_what_a_frozen_layer_changed_and_where(tmp_path: Any) -> None:
    from summary_audit.pytest_plugin import assert_summary_matches

    tf_keras = import_library("tf_keras")
    stored = tmp_path / "masked.txt"
    stored.write_text(summary_text(_masked(tf_keras)), encoding="utf-8")
    model = _masked(tf_keras)
    model.get_layer("lstm").trainable = False
    with pytest.raises(AssertionError, match=r"\(totals: trainable 1,013 → 805, non-trainable 0 → 208; a layer "
                                             r"was frozen or unfrozen"):
        assert_summary_matches(model, stored)
    grown = _masked(tf_keras)
    bigger = tf_keras.Model(grown.input, tf_keras.layers.Dense(3, name="extra")(grown.output))
    with pytest.raises(AssertionError, match=r"\[model, layer 5\]"):
        assert_summary_matches(bigger, stored)


def test_the_plugin_refuses_what_is_not_a_model(tmp_path: Any) -> None:
    from summary_audit.pytest_plugin import assert_summary_matches

    with pytest.raises(TypeError, match="needs a Keras model .* not builtins.dict"):
        assert_summary_matches({}, tmp_path / "x.txt")


def _attention_steps(keras: Any) -> Any:
    """The NMT attention pattern: one Concatenate, Dense and Dot shared by every time step, so
    the Connected to cells list each step's inputs in turn."""
    L = keras.layers
    encoded = keras.Input((30, 16), name="encoded")
    state = keras.Input((16,), name="state")
    repeat, join, score = L.RepeatVector(30, name="repeat"), L.Concatenate(axis=-1, name="join"), L.Dense(1, name="score")
    weigh = L.Dot(axes=1, name="weigh")
    contexts = []
    for _ in range(3):
        weights = L.Softmax(axis=1)(score(join([encoded, repeat(state)])))
        contexts.append(weigh([weights, encoded]))
    return keras.Model([encoded, state], L.Concatenate(axis=-1, name="contexts")(contexts), name="attention_steps")


@pytest.mark.parametrize("library", ["keras", "tf_keras"])
def test_a_merge_shared_by_every_time_step_is_ok(library: str) -> None:
    text = summary_text(_attention_steps(import_library(library)))
    audit = summary_audit.audit(summary_audit.parse(text).summaries[0])
    assert [(r.row.name, r.status, r.messages) for r in audit.rows if r.status == "mismatch"] == []
    join = next(r for r in audit.rows if r.row.name == "join")
    assert join.status == "ok" and len(join.row.inbound) == 6


def _normalized_first(keras: Any) -> Any:
    L = keras.layers
    return keras.Sequential([keras.Input((6, 6, 3)), L.BatchNormalization(), L.Conv2D(4, 3), L.Flatten(),
                             L.LayerNormalization(), L.Dense(2)], name="normalized_first")


@pytest.mark.parametrize("library", ["keras", "tf_keras"])
def test_a_table_whose_first_row_is_a_normalization_rebuilds(library: str) -> None:
    """A Sequential table shows no input row: a normalization's output is its input."""
    from summary_audit.crosscheck import cross_check

    model = _normalized_first(import_library(library))
    [summary] = summary_audit.parse(summary_text(model)).summaries
    audit = summary_audit.audit(summary)
    assert audit.status == "ok"
    assert summary_audit.to_keras(summary, library=library).count_params() == model.count_params()
    assert cross_check(audit).equal
