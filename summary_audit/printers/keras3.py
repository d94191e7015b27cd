"""Keras 3: box-drawing tables (`┏━┳┓`, `┃ … ┃`), `…` cuts, `└` nesting three places a level,
`0 (unbuilt)`, cells wrapped inside their box."""

from __future__ import annotations

from .base import Printer, TableLines, is_box_header

#: the horizontal strokes of rich's boxes (`━` the head's, `─` the body's) and the corners and
#: junctions that join them into one rule (`┏━━┳━━┓`, `┡━━╇━━┩`, `├──┼──┤`, `└──┴──┘`).
BOX_STROKES = "━─"
BOX_JOINS = "┏┳┓┡╇┩├┼┤└┴┘┗┻┛╋┌┬┐"


class Keras3(Printer):
    def claims_lines(self, table: TableLines) -> bool:
        return table.delimited and is_box_header(table.header)


KERAS3 = Keras3(format="keras3", layout="box", nest_indent=3, gru_reset_after=True)
