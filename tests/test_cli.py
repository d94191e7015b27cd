"""The command line contract: one report per run, schema-valid JSON, exit 0/1/2, and a
one-line `path:line:col: message` for unreadable input — never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from conftest import FIXTURES, ROOT, SEEDS, require_seeds

SCHEMA_PATH = ROOT.parent / "shared" / "report.schema.json"
SAMPLE = FIXTURES / "samples" / "seed000_keras2.txt"


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summary_audit", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=120)


def schema() -> dict:
    if not SCHEMA_PATH.is_file():
        require_seeds()  # fails in CI, skips elsewhere
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_check_prints_a_table_and_exits_0_for_a_correct_summary() -> None:
    result = run("check", str(SAMPLE))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "conv2d_9 (Conv2D)" in out and "(3*3*3 + 1) * 32 = 896" in out
    assert "Traceback" not in result.stderr.decode()


def test_json_report_follows_the_schema() -> None:
    result = run("check", str(SAMPLE), "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    jsonschema.validate(report, schema())
    [summary] = report["summaries"]
    assert summary["format"] == "keras2" and len(summary["rows"]) == 11
    assert summary["rows"][0]["expected_params"] == 896


def test_markdown_report() -> None:
    result = run("check", str(SAMPLE), "--markdown")
    assert result.returncode == 0
    assert result.stdout.decode().count("\n| ") >= 12


def test_a_wrong_number_exits_1() -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("18496", "18469")
    result = run("check", "-", "--json", stdin=text.encode())
    assert result.returncode == 1
    report = json.loads(result.stdout)
    jsonschema.validate(report, schema())
    assert any(f["code"] == "param-mismatch" for f in report["summaries"][0]["findings"])


@pytest.mark.parametrize("data,fragment", [
    (b"", "empty input"),
    (b"hello world\n", "no model summary"),
    (b"\x00\x00\x01\x02\xff" * 50, "binary data"),
])
def test_unreadable_input_exits_2_with_a_located_one_line_message(data: bytes, fragment: str) -> None:
    result = run("check", "-", stdin=data)
    assert result.returncode == 2
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and fragment in err and "Traceback" not in err
    assert err.startswith("-:") and err.split(":")[1].isdigit() and err.split(":")[2].isdigit()
    result = run("check", "-", "--json", stdin=data)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    jsonschema.validate(report, schema())
    assert report["summaries"] == [] and fragment in report["errors"][0]["message"]


def test_missing_file_exits_2() -> None:
    result = run("check", "does/not/exist.txt")
    assert result.returncode == 2 and "does/not/exist.txt" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_every_seed_gives_schema_valid_json() -> None:
    require_seeds()
    for path in sorted(SEEDS.glob("*.txt")):
        result = run("check", str(path), "--json")
        assert result.returncode in (0, 1, 2), path
        jsonschema.validate(json.loads(result.stdout), schema())
