"""Issue 5: from a pasted table to a real model. Generated scripts run and print the table
again; the cross-check builds through the Keras API in a child process, under a parameter
budget and a timeout; pasted names stay data."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import List, Tuple

import pytest

import summary_audit
from summary_audit.printers import by_format
from conftest import FIXTURES, import_library, require_tensorflow
from summary_audit.pytest_plugin import summary_text
from summary_audit.codegen import generate
from summary_audit.crosscheck import CrossCheckUnavailable, compare, cross_check, layer_names
from summary_audit.model import Row, Summary, Totals
from summary_audit.plan import PlanError, plan_model

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}


def corpus() -> List[Tuple[str, Summary]]:
    """Every stored Keras 3 / tf_keras print (nested models printed without their layers
    get a stand-in layer), plus the seed tables of every generation that Keras still builds."""
    paths = sorted((FIXTURES / "live").rglob("*.txt")) + sorted((FIXTURES / "corpus" / "applications").rglob("*.txt"))
    paths += sorted(FIXTURES.glob("legacy/*/seed*.txt")) + [FIXTURES / "samples" / "seed000_keras2.txt"]
    found = []
    for path in paths:
        for summary in summary_audit.parse(path.read_bytes()).summaries:
            found.append((str(path.relative_to(FIXTURES)), summary))
    return found


def run_scripts(scripts: List[str], tmp_path: Path) -> List[str]:
    """Run every script in one child (TensorFlow imports once), each in its own namespace."""
    files = []
    for number, text in enumerate(scripts):
        path = tmp_path / f"script_{number}.py"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    runner = tmp_path / "runner.py"
    runner.write_text(
        "import io, runpy, sys\nfrom contextlib import redirect_stdout\n"
        "for path in sys.argv[1:]:\n"
        "    out = io.StringIO()\n"
        "    with redirect_stdout(out):\n"
        "        runpy.run_path(path, run_name='__main__')\n"
        "    open(path + '.out', 'w', encoding='utf-8').write(out.getvalue())\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(runner), *files], capture_output=True, text=True, env=ENV, timeout=1800,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    return [Path(f + ".out").read_text(encoding="utf-8") for f in files]


def test_generated_scripts_rebuild_every_corpus_table(tmp_path: Path) -> None:
    require_tensorflow()
    cases, scripts, refused = [], [], []
    for label, summary in corpus():
        try:
            plan = plan_model(summary_audit.audit(summary))
        except PlanError as error:
            refused.append(f"{label}: {error.message}")
            continue
        flavour = by_format(summary.format).rebuild_with
        cases.append((label, summary, layer_names(plan)))
        scripts.append(generate(plan, flavour, source=label))
    assert refused == []
    assert len(cases) >= 60
    outputs = run_scripts(scripts, tmp_path)
    failing = set()
    for (label, summary, names), printed in zip(cases, outputs):
        rebuilt = summary_audit.parse(printed).summaries
        if len(rebuilt) != 1 or compare(summary, rebuilt[0], names):
            failing.add(label)
    assert failing == set(), failing
    print(f"\n{len(cases)} tables rebuilt by generated scripts")


def test_seed_tables_cross_check_clean_channels_first_included() -> None:
    require_tensorflow()
    for name in ("seed000", "seed001", "seed003_conv2d", "seed003_conv3d", "seed004"):
        [summary] = summary_audit.parse((FIXTURES / "legacy" / "keras-2.3.1" / f"{name}.txt").read_bytes()).summaries
        audit = summary_audit.audit(summary)
        result = cross_check(audit)
        assert result.equal, (name, result.differences)
        if name.startswith("seed003"):
            assert audit.data_format == "channels_first"


def test_names_are_data_never_code(tmp_path: Path) -> None:
    require_tensorflow()
    marker = tmp_path / "pwned"
    names = ["x'\"\n__import__('os').system('touch " + str(marker) + "')", 'a\\b"""; import os', "#comment'"]
    rows = tuple(Row(line=i + 1, name=n, type="Dense", layer_class="Dense", output_shape=(None, 4 - i), params=p)
                 for i, (n, p) in enumerate(zip(names, (20, 15, 8))))
    summary = Summary(model_name="m'\n\"", format="keras3", start_line=1, end_line=4, rows=rows,
                      totals=Totals(total=43, trainable=43, non_trainable=0))
    audit = summary_audit.audit(summary)
    assert audit.status == "ok", [r.messages for r in audit.rows]
    script = generate(plan_model(audit))
    compile(script, "generated", "exec")
    [printed] = run_scripts([script], tmp_path)
    assert not marker.exists()
    assert "__import__('os').system" in printed and "#comment'" in printed


def test_the_budget_guard_refuses_a_ten_billion_parameter_dense_before_building() -> None:
    table = (ROOT / "fixtures" / "samples" / "seed000_keras2.txt").read_text(encoding="utf-8")
    huge = table.replace("dense_5 (Dense)              (None, 512)               3211776   ",
                         "dense_5 (Dense)              (None, 1000000)           6273000000").replace(
        "dense_6 (Dense)              (None, 1)                 513       ",
        "dense_6 (Dense)              (None, 1)                 1000001   ")
    assert huge != table
    [summary] = summary_audit.parse(huge).summaries
    with pytest.raises(CrossCheckUnavailable, match="over the budget"):
        cross_check(summary_audit.audit(summary))
    done = subprocess.run([sys.executable, "-m", "summary_audit", "check", "-", "--cross-check"], input=huge,
                          capture_output=True, text=True, env=ENV, timeout=120)
    assert done.returncode == 2 and "over the budget" in done.stdout + done.stderr


def test_the_timeout_stops_a_build_that_takes_too_long() -> None:
    require_tensorflow()
    [summary] = summary_audit.parse((ROOT / "fixtures" / "samples" / "seed000_keras2.txt").read_bytes()).summaries
    with pytest.raises(CrossCheckUnavailable, match="longer than"):
        cross_check(summary_audit.audit(summary), timeout=0.5)


def test_a_wrong_table_cross_checks_with_differences() -> None:
    require_tensorflow()
    [summary] = summary_audit.parse((ROOT / "fixtures" / "samples" / "seed000_keras2.txt").read_bytes()).summaries
    rows = list(summary.rows)
    rows[-1] = rows[-1]._replace(params=514)
    wrong = replace(summary, rows=tuple(rows))
    audit = summary_audit.audit(wrong)
    assert audit.rows[-1].status == "mismatch"
    with pytest.raises(PlanError, match="only rows whose numbers hold"):
        plan_model(audit)


def test_to_keras_returns_the_built_model() -> None:
    require_tensorflow()
    [summary] = summary_audit.parse((ROOT / "fixtures" / "samples" / "seed000_keras2.txt").read_bytes()).summaries
    model = summary_audit.to_keras(summary, library="keras")
    assert model.count_params() == 3_453_121
    assert [layer.name for layer in model.layers][0] == "conv2d_9"


def test_codegen_command_line() -> None:
    path = str(ROOT / "fixtures" / "samples" / "seed000_keras2.txt")
    done = subprocess.run([sys.executable, "-m", "summary_audit", "codegen", path], capture_output=True, text=True)
    assert done.returncode == 0 and "keras.layers.Conv2D(filters=32, kernel_size=(3, 3)" in done.stdout
    compile(done.stdout, "generated", "exec")
    keras2 = subprocess.run([sys.executable, "-m", "summary_audit", "codegen", path, "--keras2"],
                            capture_output=True, text=True)
    assert "import tf_keras as keras" in keras2.stdout
    nested = str(FIXTURES / "live" / "keras" / "nested_functional__default.txt")
    stood_in = subprocess.run([sys.executable, "-m", "summary_audit", "codegen", nested], capture_output=True, text=True)
    assert stood_in.returncode == 0 and "StandIn(weights=204, frozen=16, output_shape=(4,)" in stood_in.stdout
    merge = str(FIXTURES / "legacy" / "keras-1.2.2" / "functional.txt")
    old = subprocess.run([sys.executable, "-m", "summary_audit", "codegen", merge], capture_output=True, text=True)
    assert old.returncode == 0 and "# line 26: Merge no longer exists in Keras 3 or tf_keras: a stand-in" in old.stdout
    wrong = Path(path).read_text(encoding="utf-8").replace("513", "514")
    refused = subprocess.run([sys.executable, "-m", "summary_audit", "codegen", "-"], input=wrong,
                             capture_output=True, text=True)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "dense_6: the row is mismatch" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_cross_check_on_the_command_line_adds_to_the_report() -> None:
    require_tensorflow()
    import json

    import jsonschema
    from test_cli import schema

    path = str(FIXTURES / "live" / "keras" / "nested_functional__default.txt")
    done = subprocess.run([sys.executable, "-m", "summary_audit", "check", path, "--cross-check", "--json"],
                          capture_output=True, text=True, env=ENV, timeout=600)
    assert done.returncode == 0, done.stderr[-500:]
    report = json.loads(done.stdout)
    jsonschema.validate(report, schema())
    assert report["summaries"][0]["cross_check"] == {"status": "ok", "library": "keras", "differences": []}
    text = subprocess.run([sys.executable, "-m", "summary_audit", "check", path, "--cross-check"],
                          capture_output=True, text=True, env=ENV, timeout=600)
    assert "Cross-check with keras: the built model prints the same shapes and Param #: ok" in text.stdout


def test_a_printed_table_with_hostile_names_reads_and_rebuilds_as_text(tmp_path: Path) -> None:
    """The names as Keras 3 itself prints them: quotes, a backslash, a call expression."""
    keras = import_library("keras")
    marker = tmp_path / "mk"
    names = ["x'\"y\\z", f"__import__('os').mkdir('{marker.name}')"]
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, name=names[0]),
                              keras.layers.Dense(2, name=names[1])], name="q'm")
    [summary] = summary_audit.parse(summary_text(model)).summaries
    assert [row.name for row in summary.rows] == names
    audit = summary_audit.audit(summary)
    assert audit.status == "ok"
    [printed] = run_scripts([generate(plan_model(audit))], tmp_path)
    assert not marker.exists()
    [rebuilt] = summary_audit.parse(printed).summaries
    shown = [row.name for row in rebuilt.rows]  # Keras cuts the long one at the column edge
    assert len(shown) == 2 and all(n == name or (n.endswith("…") and name.startswith(n[:-1]))
                                   for n, name in zip(shown, names))


def test_without_keras_the_cross_check_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture) -> None:
    import importlib.util

    from summary_audit import cli

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("keras", "tf_keras") else real(name, *a))
    status = cli.main(["check", str(ROOT / "fixtures" / "samples" / "seed000_keras2.txt"), "--cross-check"])
    error = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(error) == 1 and "needs TensorFlow/Keras" in error[0]
