"""Round trip: real models printed by Keras 3 and tf_keras (applications and a layer zoo, in the
default, expand_nested, show_trainable and 76-column variants) parse back to what the live model
says, row by row, and every row is explained with the live layer's own configuration."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, List

import pytest

import summary_audit
from summary_audit.model import Summary
from conftest import import_library
from zoo import APPLICATIONS, VARIANTS, summary_text, zoo_models

LIBRARIES = ("keras", "tf_keras")
MODEL_NAMES = list(APPLICATIONS) + ["conv_zoo", "conv_1d_3d_zoo", "sequence_zoo", "merge_zoo", "nested_functional"]
CASES = [(lib, model, variant) for lib in LIBRARIES for model in MODEL_NAMES for variant in VARIANTS]


@lru_cache(maxsize=None)
def _model(library: str, name: str) -> Any:
    return zoo_models(import_library(library))[name]()


def test_case_count() -> None:
    assert len(CASES) == 2 * 14 * 4


def _same_name(printed: str, true: str) -> bool:
    return printed == true or (printed.endswith("…") and true.startswith(printed[:-1]))


def _differences(parsed: Summary, live: Summary) -> List[str]:
    problems: List[str] = []
    if len(parsed.rows) != len(live.rows):
        problems.append(f"{len(parsed.rows)} rows parsed, {len(live.rows)} in the model")
    connected = "connected" in parsed.columns
    for row, true in zip(parsed.rows, live.rows):
        where = f"line {row.line} {row.name}"
        if not _same_name(row.name, true.name):
            problems.append(f"{where}: name != {true.name}")
        if true.layer_class not in ((row.layer_class,) if row.layer_class else row.class_candidates):
            problems.append(f"{where}: class {row.layer_class or row.class_candidates} != {true.layer_class}")
        if row.params != true.params:
            problems.append(f"{where}: params {row.params} != {true.params}")
        if row.output_shape != true.output_shape:
            problems.append(f"{where}: shape {row.output_shape} != {true.output_shape}")
        if row.depth != true.depth:
            problems.append(f"{where}: depth {row.depth} != {true.depth}")
        if connected and row.depth == 0:
            names = [ref.layer for ref in true.inbound]
            if len(row.connected_to) != len(names) or not all(
                    _same_name(a, b) for a, b in zip(row.connected_to, names)):
                problems.append(f"{where}: connected {list(row.connected_to)} != {names}")
        if row.trainable is not None and row.trainable != true.trainable:
            problems.append(f"{where}: trainable {row.trainable} != {true.trainable}")
    totals, true_totals = parsed.totals, live.totals
    if totals is None or true_totals is None:
        problems.append("totals missing")
    elif (totals.total, totals.trainable, totals.non_trainable) != \
            (true_totals.total, true_totals.trainable, true_totals.non_trainable):
        problems.append(f"totals {totals} != {true_totals}")
    return problems


KEYS = ("filters", "kernel_size", "strides", "padding", "use_bias", "units")


def _config_differences(audit: Any, model: Any) -> List[str]:
    """Where the numbers pin a layer's configuration down (one candidate), it is the live one."""
    layers = {layer.name: layer for layer in _all_layers(model)}
    problems = []
    for row in audit.rows:
        layer = layers.get(row.row.name)
        if layer is None or row.status != "ok" or row.alternatives or not row.inferred:
            continue
        config = layer.get_config()
        if "kernel_size" not in config and "units" not in config:
            continue  # weightless layers: their "padding" is another thing
        for key in KEYS:
            if key in row.inferred and key in config:
                live = tuple(config[key]) if isinstance(config[key], list) else config[key]
                if key == "padding" and config.get("kernel_size") in ((1, 1), [1, 1], (1,), [1]):
                    continue  # a 1x1 kernel pads nothing either way
                if row.inferred[key] != live:
                    problems.append(f"{row.row.name}: {key} inferred {row.inferred[key]}, live {live}")
    return problems


def _all_layers(model: Any) -> List[Any]:
    found = []
    for layer in model.layers:
        found.append(layer)
        if getattr(layer, "layers", None):
            found.extend(_all_layers(layer))
    return found


@pytest.mark.parametrize("library,model_name,variant", CASES, ids=["-".join(c) for c in CASES])
def test_round_trip(library: str, model_name: str, variant: str) -> None:
    model = _model(library, model_name)
    text = summary_text(model, **VARIANTS[variant])
    document = summary_audit.parse(text)
    assert not document.errors
    [parsed] = document.summaries
    live = summary_audit.from_model(model, expand_nested=variant == "expand_nested")
    problems = _differences(parsed, live)
    audit = summary_audit.audit(parsed)
    for row in audit.rows:
        if row.status == "mismatch":
            problems.append(f"line {row.row.line} {row.row.name}: false alarm: {row.messages}")
        elif row.status == "unverified" and row.row.layer_class not in ("Sequential", "Functional"):
            problems.append(f"line {row.row.line} {row.row.name}: unverified: {row.messages}")
    if audit.totals.status != "ok":
        problems.append(f"totals {audit.totals.status}: {[f.message for f in audit.findings]}")
    problems += _config_differences(audit, model)
    assert not problems, "\n".join(problems)


SCRIPT_CASES = sorted({(library, name) for library, name, _ in CASES})


@pytest.mark.parametrize("library,model_name", SCRIPT_CASES, ids=["-".join(c) for c in SCRIPT_CASES])
def test_generated_script_rebuilds_the_printed_model(library: str, model_name: str, tmp_path: Any) -> None:
    """Issue 5: the script `summary-audit codegen` writes for a real summary runs, and its
    model's summary reads back to the same shapes and Param # as the table it came from."""
    import contextlib
    import io
    import runpy

    from summary_audit.codegen import generate
    from summary_audit.crosscheck import compare, layer_names
    from summary_audit.plan import plan_model

    import_library(library)
    [parsed] = summary_audit.parse(summary_text(_model(library, model_name))).summaries
    plan = plan_model(summary_audit.audit(parsed))
    script = tmp_path / "rebuilt.py"
    script.write_text(generate(plan, library), encoding="utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(str(script), run_name="__main__")
    [rebuilt] = summary_audit.parse(printed.getvalue()).summaries
    assert compare(parsed, rebuilt, layer_names(plan)) == []
