"""Inputs that must end in a report or a one-line error in time linear in their length, never
hang or fill memory: huge dimensions in shapes (arithmetic on them stays bounded), a file too
long to read whole (`/dev/zero`), and a reader that goes away (`check big.txt | head -1`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

from conftest import FIXTURES, ROOT
from summary_audit.text import decoding

SAMPLE = FIXTURES / "samples" / "seed000_keras2.txt"
RULE = "_" * 65


def command(*args: str) -> List[str]:
    return [sys.executable, "-m", "summary_audit", *args]


def table(rows: List[Tuple[str, str, int]]) -> str:
    """A Keras 2 table of these rows (name and type, shape, count), totals their sum."""
    total = sum(count for _, _, count in rows)
    lines = ['Model: "huge"', RULE, f"{'Layer (type)':<29}{'Output Shape':<26}Param #   ", "=" * 65]
    for layer, shape, count in rows:
        lines += [f"{layer:<29}{shape:<26}{count}", RULE]
    lines[-1] = "=" * 65
    lines += [f"Total params: {total:,}", f"Trainable params: {total:,}", "Non-trainable params: 0", RULE]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("dim", [10**9, 10**30])
def test_pooling_and_shape_rows_with_huge_dims_end_and_are_checked(tmp_path: Path, dim: int) -> None:
    # every count by hand: pool 2 (valid) halves each side; Dense: 3*4 + 4 = 16 at every position
    paste = table([("input_1 (InputLayer)", f"[(None, {2 * dim}, {2 * dim}, 3)]", 0),
                   ("max_pooling2d (MaxPooling2D)", f"(None, {dim}, {dim}, 3)", 0),
                   ("dense (Dense)", f"(None, {dim}, {dim}, 4)", 16),
                   ("average_pooling2d (AveragePo", f"(None, {dim // 3}, {dim // 3}, 4)", 0),
                   ("reshape (Reshape)", f"(None, {(dim // 3) ** 2}, 4)", 0),
                   ("global_max_pooling1d (Globa", "(None, 4)", 0)])
    path = tmp_path / "huge.txt"
    path.write_text(paste, encoding="utf-8")
    result = subprocess.run(command("check", str(path)), capture_output=True, cwd=ROOT, timeout=30)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_dev_zero_is_refused_in_a_line_without_reading_it_whole() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    result = subprocess.run(command("check", "/dev/zero"), capture_output=True, cwd=ROOT, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1, err
    assert err.startswith("/dev/zero:1:1: ") and "size limit" in err and "Traceback" not in err


def test_standard_input_without_end_is_refused_in_a_line() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    with open("/dev/zero", "rb") as zeros:
        result = subprocess.run(command("check", "-", "--json"), stdin=zeros, capture_output=True, cwd=ROOT,
                                timeout=60)
    assert result.returncode == 2 and "size limit" in result.stderr.decode()


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.txt"  # (no disk: a hole of four times the limit)
    with sparse.open("wb") as handle:
        handle.write(SAMPLE.read_bytes())
        handle.truncate(4 * decoding.MAX_INPUT_BYTES)
    for args in (("check", str(sparse)), ("diff", str(sparse), str(SAMPLE)), ("codegen", str(sparse))):
        result = subprocess.run(command(*args), capture_output=True, cwd=ROOT, timeout=60)
        err = result.stderr.decode()
        assert result.returncode == 2 and "size limit" in err and err.count("\n") == 1, (args, err)


def test_a_file_over_the_limit_in_a_scanned_folder_is_that_file_s_error(tmp_path: Path) -> None:
    """`check DIR --jsonl`: the folder's oversize file is refused as the command's one-file
    read refuses it (its line's `errors`), and the scan goes on to the next file."""
    import json

    folder = tmp_path / "scan"
    folder.mkdir()
    with (folder / "a_sparse.txt").open("wb") as handle:  # (a hole of four times the limit)
        handle.write(SAMPLE.read_bytes())
        handle.truncate(4 * decoding.MAX_INPUT_BYTES)
    (folder / "b_sample.txt").write_bytes(SAMPLE.read_bytes())
    result = subprocess.run(command("check", str(folder), "--jsonl"), capture_output=True, cwd=ROOT, timeout=60)
    sparse, sample = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert result.returncode == 2
    assert "size limit" in sparse["errors"][0]["message"] and not sparse["summaries"]
    assert sample["summaries"] and sample["summaries"][0]["status"] == "ok"


@pytest.mark.parametrize("extra", [(), ("--json",), ("--markdown",)])
def test_a_reader_gone_away_ends_the_command_quietly(tmp_path: Path, extra: Tuple[str, ...]) -> None:
    many = tmp_path / "many.txt"  # a report far longer than a pipe's buffer
    many.write_text("\n".join([SAMPLE.read_text(encoding="utf-8")] * 300), encoding="utf-8")
    process = subprocess.Popen(command("check", str(many), *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=ROOT)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    err = process.stderr.read().decode()
    status = process.wait(timeout=60)
    assert first.strip()
    assert err == "", err  # nothing blamed on the input, no traceback
    assert status == 141


@pytest.mark.parametrize("scale", [10**7, 10**30])  # (10**6 took 23 s before: time grew with the value)
def test_a_real_table_with_every_dim_scaled_ends(tmp_path: Path, scale: int) -> None:
    """Keras 3's conv zoo with every dimension and channel count scaled: the counts no longer
    fit, and the search for what might explain them (kernels as long as a side, group counts
    up to the channels) once tried every value up to a dimension's."""
    import re

    text = (FIXTURES / "live" / "keras" / "conv_zoo__default.txt").read_text(encoding="utf-8")
    scaled = re.sub(r"\(None(?:, \d+)+\)", lambda shape: re.sub(r"\d+", lambda d: str(int(d.group()) * scale),
                                                                   shape.group()), text)
    assert scaled != text
    path = tmp_path / "scaled.txt"
    path.write_text(scaled, encoding="utf-8")
    result = subprocess.run(command("check", str(path), "--json"), capture_output=True, cwd=ROOT, timeout=30)
    assert result.returncode == 1 and b"Traceback" not in result.stderr  # (the counts are now wrong)
