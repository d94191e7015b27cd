"""Text → numbered lines: the lines worth reading in a document, each with its line number
in the input.

A Jupyter notebook yields its cells' outputs and markdown (numbered where each string stands
in the file); a notebook excerpt that is not a whole notebook (its JSON strings quoted line by
line) the texts of those strings; an HTML page its text, tags dropped and entities undone; a
captured terminal log its text without the colours.
"""

from __future__ import annotations

import re
from itertools import count, repeat
from typing import Iterator, List, Optional, Sequence, Tuple

from .lines import Line, new_line
from .markup import html_lines

HTML_HINT = re.compile(r"<(?:pre|code|html|body|div|p|br|span|table|td)\b[^>]*>", re.I)


def document_lines(text: str) -> Tuple[List[Line], Optional[str]]:
    """The lines worth reading in a document, numbered as in the input.

    A Jupyter notebook yields its cells' outputs and markdown; an HTML page its text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:  # a terminal's colours, kept in a captured log
        text = ANSI_ESCAPE.sub("", text)
    stripped = text.lstrip()
    if stripped.startswith("{") and '"cells"' in text[:200000]:
        notebook = _notebook_lines(text)
        if notebook is not None:
            return notebook, "notebook"
    if HTML_HINT.search(text[:200000]):
        return html_lines(text), "html"
    raw = text.split("\n")
    lines = list(map(new_line, zip(count(1), raw, repeat(False))))
    if "\\" in text and '\\n"' in text and len(JSON_STRING_LINE.findall(text, 0, 200000)) >= 3:
        return _json_string_lines(lines), "notebook"
    return lines, None


#: a line of a notebook's JSON, quoted from the file itself rather than opened: `"│ dense … │\n",`
JSON_STRING_LINE = re.compile(r'^[ \t]*"((?:[^"\\\n]|\\.)*\\n)",?[ \t]*$', re.M)


def _json_string_lines(lines: List[Line]) -> List[Line]:
    """A notebook excerpt that is not a whole notebook (its JSON cannot be opened): each line
    holding one output string is read as the text of that string."""
    import json  # only notebooks need it: kept off the start-up path

    decoded = []
    for line in lines:
        match = JSON_STRING_LINE.fullmatch(line.text) if '"' in line.text else None
        if match is not None:
            try:
                text = json.loads('"' + match.group(1) + '"').rstrip("\n")
            except ValueError:
                text = line.text
            line = line._replace(text=ANSI_ESCAPE.sub("", text) if "\x1b" in text else text)
        decoded.append(line)
    return decoded


#: a terminal escape sequence (colours, bold: `\x1b[1m`), as rich writes them.
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|\x1b[@-Z\\-_]")

def _notebook_lines(text: str) -> Optional[List[Line]]:
    try:
        import json  # only notebooks need it: kept off the start-up path

        notebook = json.loads(text)
    except ValueError:
        return None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return None
    locator = _JsonLineLocator(text.split("\n"))
    lines: List[Line] = []
    for cell in notebook["cells"]:
        if not isinstance(cell, dict):
            continue
        for chunk in _notebook_texts(cell):
            for piece in "".join(chunk).split("\n"):
                # Keras 3 prints through rich, whose colours a notebook keeps in its text/plain
                text = ANSI_ESCAPE.sub("", piece) if "\x1b" in piece else piece
                lines.append(Line(locator.find(piece), text))
            lines.append(Line(locator.last, ""))
    return lines


def _notebook_texts(cell: dict) -> Iterator[List[str]]:
    if cell.get("cell_type") == "markdown":
        yield _as_list(cell.get("source"))
    for output in cell.get("outputs") or []:
        if not isinstance(output, dict):
            continue
        if "text" in output:
            yield _as_list(output["text"])
        data = output.get("data")
        if isinstance(data, dict) and "text/plain" in data:
            yield _as_list(data["text/plain"])


def _as_list(value: object) -> List[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class _JsonLineLocator:
    """Finds the physical line of a notebook string, scanning forward as cells are read."""

    def __init__(self, raw_lines: Sequence[str]) -> None:
        self.raw_lines = raw_lines
        self.last = 1

    def find(self, piece: str) -> int:
        if not piece.strip():
            return self.last
        import json

        needle = json.dumps(piece.rstrip("\n"), ensure_ascii=False)[1:-1]
        ascii_needle = json.dumps(piece.rstrip("\n"))[1:-1]
        for index in range(self.last - 1, min(len(self.raw_lines), self.last + 5000)):
            raw = self.raw_lines[index]
            if needle in raw or ascii_needle in raw:
                self.last = index + 1
                return self.last
        return self.last
