"""The cell grammar reads every generation's spelling of a cell, and the regex fast paths
agree with it on everything they accept."""

from __future__ import annotations

import random

import pytest

from summary_audit.grammar import (ONE_LINK, CellError, complete_cut_shape, fast_paths, layer_cell_parts, parse_cell,
                                   parse_with_grammar, read_connected_cell)
from summary_audit.model import Inbound


@pytest.mark.parametrize("text,expected", [
    ("conv2d_9 (Conv2D)", ("conv2d_9", "Conv2D", False, False)),
    ("max_pooling2d_9 (MaxPooling2", ("max_pooling2d_9", "MaxPooling2", True, False)),
    ("batch_normalization (BatchNormalizatio…", ("batch_normalization", "BatchNormalizatio", True, False)),
    ("   └ dense (Dense)", ("dense", "Dense", False, True)),
    ("tf.__operators__.add (TFOpLambda)", ("tf.__operators__.add", "TFOpLambda", False, False)),
    ("inner_very_long_na… (Sequential)", ("inner_very_long_na…", "Sequential", False, False)),
    ("a_name_cut_at_the_edge_of_the", ("a_name_cut_at_the_edge_of_the", None, False, False)),
])
def test_layer_cells(text: str, expected: tuple) -> None:
    cell = parse_cell("layer_cell", text)
    assert (cell.name, cell.type, cell.type_cut, cell.nested) == expected


@pytest.mark.parametrize("text,shape,cut", [
    ("(None, 148, 148, 32)", (None, 148, 148, 32), False),
    ("(None, 6272)", (None, 6272), False),
    ("[(None, 28, 28, 1)]", ((None, 28, 28, 1),), False),
    ("[(None, 20, 8), (None, 8), (None, 8)]", ((None, 20, 8), (None, 8), (None, 8)), False),
    ("[(None, 20, 8), (Non", ((None, 20, 8), (None,)), True),
    ("(None, 148, 148, 3", (None, 148, 148, None), True),
    ("[(None, 3, 6, 6, 6,", ((None, 3, 6, 6, 6, None),), True),
    ("multiple", "multiple", False),
    ("?", "?", False),
    ("(1, 14, 14, 8)", (1, 14, 14, 8), False),
    ("()", (), False),
    ("(None, None, 3)", (None, None, 3), False),
])
def test_shape_cells(text: str, shape: object, cut: bool) -> None:
    cell = complete_cut_shape(parse_cell("shape_cell", text), text)
    assert cell.shape == shape and cell.cut == cut


@pytest.mark.parametrize("text,count,note", [
    ("3,211,776", 3211776, None), ("896", 896, None), ("0 (unbuilt)", 0, "unbuilt"), ("0 (unused)", 0, "unused"),
])
def test_params_cells(text: str, count: int, note: object) -> None:
    cell = parse_cell("params_cell", text)
    assert (cell.count, cell.note) == (count, note)


@pytest.mark.parametrize("text,layers", [
    ("input_1[0][0]", ["input_1"]),
    ("['max_pooling2d[0][0]', 'conv2d_1[0][0]']", ["max_pooling2d", "conv2d_1"]),
    ("max_pooling2d[0]… conv2d_1[0][0]", ["max_pooling2d", "conv2d_1"]),
    ("-", []), ("[]", []),
    ("batch_normalizat…", ["batch_normalizat…"]),
    ("['lstm[0][1]']", ["lstm"]),
])
def test_connected_cells(text: str, layers: list) -> None:
    assert [ref.layer for ref in parse_cell("connected_cell", text)] == layers


def test_inbound_indexes() -> None:
    assert parse_cell("connected_cell", "lstm[0][1]") == (Inbound("lstm", 0, 1, "lstm[0][1]"),)


@pytest.mark.parametrize("text,kind,count,size", [
    ("Total params: 3,453,121", "total", 3453121, None),
    ("Trainable params: 64,193 (250.75 KB)", "trainable", 64193, 250.75 * 1024),
    ("Non-trainable params: 0 (0.00 Byte)", "non_trainable", 0, 0.0),
    ("Optimizer params: 18 (76.00 B)", "optimizer", 18, 76.0),
    ("Total params: 64257 (251.00 KB)", "total", 64257, 251.0 * 1024),
])
def test_totals_lines(text: str, kind: str, count: int, size: object) -> None:
    line = parse_cell("totals_line", text)
    assert (line.kind, line.count, line.size_bytes) == (kind, count, size)


def test_stream_rows_read_a_collapsed_table() -> None:
    rows = parse_cell("rows", "conv2d (Conv2D) (None, 26, 26, 32) 320 max_pooling2d (MaxPooling2 (None, 13, 13, 32) 0 "
                              "add (Add) (None, 3) 0 ['a[0][0]', 'b[0][0]'] Y")
    assert [(r.layer.name, r.params.count, [i.layer for i in r.inbound], r.trainable) for r in rows] == [
        ("conv2d", 320, [], None), ("max_pooling2d", 0, [], None), ("add", 0, ["a", "b"], True)]


@pytest.mark.parametrize("start,text", [
    ("shape_cell", "(None, 26, 26, 32"[::-1]), ("params_cell", "12a"), ("layer_cell", "(("),
    ("totals_line", "Total parameters: 12"),
])
def test_bad_cells_raise_with_a_column(start: str, text: str) -> None:
    with pytest.raises(CellError) as error:
        parse_cell(start, text)
    assert 0 <= error.value.column <= len(text)


def _random_cell(rng: random.Random, start: str) -> str:
    alphabet = "abcxyz_019.…[]()' ,"
    name = "".join(rng.choice(alphabet[:10]) for _ in range(rng.randint(1, 12)))
    typ = rng.choice(["Conv2D", "Dense", "MaxPooling2", "BatchNormalizatio…", "TFOpLambda", "a.b"])
    if start == "layer_cell":
        return rng.choice([f"{name} ({typ})", f"{name}({typ})", f"{name}  ( {typ} )", f"{name} ({typ}"])
    if start == "params_cell":
        return rng.choice([str(rng.randint(0, 10**9)), f"{rng.randint(0, 10**9):,}", "1,00", "12 (unbuilt)"])
    refs = [f"{name}{rng.choice(['', '…'])}[{rng.randint(0, 3)}][{rng.randint(0, 3)}]{rng.choice(['', '…'])}"
            for _ in range(rng.randint(1, 3))]
    return rng.choice([" ".join(refs), "[" + ", ".join(f"'{r}'" for r in refs) + "]", refs[0] + "x["])


@pytest.mark.parametrize("start", ["layer_cell", "params_cell", "connected_cell"])
def test_fast_paths_agree_with_the_grammar(start: str) -> None:
    rng = random.Random(7)
    fast_hits = 0
    for _ in range(400):
        text = _random_cell(rng, start)
        try:
            slow = parse_with_grammar(start, text)
        except CellError:
            slow = "error"
        paths = [fast_paths()[start]] + ([fast_paths()["connected_list"]] if start == "connected_cell" else [])
        for pattern, build in paths:
            match = pattern.fullmatch(text)
            if match is not None:
                fast_hits += 1
                assert build(match) == slow, text
                break
    assert fast_hits > 100


@pytest.mark.parametrize("start,text", [
    ("connected_cell", "input_1[0][0]"), ("connected_cell", "lstm.cell_3[2][1]"),
    ("connected_cell", "a[0][0] b[0][1]"), ("connected_cell", "a[0][0],\tb[1][0]"),
    ("connected_list", "['conv2d_0[0][0]']"), ("connected_list", "['x[0][0]', 'y[0][1]']"),
    ("connected_list", "[ 'x[3][0]' ]"),
])
def test_one_reference_reads_as_the_grammar_does(start: str, text: str) -> None:
    """A cell of one reference takes a shortcut inside the fast path (no scan for several)."""
    pattern, build = fast_paths()[start]
    match = pattern.fullmatch(text)
    assert match is not None
    assert build(match) == parse_with_grammar("connected_cell", text)


def test_one_link_shortcut_reads_as_the_grammar_does() -> None:
    """`read_connected_cell` reads a lone plain reference without the generic fast paths:
    whatever it accepts, the grammar reads the same; whatever else, it leaves to them."""
    rng = random.Random(11)
    shortcut_hits = 0
    texts = [_random_cell(rng, "connected_cell") for _ in range(400)] + [
        "['conv2d_0[0][0]']", "[ 'x[3][0]' ]", "input_1[0][0]", "['a[0][0]'", "a[0][0]'", "'a[0][0]'",
        "['a[0][0]', 'b[0][0]']", "[\"a[0][0]\"]", "a…[0][0]", "a[0][0]…", "['a[0]']",
        "1a[0][0]", "слой_2[0][0]", "['слой_2[0][0]']", "a.b[0][0]", "['a[0][0]' ]", "a[0][0] ", "['[0][0]']",
        "['a[0][0]']]", "[['a[0][0]']", "a[0][1]", "a[00][0]", "None[0][0]", "['x'][0][0]"]
    for text in texts:
        try:
            slow = parse_with_grammar("connected_cell", text)
        except CellError:
            slow = "error"
        try:
            fast = read_connected_cell(text)
        except CellError:
            fast = "error"
        assert fast == slow, text
        shortcut_hits += ONE_LINK.fullmatch(text) is not None
    assert shortcut_hits > 10


def test_layer_cell_shortcut_reads_as_the_grammar_does() -> None:
    """`layer_cell_parts` reads `name (Type)` of plain identifiers without a regular
    expression: whatever it reads, the grammar reads the same."""
    rng = random.Random(13)
    names = ["conv2d_1"] * 6 + ["слой", "1x", "a.b", "a-b", "a…", "x", "_", "dense (2", "a'b", "└ a", "α_β"]
    types = ["Conv2D"] * 6 + ["Dense", "BatchNorm", "Conv2D…", "a.b", "1D", "Щ", "_x", "x)", "", " Dense"]
    texts = [f"{rng.choice(names)}{rng.choice([' (', '(', '  (', ' ( '])}{rng.choice(types)}{rng.choice([')', '', ' )', '))'])}"
             for _ in range(600)]
    shortcut_hits = 0
    for text in texts:
        try:
            cell = parse_with_grammar("layer_cell", text)
            slow: object = (cell.name, cell.type, cell.type_cut)
        except CellError:
            slow = "error"
        try:
            fast: object = layer_cell_parts(text)
        except CellError:
            fast = "error"
        assert fast == slow, text
        name, paren, rest = text.partition(" (")
        shortcut_hits += bool(paren) and name.isidentifier() and rest.rstrip(")").isidentifier()
    assert shortcut_hits > 40


READ_SEED = """
import sys
import summary_audit
document = summary_audit.parse(open(sys.argv[1], encoding="utf-8").read())
audit = summary_audit.audit(document.summaries[0])
print(audit.status, len(audit.rows), "lark" in sys.modules)
"""


def test_a_table_of_plain_cells_never_imports_lark(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Lark is imported only for a cell the fast paths miss: the first run keeps the grammar's
    terminals beside Lark's cache, later runs read a plain table without importing it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    seed = Path(__file__).resolve().parent.parent / "fixtures" / "samples" / "seed000_keras2.txt"
    odd = tmp_path / "odd.txt"  # a shape spelled with a trailing comma: only the grammar reads it
    odd.write_text(seed.read_text(encoding="utf-8").replace("(None, 6272)", "(None, 6272,)"), encoding="utf-8")
    environment = dict(os.environ, TMPDIR=str(tmp_path), TEMP=str(tmp_path), TMP=str(tmp_path))

    def run(path: Path) -> str:
        done = subprocess.run([sys.executable, "-c", READ_SEED, str(path)], capture_output=True, text=True,
                              env=environment, check=True)
        return done.stdout.split()

    first, second, odd_run = run(seed), run(seed), run(odd)
    assert first[:2] == second[:2] == ["ok", "11"]
    assert second[2] == "False"
    assert odd_run == ["ok", "11", "True"]
