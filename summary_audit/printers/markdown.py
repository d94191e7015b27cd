"""A markdown table (`| Layer (type) | Output Shape | Param # |`, outer bars optional): the
cells a page converted into one, whatever printed them first."""

from __future__ import annotations

from .base import Printer, TableLines


class Markdown(Printer):
    def claims_lines(self, table: TableLines) -> bool:
        return table.delimited


MARKDOWN = Markdown(format="unknown", layout="bars", nest_indent=3)
