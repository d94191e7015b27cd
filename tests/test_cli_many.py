"""`check FILE... [DIR...] [--jobs N] [--jsonl]`: every file's report in the order given, each
with its source; one file's error is that file's line, the exit status the worst of all; a
pool of workers writes what one process writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import jsonschema
import pytest

from conftest import FIXTURES, ROOT

SAMPLE = FIXTURES / "samples" / "seed000_keras2.txt"
RESNET = FIXTURES / "live" / "keras" / "ResNet50__default.txt"
LEGACY = FIXTURES / "legacy" / "keras-1.2.2" / "functional.txt"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summary_audit", "check", *args], capture_output=True,
                          cwd=ROOT, timeout=300)


def lines(result: subprocess.CompletedProcess) -> List[dict]:
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


@pytest.fixture
def mismatch(tmp_path: Path) -> Path:
    """seed000 with its first Conv2D's Param # changed from (3*3*3 + 1) * 32 = 896 to 897."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count(" 896 ") == 1
    path = tmp_path / "changed.txt"
    path.write_text(text.replace(" 896 ", " 897 "), encoding="utf-8")
    return path


def test_jsonl_one_report_a_line_in_the_order_given_each_with_its_source(tmp_path: Path) -> None:
    given = [str(RESNET.relative_to(ROOT)), str(SAMPLE), str(LEGACY.relative_to(ROOT))]
    result = run(*given, "--jsonl")
    assert result.returncode == 0, result.stderr.decode()
    reports = lines(result)
    assert [r["source"] for r in reports] == given
    assert [r["summaries"][0]["model_name"] for r in reports[:2]] == ["resnet50", "sequential_3"]
    schemas = [json.loads((ROOT / "summary_audit" / "report" / "report.schema.json").read_text(encoding="utf-8"))]
    shared = ROOT.parent / "shared" / "report.schema.json"
    schemas += [json.loads(shared.read_text(encoding="utf-8"))] if shared.is_file() else []
    for report in reports:
        for schema in schemas:
            jsonschema.validate(report, schema)
    # each line is the one-file --json report's content
    single = json.loads(run(str(SAMPLE), "--json").stdout)
    assert reports[1] == single


def test_an_unreadable_file_is_its_own_line_and_the_scan_goes_on(tmp_path: Path, mismatch: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = run(str(SAMPLE), str(missing), str(mismatch), "--jsonl")
    assert result.returncode == 2  # the worst: a file that could not be read
    reports = lines(result)
    assert [r["source"] for r in reports] == [str(SAMPLE), str(missing), str(mismatch)]
    assert reports[1]["summaries"] == [] and "No such file" in reports[1]["errors"][0]["message"]
    assert reports[0]["summaries"][0]["status"] == "ok"
    assert reports[2]["summaries"][0]["status"] == "mismatch"
    assert "Traceback" not in result.stderr.decode()


def test_exit_status_is_the_worst_of_all(mismatch: Path) -> None:
    assert run(str(SAMPLE), str(RESNET), "--jsonl").returncode == 0
    assert run(str(SAMPLE), str(mismatch), "--jsonl").returncode == 1
    assert run(str(mismatch), str(SAMPLE)).returncode == 1  # (text, too)


def test_a_folder_is_every_file_under_it_that_holds_a_summary(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "b" / ".hidden").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "b" / "z.txt")
    shutil.copy(RESNET, folder / "a.txt")
    shutil.copy(SAMPLE, folder / "b" / ".hidden" / "skip.txt")
    (folder / "notes.md").write_text("no table here\n", encoding="utf-8")
    (folder / "train.py").write_text("params = model.count_params()\n", encoding="utf-8")  # 'params', no table
    result = run(str(folder), "--jsonl")
    assert result.returncode == 0, result.stderr.decode()
    assert [r["source"] for r in lines(result)] == [str(folder / "a.txt"), str(folder / "b" / "z.txt")]


def test_jobs_2_writes_what_jobs_1_writes(tmp_path: Path, mismatch: Path) -> None:
    files = sorted(str(p) for p in (FIXTURES / "legacy" / "keras-2.3.1").glob("*.txt"))[:12]
    given = files + [str(mismatch), str(tmp_path / "missing.txt"), str(RESNET)]
    one, two = run(*given, "--jsonl", "--jobs", "1"), run(*given, "--jsonl", "--jobs", "2")
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout and len(lines(one)) == len(given)
    text_one, text_two = run(*given, "--jobs", "1"), run(*given, "--jobs", "2")
    assert text_one.stdout == text_two.stdout and text_one.stderr == text_two.stderr


def test_several_files_as_text_name_each_report_and_say_errors_on_stderr(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = run(str(SAMPLE), str(missing))
    assert result.returncode == 2
    out = result.stdout.decode()
    assert out.startswith(f"==> {SAMPLE} <==\n") and "conv2d_9 (Conv2D)" in out
    assert result.stderr.decode() == f"{missing}: No such file or directory\n"


def test_json_of_several_files_points_to_jsonl() -> None:
    result = run(str(SAMPLE), str(RESNET), "--json")
    assert result.returncode == 2 and "--jsonl" in result.stderr.decode() and not result.stdout


def test_no_progress_line_when_stderr_is_not_a_terminal() -> None:
    result = run(*[str(SAMPLE)] * 30, "--jsonl")
    assert result.returncode == 0 and result.stderr == b""


def test_the_one_file_function_is_the_json_report() -> None:
    from summary_audit.corpus import report

    os.chdir(ROOT)
    assert report(str(SAMPLE.relative_to(ROOT))) == json.loads(run(str(SAMPLE.relative_to(ROOT)), "--json").stdout)



def test_progress_on_a_terminal_only_once_the_run_is_long() -> None:
    import io

    from summary_audit.many import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quick = Terminal()
    progress = Progress(3, quick)
    progress.step(10)
    progress.end()
    assert quick.getvalue() == ""  # a short run shows nothing
    long = Terminal()
    progress = Progress(3, long)
    progress.start -= 5  # (as if it had run five seconds)
    progress.last -= 5
    progress.step(1000)
    progress.step(500)
    progress.end()
    shown = long.getvalue()
    assert shown.startswith("\r1/3 files, 1,000 rows, ") and "\r2/3 files, 1,500 rows, " in shown
    assert shown.endswith(" rows/s\n") and shown.count("\n") == 1  # one line, rewritten
