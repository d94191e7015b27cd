"""Bytes or text → lines with their original line numbers → candidate table blocks.

Everything a paste suffers on its way from a terminal to a blog, a forum or a notebook is
undone here, before the grammar sees a cell: encodings, non-breaking and ideographic
spaces, spaces turned into `?`, Keras 3 box characters turned into `?` by a cp1252 console,
quote prefixes, HTML tags and entities, notebook JSON, a whole table collapsed onto one line
with `#` comments inside it, lines hard-wrapped by a narrow terminal.
"""

from __future__ import annotations

import codecs
import html
import re
from functools import partial
from itertools import count, repeat
from operator import itemgetter
from typing import Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from .errors import SummaryAuditError
from .model import record

MAX_INPUT_BYTES = 50 * 1024 * 1024

#: characters that stand for a space in pastes (NBSP, ideographic space, thin spaces, ...).
SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                                    "\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
SPACE_LIKE.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None))
HAS_SPACE_LIKE = re.compile("[" + "".join(chr(code) for code in SPACE_LIKE) + "]")

RULE_CHARS = "_=━─═-¯┏┓┗┛┡┩┳┻╇╋┌┐└┘├┤┬┴┼+|┃│:~ "
#: a markdown table's |---|--:| line (written so that no stretch of spaces can be split two
#: ways: a line of spaces must not cost quadratic time).
MARKDOWN_RULE = r"^(?:\s*\|)?\s*:?-{3,}:?\s*\|(?:\s*:?-{3,}:?\s*\|)*(?:\s*:?-{3,}:?\s*)?$"
#: a line drawn with rule characters only, with a run of five or more somewhere; or a
#: markdown table's rule. `is_rule_line` answers the same, faster.
RULE_LINE = re.compile(r"^(?=.*([_=━─═\-¯~])\1{4,})[" + re.escape(RULE_CHARS) + r"]+$|" + MARKDOWN_RULE)
_MARKDOWN_RULE = re.compile(MARKDOWN_RULE)
_RULE_RUNS = tuple(ch * 5 for ch in "_=━─═-¯~")


def is_rule_line(text: str) -> bool:
    """`RULE_LINE.match(text)`, without a regular expression for the common case."""
    if text and not text.strip(RULE_CHARS) and "\n" not in text:
        for run in _RULE_RUNS:
            if run in text:
                return True
    return "---" in text and "|" in text and _MARKDOWN_RULE.match(text) is not None


HEADER_LINE = re.compile(r"Layer\s*\(\s*type\s*\)|Layer\s{2,}Output\s+Shape")
TOTALS_LINE = re.compile(r"(?:Total|Trainable|Non-trainable|Optimizer)\s+params\s*:")
MODEL_LINE = re.compile(r"^\s*Model\s*:")
FENCE_LINE = re.compile(r"^\s*(```|~~~)")
#: where a collapsed table's lines were glued together.
COLLAPSE_SPLIT = re.compile(r"([_=━─]{8,})|(?=(?:Total|Trainable|Non-trainable|Optimizer)\s+params\s*:)"
                            r"|(?=\bModel\s*:)|(?=Layer\s*\(\s*type\s*\))")
QUOTE_PREFIX = re.compile(r"^\s*(?:>\s?)+")
HTML_HINT = re.compile(r"<(?:pre|code|html|body|div|p|br|span|table|td)\b[^>]*>", re.I)
HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
HTML_TAG = re.compile(r"<[^<>]{0,2000}>")


class Line(NamedTuple):
    """A line of text ready for the layout pass, tied to where it stands in the input
    (a named tuple: documents have many lines, and tuples are cheap to make)."""

    number: int
    text: str
    #: cut out of a line that held a whole collapsed table: its column positions mean nothing.
    collapsed: bool = False


class Page(NamedTuple):
    """A document's cleaned lines, and their texts joined by newlines (made once: what the
    block finder searches through at C speed, and cuts each block's text from)."""

    lines: List[Line]
    text: str


@record
class Block:
    """The lines of one candidate table, from its `Model:` line (or header) to its totals."""

    lines: Tuple[Line, ...]
    origin: Optional[str] = None
    #: rows and totals with no header above them: the end of a table, quoted without its top.
    headerless: bool = False

    def __init__(self, lines: Tuple[Line, ...], origin: Optional[str] = None, headerless: bool = False) -> None:
        state = self.__dict__  # (filled key by key: instances keep sharing their keys)
        state["lines"] = lines
        state["origin"] = origin
        state["headerless"] = headerless


# ---- bytes → text --------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Decode a paste whatever code page it was saved in; refuse binary data."""
    if len(data) > MAX_INPUT_BYTES:
        raise SummaryAuditError(f"input is {len(data):,} bytes, over the {MAX_INPUT_BYTES:,}-byte limit", 1, 1)
    text = _decode_text(data)
    controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\t\n\r\f\x1b")
    if controls > max(2, len(text[:65536]) // 100):
        line, column = _first_binary_position(text)
        raise SummaryAuditError("binary data, not text: nothing to read as a summary", line, column)
    return text


def _decode_text(data: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    utf16 = _sniff_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _sniff_utf16(data: bytes) -> Optional[str]:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / max(len(sample) // 2, 1)
    odd_zeros = sample[1::2].count(0) / max(len(sample) // 2, 1)
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _first_binary_position(text: str) -> Tuple[int, int]:
    for index, ch in enumerate(text[:65536]):
        if ch < " " and ch not in "\t\n\r\f\x1b":
            before = text[:index]
            return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1
    return 1, 1


def _decode_legacy(data: bytes) -> str:
    """GB18030 (Chinese pages) or Windows-1251 (Russian pages), whichever reads as text."""
    candidates = []
    for encoding in ("gb18030", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text, encoding), encoding, text))
    if not candidates:
        raise SummaryAuditError("cannot decode the input: not UTF-8, UTF-16, GB18030 or Windows-1251", 1, 1)
    return max(candidates)[2]


def _plausibility(text: str, encoding: str) -> float:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    letters = cjk if encoding == "gb18030" else cyrillic
    return letters / max(len(text), 1)


# ---- documents → lines -----------------------------------------------------------------------


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
    raw = text.split("\n")
    if HTML_HINT.search(text[:200000]):
        return list(_html_lines(raw)), "html"
    lines = list(map(_NEW_LINE, zip(count(1), raw, repeat(False))))
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

#: `Line._make` without its Python frame (a long paste has a line per row or two).
_NEW_LINE = partial(tuple.__new__, Line)
_TEXT = itemgetter(1)


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


def _html_lines(raw: Sequence[str]) -> Iterator[Line]:
    in_tag = False
    for number, line in enumerate(raw, start=1):
        if in_tag:
            end = line.find(">")
            if end < 0:
                yield Line(number, "")
                continue
            line, in_tag = line[end + 1:], False
        for piece in HTML_BREAK.split(line):
            piece = HTML_TAG.sub("", piece)
            start = piece.find("<")
            if start >= 0 and ">" not in piece[start:] and re.match(r"<[A-Za-z/!]", piece[start:]):
                piece, in_tag = piece[:start], True
            yield Line(number, html.unescape(piece))


# ---- lines → cleaned lines ---------------------------------------------------------------------


def clean_lines(lines: Iterable[Line]) -> Page:
    """Space look-alikes to spaces, quote prefixes and line numbers off, collapsed tables split apart."""
    lines = _strip_line_numbers(list(lines))
    texts = list(map(_TEXT, lines))
    whole = "\n".join(texts)
    if "Layer" in whole and _has_prefixed_header(whole):
        lines = _strip_line_prefixes(lines)
        texts = list(map(_TEXT, lines))
        whole = "\n".join(texts)  # (what the checks below look at: the marks are gone, `#> ` among them)
    # (a word of two characters is looked for behind its first alone: a search for one
    # character runs many times faster over a long text, and most pastes hold none)
    if "\t" not in whole and ">" not in whole and ("*" not in whole or "**" not in whole) \
            and (whole.isascii() or not _has_space_like(whole)) and max(map(len, texts), default=0) <= 120:
        return Page(lines, whole)  # nothing below would change a line (checked at once over the whole text)
    cleaned: List[Line] = []
    for line in lines:
        text = line.text
        if not text.isascii() and HAS_SPACE_LIKE.search(text):
            text = text.translate(SPACE_LIKE)
        if "\t" in text:
            text = text.expandtabs(8)
        if ">" in text and text[:1] in (">", " ") and text.lstrip().startswith(">"):
            text = QUOTE_PREFIX.sub("", text)
        if "**" in text and ("params" in text or _may_be_row(text)):
            # a markdown page's bold: `**Total params:** 1,234`, a row or a count stressed (`**5130**`)
            text = text.replace("**", "")
        if len(text) > 120:
            cleaned.extend(_expand_collapsed(Line(line.number, text, line.collapsed)))
        else:
            cleaned.append(line if text is line.text else Line(line.number, text, line.collapsed))
    return Page(cleaned, joined_texts(cleaned))


def _has_space_like(text: str) -> bool:
    """`HAS_SPACE_LIKE.search(text)` over a whole paste: a substring search per character is
    twice as fast as a character class over a long non-ASCII text (a Keras 3 box table)."""
    return any(chr(code) in text for code in SPACE_LIKE)


#: a header behind the marks a page put before every line of a table: a comment (`# `, `## `
#: in R's knitr output, `#> ` in reprex's, `// `, `% `), a list item (`- `, `* `).
LINE_MARK = r"[ \t]*(?:#{1,6}>?|//|%{1,2}|;{1,2}|[-*])"
LINE_PREFIX = re.compile(LINE_MARK + r"[ \t]?")
#: what may stand before a marked header's `Layer`: the mark, spaces, a box or markdown bar.
HEADER_PREFIX = re.compile(LINE_MARK + r"[ \t]*(?:[┃│|][ \t]*)?")


def _has_prefixed_header(whole: str) -> bool:
    """A header behind such marks, looked for where `Layer` stands (a few places), not by a
    search from every line start (a long table's lines of spaces made that the slowest pass)."""
    start = whole.find("Layer")
    while start >= 0:
        line_start = whole.rfind("\n", 0, start) + 1
        if start - line_start <= 40 and HEADER_PREFIX.fullmatch(whole, line_start, start):
            return True
        start = whole.find("Layer", start + 5)
    return False


def _strip_line_prefixes(lines: List[Line]) -> List[Line]:
    """Take the marks off each table whose every line carries the same one, from its header
    up and down to the first line without it (the columns keep their places)."""
    stripped = list(lines)
    for index, line in enumerate(lines):
        match = LINE_PREFIX.match(line.text)
        if match is None or not line.text[match.end():].lstrip("┃│| ").startswith("Layer"):
            continue
        prefix = match.group()
        bare = prefix.rstrip()
        for other in _same_prefix_run(lines, index, prefix, bare):
            text = lines[other].text
            stripped[other] = lines[other]._replace(text=text[len(prefix):] if text.startswith(prefix) else "")
    return stripped


def _same_prefix_run(lines: List[Line], index: int, prefix: str, bare: str) -> List[int]:
    """The lines around `index` that start with `prefix`, or are the prefix alone or nothing:
    blank lines inside the table, with or without their mark (tf_keras puts one between rows)."""
    def carries(i: int) -> bool:
        text = lines[i].text
        return text.startswith(prefix) or text.rstrip() in (bare, "")

    start = index
    while start > 0 and carries(start - 1):
        start -= 1
    end = index
    while end + 1 < len(lines) and carries(end + 1):
        end += 1
    return list(range(start, end + 1))


#: the `└` of a nested row, turned into `?` with the other box characters.
NESTED_MARK_LOST = re.compile(r"^(\s*│\s+)\? ")
#: (or glued to the line, `4dense_1 (Dense)`, when a page's gutter lost its separator)
LINE_NUMBER = re.compile(r"^\s*(\d{1,6})(?:[:|.)]\s?|\s|(?=[^\d\s.,:)|]))")


def _strip_line_numbers(lines: List[Line]) -> List[Line]:
    """A listing pasted with its line numbers (`  12 conv2d (Conv2D) ...`): when most lines
    carry a number that counts up with the line, take the numbers off."""
    opening = list(filter(None, map(str.lstrip, map(_TEXT, lines))))  # (C loops: a long table's every line)
    numbered = sum(map(str.isdecimal, map(itemgetter(0), opening)))
    if numbered < 3 or numbered < 0.6 * len(opening):
        return lines  # too few lines open on a digit for any offset to count
    offsets: dict = {}
    filled = 0
    for line in lines:
        text = line.text.lstrip()
        if not text:
            continue
        filled += 1
        if not text[0].isdecimal():  # LINE_NUMBER's `^\s*\d`, without the regex
            continue
        match = LINE_NUMBER.match(line.text)
        if match:
            offset = int(match.group(1)) - line.number
            offsets[offset] = offsets.get(offset, 0) + 1
    if not offsets or filled < 5:
        return lines
    offset, count = max(offsets.items(), key=lambda item: item[1])
    if count < 0.6 * filled:
        return lines
    stripped = []
    for line in lines:
        match = LINE_NUMBER.match(line.text)
        if match and int(match.group(1)) - line.number == offset:
            line = line._replace(text=line.text[match.end():])
        stripped.append(line)
    return stripped


def _expand_collapsed(line: Line) -> List[Line]:
    """A whole table on one line: cut it where its lines were glued, drop `#` comments."""
    text = line.text
    landmarks = len(COLLAPSE_SPLIT.findall(text)) if len(text) > 120 else 0
    if landmarks < 3:
        return [line]
    pieces: List[str] = []
    last = 0
    for match in COLLAPSE_SPLIT.finditer(text):
        pieces.append(text[last:match.start()])
        if match.group(1):
            pieces.append(match.group(1))
        last = match.end()
    pieces.append(text[last:])
    return [Line(line.number, strip_comment(piece).strip(), collapsed=True)
            for piece in pieces if piece.strip()]


def strip_comment(text: str) -> str:
    """Drop an inline `# ...` remark, but keep the `#` of the `Param #` header."""
    for match in COMMENT_START.finditer(text):
        end = match.start()  # `Param` then white space up to here keeps the `#`
        while end >= 0 and text[end].isspace():
            end -= 1
        if not text.endswith("Param", 0, end + 1):
            return text[:match.start()]
    return text


COMMENT_START = re.compile(r"\s#")


# ---- cleaned lines → blocks ---------------------------------------------------------------------


def find_blocks(page: Page, origin: Optional[str] = None) -> List[Block]:
    """Every stretch of lines that holds one table, each from its header to its totals."""
    lines, text = page
    headers = [(i, at) for i, at in _lines_holding(text, "Layer") if _is_header(lines[i].text)]
    blocks: List[Block] = []
    spans: List[Tuple[int, int]] = []
    for k, (header, at) in enumerate(headers):
        start = _block_start(lines, header, blocks[-1] if blocks else None)
        limit, limit_at = headers[k + 1] if k + 1 < len(headers) else (len(lines), len(text) + 1)
        first, first_at = _first_line_holding(text, header, at, limit, limit_at, BLOCK_END_WORDS)
        end = _block_end(lines, header, limit, first)
        # (the block's text is cut from the page's, not joined again)
        start_at = _line_start(text, header, at, start)
        end_at = limit_at if end == limit else _line_start(text, first, first_at, end)
        block_lines = repair_block(list(lines[start:end]), text[start_at:end_at - 1])
        blocks.append(Block(lines=tuple(block_lines), origin=origin))
        spans.append((start, end))
    tails = [(span, Block(lines=tuple(repair_block(list(lines[span[0]:span[1]]))), origin=origin, headerless=True))
             for span in _headerless_spans(lines, spans)]
    if not tails:
        return blocks
    return [block for _, block in sorted(list(zip(spans, blocks)) + tails, key=lambda item: item[0])]


def _lines_holding(joined: str, word: str) -> List[Tuple[int, int]]:
    """The indexes of the lines that hold `word`, found in the lines joined (`joined_texts`),
    and where each starts there: a long table holds its header's words, or a `#`, on one
    line or a few."""
    found: List[Tuple[int, int]] = []
    line, searched = 0, 0
    position = joined.find(word)
    while position >= 0:
        line += joined.count("\n", searched, position)
        found.append((line, joined.rfind("\n", 0, position) + 1))
        searched = joined.find("\n", position)
        if searched < 0:
            break
        position = joined.find(word, searched)
    return found


def _headerless_spans(lines: Sequence[Line], spans: Sequence[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Rows outside every table, without a header: the end of a table quoted with its totals
    (an issue showing a model's last layers), reaching back from the totals over rules, blank
    lines and lines holding a number; or a run of at least three lines that read like rows
    (a few layers from the middle of a table)."""
    found: List[Tuple[int, int]] = []
    bounds = [0] + [i for span in spans for i in span] + [len(lines)]
    for low, high in zip(bounds[::2], bounds[1::2]):
        i = floor = low  # (no reaching back above `floor`: what a totals line or a table ended)
        while i < high:
            text = lines[i].text
            if "params" in text and TOTALS_LINE.search(text):
                start = _rows_above(lines, i, floor)
                end = _block_end(lines, start - 1, high) if start < i else i + 1
                if start < i < end and any(_may_be_row(lines[k].text) for k in range(start, i)):
                    found.append((start, end))
                floor = max(end, i + 1)
            elif len(text) <= MAX_ROW_LIKE and ROW_LIKE.match(text):
                end, rows = _row_run(lines, i, high)
                if rows >= 3 and end > i:
                    found.append((i, end))
                    floor = end
            else:
                end = i + 1
            i = max(end, i + 1)
    return found


def _row_run(lines: Sequence[Line], start: int, high: int) -> Tuple[int, int]:
    """Where a run of rows that starts at `start` ends (rules, blank lines and a wrapped
    cell's indented lines may stand between them), and how many rows it holds; totals
    below it end it there, with the totals in it."""
    end, rows, blanks = start, 0, 0
    for j in range(start, high):
        text = lines[j].text
        if "params" in text and TOTALS_LINE.search(text):
            return _block_end(lines, start - 1, high), max(rows, 3)
        if len(text) <= MAX_ROW_LIKE and ROW_LIKE.match(text):
            end, rows, blanks = j + 1, rows + 1, 0
        elif not text.strip():
            blanks += 1
            if blanks == 3:
                break
        elif is_rule_line(text) or text[:1] in " \t|" or LINKS_ONLY.fullmatch(text):
            # a rule, a wrapped cell's piece, a nested frame, a row's next reference
            if end == j and rows:
                end = j + 1  # (the last row's wrapped pieces belong to it)
        else:
            break
    return end, rows


#: a line that reads like a row, for rows that came without a header to say where its cells
#: are: a name with its type, a shape, a count, maybe references (used only to find the rows
#: and their columns; the grammar reads them). Bounded repeats: linear on any line.
ROW_LIKE = re.compile(r"[ \t│┃|]{0,40}(?P<name>[^\s()│┃|]{1,200}) ?\([A-Za-z][\w.…]{0,80}\)?"
                      r"[ \t│┃|]{1,80}(?P<shape>\[?\((?:None|\d)[^()\[\]\n]{0,200}\)?"
                      r"(?:, ?\((?:None|\d)[^()\[\]\n]{0,200}\)?){0,20}\]?,?|multiple)"
                      r"[ \t│┃|]{1,80}(?P<count>\d[\d,]{0,40})"
                      r"(?:[ \t│┃|]{1,80}(?P<links>\[\]|\[?'?[^\s\[\]',]{1,200}\[\d{1,9}\]\[\d{1,9}\].*))?"
                      r"[ \t│┃|]*$")
MAX_ROW_LIKE = 1000
#: a line of `Connected to` references alone (`leaky_re_lu_3[0][0]`, `'add_1[0][0]']`).
LINKS_ONLY = re.compile(r"[ \t]*(?:\[?'?[^\s\[\]',()]+\[\d{1,9}\]\[\d{1,9}\]'?\]?,?[ \t]*)+")


def _rows_above(lines: Sequence[Line], totals: int, floor: int) -> int:
    """Where the rows above a totals line begin: up over lines that may be rows, rules and
    blank lines, to a line of words, or three blank lines in a row."""
    start, blanks = totals, 0
    while start > floor:
        text = lines[start - 1].text
        if not text.strip():
            blanks += 1
            if blanks == 3:
                break
        elif is_rule_line(text) or _may_be_row(text):
            blanks = 0
        else:
            break
        start -= 1
    while start < totals and not lines[start].text.strip():
        start += 1
    return start


def may_hold_a_row(text: str) -> bool:
    """A row holds its count: a line without a digit is not given to the grammar (a page of
    words under a squeezed header would cost a parse a line)."""
    return any(ch.isdigit() for ch in text)


def _may_be_row(text: str) -> bool:
    """A row holds a number (its count) and a parenthesis (its type or its shape)."""
    return "(" in text and may_hold_a_row(text)


def _is_header(text: str) -> bool:
    if "Layer" not in text:
        return False
    return bool(HEADER_LINE.search(text.replace("?", " ")))


def _block_start(lines: Sequence[Line], header: int, previous: Optional[Block]) -> int:
    """Reach back from the header over rules and blank lines to a `Model:` line."""
    floor = 0
    if previous is not None and previous.lines:
        last_number = previous.lines[-1].number
        floor = next((i + 1 for i in range(header - 1, -1, -1) if lines[i].number <= last_number
                      and lines[i] is previous.lines[-1]), 0)
    start = header
    for i in range(header - 1, max(floor, header - 6) - 1, -1):
        text = lines[i].text.replace("?", " ").strip()
        if MODEL_LINE.match(lines[i].text):
            return i
        if text and not is_rule_line(lines[i].text.replace("?", "━")):
            break
        start = i
    return start


def _block_end(lines: Sequence[Line], header: int, limit: int, first: Optional[int] = None) -> int:
    """After the last totals line, or before the next table, a fence or a `Model:` line
    (`first`: the first line below the header holding one of `BLOCK_END_WORDS`, if known)."""
    seen_totals = False
    if first is None:
        first = _first_holding(lines, header + 1, limit, BLOCK_END_WORDS)
    for i in range(first, limit):
        text = lines[i].text
        if "params" in text and TOTALS_LINE.search(text):
            seen_totals = True
            continue
        if seen_totals:
            if is_rule_line(text) or not text.strip():
                continue
            return i
        if ("```" in text or "~~~" in text) and FENCE_LINE.match(text) and not _totals_follow(lines, i + 1, limit) \
                or "Model" in text and MODEL_LINE.match(text):
            return i
    return limit


#: what a line that can end a block holds (a totals line, a fence's first character, a
#: `Model:` line). (A fence is looked for by one character: a search for a single character
#: is many times faster than one for a word of a repeated character.)
BLOCK_END_WORDS = ("params", "`", "~", "Model")


def joined_texts(lines: Sequence[Line]) -> str:
    """The lines' texts as one string: what a substring search looks through at C speed,
    rather than a Python loop over a long table's lines."""
    return "\n".join(map(_TEXT, lines))


def _first_holding(lines: Sequence[Line], start: int, limit: int, words: Sequence[str]) -> int:
    """The first line from `start` that holds one of `words` (`limit` if none). Searched a
    stretch at a time, each twice the last: what is near costs little (headerless tables
    one after another would otherwise each join the rest of the page), a long table O(n)."""
    stretch = 64
    while start < limit:
        stop = min(limit, start + stretch)
        joined = joined_texts(lines[start:stop])
        found = [position for position in map(joined.find, words) if position >= 0]
        if found:
            return start + joined.count("\n", 0, min(found))
        start, stretch = stop, stretch * 2
    return limit


def _first_line_holding(text: str, header: int, at: int, limit: int, limit_at: int, words: Sequence[str]
                        ) -> Tuple[int, int]:
    """`_first_holding` over a page's text: the first line below the header (whose line
    starts at `at`) and above line `limit` (at `limit_at`) that holds one of `words`, and
    where it starts; `(limit, limit_at)` if none does."""
    below = text.find("\n", at) + 1
    if not below or below >= limit_at:
        return limit, limit_at
    found = [position for position in (text.find(word, below, limit_at - 1) for word in words) if position >= 0]
    if not found:
        return limit, limit_at
    position = min(found)
    return header + 1 + text.count("\n", below, position), text.rfind("\n", 0, position) + 1


def _line_start(text: str, known: int, known_at: int, index: int) -> int:
    """Where line `index` starts in a page's text, stepped to from line `known` (starting at
    `known_at`), a few lines away."""
    at = known_at
    for _ in range(index, known):
        at = text.rfind("\n", 0, at - 1) + 1
    for _ in range(known, index):
        at = text.find("\n", at) + 1
    return at


def _totals_follow(lines: Sequence[Line], start: int, limit: int) -> bool:
    """A fence closed too early (a page that put the box in a code block, its totals below)."""
    for i in range(start, min(start + 3, limit)):
        text = lines[i].text
        if text.strip():
            return "params" in text and TOTALS_LINE.search(text) is not None
    return False


# ---- per-block repairs -------------------------------------------------------------------------


def repair_block(lines: List[Line], whole: Optional[str] = None) -> List[Line]:
    """Undo damage that only shows across a whole table: `?` for spaces or box characters,
    hard wraps at a terminal's width, inline comments (`whole`: the lines' texts joined, if
    known)."""
    if whole is None:
        whole = joined_texts(lines)
    repaired = _repair_question_marks(lines) if "?" in whole and "??" in whole else lines
    repaired = _undo_double_spacing(repaired)
    if _may_be_hard_wrapped(joined_texts(repaired[:HARD_WRAP_PROBE])):
        repaired = _rejoin_hard_wraps(repaired)
    if "#" not in whole:  # (the repairs above never add one)
        return list(repaired)
    # only the lines holding a `#` (a table's header, `Param #`, often alone) are looked at
    commented = list(repaired)
    for index, _ in _lines_holding(whole if repaired is lines else joined_texts(repaired), "#"):
        commented[index] = commented[index]._replace(text=strip_comment(commented[index].text))
    return commented


def _repair_question_marks(lines: List[Line]) -> List[Line]:
    if not any("??" in line.text for line in lines):
        return lines
    header = next((line for line in lines if _is_header(line.text)), None)
    if header is not None and header.text.lstrip().startswith("?") and header.text.rstrip().endswith("?"):
        return _box_from_question_marks(lines, header)
    return [line._replace(text=line.text.replace("?", " ")) for line in lines]


def _box_from_question_marks(lines: List[Line], header: Line) -> List[Line]:
    """A Keras 3 box table printed to a cp1252 console: every box character became `?`."""
    bars = [i for i, ch in enumerate(header.text) if ch == "?"]
    repaired = []
    for line in lines:
        text = line.text
        if re.fullmatch(r"\s*\?{5,}\s*", text):
            text = text.replace("?", "─")
        else:
            chars = list(text)
            for i in bars:
                if i < len(chars) and chars[i] == "?":
                    chars[i] = "│"
            text = NESTED_MARK_LOST.sub(r"\1└ ", "".join(chars))
        repaired.append(line._replace(text=text))
    return repaired


def _undo_double_spacing(lines: List[Line]) -> List[Line]:
    """A blog that put a blank line after every line of the table (seed 003): drop one blank
    after each line, so that a wrapped row's lines stand together again. Tables printed with
    blank lines of their own (tf_keras) always have some lines side by side (header, rules)."""
    filled: List[bool] = []
    for line in lines:  # two filled lines side by side (met within a few lines): nothing to undo
        current = bool(line.text.strip())
        if current and filled and filled[-1]:
            return lines
        filled.append(current)
    if sum(filled) < 5:
        return lines
    kept: List[Line] = []
    for index, line in enumerate(lines):
        if not filled[index] and index > 0 and filled[index - 1]:
            continue
        kept.append(line)
    return kept


#: how many of a block's first lines show whether a terminal broke its lines: it breaks every
#: line wider than itself, the header's rule among them.
HARD_WRAP_PROBE = 16


def _may_be_hard_wrapped(text: str) -> bool:
    """A rule line broken at a terminal's width leaves its last character at the start of the
    next line: a few substring searches over the block, not a loop over its lines."""
    return any(f"{ch}\n{ch}" in text for ch in "_=━─┓┩┤┘")


def _rejoin_hard_wraps(lines: List[Line]) -> List[Line]:
    """A terminal narrower than the table broke every long line at the same width."""
    width = _wrap_width(lines)
    if width is None:
        return lines
    joined: List[Line] = []
    carry: Optional[Line] = None
    for line in lines:
        if carry is not None:
            line = carry._replace(text=carry.text + line.text)
            carry = None
        if len(line.text) == width:
            carry = line
            continue
        joined.append(line)
    if carry is not None:
        joined.append(carry)
    return joined


def _wrap_width(lines: Sequence[Line]) -> Optional[int]:
    for line, following in zip(lines, lines[1:]):
        text, rest = line.text, following.text
        if len(text) >= 40 and text[-1] in "_=━─┓┩┤┘" and rest[:1] == text[-1] and rest == rest.strip() \
                and len(set(rest)) == 1 and is_rule_line(text):
            width = len(text)
            if sum(1 for other in lines if len(other.text) == width) >= 2:
                return width
    return None
