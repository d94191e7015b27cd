"""Keras 2.0–2.6 and tf.keras up to TF 2.6: a `____` rule between rows, cells cut at the column
edge without a mark (`(MaxPooling2`, `(None, 148, 148, 3`), GRU's formula either way."""

from __future__ import annotations

from .base import Printer, TableLines, TableRows
from .tf_keras import has_tf_keras_marks


class Keras2(Printer):
    def claims_lines(self, table: TableLines) -> bool:
        return table.ruled

    def claims_rows(self, table: TableRows) -> bool:
        """Ruled; or, its rules lost in a paste, without tf_keras' marks."""
        return table.lines.ruled or not has_tf_keras_marks(table)


KERAS2 = Keras2(format="keras2", layout="columns", rebuild_with="tf_keras")
