"""The semantic diff: one architecture printed by different Keras generations compares equal,
and a changed, added or removed layer is named, once, with both values — through the API and
through `summary-audit diff`."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import List, Tuple

import pytest

import summary_audit
from conftest import FIXTURES, ROOT
from summary_audit.diff import diff, is_generated_name, render_json, render_text
from summary_audit.model import Row, Summary

LIVE = FIXTURES / "live"
LEGACY = FIXTURES / "legacy"
REGRESSION = FIXTURES / "corpus" / "regression"
SAMPLE = FIXTURES / "samples" / "seed000_keras2.txt"


def load(path: Path) -> Summary:
    [summary] = summary_audit.parse(path.read_bytes(), str(path)).summaries
    return summary


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summary_audit", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=120)


# ------------------------------------------------------------------------------------------
# the same architecture across generations

LIVE_PAIRS = sorted(p.name for p in (LIVE / "keras").glob("*.txt"))


@pytest.mark.parametrize("name", LIVE_PAIRS)
def test_keras3_and_tf_keras_prints_of_one_model_are_equal(name: str) -> None:
    keras3, tf_keras = load(LIVE / "keras" / name), load(LIVE / "tf_keras" / name)
    assert keras3.format == "keras3" and tf_keras.format == "keras2-wrapped"
    for a, b in ((keras3, tf_keras), (tf_keras, keras3)):
        result = diff(a, b)
        assert result.equal, render_text(result)
        assert result.compared_rows[0] == result.compared_rows[1] > 0


SAME_EVERYWHERE = ["seed000", "seed001", "seed003_conv2d", "seed003_conv3d", "seed004", "functional_chain",
                   "nested_sequential"]
GENERATIONS = ["keras-1.2.2", "keras-2.3.1", "tfkeras-2.6", "tfkeras-2.12"]


@pytest.mark.parametrize("model", SAME_EVERYWHERE)
def test_one_model_printed_by_four_generations_is_equal(model: str) -> None:
    summaries = [load(LEGACY / generation / f"{model}.txt") for generation in GENERATIONS]
    assert {s.format for s in summaries} == {"keras1", "keras2", "keras2-wrapped"}
    for other in summaries[1:]:
        result = diff(summaries[0], other)
        assert result.equal, render_text(result)


def test_keras1_class_names_resolve_to_today_s_classes() -> None:
    """`convolution2d_1 (Convolution2D)` is `conv2d_9 (Conv2D)`; the paste's numbers agree too."""
    keras1, keras2 = load(LEGACY / "keras-1.2.2" / "seed000.txt"), load(SAMPLE)
    assert keras1.rows[0].type == "Convolution2D" and keras2.rows[0].name == "conv2d_9"
    assert diff(keras1, keras2).equal and diff(keras2, keras1).equal


def test_cut_names_match_the_full_name() -> None:
    """Keras 3 prints `a_very_long_layer_…`, tf_keras wraps the whole name: the same layer, even strictly."""
    keras3, tf_keras = load(LIVE / "keras" / "merge_zoo__default.txt"), load(LIVE / "tf_keras" / "merge_zoo__default.txt")
    assert any(row.name.endswith("…") for row in keras3.rows)
    assert diff(keras3, tf_keras, strict_names=True).equal


def test_strict_names_reports_generated_name_differences_only() -> None:
    keras3 = load(LIVE / "keras" / "nested_functional__default.txt")
    tf_keras = load(LIVE / "tf_keras" / "nested_functional__default.txt")
    assert diff(keras3, tf_keras).equal
    result = diff(keras3, tf_keras, strict_names=True)
    assert not result.equal and not result.totals
    assert [(c.kind, c.before.name, c.after.name) for c in result.changes] == \
        [("changed", "input_layer_7", "input_8")]  # type: ignore[union-attr]
    assert [f.field for f in result.changes[0].fields] == ["name"]


@pytest.mark.parametrize("name,generated", [
    ("conv2d_9", True), ("conv2d", True), ("input_layer_1", True), ("input_1", True), ("model_2", True),
    ("convolution2d_1", True), ("block1_conv1", False), ("head", False), ("dense_layer", False),
])
def test_generated_names(name: str, generated: bool) -> None:
    classes = {"conv2d_9": "Conv2D", "conv2d": "Conv2D", "input_layer_1": "InputLayer", "input_1": "InputLayer",
               "model_2": "Functional", "convolution2d_1": "Conv2D", "block1_conv1": "Conv2D", "head": "Dense",
               "dense_layer": "Dense"}
    printed = "Convolution2D" if name.startswith("convolution") else classes[name]
    row = Row(line=1, name=name, type=printed, layer_class=classes[name], output_shape=None, params=None)
    assert is_generated_name(row) is generated


def test_a_type_cut_at_the_column_edge_is_narrowed_by_the_generated_name() -> None:
    """`gaussian_dropout_1 (Gaussian` and tf.keras 2.6's `gaussian_dropout (GaussianDr` are one layer."""
    old = load(LEGACY / "keras-2.3.1" / "zoo_dense.txt")
    new = load(LEGACY / "tfkeras-2.6" / "zoo_dense.txt")
    names = {c.name for c in diff(old, new).changes}
    assert not {"gaussian_dropout", "gaussian_dropout_1", "activity_regularization"} & names


# ------------------------------------------------------------------------------------------
# differences


def test_one_edited_number_is_one_changed_row_with_both_lines_and_values() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    edited = summary_audit.parse(text.replace("18496", "18500")).summaries[0]
    result = diff(load(SAMPLE), edited)
    [change] = result.changes
    assert change.kind == "changed" and change.name == "conv2d_10"
    assert change.before.line == change.after.line == 9  # type: ignore[union-attr]
    assert [(f.field, f.before, f.after) for f in change.fields] == [("params", 18496, 18500)]
    assert result.totals == ()  # the edited paste's totals still say 3,453,121


def _rows_without(summary: Summary, index: int) -> Summary:
    rows = summary.rows[:index] + summary.rows[index + 1:]
    return replace(summary, rows=rows)


def test_an_inserted_layer_is_one_added_row_not_a_cascade() -> None:
    full = load(SAMPLE)
    shorter = _rows_without(full, 4)  # drop conv2d_11
    added = diff(shorter, full)
    assert [(c.kind, c.name) for c in added.changes] == [("added", "conv2d_11")]
    assert added.changes[0].after.line == 13  # type: ignore[union-attr]
    removed = diff(full, shorter)
    assert [(c.kind, c.name) for c in removed.changes] == [("removed", "conv2d_11")]


def test_an_added_dense_pairs_the_old_head_with_the_new_head() -> None:
    result = diff(load(REGRESSION / "keras" / "small_cnn.txt"), load(REGRESSION / "tf_keras" / "small_cnn__extra_dense.txt"))
    assert [(c.kind, c.before and c.before.name, c.after and c.after.name) for c in result.changes] == [
        ("added", None, "dense_1"), ("changed", "dense_1", "dense_2")]
    assert [(f.field, f.before, f.after) for f in result.changes[1].fields] == [("params", 650, 330)]
    assert {f.field for f in result.totals} == {"total", "trainable"}


def test_a_changed_class_is_a_changed_row() -> None:
    summary = load(SAMPLE)
    row = summary.rows[8]  # flatten_3 (Flatten)
    other = replace(summary, rows=summary.rows[:8] + (row._replace(type="GlobalAveragePooling2D",
                                                                   layer_class="GlobalAveragePooling2D",
                                                                   name="global_average_pooling2d"),) + summary.rows[9:])
    [change] = diff(summary, other).changes
    assert change.kind == "changed"
    assert [(f.field, f.before, f.after) for f in change.fields] == [("class", "Flatten", "GlobalAveragePooling2D")]


def test_multiple_unbuilt_and_cut_shapes_are_unknown_not_different() -> None:
    summary = load(SAMPLE)
    rows = list(summary.rows)
    rows[0] = rows[0]._replace(output_shape="multiple")
    rows[1] = rows[1]._replace(params=0, params_note="unbuilt")
    rows[2] = rows[2]._replace(output_shape=(None, 72), shape_cut=True)
    unknown = replace(summary, rows=tuple(rows), totals=None)
    result = diff(summary, unknown)
    assert result.equal, render_text(result)
    assert "totals missing on one side: not compared" in result.notes


def test_input_rows_shown_by_one_printer_only_are_ignored_but_compared_when_both_show_them() -> None:
    summary = load(LIVE / "keras" / "nested_functional__default.txt")
    [first, *rest] = summary.rows
    assert first.layer_class == "InputLayer"
    without = replace(summary, rows=tuple(rest))
    result = diff(summary, without)
    assert result.equal and any("input_layer_7" in note for note in result.notes)
    wider = replace(summary, rows=(first._replace(output_shape=(None, 32)),) + tuple(rest))
    [change] = diff(summary, wider).changes
    assert change.name == "input_layer_7" and change.fields[0].field == "output_shape"


def test_text_and_json_renderings() -> None:
    result = diff(load(REGRESSION / "keras" / "small_cnn.txt"), load(REGRESSION / "tf_keras" / "small_cnn__classes5.txt"))
    text = render_text(result, ("stored.txt", "new.txt"))
    assert "~ changed  dense_1 (Dense)  [stored.txt:15 / new.txt:16]" in text
    assert "output shape: (None, 10) → (None, 5)" in text and "Param #: 650 → 325" in text
    assert "total params: 253,322 → 252,997" in text
    data = json.loads(json.dumps(render_json(result)))
    assert data["equal"] is False and data["a"]["format"] == "keras3" and data["b"]["format"] == "keras2-wrapped"
    [change] = data["changes"]
    assert change["before"] == {"name": "dense_1", "type": "Dense", "line": 15, "depth": 0}
    assert change["fields"] == [{"field": "output_shape", "before": [None, 10], "after": [None, 5]},
                                {"field": "params", "before": 650, "after": 325}]
    assert {t["field"] for t in data["totals"]} == {"total", "trainable"}


# ------------------------------------------------------------------------------------------
# summary-audit diff


def _changed_names(stdout: bytes) -> List[Tuple[str, str]]:
    report = json.loads(stdout)
    return [(c["kind"], (c["after"] or c["before"])["name"]) for s in report["summaries"] for c in s["changes"]]


def test_cli_diff_of_two_real_tables_differing_in_one_layer_names_exactly_that_layer() -> None:
    stored = "fixtures/corpus/regression/keras/small_cnn.txt"
    result = run("diff", stored, "fixtures/corpus/regression/tf_keras/small_cnn__classes5.txt", "--json")
    assert result.returncode == 1, result.stderr.decode()
    assert _changed_names(result.stdout) == [("changed", "dense_1")]
    result = run("diff", stored, "fixtures/corpus/regression/tf_keras/small_cnn__dropout.txt")
    assert result.returncode == 1
    listing = result.stdout.decode()
    assert "+ added    dropout (Dropout)" in listing
    assert sum(line[:1] in "+-~" for line in listing.splitlines()[1:]) == 1


def test_cli_diff_of_one_architecture_in_two_generations_exits_0() -> None:
    result = run("diff", "fixtures/legacy/keras-1.2.2/seed000.txt", "fixtures/samples/seed000_keras2.txt")
    assert result.returncode == 0, result.stdout.decode()
    assert "same architecture" in result.stdout.decode()
    result = run("diff", "fixtures/corpus/regression/tf_keras/small_functional.txt",
                 "fixtures/corpus/regression/keras/small_functional.txt", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["equal"] is True


def test_cli_strict_names() -> None:
    a, b = "fixtures/live/keras/conv_zoo__default.txt", "fixtures/live/tf_keras/conv_zoo__default.txt"
    assert run("diff", a, b).returncode == 0
    a, b = "fixtures/legacy/keras-2.3.1/seed000.txt", "fixtures/legacy/tfkeras-2.12/seed000.txt"
    strict = run("diff", a, b, "--strict-names")
    assert strict.returncode == 1 and "name: conv2d_1 → conv2d" in strict.stdout.decode()


def test_cli_diff_reads_standard_input() -> None:
    data = SAMPLE.read_bytes().replace(b"(None, 1)                 513 ", b"(None, 2)                 1026")
    assert b"1026" in data
    result = run("diff", str(SAMPLE), "-", "--json", stdin=data)
    assert result.returncode == 1
    assert _changed_names(result.stdout) == [("changed", "dense_6")]


@pytest.mark.parametrize("data,fragment", [(b"", "empty input"), (b"hello world\n", "no model summary")])
def test_cli_diff_unreadable_input_exits_2_with_a_located_one_line_message(data: bytes, fragment: str) -> None:
    result = run("diff", str(SAMPLE), "-", stdin=data)
    assert result.returncode == 2 and result.stdout == b""
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and fragment in err and "Traceback" not in err
    place = err.split(":")
    assert place[0] == "-" and place[1].isdigit() and place[2].isdigit()


def test_cli_diff_missing_file_exits_2() -> None:
    result = run("diff", "does/not/exist.txt", str(SAMPLE))
    err = result.stderr.decode()
    assert result.returncode == 2 and err.startswith("does/not/exist.txt") and "Traceback" not in err
