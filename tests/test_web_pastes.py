"""Spellings found in summaries pasted in public issue threads (the tables as printed; the
threads' words are not kept): each once misread or falsely flagged."""

from __future__ import annotations

import summary_audit
from summary_audit.model import Audit

KERAS1_HEADER = ("Layer (type)                     Output Shape          Param #     Connected to                     \n"
                 + "=" * 100 + "\n")
KERAS2_HEADER = ("_" * 65 + "\nLayer (type)                 Output Shape              Param #   \n" + "=" * 65 + "\n")


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
    widths = (44, 37, 15)
    rule = "├" + "┼".join("─" * w for w in widths) + "┤\n"

    def row(name: str) -> str:
        return f"│ {name:<42} │ {'?':<35} │ {'0 (unbuilt)':>13} │\n"

    text = ("┏" + "┳".join("━" * w for w in widths) + "┓\n"
            + f"┃ {'Layer (type)':<42} ┃ {'Output Shape':<35} ┃ {'Param #':>13} ┃\n"
            + "┡" + "╇".join("━" * w for w in widths) + "┩\n"
            + row("dense_6 (Dense)") + rule + row("dense_7 (Dense)")
            + "└" + "┴".join("─" * w for w in widths) + "┘\n"
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
