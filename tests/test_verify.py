"""Verification: the seed derivations come out exactly, wrong numbers are caught each on its
own line, and the formulas that changed between Keras versions are told apart."""

from __future__ import annotations

import summary_audit
from conftest import FIXTURES, seed
from summary_audit.model import Audit

SEED000 = (FIXTURES / "samples" / "seed000_keras2.txt").read_text(encoding="utf-8")


def audit_of(text: str) -> Audit:
    [summary] = summary_audit.parse(text).summaries
    return summary_audit.audit(summary)


def test_seed_000_derivations() -> None:
    audit = audit_of(seed("000").decode("utf-8"))
    assert audit.status == "ok" and all(r.status == "ok" for r in audit.rows)
    weighted = [(r.expected_params, r.explanation) for r in audit.rows if r.expected_params]
    assert weighted == [
        (896, "(3*3*3 + 1) * 32 = 896"), (18496, "(3*3*32 + 1) * 64 = 18,496"),
        (73856, "(3*3*64 + 1) * 128 = 73,856"), (147584, "(3*3*128 + 1) * 128 = 147,584"),
        (3211776, "6,272*512 + 512 = 3,211,776"), (513, "512*1 + 1 = 513")]
    first = audit.rows[0]
    assert first.inferred["kernel_size"] == (3, 3) and first.inferred["use_bias"] is True
    assert first.inferred["input_shape"] == (None, 150, 150, 3)
    flatten = next(r for r in audit.rows if r.row.layer_class == "Flatten")
    assert "7*7*128 = 6,272" in (flatten.explanation or "")
    assert audit.totals.status == "ok" and audit.totals.expected_total == 3_453_121


def test_seed_001_derivations() -> None:
    audit = audit_of(seed("001").decode("utf-8"))
    assert audit.status == "ok"
    assert [r.expected_params for r in audit.rows if r.expected_params] == [320, 18496, 36928, 36928, 650]
    assert audit.rows[0].explanation == "(3*3*1 + 1) * 32 = 320"
    assert audit.rows[-1].explanation == "64*10 + 10 = 650"


def test_seed_003_channels_first() -> None:
    first, second = [summary_audit.audit(s) for s in summary_audit.parse(seed("003")).summaries]
    assert first.data_format == second.data_format == "channels_first"
    assert (first.rows[0].expected_params, first.rows[0].explanation) == (140, "(3*3*3 + 1) * 5 = 140")
    assert (second.rows[0].expected_params, second.rows[0].explanation) == (164, "(2*2*2*5 + 1) * 4 = 164")
    assert second.rows[0].inferred["input_shape"] == (None, 5, 4, 10, 10)


def test_a_wrong_param_a_wrong_total_and_an_impossible_shape_each_on_its_line() -> None:
    lines = SEED000.splitlines()
    param_line = next(i for i, l in enumerate(lines) if l.startswith("conv2d_10"))
    shape_line = next(i for i, l in enumerate(lines) if l.startswith("max_pooling2d_11"))
    total_line = next(i for i, l in enumerate(lines) if l.startswith("Total params"))
    lines[param_line] = lines[param_line].replace("18496", "18469")
    lines[shape_line] = lines[shape_line].replace("(None, 17, 17, 128)", "(None, 18, 17, 128)")
    lines[total_line] = "Total params: 3,453,999"
    audit = audit_of("\n".join(lines))
    by_code = {(f.code, f.line) for f in audit.findings if f.severity == "error"}
    assert ("param-mismatch", param_line + 1) in by_code
    assert ("shape-mismatch", shape_line + 1) in by_code
    assert ("total-mismatch", total_line + 1) in by_code
    wrong = next(r for r in audit.rows if r.row.line == param_line + 1)
    assert wrong.status == "mismatch" and "printed 18,469; (3*3*32 + 1) * 64 = 18,496" in wrong.messages
    assert audit.status == "mismatch"



def _seed000_with(param: str, total: str) -> Audit:
    """Seed 000 as Keras printed it, conv2d_10's Param # and the three totals lines edited."""
    lines = SEED000.splitlines()
    row = next(i for i, l in enumerate(lines) if l.startswith("conv2d_10"))
    lines[row] = lines[row].replace("18496", param)
    for i, line in enumerate(lines):
        if line.startswith(("Total params", "Trainable params")):
            lines[i] = line.split(":")[0] + ": " + total
    return audit_of("\n".join(lines))


def test_a_row_typo_under_a_correct_total_blames_the_row_only() -> None:
    """The total Keras printed is the sum of the true counts: it is right, the row is wrong."""
    audit = _seed000_with("18469", "3,453,121")
    assert [r.row.name for r in audit.rows if r.status == "mismatch"] == ["conv2d_10"]
    assert audit.totals.status == "ok" and audit.totals.expected_total == 3_453_121
    assert not [f for f in audit.findings if f.code == "total-mismatch"]


def test_a_total_adjusted_to_a_row_typo_blames_the_row_only() -> None:
    """Someone edited a row and its total alike: the one wrong number is the row's."""
    audit = _seed000_with("18469", f"{3_453_121 - 27:,}")
    assert [r.row.name for r in audit.rows if r.status == "mismatch"] == ["conv2d_10"]
    assert audit.totals.status == "ok"


def test_a_total_that_fits_no_sum_names_the_re_derived_one() -> None:
    audit = _seed000_with("18469", "3,453,999")
    [finding] = [f for f in audit.findings if f.code == "total-mismatch"]
    assert "re-derived, add up to 3,453,121 (as printed, 3,453,094)" in finding.message
    assert audit.totals.expected_total == 3_453_121 and audit.totals.expected_trainable == 3_453_121


GRU_KERAS2 = """\
_________________________________________________________________
Layer (type)                 Output Shape              Param #
=================================================================
gru_1 (GRU)                  (None, 5)                 {params}
=================================================================
Total params: {params}
Trainable params: {params}
Non-trainable params: 0
_________________________________________________________________
"""


def test_gru_formula_of_each_generation() -> None:
    """GRU(5) on 4 features: 150 without reset_after (Keras 2.0-2.3), 165 with it (TF 2)."""
    text = "Model: \"m\"\n" + GRU_KERAS2
    text = text.replace("gru_1 (GRU)                  (None, 5)",
                        "input_1 (InputLayer)         [(None, 7, 4)]            0\n"
                        "_________________________________________________________________\n"
                        "gru_1 (GRU)                  (None, 5)")
    old = audit_of(text.format(params=150))
    new = audit_of(text.format(params=165))
    old_row, new_row = old.rows[-1], new.rows[-1]
    assert old_row.status == new_row.status == "ok"
    assert old_row.inferred["reset_after"] is False and new_row.inferred["reset_after"] is True
    assert old_row.explanation == "3 * ((4 + 5) * 5 + 5) = 150"
    assert new_row.explanation == "3 * ((4 + 5) * 5 + 5 + 5) = 165"
    assert any("Keras 2.0-2.3" in m for m in old_row.messages)


def test_keras3_optimizer_params_and_byte_sizes() -> None:
    text = (FIXTURES / "samples" / "keras3_functional_variants.txt").read_text(encoding="utf-8")
    audit = summary_audit.audit(summary_audit.parse(text).summaries[1])
    assert audit.totals.status == "ok"
    assert not [f for f in audit.findings if f.code == "size-mismatch"]
    trained = text.replace(" Total params: 64,257 (251.00 KB)", " Total params: 192,773 (753.02 KB)") \
        .replace(" Non-trainable params: 64 (256.00 B)", " Non-trainable params: 64 (256.00 B)\n"
                 " Optimizer params: 128,516 (502.02 KB)")
    audit = summary_audit.audit(summary_audit.parse(trained).summaries[1])
    assert audit.summary.totals.optimizer == 128_516
    assert audit.totals.status == "ok" and audit.totals.expected_total == 192_773
    halved = text.replace("Trainable params: 64,193 (250.75 KB)", "Trainable params: 64,193 (125.38 KB)")
    audit = summary_audit.audit(summary_audit.parse(halved).summaries[1])
    [size] = [f for f in audit.findings if f.code == "size-mismatch"]
    assert "float16" in size.message


def test_batch_normalization_is_half_untrained() -> None:
    text = (FIXTURES / "samples" / "keras3_functional_variants.txt").read_text(encoding="utf-8")
    audit = summary_audit.audit(summary_audit.parse(text).summaries[1])
    norm = next(r for r in audit.rows if (r.row.layer_class or "").startswith("BatchNormalization"))
    assert (norm.trainable_params, norm.non_trainable_params) == (64, 64)
    assert audit.totals.expected_non_trainable == 64


def test_a_stale_trainable_line_is_a_warning_not_a_mismatch() -> None:
    text = SEED000.replace("Trainable params: 3,453,121", "Trainable params: 3,452,608") \
        .replace("Non-trainable params: 0", "Non-trainable params: 513")
    audit = audit_of(text)
    assert audit.status == "ok"
    [warning] = [f for f in audit.findings if f.code == "non-trainable-unexplained"]
    assert warning.severity == "warning" and "513" in warning.message


def test_unknown_layer_is_unverified_with_a_suggestion() -> None:
    text = SEED000.replace("dense_6 (Dense)    ", "dense_6 (Densely)  ")
    audit = audit_of(text)
    row = audit.rows[-1]
    assert row.status == "unverified" and "did you mean Dense?" in row.messages[0]


def test_a_type_a_letter_off_one_class_is_read_as_it_and_must_fit() -> None:
    text = SEED000.replace("dense_6 (Dense)  ", "dense_6 (Dence)  ")
    row = audit_of(text).rows[-1]
    assert row.row.layer_class == "Dense" and [r.kind for r in row.row.repairs] == ["type-misread"]
    assert row.status == "ok" and row.expected_params == 513  # (512*1 + 1: the count fits Dense)
    wrong = audit_of(text.replace("513", "514")).rows[-1]
    assert wrong.status == "unverified" and wrong.messages[0].startswith("not checked: read with repairs")


SHARED = """Model: "shared"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to          ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━┩
│ left (InputLayer)   │ (None, 8)         │          0 │ -                     │
├─────────────────────┼───────────────────┼────────────┼───────────────────────┤
│ right (InputLayer)  │ (None, {right})   │          0 │ -                     │
├─────────────────────┼───────────────────┼────────────┼───────────────────────┤
│ shared (Dense)      │ (None, 8)         │         72 │ left[0][0],           │
│                     │                   │            │ right[0][0]           │
├─────────────────────┼───────────────────┼────────────┼───────────────────────┤
│ add (Add)           │ (None, 8)         │          0 │ shared[0][0],         │
│                     │                   │            │ shared[1][0]          │
└─────────────────────┴───────────────────┴────────────┴───────────────────────┘
 Total params: 72 (288.00 B)
 Trainable params: 72 (288.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def test_a_shared_layer_fits_every_call_with_one_set_of_weights() -> None:
    assert audit_of(SHARED.format(right=8)).status == "ok"
    audit = audit_of(SHARED.format(right=10))
    status = {r.row.name: r.status for r in audit.rows}
    assert status == {"left": "ok", "right": "mismatch", "shared": "mismatch", "add": "ok"}
    shared = next(r for r in audit.rows if r.row.name == "shared")
    assert "call 2" in shared.messages[0] and "(None, 10)" in shared.messages[0] and "88" in shared.messages[0]


NESTED = """Model: "outer"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ input_layer_7 (InputLayer)      │ (None, {outer_in})             │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ inner_functional (Functional)   │ (None, {inner_out})              │           172 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│    └ input_layer_6 (InputLayer) │ (None, 16)             │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│    └ dense_7 (Dense)            │ (None, 8)              │           136 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│    └ dense_6 (Dense)            │ (None, 4)              │            36 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_8 (Dense)                 │ (None, 2)              │            10 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 182 (728.00 B)
 Trainable params: 182 (728.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def nested(outer_in: int, inner_out: int) -> str:
    return NESTED.replace("{outer_in})     ", f"{outer_in})" + " " * (7 - len(str(outer_in)))).replace(
        "{inner_out})      ", f"{inner_out})" + " " * (8 - len(str(inner_out))))


def test_a_nested_model_ends_with_its_last_layer_and_starts_with_its_input_layer() -> None:
    assert audit_of(nested(16, 4)).status == "ok"
    audit = audit_of(nested(16, 5))
    inner = next(r for r in audit.rows if r.row.name == "inner_functional")
    assert inner.status == "mismatch" and inner.expected_shape == (None, 4)
    audit = audit_of(nested(15, 4))
    status = {r.row.name: r.status for r in audit.rows if r.status != "ok"}
    assert status == {"input_layer_7": "mismatch", "inner_functional": "mismatch"}
    inner = next(r for r in audit.rows if r.row.name == "inner_functional")
    assert "input_layer_6 (line 9) takes (None, 16)" in inner.messages[0]


CHAIN = """Model: "chain"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ input_layer (InputLayer)        │ (None, 12, 12, 64)     │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ expand (Conv2D)                 │ {expand:<22} │         4,160 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ expand_bn (BatchNormalization)  │ (None, 12, 12, 64)     │           256 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 4,416 (17.25 KB)
 Trainable params: 4,288 (16.75 KB)
 Non-trainable params: 128 (512.00 B)
"""


def test_an_unusual_reading_that_breaks_the_next_row_is_blamed_on_the_printed_shape() -> None:
    """(None, 12, 11, 64) fits 4,160 only as a grouped 1x2 kernel... which square grouped
    kernels rule out; (None, 11, 12, 64) needs a 2x1 kernel with bias off and 65 channels:
    either way the usual 1x1 reading gives what the BatchNormalization below prints."""
    assert audit_of(CHAIN.format(expand="(None, 12, 12, 64)")).status == "ok"
    audit = audit_of(CHAIN.format(expand="(None, 11, 12, 64)"))
    expand = next(r for r in audit.rows if r.row.name == "expand")
    assert expand.status == "mismatch"
    assert any("(None, 12, 12, 64)" in m for m in expand.messages)


def _seed000_shape(old: str, new: str) -> Audit:
    return audit_of(SEED000.replace(old, new, 1))


def test_a_channel_typo_in_a_conv_shape_blames_that_cell_only() -> None:
    """conv2d_10 printed 46 channels for 64: its count (18,496 = (3*3*32 + 1) * 64) and the
    pooling row after it (64 channels) agree on 64 — one wrong cell, not two wrong rows."""
    audit = _seed000_shape("(None, 72, 72, 64)  ", "(None, 72, 72, 46)  ")
    [wrong] = [r for r in audit.rows if r.status == "mismatch"]
    assert wrong.row.name == "conv2d_10" and wrong.expected_shape == (None, 72, 72, 64)
    assert wrong.expected_params == 18496 and [f.code for f in audit.findings if f.severity == "error"] == \
        ["shape-mismatch"]


def test_a_dense_width_typo_blames_that_dense_only() -> None:
    audit = _seed000_shape("(None, 512)  ", "(None, 521)  ")
    [wrong] = [r for r in audit.rows if r.status == "mismatch"]
    assert wrong.row.name == "dense_5" and wrong.expected_shape == (None, 512)
    assert audit.totals.status == "ok"


def test_a_pooled_size_typo_blames_the_pooling_row_only() -> None:
    audit = _seed000_shape("(None, 36, 36, 64)", "(None, 63, 36, 64)")
    assert [r.row.name for r in audit.rows if r.status == "mismatch"] == ["max_pooling2d_10"]


def test_rows_left_out_leave_the_totals_unverified_not_expected_otherwise() -> None:
    """A paste that elides rows with `...`: the rows shown need not add up, so the totals are
    neither wrong nor 'expected' to be the shown rows' sum — they cannot be checked."""
    lines = SEED000.splitlines()
    first = next(i for i, l in enumerate(lines) if l.startswith("conv2d_11"))
    last = next(i for i, l in enumerate(lines) if l.startswith("flatten_3"))
    audit = audit_of("\n".join(lines[:first] + ["..."] + lines[last:]))
    assert audit.totals.status == "unverified" and audit.totals.expected_total is None
    assert not [f for f in audit.findings if f.severity == "error"]
    assert all(r.status != "mismatch" for r in audit.rows)
