"""Keras 0.x/1.x: Keras 2's ruled layout, but `Connected to` for Sequential models too, its own
class names (`Convolution2D`, `Merge`) and inputs named after their first layer
(`convolution2d_input_1[0][0]`); GRU without `reset_after`."""

from __future__ import annotations

import re

from .base import Printer, TableRows
from .keras2 import KERAS2

KERAS1_INPUT_LINK = re.compile(r"_input_\d+\[\d+\]\[\d+\]")


class Keras1(Printer):
    """Told from Keras 2 only by its rows: the two share a layout."""

    def claims_rows(self, table: TableRows) -> bool:
        if "Connected" not in table.lines.header or not KERAS2.claims_rows(table):
            return False
        from ..layers import REGISTRY  # (the registry knows the old spellings)

        if any(REGISTRY.is_legacy_spelling(name) for name in {row.type for row in table.rows}):
            return True
        return KERAS1_INPUT_LINK.search(" ".join([ref.text for row in table.rows for ref in row.inbound])) is not None


KERAS1 = Keras1(format="keras1", layout="columns", gru_reset_after=False, names_every_source=False)
