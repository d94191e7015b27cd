"""TensorFlow.js (`model.summary()` in a browser console or Node): Keras 2's ruled layout with
shapes written as JSON lists (`[null,784]`, the batch also as `batch_size`), generated names that
carry the class (`dense_Dense1`), an `Input Shape` column and `Receives inputs` in newer versions."""

from __future__ import annotations

import re

from .base import Printer, TableLines, TableRows

#: a shape as TensorFlow.js writes it: a JSON list opening on the batch.
JSON_SHAPE = re.compile(r"\[\[?(?:null|batch_size|batch|BS|\d+),")


class TfJs(Printer):
    def claims_lines(self, table: TableLines) -> bool:
        return not table.delimited and "[" in table.body and JSON_SHAPE.search(table.body) is not None

    def claims_rows(self, table: TableRows) -> bool:
        return self.claims_lines(table.lines)


TFJS = TfJs(format="tfjs", layout="columns")
