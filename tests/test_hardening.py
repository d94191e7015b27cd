"""Bad input, all the way through: the parser, the inference and the command line end in a
report or a located message, never a traceback, and nothing costs more than linear time.

Property-based (hypothesis) with a fixed seed and a bounded number of examples, like
tests/test_never_crashes.py; SUMMARY_AUDIT_FUZZ_EXAMPLES raises the bound for a longer
campaign (see the README). Growth *ratios* are not timed here (that is benchmarks/run.py's
part (d)); regexes meet pathological inputs under a generous absolute bound instead.
"""

from __future__ import annotations

import importlib

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import summary_audit
from conftest import FIXTURES, ROOT, printer_fixtures
from summary_audit import grammar, rows
from summary_audit.text import blocks, decoding, documents, lines, markup, repairs
from summary_audit.layers import REGISTRY
from summary_audit.model import Document, Row, Summary, Totals
from summary_audit.report import renderer

MAX_EXAMPLES = int(os.environ.get("SUMMARY_AUDIT_FUZZ_EXAMPLES", "200"))
SETTINGS = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SAMPLE = FIXTURES / "samples" / "seed000_keras2.txt"
TEXTS: List[str] = [p.read_text(encoding="utf-8") for p in printer_fixtures()][::5]
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk", "cp1251")


def read_all(data: object) -> None:
    """Parse, audit and render: a located SummaryAuditError is the only exception allowed."""
    try:
        document = summary_audit.parse(data)  # type: ignore[arg-type]
    except summary_audit.SummaryAuditError as error:
        assert error.message and error.line and error.column
        return
    audits = [summary_audit.audit(summary) for summary in document.summaries]
    for name in ("json", "table", "markdown"):
        assert renderer(name)(document, audits) is not None
    for error in document.errors:
        assert error.message


def sample_with(old: str, new: str) -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


# ---- property-based: the parser -----------------------------------------------------------------


@SETTINGS
@given(st.text(max_size=3000))
def test_random_unicode(text: str) -> None:
    read_all(text)


@SETTINGS
@given(st.sampled_from(TEXTS), st.sampled_from(ENCODINGS), st.integers(0, 10**6), st.binary(max_size=8))
def test_encoded_fixtures_cut_and_spliced_anywhere(text: str, encoding: str, where: int, splice: bytes) -> None:
    data = text.encode(encoding, errors="replace")
    where %= len(data) + 1
    read_all(data[:where] + splice + data[where + len(splice):])
    read_all(data[:where])


@SETTINGS
@given(st.sampled_from(TEXTS), st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from([
    "(" * 10_000, "[" * 10_000, ")" * 500, "9" * 300, str(10**30), "-7", "0", " " * 5000, "\t", "\u00a0",
    "\u3000", "?" * 40, "│", "└ ", "…", "#", "\x00", "\ufeff", "\r", "Total params: ", "Layer (type)",
])), min_size=1, max_size=5))
def test_fixtures_with_hostile_pieces(text: str, edits: List[Tuple[int, str]]) -> None:
    for where, piece in edits:
        where %= len(text) + 1
        text = text[:where] + piece + text[where:]
    read_all(text)


# ---- property-based: the inference, fed rows the parser would never make -----------------------------

dims = st.one_of(st.none(), st.integers(-3, 3), st.integers(0, 4096), st.just(10**30))
shapes = st.one_of(st.none(), st.sampled_from(["multiple", "?"]),
                   st.lists(dims, min_size=0, max_size=6).map(tuple),
                   st.lists(st.lists(dims, min_size=1, max_size=4).map(tuple), min_size=1, max_size=3).map(tuple))


@st.composite
def summaries(draw: st.DrawFn) -> Summary:
    classes = REGISTRY.class_names()
    count = draw(st.integers(1, 8))
    made = []
    for index in range(count):
        layer_class = draw(st.one_of(st.sampled_from(classes), st.sampled_from(["", "MyLayer", "Conv2"])))
        made.append(Row(line=index + 1, name=draw(st.sampled_from(["a", "b", f"layer_{index}", "x…"])),
                        type=layer_class, layer_class=layer_class if layer_class in classes else None,
                        class_candidates=REGISTRY.resolve(layer_class) if layer_class else (),
                        output_shape=draw(shapes),
                        params=draw(st.one_of(st.none(), st.integers(-5, 10**6), st.integers(-5, 10**30))),
                        depth=draw(st.sampled_from([0, 0, 0, 1])), trainable=draw(st.sampled_from([None, True, False])),
                        shape_cut=draw(st.booleans())))
    total = draw(st.one_of(st.none(), st.integers(-1, 10**30)))
    return Summary(model_name="m", format=draw(st.sampled_from(["keras1", "keras2", "keras2-wrapped", "keras3"])),
                   start_line=1, end_line=count, rows=tuple(made),
                   totals=Totals(total=total, trainable=total, non_trainable=0, sizes={"total": 10.0 ** 30}))


@SETTINGS
@given(summaries())
def test_inference_on_arbitrary_rows(summary: Summary) -> None:
    audit = summary_audit.audit(summary)
    assert len(audit.rows) == len(summary.rows)
    for name in ("json", "table", "markdown"):
        assert renderer(name)(Document(None, (summary,)), [audit]) is not None


# ---- the cases the issue names --------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    pytest.param(sample_with("(None, 72, 72, 64)", "(" * 10_000), id="10,000 open brackets in a cell"),
    pytest.param(sample_with("(None, 72, 72, 64)", "[" * 5_000 + "(None, 72" + "]" * 5_000), id="nested lists"),
    pytest.param("Layer (type)  Output Shape  Param #\n" + "(" * 10_000 + "\n", id="a line of brackets"),
    pytest.param(sample_with("3211776", str(10**30)), id="10**30 params in a Dense row"),
    pytest.param(sample_with("3,453,121", f"{10**30:,}"), id="10**30 total"),
    pytest.param(sample_with("3211776", "9" * 5000), id="a 5,000-digit count"),
    pytest.param(sample_with("(None, 6272)", "(None, " + "9" * 5000 + ")"), id="a 5,000-digit dimension"),
    pytest.param(sample_with("Total params: 3,453,121", "Total params: 3,453,121 (" + "9" * 400 + ".5 KB)"),
                 id="a 400-digit size"),
    pytest.param(sample_with("(None, 72, 72, 64)", "(None, 0, 0, 64)"), id="zero dimensions"),
    pytest.param(sample_with("(None, 72, 72, 64)", "(None, -72, 72, 64)"), id="a negative dimension"),
    pytest.param(sample_with("(None, 6272)", "(None, 0)"), id="a zero-width Dense input"),
    pytest.param(sample_with("18496", "-18496"), id="a negative count"),
    pytest.param(sample_with("conv2d_10 (Conv2D)", "conv2d_10 (Conv2D)" + " x" * 500_000), id="a 1 MB row"),
    pytest.param("Layer (type)  Output Shape  Param #\n" + "a" * 1_000_000, id="a 1 MB name"),
    pytest.param(" " * 1_000_000 + "|---|x\n" + SAMPLE.read_text(encoding="utf-8"), id="a 1 MB line of spaces"),
    pytest.param("Param #" * 150_000 + "\n" + SAMPLE.read_text(encoding="utf-8"), id="a 1 MB line of comments"),
    pytest.param(SAMPLE.read_text(encoding="utf-8").replace("\n", " ") * 200, id="200 tables collapsed on a line"),
])
def test_hostile_inputs_end_in_a_report_within_seconds(text: str) -> None:
    start = time.perf_counter()
    read_all(text)
    read_all(text.encode("utf-16"))
    assert time.perf_counter() - start < 30, "far slower than linear"


def test_numbers_too_long_to_be_counts_are_named() -> None:
    document = summary_audit.parse(sample_with("3211776", "9" * 5000))
    [summary] = document.summaries
    assert any("5,000 digits" in finding.message for finding in summary.findings)


# ---- regexes: no catastrophic backtracking ------------------------------------------------------------


#: the printers' declarations (their patterns tell tables apart).
PRINTER_MODULES = tuple(importlib.import_module(f"summary_audit.printers.{name}") for name in
                        ("base", "layout", "keras1", "keras2", "tf_keras", "keras3", "markdown"))

#: patterns the code runs with search / finditer / findall / split / sub (every start position);
#: the others only ever match at a given place (match, fullmatch, Lark's lexer).
SEARCHED = {"COLLAPSE_SPLIT", "COMMENT_START", "DELIMITERS", "HAS_SPACE_LIKE", "HEADER_LINE", "HTML_BREAK",
            "HTML_HINT", "HTML_TAG", "INDEX", "LINE_SPAN", "MARKDOWN_ESCAPE", "HTML_ENTITY", "CUT_LABEL_END", "NESTED_MARK_LOST", "QUOTE_PREFIX", "TOTALS_LINE", "COLUMN_TITLES",
            "REF_SEPARATOR", "_DIGIT"}


def _patterns() -> Iterator[Tuple[str, "re.Pattern[str]", bool]]:
    for module in (decoding, documents, markup, lines, repairs, blocks, rows, grammar, *PRINTER_MODULES):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{module.__name__}.{name}", value, name in SEARCHED
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], re.Pattern):
                        yield f"{module.__name__}.{name}[{item[0]}]", item[1], name in SEARCHED
    for name, (pattern, _) in grammar.fast_paths().items():
        yield f"fast path {name}", pattern, False
    for terminal in grammar.parser().terminals:
        yield f"terminal {terminal.name}", re.compile(terminal.pattern.to_regexp()), False


PATHOLOGICAL = [
    " " * 40_000 + "x", " " * 40_000 + "|---|x", "|" + " " * 40_000 + "x", "_" * 40_000 + "x",
    "-" * 40_000 + "x", "_-" * 20_000 + "x", "(" * 40_000, "[" * 40_000, "[0]" * 13_000 + "x",
    "a" * 40_000 + "[", "a[0][0] " * 5_000 + "(", "'a[0][0]', " * 4_000 + "x", "9," * 20_000 + "x",
    "Param #" * 6_000, " #" * 20_000, "Layer " * 7_000, "Total  " * 6_000, "N" * 40_000 + "(",
    "?" * 40_000 + "x", "> " * 20_000 + "x", "<" + "a" * 40_000, "└" + " " * 40_000,
    "a…" * 20_000, "1" * 40_000 + ".", "│ " * 20_000 + "x",
    "#" * 40_000 + "x", "# " * 20_000 + "Layer", "- " * 20_000 + "┃ Layer", "_\n" * 20_000 + "x",
    "_\n_" * 13_000 + "x",
    "\n" + "_" * 40_000 + "x", "=\n" + "=" * 40_000 + "x",
]


@pytest.mark.parametrize("name,pattern,searched", list(_patterns()),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_no_regex_backtracks_catastrophically(name: str, pattern: "re.Pattern[str]", searched: bool) -> None:
    """Quadratic backtracking on 40,000 characters takes tens of seconds; linear, milliseconds."""
    start = time.perf_counter()
    for text in PATHOLOGICAL:
        pattern.match(text)
        pattern.fullmatch(text)
        if searched:
            pattern.search(text)
            sum(1 for _ in pattern.finditer(text))
    assert time.perf_counter() - start < 5, f"{name} backtracks on long input"


def test_rule_line_shortcut_agrees_with_the_regex() -> None:
    import random

    rng = random.Random(11)
    alphabet = " |:-x\t_━=~┃"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert lines.is_rule_line(text) == bool(lines.RULE_LINE.match(text)), text


def test_layer_fast_path_agrees_with_the_grammar_on_odd_white_space() -> None:
    pattern, build = grammar.fast_paths()["layer_cell"]
    for text in ["a (B)", "a\x85(B)", "a\u2028(B", "a\x0b(B)", "a (B\x1c)", "a", "a (", "a (B", "a ( B )"]:
        try:
            slow: object = grammar.parse_with_grammar("layer_cell", text)
        except grammar.CellError:
            slow = "error"
        match = pattern.fullmatch(text)
        if match is not None:
            assert build(match) == slow, text


# ---- the command line ------------------------------------------------------------------------------------


def run(*args: str, stdin: bytes = b"", timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summary_audit", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=timeout)


def assert_clean_exit(result: subprocess.CompletedProcess, allowed: Tuple[int, ...] = (0, 1, 2)) -> None:
    err = result.stderr.decode(errors="replace")
    assert result.returncode in allowed, err
    assert "Traceback" not in err
    if result.returncode == 2:  # the message goes to stderr, or into the JSON report with --json
        assert err.strip() or '"message"' in result.stdout.decode(errors="replace"), "exit 2 without a message"


@pytest.mark.parametrize("data,status", [
    (SAMPLE.read_bytes(), 0),
    (sample_with("18496", "18469").encode(), 1),
    (b"\x00\x01\x02\xff\xfe" * 300, 2),
    (b"\xff\xfe\x00", 2),
    (b"\x80\x81\x82" * 1000, 2),
    (b"", 2),
    (sample_with("3211776", str(10**30)).encode("utf-16"), 1),
    (sample_with("3211776", str(10**30)).encode("gb18030"), 1),
    (("Модель:\n" + SAMPLE.read_text(encoding="utf-8")).encode("cp1251"), 0),
    (("模型：\n" + SAMPLE.read_text(encoding="utf-8")).encode("gbk"), 0),
    (b"\xef\xbb\xbf" + SAMPLE.read_bytes(), 0),
    (SAMPLE.read_bytes()[:len(SAMPLE.read_bytes()) // 2], 0),
    (("(" * 10_000 + "\n").encode() + SAMPLE.read_bytes(), 0),
])
def test_cli_exits_0_1_or_2_with_a_message(data: bytes, status: int) -> None:
    for extra in ((), ("--json",), ("--markdown",)):
        result = run("check", "-", *extra, stdin=data)
        assert_clean_exit(result)
        assert result.returncode == status, result.stderr.decode(errors="replace")


def test_cli_on_randomly_damaged_bytes() -> None:
    """A process per example is too slow for hypothesis: a few seeded byte mutations instead."""
    import random

    rng = random.Random(5)
    base = SAMPLE.read_bytes()
    for _ in range(8):
        data = bytearray(base)
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        assert_clean_exit(run("check", "-", stdin=bytes(data)))


def test_inputs_over_the_size_limit_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.write(SAMPLE.read_bytes())
        handle.write(b" " * (decoding.MAX_INPUT_BYTES + 1))
    result = run("check", str(big))
    assert_clean_exit(result, (2,))
    assert "limit" in result.stderr.decode() and "bytes" in result.stderr.decode()


def test_the_size_limit_in_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoding, "MAX_INPUT_BYTES", 100)
    with pytest.raises(summary_audit.SummaryAuditError, match="limit"):
        summary_audit.parse(SAMPLE.read_bytes())


def test_a_huge_count_in_a_conv_row_ends() -> None:
    result = run("check", "-", stdin=sample_with("18496", str(10**30)).encode(), timeout=5)
    assert_clean_exit(result)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_collector_pause_is_left_as_found() -> None:
    """The pause of the entry points holds the cyclic collector and hands what it made to the
    oldest generation: the caller's own young cyclic garbage is still collected (before the
    pause, not lost among promoted objects), the collector runs again afterwards, and a
    caller that turned it off finds it off."""
    import gc
    import weakref

    from summary_audit.speed import paused_gc

    table = SAMPLE.read_text(encoding="utf-8")
    garbage = _Cycle()
    alive = weakref.ref(garbage)
    del garbage
    assert alive() is not None  # (a cycle: reference counting alone does not free it)
    with paused_gc():
        assert alive() is None
        assert not gc.isenabled()
        summary_audit.audit(summary_audit.parse(table).summaries[0])
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_command_holds_the_collector_while_it_reads(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture) -> None:
    """The pause is the command's (its own process), taken around the command it runs."""
    import gc

    from summary_audit import cli, verify

    seen: List[bool] = []
    real = verify.audit

    def audit(summary: Summary) -> "summary_audit.model.Audit":
        seen.append(gc.isenabled())
        return real(summary)

    monkeypatch.setattr(verify, "audit", audit)
    assert cli.main(["check", str(SAMPLE)]) == 0
    assert "conv2d_9" in capsys.readouterr().out
    assert seen == [False] and gc.isenabled()


def test_audit_leaves_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library never pauses the collector: that would reach a notebook's or a pytest
    session's whole heap."""
    import gc

    from summary_audit import verify

    seen: List[bool] = []
    real = verify.infer

    def infer(summary: Summary) -> "summary_audit.infer.Inference":
        seen.append(gc.isenabled())
        return real(summary)

    summary = summary_audit.parse(SAMPLE.read_text(encoding="utf-8")).summaries[0]
    monkeypatch.setattr(verify, "infer", infer)
    assert summary_audit.audit(summary).status == "ok"
    assert seen == [True]
