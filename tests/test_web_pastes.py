"""Spellings found in summaries pasted on public pages, issue threads, notebooks and READMEs
(the tables as printed; the pages' words are not kept): each once misread or falsely flagged."""

from __future__ import annotations

from typing import Sequence, Tuple

import summary_audit
from summary_audit.model import Audit

KERAS1_HEADER = ("Layer (type)                     Output Shape          Param #     Connected to                     \n"
                 + "=" * 100 + "\n")
KERAS2_HEADER = ("_" * 65 + "\nLayer (type)                 Output Shape              Param #   \n" + "=" * 65 + "\n")


def keras3_box(widths: Tuple[int, int, int], rows: Sequence[Sequence[Tuple[str, str, str]]]) -> str:
    """A Keras 3 box table as rich draws it: each row its lines of (name, shape, count) cells,
    a rule between rows."""
    name, shape, count = (width - 2 for width in widths)

    def line(bar: str, cells: Tuple[str, str, str]) -> str:
        return f"{bar} {cells[0]:<{name}} {bar} {cells[1]:<{shape}} {bar} {cells[2]:>{count}} {bar}\n"

    def rule(left: str, middle: str, right: str, fill: str) -> str:
        return left + middle.join(fill * width for width in widths) + right + "\n"

    body = rule("├", "┼", "┤", "─").join("".join(line("│", cells) for cells in row) for row in rows)
    return (rule("┏", "┳", "┓", "━") + line("┃", ("Layer (type)", "Output Shape", "Param #"))
            + rule("┡", "╇", "┩", "━") + body + rule("└", "┴", "┘", "─"))


def audit_of(text: str) -> Audit:
    [summary] = summary_audit.parse(text).summaries
    return summary_audit.audit(summary)


def test_a_keras1_shape_that_runs_into_the_param_column() -> None:
    """Keras 1 cut the shape at the column edge with no space: `13, 13, 13` then `2800`."""
    text = (KERAS1_HEADER
            + "convolution3d_1 (Convolution3D)  (None, 100, 13, 13, 132800        input_patch[0][0]                \n"
            + "_" * 100 + "\nTotal params: 2800\n")
    audit = audit_of(text)
    [row] = audit.rows
    assert row.row.params == 2800 and row.row.shape_cut
    assert row.status == "ok" and row.explanation == "(3*3*3*1 + 1) * 100 = 2,800"
    assert audit.status == "ok"


def test_a_tuple_of_output_shapes_cut_at_the_column_edge() -> None:
    """TF 2.x printed several outputs as a tuple of shapes; cut, it runs into Param #."""
    text = (KERAS2_HEADER
            + "input_4 (InputLayer)         [(None, 512)]             0         \n" + "_" * 65 + "\n"
            + "tf_bert_model_3 (TFBertModel ((None, 512, 768), (None, 102267648 \n" + "_" * 65 + "\n"
            + "flatten_2 (Flatten)          (None, 393216)            0         \n" + "_" * 65 + "\n"
            + "dense_1 (Dense)              (None, 5)                 1966085   \n" + "=" * 65 + "\n"
            + "Total params: 104,233,733\nTrainable params: 104,233,733\nNon-trainable params: 0\n")
    audit = audit_of(text)
    bert = audit.rows[1].row
    assert bert.params == 102_267_648 and bert.output_shape[0] == (None, 512, 768)
    assert [r.status for r in audit.rows] == ["ok", "unverified", "ok", "ok"]
    assert audit.totals.status == "ok"


def test_python2_long_dimensions() -> None:
    text = (KERAS1_HEADER
            + "convolution2d_11 (Convolution2D) (None, 32, 76L, 76L)  832         convolution2d_input_6[0][0]      \n"
            + "activation_21 (Activation)       (None, 32, 76L, 76L)  0           convolution2d_11[0][0]           \n"
            + "Total params: 832\n")
    audit = audit_of(text)
    assert [r.row.output_shape for r in audit.rows] == [(None, 32, 76, 76)] * 2
    assert audit.rows[0].explanation == "(5*5*1 + 1) * 32 = 832" and audit.status == "ok"


def test_an_unbuilt_optimizer_line() -> None:
    unbuilt = [[(name, "?", "0 (unbuilt)")] for name in ("dense_6 (Dense)", "dense_7 (Dense)")]
    text = (keras3_box((44, 37, 15), unbuilt)
            + " Total params: 0 (0.00 B)\n Trainable params: 0 (0.00 B)\n Non-trainable params: 0 (0.00 B)\n"
            + " Optimizer params: 0 (0.00 B) (unbuilt)\n")
    audit = audit_of(text)
    assert audit.totals.totals.optimizer == 0
    assert not [f for f in audit.findings if f.severity == "error"] and audit.status != "mismatch"


def test_rows_printed_multiple_hold_nothing_against_each_other() -> None:
    """A subclassed model prints `multiple`: neither row's input is known, neither is wrong."""
    text = (KERAS2_HEADER.replace("Layer", " Layer")
            + " dense (Dense)               multiple                  352       \n" + " " * 65 + "\n"
            + " dense_1 (Dense)             multiple                  165       \n" + " " * 65 + "\n"
            + "=" * 65 + "\nTotal params: 517 (2.02 KB)\nTrainable params: 517 (2.02 KB)\n"
            + "Non-trainable params: 0 (0.00 Byte)\n")
    audit = audit_of(text)
    assert [r.status for r in audit.rows] == ["unverified", "unverified"]
    assert audit.totals.status == "ok" and audit.status != "mismatch"


def test_a_wide_pool_with_strides_of_its_size() -> None:
    """MaxPooling1D(13, 13): 975 → 75, beyond the usual 2x2 to 8x8 windows."""
    text = (KERAS2_HEADER
            + "conv1d_1 (Conv1D)            (None, 975, 320)          33600     \n" + "_" * 65 + "\n"
            + "max_pooling1d_1 (MaxPooling1 (None, 75, 320)           0         \n" + "_" * 65 + "\n"
            + "Total params: 33,600\nTrainable params: 33,600\nNon-trainable params: 0\n")
    audit = audit_of(text)
    assert [r.status for r in audit.rows] == ["ok", "ok"]
    assert audit.rows[1].inferred["pool_size"] == (13,)


def test_rows_left_out_with_an_ellipsis() -> None:
    """`...` where a paste skipped rows: the chain of shapes and the sum stop there, nothing
    is flagged for it, and a wrong number after it is still caught."""
    text = (KERAS2_HEADER
            + "conv2d_1 (Conv2D)            (None, 148, 148, 32)      896       \n" + "_" * 65 + "\n"
            + "...                          ...                       ...       \n" + "_" * 65 + "\n"
            + "flatten_1 (Flatten)          (None, 6272)              0         \n" + "_" * 65 + "\n"
            + "dense_1 (Dense)              (None, 512)               3211776   \n" + "_" * 65 + "\n"
            + "dense_2 (Dense)              (None, 1)                 514       \n" + "=" * 65 + "\n"
            + "Total params: 3,453,121\nTrainable params: 3,453,121\nNon-trainable params: 0\n")
    audit = audit_of(text)
    assert audit.summary.gaps == (6,)
    assert [r.status for r in audit.rows] == ["ok", "ok", "ok", "mismatch"]
    assert audit.rows[3].expected_params == 513
    found = {(f.code, f.severity) for f in audit.findings}
    assert ("rows-elided", "info") in found and ("rows-elided", "warning") in found  # the gap, the sum
    assert {code for code, severity in found if severity == "error"} == {"param-mismatch"}  # dense_2 only
    assert audit.totals.status == "unverified" and audit.totals.expected_total is None  # (rows not shown)


def test_an_ellipsis_is_a_whole_line_only() -> None:
    from summary_audit.rows import is_elision

    assert is_elision("...") and is_elision("  …  ") and is_elision("| ... | ... | ... |") and is_elision("[...]")
    assert not is_elision("dense_1 (Dense) ... 5") and not is_elision("..") and not is_elision("conv…")


SQUEEZED = """Model: "sequential"
_________________________________________________________________
Layer (type) Output Shape Param #
=================================================================
dense (Dense) (None, 10) 110
dense_1 (Dense) (None, 5) 55
dense_2 (Dense) (None, 1) 6
=================================================================
Total params: 171
Trainable params: 171
Non-trainable params: 0
_________________________________________________________________
"""


def test_a_table_whose_spaces_were_squeezed_is_read_row_by_row() -> None:
    """One space between the header's titles: its columns line up with nothing."""
    audit = audit_of(SQUEEZED)
    assert [(r.row.name, r.row.params, r.status) for r in audit.rows] == [
        ("dense", 110, "ok"), ("dense_1", 55, "ok"), ("dense_2", 6, "ok")]
    assert audit.status == "ok"


def test_a_header_with_words_between_its_titles() -> None:
    text = ("Layer (type) - Output Shape - Param #\n##### " + "=" * 60 + "\n"
            "flatten_1 (Flatten)              (None, 3264)          0      \n"
            "dense_1 (Dense)                  (None, 100)           326500 \n"
            "dense_2 (Dense)                  (None, 1)             101    \n"
            "##### " + "=" * 60 + "\nTotal params: 326,601\n")
    audit = audit_of(text)
    assert [r.status for r in audit.rows] == ["ok", "ok", "ok"] and audit.status == "ok"
    assert not [f for f in audit.findings if f.severity == "error"]


def test_markdown_tables_with_and_without_outer_bars() -> None:
    bare = ("Layer (type) | Output Shape | Param # |\n---|---|---|\n"
            "conv2d (Conv2D) | (None, 222, 222, 32) | 896 |\n"
            "max_pooling2d (MaxPooling2D) | (None, 111, 111, 32) | 0 |\n"
            "conv2d_1 (Conv2D) | (None, 109, 109, 64) | 18496 |\n"
            "Total params: 19,392\n")
    barred = ("|Layer (type) | Output Shape | Param #|\n|:---|:---|:---|\n"
              "|dense_1 (Dense)| (None, 8192)| 819200|\n"
              "|conv2d_transpose_1| (None, 16, 16, 128)| 524416|\n"  # the type lost: a row all the same
              "|batch_normalization_4 (BatchNormalization)| (None, 16, 16, 128)| 512|\n"
              "Total params: 1,344,128\n")
    first, second = audit_of(bare), audit_of(barred)
    assert [r.row.params for r in first.rows] == [896, 0, 18496] and first.status == "ok"
    assert [r.row.name for r in second.rows] == ["dense_1", "conv2d_transpose_1", "batch_normalization_4"]
    assert second.totals.status == "ok"


def test_every_line_behind_the_same_marks() -> None:
    """Output kept as comments (`# `), knitr's `## `, a list (`- `): the marks come off."""
    for mark in ("# ", "#", "    ## ", "- ", "// "):
        text = "".join(mark + line + "\n" for line in SQUEEZED.replace("Layer (type) Output Shape Param #",
                                                                       "Layer (type)   Output Shape   Param #")
                       .replace("dense (Dense) (None, 10) 110", "dense (Dense)  (None, 10)     110")
                       .replace("dense_1 (Dense) (None, 5) 55", "dense_1 (Dense)(None, 5)      55")
                       .replace("dense_2 (Dense) (None, 1) 6", "dense_2 (Dense)(None, 1)      6").splitlines())
        audit = audit_of("some prose\n" + text)
        assert [r.row.params for r in audit.rows] == [110, 55, 6], mark
        assert audit.status == "ok", mark


def test_bold_totals_and_totals_on_one_line() -> None:
    rows = KERAS2_HEADER + "dense (Dense)                (None, 10)                110       \n" + "=" * 65 + "\n"
    bold = audit_of(rows + "**Total params:** 110\n**Trainable params**: 110\n")
    assert bold.totals.totals.total == 110 and bold.totals.totals.trainable == 110
    one_line = audit_of(rows + "Total params: 110 Trainable params: 100 Non-trainable params: 10\n")
    totals = one_line.totals.totals
    assert (totals.total, totals.trainable, totals.non_trainable) == (110, 100, 10)


def test_a_lambda_may_change_the_shape() -> None:
    text = (KERAS2_HEADER
            + "cropping2d_1 (Cropping2D)    (None, 65, 320, 3)        0         \n" + "_" * 65 + "\n"
            + "lambda_1 (Lambda)            (None, 16, 32, 3)         0         \n" + "_" * 65 + "\n"
            + "conv2d_1 (Conv2D)            (None, 14, 30, 16)        448       \n" + "=" * 65 + "\n"
            + "Total params: 448\n")
    audit = audit_of(text)
    assert [r.status for r in audit.rows] == ["ok", "ok", "ok"]
    assert audit.rows[2].explanation == "(3*3*3 + 1) * 16 = 448"


def test_a_code_comment_under_each_row() -> None:
    text = (KERAS2_HEADER
            + "conv2d_6 (Conv2D)            (None, 26, 26, 32)        320       \n"
            + "# layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1))\n" + "_" * 65 + "\n"
            + "max_pooling2d_4 (MaxPooling2 (None, 13, 13, 32)        0         \n"
            + "#layers.MaxPooling2D((2, 2))\n" + "=" * 65 + "\nTotal params: 320\n")
    audit = audit_of(text)
    assert [r.status for r in audit.rows] == ["ok", "ok"] and audit.status == "ok"
    assert [f.code for f in audit.findings] == ["text-ignored", "text-ignored"]


def test_a_first_bidirectional_layer_tells_its_input() -> None:
    """4,960 = 2 * 4 * ((10 + 20) * 20 + 20): an input of 10 features, as for a bare LSTM."""
    text = (KERAS2_HEADER
            + "bidirectional_1 (Bidirection (None, 20, 40)            4960      \n" + "_" * 65 + "\n"
            + "dense_1 (Dense)              (None, 20, 1)             41        \n" + "=" * 65 + "\n"
            + "Total params: 5,001\nTrainable params: 5,001\nNon-trainable params: 0\n")
    audit = audit_of(text)
    assert [r.status for r in audit.rows] == ["ok", "ok"]
    assert audit.rows[0].inferred["input_shape"] == (None, 20, 10)


def test_a_totals_line_cut_off_where_the_page_ends() -> None:
    text = (KERAS2_HEADER + "dense (Dense)                (None, 10)                110       \n" + "=" * 65 + "\n"
            + "Total params: 110\nTrainable params: 110\nNon-trainable params:\n")
    audit = audit_of(text)
    assert audit.status == "ok"
    assert [(f.code, f.severity) for f in audit.findings] == [("incomplete-totals", "warning")]


def test_the_optimizer_step_counter_takes_eight_bytes() -> None:
    """Keras 3 after one step of Adam: 52 optimizer params in 212.00 B (51 float32 + one int64)."""
    rows = [[("dense (Dense)", "(None, 3)", "15")],
            [("batch_normalization", "(None, 3)", "12"), ("(BatchNormalization)", "", "")],
            [("dense_1 (Dense)", "(None, 1)", "4")]]
    text = (keras3_box((33, 24, 15), rows)
            + " Total params: 83 (336.00 B)\n Trainable params: 25 (100.00 B)\n"
            + " Non-trainable params: 6 (24.00 B)\n Optimizer params: 52 (212.00 B)\n")
    audit = audit_of(text)
    assert audit.status == "ok" and not audit.findings
    assert audit.totals.expected_total == 83


def test_a_header_without_its_rule_keeps_the_row_below_it() -> None:
    text = ("_" * 65 + "\nLayer (type)                 Output Shape              Param #   \n"
            "simple_rnn_1 (SimpleRNN)     (None, 32)                321056    \n" + "_" * 65 + "\n"
            "dense_1 (Dense)              (None, 1)                 33        \n"
            "Total params: 321,089\nTrainable params: 321,089\nNon-trainable params: 0\n")
    audit = audit_of(text)
    assert [r.row.name for r in audit.rows] == ["simple_rnn_1", "dense_1"] and audit.status == "ok"


def test_a_commented_table_with_blank_lines_between_rows() -> None:
    text = ("model.summary()\n\n#  Layer (type)                Output Shape              Param #\n# " + "=" * 65 + "\n"
            "#  dense (Dense)               (None, 3)                 6\n\n"
            "#  dense_1 (Dense)             (None, 4)                 16\n\n"
            "#  dense_2 (Dense)             (None, 1)                 5\n\n"
            "# Total params: 27\n# Trainable params: 27\n# Non-trainable params: 0\n")
    audit = audit_of(text)
    assert [r.row.params for r in audit.rows] == [6, 16, 5] and audit.status == "ok"


def test_words_after_a_table_without_totals_are_set_aside() -> None:
    text = ("Layer (type)                 Output Shape              Param #   \n" + "=" * 65 + "\n"
            "simple_rnn_1 (SimpleRNN)     (None, 10)                120       \n"
            "Это число представляет количество обучаемых параметров (весов и смещений)\n")
    audit = audit_of(text)
    assert [r.status for r in audit.rows] == ["ok"]
    assert {(f.code, f.severity) for f in audit.findings} == {("text-ignored", "info"), ("incomplete-table", "warning")}


KERAS3_MASKED = (
    "┏━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┓\n"
    "┃\x1b[1m \x1b[0m\x1b[1mLayer (type)         \x1b[0m\x1b[1m \x1b[0m┃\x1b[1m \x1b[0m\x1b[1mOutput Shape     \x1b[0m\x1b[1m \x1b[0m┃"
    "\x1b[1m \x1b[0m\x1b[1m    Param #\x1b[0m\x1b[1m \x1b[0m┃\x1b[1m \x1b[0m\x1b[1mConnected to      \x1b[0m\x1b[1m \x1b[0m┃\n"
    "┡━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━┩\n"
    "│ input_layer_5         │ (\x1b[38;5;45mNone\x1b[0m, \x1b[38;5;34m600\x1b[0m)       │           \x1b[38;5;34m0\x1b[0m │ -  "
    "                │\n"
    "│ (\x1b[38;5;33mInputLayer\x1b[0m)          │                   │             │                    │\n"
    "├───────────────────────┼───────────────────┼─────────────┼────────────────────┤\n"
    "│ embedding (Embedding) │ (None, 600, 64)   │     640,000 │ input_layer_5[0][… │\n"
    "├───────────────────────┼───────────────────┼─────────────┼────────────────────┤\n"
    "│ not_equal (NotEqual)  │ (None, 600)       │           0 │ input_layer_5[0][… │\n"
    "├───────────────────────┼───────────────────┼─────────────┼────────────────────┤\n"
    "│ bidirectional_3       │ (None, 128)       │      66,048 │ embedding[0][0],   │\n"
    "│ (Bidirectional)       │                   │             │ not_equal[0][0]    │\n"
    "├───────────────────────┼───────────────────┼─────────────┼────────────────────┤\n"
    "│ dense_5 (Dense)       │ (None, 1)         │         129 │ bidirectional_3[0… │\n"
    "└───────────────────────┴───────────────────┴─────────────┴────────────────────┘\n"
    " Total params: 706,177 (2.69 MB)\n Trainable params: 706,177 (2.69 MB)\n Non-trainable params: 0 (0.00 B)\n")


def test_a_keras3_table_with_terminal_colours_and_an_rnn_mask() -> None:
    """rich's colour codes as a notebook keeps them; the mask beside the RNN's sequence is no
    second call of a shared layer."""
    audit = audit_of(KERAS3_MASKED)
    assert [(r.row.name, r.status) for r in audit.rows] == [
        ("input_layer_5", "ok"), ("embedding", "ok"), ("not_equal", "ok"), ("bidirectional_3", "ok"), ("dense_5", "ok")]
    assert audit.status == "ok"


def test_a_keras3_notebook_output_with_colours() -> None:
    import json

    notebook = json.dumps({"cells": [{"cell_type": "code", "source": ["model.summary()"], "outputs": [
        {"output_type": "display_data", "data": {"text/plain": KERAS3_MASKED.splitlines(keepends=True)}}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    [summary] = summary_audit.parse(notebook).summaries
    assert len(summary.rows) == 5 and summary_audit.audit(summary).status == "ok"


def test_totals_below_a_fence_that_closed_too_early_and_dressed_totals() -> None:
    table = KERAS3_MASKED.split(" Total params")[0].replace("\x1b[1m", "").replace("\x1b[0m", "")
    fenced = "```\n" + table + "```\n Total params: 706,177 (2.69 MB)\n Trainable params: 706,177 (2.69 MB)\n"
    assert audit_of(fenced).totals.totals.total == 706_177
    for dressed in ("- Total params: 706,177 (2.69 MB)", "__Total params: 706,177__\\",
                    "| Total params: 706,177 | Trainable params: 706,177 | Non-trainable params: 0 |"):
        audit = audit_of(table + dressed + "\n")
        assert audit.totals.totals.total == 706_177 and audit.totals.status == "ok", dressed


def test_an_r_reprex_table() -> None:
    text = "".join("#> " + line + "\n" for line in SQUEEZED.replace("Layer (type) Output Shape Param #",
                                                                      "Layer (type)        Output Shape   Param #")
                   .replace("dense (Dense) (None, 10) 110", "dense (Dense)       (None, 10)     110")
                   .replace("dense_1 (Dense) (None, 5) 55", "dense_1 (Dense)     (None, 5)      55")
                   .replace("dense_2 (Dense) (None, 1) 6", "dense_2 (Dense)     (None, 1)      6").splitlines())
    audit = audit_of(text)
    assert [r.row.params for r in audit.rows] == [110, 55, 6] and audit.status == "ok"


def test_a_garbled_connected_cell_costs_the_links_not_the_row() -> None:
    text = KERAS3_MASKED.replace("│ bidirectional_3[0… │", "│ bidirectional_3[…] │")
    audit = audit_of(text)
    assert [r.row.name for r in audit.rows][-1] == "dense_5" and audit.totals.status == "ok"
    assert ("bad-connected", "warning") in {(f.code, f.severity) for f in audit.findings}


def test_a_count_cut_at_the_column_edge() -> None:
    """Keras 3 cuts a count wider than its column (`1,001,190,…`): unknown, and the sum only a warning."""
    text = KERAS3_MASKED.replace("│      66,048 │", "│  66,048,00… │")
    audit = audit_of(text)
    bidirectional = audit.rows[3]
    assert bidirectional.row.params is None and bidirectional.expected_params == 66_048
    assert audit.totals.status == "unverified"  # (the sum cannot be checked: a count is not shown whole)
    assert ("count-cut", "warning") in {(f.code, f.severity) for f in audit.findings}


def test_a_header_with_spaces_inside_its_parentheses() -> None:
    text = ("Layer ( type )               Output Shape              Param #   \n" + "=" * 65 + "\n"
            "dense (Dense)                (None, 10)                110       \n" + "=" * 65 + "\n"
            "Total params: 110\n")
    audit = audit_of(text)
    assert [r.row.params for r in audit.rows] == [110] and audit.status == "ok"


def test_a_tensorflow_js_summary() -> None:
    """TensorFlow.js prints shapes as JSON lists (`[null,784]`); the counts are Keras'."""
    text = ("_" * 65 + "\nLayer (type)                 Output shape              Param #   \n" + "=" * 65 + "\n"
            "flatten_Flatten1 (Flatten)   [null,784]                0         \n" + "_" * 65 + "\n"
            "dense_Dense1 (Dense)         [null,42]                 32970     \n" + "_" * 65 + "\n"
            "dense_Dense2 (Dense)         [null,10]                 430       \n" + "=" * 65 + "\n"
            "Total params: 33400\nTrainable params: 33400\nNon-trainable params: 0\n")
    audit = audit_of(text)
    assert [r.row.output_shape for r in audit.rows] == [(None, 784), (None, 42), (None, 10)]
    assert [r.status for r in audit.rows] == ["ok", "ok", "ok"] and audit.status == "ok"


# ---- rows quoted without their header -----------------------------------------------------------

KERAS2_TAIL = ("_" * 65 + "\n"
               "batch_normalization_9 (Batc  (None, 512)               2048      \n" + "_" * 65 + "\n"
               "dropout_4 (Dropout)          (None, 512)               0         \n" + "_" * 65 + "\n"
               "**dense_2 (Dense)              (None, 10)                5130**      \n" + "=" * 65 + "\n"
               "Total params: 1,234,570\nTrainable params: 1,233,546\nNon-trainable params: 1,024\n" + "_" * 65 + "\n")


def codes(audit: Audit) -> set:
    return {(f.code, f.severity) for f in audit.findings}


def test_the_end_of_a_table_quoted_without_its_header() -> None:
    """An issue shows a model's last layers and its totals: the rows are read by the columns
    they line up on, a bold row too, and the sum is only a warning (the rows above are missing)."""
    audit = audit_of("The last layers print as:\n\n" + KERAS2_TAIL)
    assert [(r.row.name, r.row.params, r.status) for r in audit.rows] == [
        ("batch_normalization_9", 2048, "ok"), ("dropout_4", 0, "ok"), ("dense_2", 5130, "ok")]
    assert {("no-header", "warning"), ("rows-elided", "warning")} <= codes(audit)
    assert audit.status == "unverified" and audit.totals.status == "unverified"  # (the rows above are not shown)


def test_words_with_numbers_above_a_headerless_tail_are_set_aside() -> None:
    tail = KERAS2_TAIL.replace("**", "")
    audit = audit_of("(60000, 28, 28, 1) (60000, 10)\n" + tail)
    assert [r.row.name for r in audit.rows] == ["batch_normalization_9", "dropout_4", "dense_2"]
    assert audit.summary.start_line == 3 and audit.status == "unverified"
    two_rows = tail.split("\n", 3)[3]  # fewer than three rows: found from the totals up
    audit = audit_of("(60000, 28, 28, 1) (60000, 10)\n" + two_rows)
    assert [r.row.name for r in audit.rows] == ["dropout_4", "dense_2"]
    assert audit.summary.start_line == 2 and audit.status == "unverified"


def test_a_few_keras1_rows_from_the_middle_of_a_table() -> None:
    """Rows with their links, no header, no totals: read and checked row by row."""
    rule = "_" * 100 + "\n"
    text = rule + rule.join(
        f"{name:<33}{shape:<22}{count:<12}{link:<33}\n" for name, shape, count, link in [
            ("convolution2d_1 (Convolution2D)", "(None, 16, 28, 28)", "160", "convolution2d_input_1[0][0]"),
            ("maxpooling2d_1 (MaxPooling2D)", "(None, 16, 14, 14)", "0", "convolution2d_1[0][0]"),
            ("convolution2d_2 (Convolution2D)", "(None, 8, 14, 14)", "1160", "maxpooling2d_1[0][0]")]) + rule
    audit = audit_of(text)
    assert [r.status for r in audit.rows] == ["ok", "ok", "ok"] and audit.data_format == "channels_first"
    assert audit.rows[2].row.inbound[0].layer == "maxpooling2d_1"
    assert {("no-header", "warning"), ("incomplete-table", "warning")} <= codes(audit)


def test_tf_keras_rows_without_a_header_keep_their_wrapped_cells() -> None:
    """tf_keras wraps a long type and a list of links onto the next lines: found by the columns."""
    blank = " " * 98 + "\n"

    def row(name: str, shape: str, count: str, link: str) -> str:
        return f" {name:<31}{shape:<21}{count:<12}{link:<33}".rstrip().ljust(98) + "\n"

    text = (row("conv5_2_conv (Conv2D)", "(None, 7, 7, 512)", "2359808", "['conv5_1_relu[0][0]']") + blank
            + row("conv5_2_bn (BatchNormalizat", "(None, 7, 7, 512)", "2048", "['conv5_2_conv[0][0]']")
            + row("ion)", "", "", "") + blank
            + row("conv5_add (Add)", "(None, 7, 7, 512)", "0", "['conv5_1_out[0][0]',")
            + row("", "", "", " 'conv5_2_bn[0][0]']") + blank
            + row("avg_pool (GlobalAveragePool", "(None, 512)", "0", "['conv5_add[0][0]']")
            + row("ing2D)", "", "", "") + blank)
    audit = audit_of(text)
    assert [r.row.type for r in audit.rows] == ["Conv2D", "BatchNormalization", "Add", "GlobalAveragePooling2D"]
    assert [ref.layer for ref in audit.rows[2].row.inbound] == ["conv5_1_out", "conv5_2_bn"]
    assert "mismatch" not in {r.status for r in audit.rows}


def test_a_squeezed_functional_table_with_a_link_on_a_line_of_its_own() -> None:
    """Spaces squeezed, header and rules lost; a Concatenate's second link wrapped alone."""
    text = ('Model: "model_1"\n'
            "input_1 (InputLayer) (None, 64, 64, 4) 0\n"
            "conv2d_1 (Conv2D) (None, 64, 64, 16) 592 input_1[0][0]\n"
            "conv2d_2 (Conv2D) (None, 64, 64, 16) 592 input_1[0][0]\n"
            "concatenate_1 (Concatenate) (None, 64, 64, 32) 0 conv2d_1[0][0]\n"
            "conv2d_2[0][0]\n"
            "conv2d_3 (Conv2D) (None, 64, 64, 8) 264 concatenate_1[0][0]\n")
    audit = audit_of(text)
    assert [ref.layer for ref in audit.rows[3].row.inbound] == ["conv2d_1", "conv2d_2"]
    assert [r.status for r in audit.rows] == ["ok"] * 5


def test_a_nested_model_the_paste_ends_inside() -> None:
    """A table cut off among a nested model's layers cannot show they add up: unverified."""
    rule = "_" * 65 + "\n"
    text = (KERAS2_HEADER
            + "vgg (Functional)             (None, 1000)              138357544 \n"
            + "|" + "¯" * 63 + "|\n"
            + "| input_1 (InputLayer)       multiple                  0        |\n"
            + "| block1_conv1 (Conv2D)      (None, 224, 224, 64)      1792     |\n" + rule)
    audit = audit_of(text)
    assert audit.rows[0].status == "unverified" and "cut off" in audit.rows[0].messages[0]
    assert audit.status != "mismatch"


def test_rows_under_a_header_they_do_not_line_up_with_are_read_whole() -> None:
    """A header indented apart from its rows, and no totals: no row is dropped."""
    text = ("    Layer (  type)                   Output   Shape                Param   #   \n" + "=" * 65 + "\n"
            "conv2d ( Conv2D)             ( None, 24, 24, 24)         1176      \n" + "_" * 65 + "\n"
            "max_pooling2d ( MaxPooling2D) ( None, 12, 12, 24)         0        \n" + "_" * 65 + "\n")
    audit = audit_of(text)
    assert [(r.row.name, r.row.params) for r in audit.rows] == [("conv2d", 1176), ("max_pooling2d", 0)]


def test_a_notebook_quoted_as_its_json_strings() -> None:
    """An excerpt of a notebook file (not a whole one): each output string read as its text."""
    import json

    box = keras3_box((24, 20, 10), [[("dense (Dense)", "(None, 10)", "110")], [("dense_1 (Dense)", "(None, 1)", "11")]])
    lines = box.splitlines() + [" Total params: 121 (484.00 B)", " Trainable params: 121 (484.00 B)",
                                " Non-trainable params: 0 (0.00 B)"]
    text = ('      "outputs": [\n        {\n          "name": "stdout",\n          "text": [\n'
            + "".join(f"            {json.dumps(line + chr(10), ensure_ascii=False)},\n" for line in lines)
            + "          ]\n")
    audit = audit_of(text)
    assert [r.row.params for r in audit.rows] == [110, 11] and audit.status == "ok"


def test_words_with_a_few_numbers_are_no_table() -> None:
    text = "We trained conv (Conv2D) (None, 3) 5 once.\nThen (1, 2) 3 and more words.\n"
    assert not summary_audit.parse(text).summaries


def test_line_numbers_glued_to_the_lines() -> None:
    """A page's gutter lost the space after its numbers: `4dense_1 (Dense) ...`."""
    lines = (KERAS2_HEADER + "dense_1 (Dense)              (None, 64)                640       \n" + "_" * 65 + "\n"
             "dense_2 (Dense)              (None, 1)                 65        \n" + "=" * 65 + "\n"
             "Total params: 705\nTrainable params: 705\nNon-trainable params: 0\n").splitlines()
    text = "".join(f"{number}{line}\n" for number, line in enumerate(lines, 1))
    audit = audit_of(text)
    assert [(r.row.name, r.status) for r in audit.rows] == [("dense_1", "ok"), ("dense_2", "ok")]
    assert audit.status == "ok"


def test_underscores_for_empty_cells_in_a_markdown_table() -> None:
    """`_` fills an empty cell; a row of them carries the layer's next reference."""
    text = ("Layer (type)          | Output Shape    | Param #   | Connected to\n"
            "--------------------- | --------------- | --------- | ------------\n"
            "in_0 (InputLayer)     | (None, 8)       | 0         | _\n"
            "in_1 (InputLayer)     | (None, 8)       | 0         | _\n"
            "joined (Concatenate)  | (None, 16)      | 0         | in_0[0][0]\n"
            "_                     | _               | _         | in_1[0][0]\n"
            "dense_1 (Dense)       | (None, 4)       | 68        | joined[0][0]\n"
            "Total params: 68\nTrainable params: 68\nNon-trainable params: 0\n")
    audit = audit_of(text)
    assert [ref.layer for ref in audit.rows[2].row.inbound] == ["in_0", "in_1"]
    assert [r.status for r in audit.rows] == ["ok"] * 4 and audit.status == "ok"


def test_headerless_tables_one_after_another_stay_apart() -> None:
    """Each set of totals takes the rows above it up to the totals before: no table reaches
    back into the one above (nor does the search, which kept long pages linear)."""
    unit = ("d1 (Dense) (None, 3) 12\nd2 (Dense) (None, 3) 12\nd3 (Dense) (None, 3) 12\n"
            "Total params: 36\nTrainable params: 36\nNon-trainable params: 0\n")
    document = summary_audit.parse("x (1\nTotal params: 1 (4.00 B)\n" + unit * 3)
    assert [len(s.rows) for s in document.summaries] == [3, 3, 3]
    assert [s.start_line for s in document.summaries] == [3, 9, 15]
    assert all(summary_audit.audit(s).status == "ok" for s in document.summaries)
