"""tf.keras 2.7–2.15 and tf_keras: blank lines between rows, cells wrapped mid-word onto the
lines below (`block_14_expand (Co` / `nv2D)`), `[(None, 28, 28, 1)]`, `|` frames around nested
rows, totals with byte sizes (`(688.50 KB)`, `0 (0.00 Byte)`)."""

from __future__ import annotations

from .base import Printer, TableLines, TableRows


class TfKeras(Printer):
    def claims_lines(self, table: TableLines) -> bool:
        return not table.delimited  # the columns layout that wraps: what a ruled one is not


def has_tf_keras_marks(table: TableRows) -> bool:
    """Wrapped cells, byte sizes, or the indented header with blank lines between rows."""
    lines = table.lines
    return table.wrapped or "Byte)" in lines.body or \
        (lines.header.startswith(" ") and any(not line.strip(" |┃│") for line in lines.body.split("\n")))


TF_KERAS = TfKeras(format="keras2-wrapped", layout="columns", wraps_names=True, joiner="", gru_reset_after=True,
                   rebuild_with="tf_keras")
