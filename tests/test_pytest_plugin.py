"""The pytest plugin: a stored summary of any generation pins a live model's architecture.

Models are built at test time with Keras 3 and tf_keras (like test_roundtrip_live, these tests
fail rather than skip when TensorFlow is missing and CI is set)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import summary_audit
import summary_audit.pytest_plugin
from conftest import FIXTURES, ROOT, golden_module, import_library
from summary_audit.pytest_plugin import summary_text

pytest_plugins = ["pytester"]

REGRESSION = FIXTURES / "corpus" / "regression"


def functional(keras: Any, units: int = 8) -> Any:
    L = keras.layers
    inputs = keras.Input((12, 12, 3))
    x = L.Conv2D(4, 3, padding="same")(inputs)
    x = L.BatchNormalization()(x)
    x = L.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, L.Dense(units)(x), name="tiny_functional")


# ------------------------------------------------------------------------------------------
# across libraries


@pytest.mark.parametrize("printer,builder", [("tf_keras", "keras"), ("keras", "tf_keras")])
def test_a_summary_printed_by_one_library_matches_the_model_built_in_the_other(
        printer: str, builder: str, tmp_path: Path) -> None:
    printing, building = import_library(printer), import_library(builder)
    for build in (functional, golden_module().small_cnn):
        stored = tmp_path / f"{printer}_{build.__name__}.txt"
        stored.write_text(summary_text(build(printing)), encoding="utf-8")
        summary_audit.assert_summary_matches(build(building), stored, update=False)
        result = summary_audit.pytest_plugin.compare(build(building), stored)
        assert result.equal and result.a_format != result.b_format


@pytest.mark.parametrize("printer,builder", [("tf_keras", "keras"), ("keras", "tf_keras")])
def test_stored_corpus_prints_match_fresh_builds_in_the_other_library(printer: str, builder: str) -> None:
    keras = import_library(builder)
    builders = golden_module()
    summary_audit.assert_summary_matches(builders.small_cnn(keras), REGRESSION / printer / "small_cnn.txt",
                                         update=False)
    summary_audit.assert_summary_matches(builders.small_functional(keras),
                                         REGRESSION / printer / "small_functional.txt", update=False)
    with pytest.raises(AssertionError) as failure:
        summary_audit.assert_summary_matches(builders.small_functional(keras, head_units=3),
                                             REGRESSION / printer / "small_functional.txt", update=False)
    message = str(failure.value)
    assert "(layers: head)" in message and "Param #: 9 → 27" in message and "--summary-update" in message


def test_a_missing_stored_file_fails_and_says_how_to_write_it(tmp_path: Path) -> None:
    keras = import_library("keras")
    with pytest.raises(AssertionError, match="run pytest --summary-update"):
        summary_audit.assert_summary_matches(functional(keras), tmp_path / "nope.txt", update=False)
    summary_audit.assert_summary_matches(functional(keras), tmp_path / "new" / "nope.txt", update=True)
    assert summary_audit.parse((tmp_path / "new" / "nope.txt").read_bytes()).summaries[0].format == "keras3"


# ------------------------------------------------------------------------------------------
# in a project's own test suite (pytester)

TEST_FILE = """
import keras
import summary_audit

def build():
    L = keras.layers
    return keras.Sequential([keras.Input((16, 16, 1)), L.Conv2D(8, {kernel}, name="features"),
                             L.Flatten(){extra}, L.Dense({units}, name="logits")], name="pinned")

def test_fixture(summary_matches):
    summary_matches(build(), "snapshots/pinned.txt")

def test_function():
    summary_audit.assert_summary_matches(build(), "snapshots/pinned_cwd.txt")
"""


def _write_test(pytester: pytest.Pytester, kernel: int = 3, units: int = 10, extra: str = "") -> None:
    pytester.makepyfile(test_model=TEST_FILE.format(kernel=kernel, units=units, extra=extra))


@pytest.fixture
def pinned(pytester: pytest.Pytester) -> pytest.Pytester:
    import_library("keras")  # imported before pytester snapshots sys.modules, so TF loads once
    _write_test(pytester)
    result = pytester.runpytest("--summary-update")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*summary-audit: wrote 2 stored summaries*"])
    return pytester


def test_update_writes_the_stored_files_then_the_unchanged_model_passes(pinned: pytest.Pytester) -> None:
    beside_the_test = pinned.path / "snapshots" / "pinned.txt"
    in_the_cwd = pinned.path / "snapshots" / "pinned_cwd.txt"
    text = beside_the_test.read_text(encoding="utf-8")
    assert text.startswith('Model: "pinned"') and "features (Conv2D)" in text and "┃" in text
    assert 'Model: "pinned"' in in_the_cwd.read_text(encoding="utf-8")  # generated names differ, not layers
    pinned.runpytest().assert_outcomes(passed=2)


@pytest.mark.parametrize("change,layer,fragments", [
    ({"units": 12}, "logits", ["*~ changed  logits (Dense)*", "*output shape: (None, 10) → (None, 12)*"]),
    ({"kernel": 5}, "features", ["*~ changed  features (Conv2D)*", "*Param #: 80 → 208*"]),
    ({"extra": ', L.Dense(32, name="hidden")'}, "hidden", ["*+ added    hidden (Dense)*"]),
])
def test_changing_one_layer_fails_with_a_diff_naming_it(pinned: pytest.Pytester, change: dict, layer: str,
                                                        fragments: list) -> None:
    _write_test(pinned, **change)
    result = pinned.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([f"*model 'pinned' no longer matches *pinned.txt (layers: *{layer}*)*"] + fragments)
    result.stdout.fnmatch_lines(["*run pytest --summary-update to rewrite the stored summary*"])
    assert "Traceback" not in result.stdout.str()


def test_summary_update_round_trip(pinned: pytest.Pytester) -> None:
    stored = pinned.path / "snapshots" / "pinned.txt"
    before = stored.read_text(encoding="utf-8")
    _write_test(pinned, extra=', L.Dense(32, name="hidden")')
    pinned.runpytest().assert_outcomes(failed=2)
    assert stored.read_text(encoding="utf-8") == before  # a failing check never writes
    pinned.runpytest("--summary-update").assert_outcomes(passed=2)
    after = stored.read_text(encoding="utf-8")
    assert "hidden (Dense)" in after and after != before
    pinned.runpytest().assert_outcomes(passed=2)
    _write_test(pinned)
    pinned.runpytest().assert_outcomes(failed=2)


def test_a_stored_file_of_another_generation_pins_the_model(pytester: pytest.Pytester) -> None:
    """The stored file is plain text of any generation: here tf_keras's print checks a Keras 3 model."""
    tf_keras = import_library("tf_keras")
    import_library("keras")
    L = tf_keras.layers
    model = tf_keras.Sequential([tf_keras.Input((16, 16, 1)), L.Conv2D(8, 3, name="features"), L.Flatten(),
                                 L.Dense(10, name="logits")], name="pinned")
    (pytester.path / "snapshots").mkdir()
    (pytester.path / "snapshots" / "pinned.txt").write_text(summary_text(model), encoding="utf-8")
    (pytester.path / "snapshots" / "pinned_cwd.txt").write_text(summary_text(model), encoding="utf-8")
    _write_test(pytester)
    pytester.runpytest().assert_outcomes(passed=2)
    _write_test(pytester, units=3)
    result = pytester.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*(layers: logits)*"])


def test_the_plugin_is_registered_and_imports_without_tensorflow() -> None:
    code = ("import sys, summary_audit.pytest_plugin as p; "
            "heavy = [m for m in ('tensorflow', 'keras', 'tf_keras', 'lark') if m in sys.modules]; "
            "print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
    from importlib.metadata import entry_points

    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("summary_audit") == "summary_audit.pytest_plugin"
