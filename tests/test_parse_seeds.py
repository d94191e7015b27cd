"""The seed pages' tables parse as they stand in their files, prose around them and all."""

from __future__ import annotations

import summary_audit
from conftest import seed


def test_seed_000_one_summary_of_ten_rows() -> None:
    document = summary_audit.parse(seed("000"))
    assert not document.errors
    [summary] = document.summaries
    assert summary.model_name == "sequential_3"
    assert summary.format == "keras2"
    assert len(summary.rows) == 11
    names = [row.name for row in summary.rows]
    assert names[0] == "conv2d_9" and names[-1] == "dense_6"
    assert summary.totals is not None and summary.totals.total == 3_453_121
    assert summary.totals.trainable == 3_453_121 and summary.totals.non_trainable == 0
    pooling = summary.rows[1]
    assert pooling.type == "MaxPooling2" and pooling.layer_class == "MaxPooling2D"
    assert pooling.output_shape == (None, 74, 74, 32)
    assert [row.params for row in summary.rows if row.type == "Conv2D"] == [896, 18496, 73856, 147584]


def test_seed_001_collapsed_onto_one_line_with_comments() -> None:
    document = summary_audit.parse(seed("001"))
    [summary] = document.summaries
    assert len(summary.rows) == 8
    assert summary.totals is not None and summary.totals.total == 93_322
    assert [row.params for row in summary.rows] == [320, 0, 18496, 0, 36928, 0, 36928, 650]
    assert summary.rows[5].output_shape == (None, 576)
    assert {row.line for row in summary.rows} == {summary.start_line}


def test_seed_003_two_summaries_through_question_marks() -> None:
    document = summary_audit.parse(seed("003"))
    first, second = document.summaries
    assert [(r.name, r.layer_class, r.output_shape, r.params) for r in first.rows] == [
        ("conv2d_1", "Conv2D", (None, 5, 8, 8), 140)]
    assert [(r.name, r.layer_class, r.output_shape, r.params) for r in second.rows] == [
        ("conv3d_1", "Conv3D", (None, 4, 3, 9, 9), 164)]
    assert first.totals is not None and first.totals.total == 140
    assert second.totals is not None and second.totals.total == 164
    assert first.end_line < second.start_line


def test_seeds_without_a_table_say_so_with_a_place() -> None:
    for prefix in ("002", "004"):
        document = summary_audit.parse(seed(prefix))
        assert document.summaries == ()
        [error] = document.errors
        assert error.line is not None and error.column is not None
        assert "no model summary" in error.message
