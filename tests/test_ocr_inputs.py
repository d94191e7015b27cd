"""The OCR inputs: a real engine reads a real screenshot of a table, and the stored OCR corpus.

The engine tests run RapidOCR (the `[ocr]` extra: rapidocr-onnxruntime, pillow); without it they
fail in CI and skip elsewhere. They check what the engine and `ocr_lines` give, never how well
summary-audit reads it (benchmarks/ocr.py measures that).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import List, Sequence

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATE = ROOT / "fixtures" / "generate"
OCR = ROOT / "fixtures" / "ocr"
sys.path.insert(0, str(GENERATE))

import ocr_lines  # noqa: E402  (fixtures/generate/ocr_lines.py: standard library only)

#: Param # of every row of fixtures/samples/seed000_keras2.txt, in order.
SEED000_PARAMS = [896, 0, 18496, 0, 73856, 0, 147584, 0, 0, 3211776, 513]


def require(*modules: str) -> None:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} required in CI (pip install -e '.[ocr]')")
        pytest.skip(f"{', '.join(missing)} not installed")


@pytest.fixture(scope="module")
def engine():
    require("rapidocr_onnxruntime", "PIL")
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def read(engine, image) -> List[str]:
    result, _ = engine(image)
    return ocr_lines.lines_from_boxes(ocr_lines.boxes_from_rapidocr(result))


def counts_found(lines: Sequence[str], params: Sequence[int]) -> float:
    """The share of the counts of two digits or more (as a multiset) found as number tokens
    (commas dropped). Lone one-digit cells are left out: RapidOCR's detector often finds no box
    around a lone `0` at all (seed000's notebook screenshot loses all five), which is the kind
    of damage the corpus is for, not a fault of the line builder."""
    params = [value for value in params if value >= 10]
    tokens = Counter(t.replace(",", "") for t in re.findall(r"\d[\d,]*", "\n".join(lines)))
    found = 0
    for value in params:
        if tokens[str(value)] > 0:
            tokens[str(value)] -= 1
            found += 1
    return found / len(params)


def header_words(lines: Sequence[str]) -> int:
    text = "\n".join(lines).lower()
    return sum(word in text for word in ("layer", "type", "output", "shape", "param"))


def test_rapidocr_reads_a_committed_screenshot(engine):
    image = OCR / "images" / "samples_seed000_keras2.notebook.png"
    assert image.is_file() and image.stat().st_size < 60_000
    lines = read(engine, str(image))
    assert len(lines) >= len(SEED000_PARAMS)
    assert header_words(lines) >= 4, lines
    assert counts_found(lines, SEED000_PARAMS) >= 0.8, lines
    assert any("total" in line.lower() and "3" in line for line in lines), lines


def test_rapidocr_reads_a_table_rendered_here(engine):
    import ocr_renders as renders  # (needs PIL, which the engine fixture required)

    font = renders.FONTS["DejaVu Sans Mono"]
    if not font.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{font} missing (apt-get install fonts-dejavu-core)")
        pytest.skip(f"{font} missing")
    source = ROOT / "fixtures" / "live" / "keras" / "nested_functional__expand_nested.txt"
    truth = json.loads(source.with_name(source.stem + ".truth.json").read_text(encoding="utf-8"))
    style = renders.styles_for(0)[0]  # terminal: light on dark, DejaVu Sans Mono 15 px
    image = renders.render(source.read_text(encoding="utf-8"), style)
    lines = read(engine, renders.encode(image, style)[0])
    assert header_words(lines) >= 4, lines
    assert counts_found(lines, [row["params"] for row in truth["rows"]]) >= 0.8, lines
    # the columns survive as spaces: the Param # column ends right of the shapes
    assert any(re.search(r"\(None.{0,3}2\)\s{5,}10$", line) for line in lines), lines


def test_lines_from_boxes_keeps_columns():
    Box = ocr_lines.Box
    boxes = [
        Box(10, 5, 90, 20, "Model:"),
        Box(10, 30, 130, 45, "dense (Dense)"),
        Box(250, 31, 340, 46, "(None, 10)"),
        Box(480, 29, 510, 44, "650"),
    ]
    assert ocr_lines.lines_from_boxes(boxes, cell=10) == [
        "Model:",
        "dense (Dense)" + " " * 11 + "(None, 10)" + " " * 13 + "650",
    ]
    assert ocr_lines.lines_from_boxes([]) == []


def test_tesseract_tsv_words():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t600\t400\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t12\t8\t60\t14\t96.5\tModel:\n"
           "5\t1\t1\t1\t1\t2\t80\t8\t90\t14\t91.0\t\"vgg16\"\n")
    boxes = ocr_lines.boxes_from_tesseract_tsv(tsv)
    assert [b.text for b in boxes] == ["Model:", "\"vgg16\""]
    assert ocr_lines.lines_from_boxes(boxes) == ["Model: \"vgg16\""]


# --- the stored corpus -------------------------------------------------------------------------

def _texts(split: str) -> List[Path]:
    return sorted((OCR / split).glob("*.txt"))


def test_ocr_corpus_is_there():
    assert len(_texts("dev")) >= 40
    assert len(_texts("heldout")) >= 20


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_every_ocr_text_names_its_source(split):
    for text in _texts(split):
        sidecar = text.with_name(text.name[:-4] + ".meta.json")
        assert sidecar.is_file(), sidecar
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        for key in ("source_fixture", "style", "font", "px", "engine", "seconds"):
            assert key in meta, (sidecar, key)
        source = ROOT / meta["source_fixture"]
        assert source.is_file(), (sidecar, meta["source_fixture"])
        held = int(hashlib.sha256(meta["source_fixture"].encode()).hexdigest(), 16) % 10 < 4
        assert split == ("heldout" if held else "dev"), sidecar
        assert meta["engine"].split()[0] in ("rapidocr", "tesseract")
        assert text.name.split(".")[-3] == meta["style"]
