"""Which printer printed a table: told in one place, in one order.

Each module of this package declares one printer (`base.Printer`): Keras 3's box tables, a
markdown table, TensorFlow.js, Keras 1, Keras 2's ruled layout, tf.keras 2.7+ / tf_keras's
wrapped one. A table is told first by its lines (`for_lines`: the header and the body, before any row is
read), which sets how its lines are cut; printers sharing a layout are then told apart by the
rows read (`for_rows`: Keras 1 from Keras 2 by its class names and links, tf_keras from a Keras 2
paste that lost its rules by its wrapped cells and byte sizes). Adding a printer is a module here
and a place in `PRINTERS`.
"""

from __future__ import annotations

from typing import Dict, Tuple

from .base import (COLUMN_TITLES, CONNECTED, DELIMITERS, INPUT, LAYER, PARAMS, ROLES, SHAPE, TRAINABLE, Printer,
                   TableLines, TableRows, is_rule_between_rows)
from .keras1 import KERAS1
from .keras2 import KERAS2
from .keras3 import KERAS3
from .layout import Layout, header_roles, is_delimited, layout_of
from .markdown import MARKDOWN
from .tfjs import TFJS
from .tf_keras import TF_KERAS

#: every printer, in the order they are asked: the first that claims a table printed it.
PRINTERS: Tuple[Printer, ...] = (KERAS3, MARKDOWN, TFJS, KERAS1, KERAS2, TF_KERAS)
BY_FORMAT: Dict[str, Printer] = {printer.format: printer for printer in PRINTERS}
#: what a live model of each library prints (`live.py`).
BY_LIBRARY: Dict[str, Printer] = {"keras": KERAS3, "tf_keras": TF_KERAS}


def table_lines(header: str, body: str, collapsed: bool = False) -> TableLines:
    """What the printers are told by before the rows are read (made once a table)."""
    delimited = is_delimited(header, collapsed)
    return TableLines(header, header_roles(header), delimited, body, not delimited and is_rule_between_rows(body))


def for_lines(table: TableLines) -> Printer:
    """The printer of a table told by its lines: the first of `PRINTERS` that claims them."""
    return next(printer for printer in PRINTERS if printer.claims_lines(table))


def for_rows(printer: Printer, table: TableRows) -> Printer:
    """The printer of a table once its rows are read: the first of the printers sharing the
    layout `printer` was told by that claims the rows."""
    return next((other for other in PRINTERS if other.layout == printer.layout and other.claims_rows(table)), printer)


def by_format(format: str) -> Printer:
    """The printer a report's format names (`MARKDOWN` for `unknown`)."""
    return BY_FORMAT.get(format, MARKDOWN)


__all__ = ["COLUMN_TITLES", "CONNECTED", "DELIMITERS", "INPUT", "LAYER", "PARAMS", "ROLES", "SHAPE", "TRAINABLE",
           "Printer", "TableLines", "TableRows", "Layout", "layout_of", "PRINTERS", "BY_FORMAT", "BY_LIBRARY", "for_lines",
           "for_rows", "by_format", "table_lines", "KERAS1", "KERAS2", "KERAS3", "MARKDOWN", "TFJS", "TF_KERAS"]
