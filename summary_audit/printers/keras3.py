"""Keras 3: box-drawing tables (`┏━┳┓`, `┃ … ┃`), `…` cuts, `└` nesting three places a level,
`0 (unbuilt)`, cells wrapped inside their box. Rich draws the box at the console's width: a
narrow console wraps the header's titles too (`Param` / `#`) and cuts them (`Par…`); a table
wider than the console is cropped at its edge (the right-hand columns lost, the top rule left
open: `┏━━┳━━┳━━`). R keras3 patches rich to draw the same table in ASCII (`+---+`, `|`, `+===+`
under the header; rstudio/keras3 man/roxygen/meta.R)."""

from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

from .base import DELIMITERS, LAYER, ROLES, Printer, TableLines, is_box_header
from .layout import Cutter, Layout, bars_cutter, cropped_bars_cutter

#: the horizontal strokes of rich's boxes (`━` the head's, `─` the body's) and the corners and
#: junctions that join them into one rule (`┏━━┳━━┓`, `┡━━╇━━┩`, `├──┼──┤`, `└──┴──┘`).
BOX_STROKES = "━─"
BOX_JOINS = "┏┳┓┡╇┩├┼┤└┴┘┗┻┛╋┌┬┐"
#: the columns a cropped table may have lost past the console's edge that its rows' reading
#: needs to know were there: their cells are cut.
MAYBE_LOST = ("Param #", "Connected to")
#: what begins the rule rich draws between two rows.
ROW_RULES = frozenset("├")
#: the titles Keras 3 prints, in its order.
TITLES = ("Layer (type)", "Output Shape", "Param #", "Connected to", "Trainable")
#: each box's header: (its top rule's start, its top rule's closing corner, the header's bar,
#: the start of the rule under the header) — rich's HEAVY_HEAD, and R keras3's ASCII_DOUBLE_HEAD.
HEADER_BOXES = (("┏", "┓", "┃", "┡"), ("+-", "+", "|", "+="))
#: what a body rule of R keras3's ASCII box holds (a markdown table's rows hold none).
ASCII_BODY_RULE = "-+-"
#: a nested row's mark in R keras3's manual pages (its knitr hook turns `└` into `>`).
R_NEST_MARK = re.compile(r"^(\s+)> ")
#: how far into a block its box header is looked for.
HEADER_SEARCH = 40


class Keras3(Printer):
    def claims_lines(self, table: TableLines) -> bool:
        return table.delimited and (is_box_header(table.header) or ASCII_BODY_RULE in table.body)

    def layout_for(self, table: TableLines) -> Layout:
        """Rows between rules where the body draws them; a cropped table's header ends without
        its bar (`box_header`): its last column is open (its rows then told apart by the rules
        alone)."""
        roles = tuple(role for role, _ in table.roles)
        ascii_box = ASCII_BODY_RULE in table.body
        ruled = ascii_box or not ROW_RULES.isdisjoint(table.body[:2000])
        closed = table.header.rstrip()[-1:] in "┃│|"
        cut = bars_cutter(table.roles) if closed else cropped_bars_cutter(table.roles)
        return Layout(roles, True, _nested_as_printed(cut) if ascii_box else cut, rows_after_rules=ruled,
                      open_roles=() if closed or not ruled else _open_roles(table))


def cropped_note(layout: Layout) -> str:
    """What a table cropped at the console's edge lost, said once for the table."""
    titles = dict(zip(("layer", "shape", "params", "connected", "trainable"), TITLES))
    lost = ", ".join(titles[ROLES[role]] for role in layout.open_roles)
    return (f"the table is wider than the console that printed it, cut at its edge: {lost} there and past it "
            "read as cut (counts not compared, links unknown)")


def _open_roles(table: TableLines) -> Tuple[int, ...]:
    """The `ROLES` indices of a cropped table's columns at and past the console's edge (their
    titles end in `…`, `box_header`)."""
    header = table.header
    open_at = next((index for index, (_, start) in enumerate(table.roles)
                    if DELIMITERS.split(header[start:], 1)[0].rstrip().endswith("…")), len(table.roles) - 1)
    return tuple(ROLES.index(role) for role, _ in table.roles[open_at:])


def _nested_as_printed(cut: Cutter) -> Cutter:
    """R keras3's manual pages write a nested row's `└` as `>` (`   > dense (Dense)`)."""

    def cells(text: str) -> Optional[Tuple[str, ...]]:
        found = cut(text)
        if found is None or ">" not in found[LAYER]:
            return found
        return (R_NEST_MARK.sub("\\1└ ", found[LAYER], count=1),) + found[LAYER + 1:]

    return cells


KERAS3 = Keras3(format="keras3", layout="box", nest_indent=3, gru_reset_after=True)


def box_header(texts: Sequence[str]) -> Optional[Tuple[int, int, str]]:
    """Keras 3's header as one line, when rich wrapped its titles onto several lines, cut one
    (`Par…`, `T…`) or cropped the table at the console's edge: (first line, last line, the
    header with whole titles, left open — no closing bar — where the table was cropped). None
    for a header printed whole on one line."""
    for index, text in enumerate(texts[:HEADER_SEARCH]):
        top = text.lstrip()
        for start, corner, bar, under in HEADER_BOXES:
            if top.startswith(start) and index + 1 < len(texts) and texts[index + 1].lstrip().startswith(bar):
                found = _joined_header(texts, index, top.rstrip().endswith(corner), bar, under)
                if found is not None:
                    return found
    return None


def _joined_header(texts: Sequence[str], top: int, closed: bool, bar: str,
                   under: str) -> Optional[Tuple[int, int, str]]:
    end = top + 1
    while end < len(texts) and texts[end].lstrip().startswith(bar):
        end += 1
    if end >= len(texts) or not texts[end].lstrip().startswith(under):
        return None
    stacked = [_header_cells(texts[i], bar) for i in range(top + 1, end)]
    width = max(len(cells) for cells in stacked)
    titles = [" ".join(cells[column].strip() for cells in stacked if column < len(cells) and cells[column].strip())
              for column in range(width)]
    cropped = not closed
    whole = _whole_titles(titles, cropped)
    if whole is None or (len(stacked) == 1 and whole == titles and not cropped):
        return None
    indent = texts[top + 1][:len(texts[top + 1]) - len(texts[top + 1].lstrip())]
    return top + 1, end - 1, indent + bar + " " + f" {bar} ".join(whole) + ("" if cropped else f" {bar}")


def _header_cells(text: str, bar: str) -> List[str]:
    """A header line's cells; a line cropped right after a bar keeps the blank cell it opened."""
    pieces = text.lstrip().split(bar)[1:]
    if pieces and not pieces[-1] and text.endswith(bar):
        del pieces[-1]
    return pieces


def _whole_titles(titles: List[str], cropped: bool) -> Optional[List[str]]:
    """Each title as Keras 3 prints it whole (a cut one is the prefix of the next in `TITLES`).
    A cropped table's open title, and the titles that may be lost past its edge, end in `…`
    (`Keras3.layout_for` reads their cells as cut). None: not Keras 3's titles."""
    whole: List[str] = []
    at = 0
    for position, title in enumerate(titles):
        open_end = cropped and position == len(titles) - 1
        found = next((i for i in range(at, len(TITLES)) if _fits(title, TITLES[i], open_end)), None)
        if found is None:
            if open_end and not title:
                break  # (the crop left only the cell's first space)
            return None
        whole.append(TITLES[found] + ("…" if open_end else ""))
        at = found + 1
    if cropped:  # (a count past the edge is cut; links past it leave the rows' inputs unknown)
        whole.extend(title + "…" for title in MAYBE_LOST if TITLES.index(title) >= at)
    return whole


def _fits(printed: str, title: str, open_end: bool) -> bool:
    """A title as rich printed it: whole, or its words cut with `…` (`Par… #`, `T…`), or cut
    off at the console's edge (`open_end`: `Connect`)."""
    words, whole = printed.split(), title.split()
    if not words or len(words) > len(whole) or (len(words) < len(whole) and not open_end
                                                and not words[-1].endswith("…")):
        return False
    for index, (word, full) in enumerate(zip(words, whole)):
        last = index == len(words) - 1
        if word != full and not (word.endswith("…") and full.startswith(word[:-1])) and \
                not (last and open_end and full.startswith(word)):
            return False
    return True
