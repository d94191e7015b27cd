"""An HTML page → its text as numbered lines, the way a browser would lay it out line by line.

Tags are dropped and entities undone; a block element (`<p>`, `<div>`, `<br>`, a `<span>` drawn
as a line, `<tr>`, ...) ends a line even when the page put the whole table on one line of its
source; `<script>` and `<style>` hold no text a reader sees; and a table row of two cells or more
(`<tr><td>…</td><td>…</td></tr>`, however its source is spread over lines) becomes one
markdown-like line, `| dense (Dense) | (None, 10) | 110 |`, numbered where its first cell's text
stands. Text inside `<pre>` and between tags keeps its spaces: the columns of a summary pasted
into a page stay where they were.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import List, Optional, Tuple

from .lines import Line

#: what a `<hr>` is read as: a rule line.
DRAWN_RULE = "_" * 20
#: the elements a browser starts on a line of their own (and ends one after).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "title", "tr", "ul"})
#: what a reader never sees as text.
HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript"})
#: a `<span>` that a page draws as a line of its own (code highlighters wrap each line in one).
LINE_SPAN = re.compile(r"(?:^|[\s-])(?:line|ln)(?:$|[\s-])|display\s*:\s*block", re.I)
#: inside a row's cells: elements that make the row a layout of its own (not one line of cells).
NESTED_BLOCKS = BLOCK_TAGS - {"td", "th", "tr", "tbody", "thead", "tfoot", "caption"}


class _Row:
    """A table row being read: its cells' texts, where its lines begin in the page's lines."""

    __slots__ = ("start", "depth", "cells", "number", "simple")

    def __init__(self, start: int, depth: int) -> None:
        self.start = start
        self.depth = depth
        self.cells: List[List[str]] = []
        self.number: Optional[int] = None
        self.simple = True


class _PageText(HTMLParser):
    """Collects a page's lines (`lines`) as the parser walks its tags and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: List[Line] = []
        self._buffer: List[str] = []
        self._number = 1
        #: the current source line was ended by a tag: its newline adds no blank line.
        self._broken = False
        self._hidden = 0
        self._tables = 0
        self._rows: List[_Row] = []
        #: the open `<span>`s: whether each is drawn as a line.
        self._spans: List[bool] = []

    # ---- the parser's events

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        elif tag == "br":
            self._line_break()
        elif tag == "hr":
            self._rule()
        elif tag == "span":
            self._spans.append(_drawn_as_line(attrs))
            if self._spans[-1]:
                self._flush(by_tag=True)
        elif tag in BLOCK_TAGS:
            self._block(tag, opening=True)

    def handle_startendtag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        if tag == "br":
            self._line_break()
        elif tag == "hr":
            self._rule()
        elif tag in BLOCK_TAGS:
            self._flush(by_tag=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag == "span":
            if self._spans and self._spans.pop():
                self._flush(by_tag=True)
        elif tag in BLOCK_TAGS:
            self._block(tag, opening=False)

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        first_line = self.getpos()[0]
        row = self._rows[-1] if self._rows else None
        if row is not None and row.cells:
            row.cells[-1].append(data)
            if row.number is None and data.strip():
                row.number = first_line + data[:len(data) - len(data.lstrip())].count("\n")
        for index, piece in enumerate(data.split("\n")):
            if index:
                self._newline(first_line + index - 1)
            if piece:
                if not self._buffer:
                    self._number = first_line + index
                self._buffer.append(piece)

    def close(self) -> None:
        super().close()
        while self._rows:
            self._end_row()
        # the text after the last newline is a line of its own, even blank (as a text file's)
        text = "".join(self._buffer)
        self.lines.append(Line(self._number if text.strip() else self.getpos()[0], text))

    # ---- lines

    def _newline(self, number: int) -> None:
        """A newline in the page's text: the line ends (a blank one counts, unless a tag ended
        the line it closes)."""
        text = "".join(self._buffer)
        if text.strip() or not self._broken:
            self.lines.append(Line(self._number if text else number, text))
        self._buffer.clear()
        self._broken = False

    def _flush(self, by_tag: bool) -> None:
        text = "".join(self._buffer)
        if text.strip():
            self.lines.append(Line(self._number, text))
        self._buffer.clear()
        self._broken = self._broken or by_tag

    def _line_break(self) -> None:
        row = self._rows[-1] if self._rows else None
        if row is not None and row.cells:
            row.cells[-1].append(" ")
        text = "".join(self._buffer)
        self.lines.append(Line(self._number if text else self.getpos()[0], text))
        self._buffer.clear()
        self._broken = True

    def _rule(self) -> None:
        """`<hr>`: the line a browser draws (a page's editor made one of a printed `____` rule)."""
        self._flush(by_tag=True)
        self.lines.append(Line(self.getpos()[0], DRAWN_RULE))

    # ---- tables

    def _block(self, tag: str, opening: bool) -> None:
        self._flush(by_tag=True)
        if tag == "table":
            if opening:
                self._tables += 1
                for row in self._rows:
                    row.simple = False
            else:
                while self._rows and self._rows[-1].depth >= self._tables:
                    self._end_row()
                self._tables = max(0, self._tables - 1)
        elif tag == "tr":
            if self._rows and self._rows[-1].depth == self._tables:
                self._end_row()  # (a row left open: HTML lets `</tr>` be omitted)
            if opening:
                self._rows.append(_Row(len(self.lines), self._tables))
        elif tag in ("td", "th"):
            if opening and self._rows:
                self._rows[-1].cells.append([])
        elif tag in NESTED_BLOCKS and self._rows:
            self._rows[-1].simple = False

    def _end_row(self) -> None:
        """A row of two cells or more, without blocks inside, as one line of cells."""
        self._flush(by_tag=True)
        row = self._rows.pop()
        cells = [" ".join("".join(cell).split()) for cell in row.cells]
        if row.simple and len(cells) >= 2 and any(cells):
            number = row.number if row.number is not None else (
                self.lines[row.start].number if row.start < len(self.lines) else self.getpos()[0])
            del self.lines[row.start:]
            self.lines.append(Line(number, "| " + " | ".join(cells) + " |"))


def _drawn_as_line(attrs: List[Tuple[str, Optional[str]]]) -> bool:
    return any(name in ("class", "style") and value and LINE_SPAN.search(value) for name, value in attrs)


def html_lines(text: str) -> List[Line]:
    """The page's text, line by line, numbered as in the page's source."""
    parser = _PageText()
    parser.feed(text)
    parser.close()
    return parser.lines
