"""Paste repairs: each kind of damage a table suffers on its way from a terminal to a blog, a
forum or a notebook is one `Repair` in `REPAIRS` — its kind, its scope, its trigger, its fix.

Scopes, run in this order:
- ``page``: over all the document's lines (line numbers, a mark before every line);
- ``line``: each line on its own (space look-alikes, tabs, quote prefixes, markdown bold, a
  whole table collapsed onto one line);
- ``block``: over one table's lines, once the block finder has cut them out (`?` for spaces or
  box characters, double spacing, hard wraps at a terminal's width, inline `#` comments).

A `Trigger` says what a text must hold for its repair to have anything to do: substrings
that must all be there, characters one of which must be, a line wider than some width (the
cheap parts: what a line holds, the whole page holds too), then a finer `test` on the text
the repair works on. "Nothing to repair on this page" is the line repairs' cheap parts
checked once over the whole page (at C speed), so a new entry is looked for without anything
else to change, and on a page where something is, only the entries whose cheap part held
there are tried on each line.

Each repair that changed something is recorded as an `AppliedRepair(kind, line)` per line it
changed, on the `Page` and on each `Block` it touched.
"""

from __future__ import annotations

import re
from collections import Counter
from operator import itemgetter
from typing import Callable, Iterable, List, Optional, Sequence, Tuple, Union

from ..printers.keras3 import BOX_JOINS, BOX_STROKES
from .lines import (FENCE_LINE, TOTALS_LINE, AppliedRepair, Line, Page, is_header, is_rule_line, joined_texts, lines_holding,
                    may_be_row, text_of)


class _Declaration:
    """A frozen declaration with slots: a class statement costs next to nothing at import,
    where a NamedTuple or a dataclass costs a quarter of a millisecond or more each."""

    __slots__: Tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot assign to {name!r}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__ if not name.startswith("_"))
        return f"{type(self).__name__}({shown})"


class Trigger(_Declaration):
    """What a text must hold for a repair to have anything to do. The cheap parts first, in
    the order given — a single character before a word of two (a search for one character
    runs many times faster over a long text, and most pastes hold none)."""

    __slots__ = ("needles", "any_of", "wider_than", "test", "head", "_ascii_free")

    needles: Tuple[str, ...]
    any_of: Tuple[str, ...]
    wider_than: int
    test: Optional[Callable[[str], bool]]
    head: int

    def __init__(self, needles: Tuple[str, ...] = (), any_of: Iterable[str] = (), wider_than: int = 0,
                 test: Optional[Callable[[str], bool]] = None, head: int = 0) -> None:
        """`needles`: all in the text; `any_of`: one of them in it; `wider_than`: a line of the
        text longer than this; `test`: the finer test, on the text the repair works on (a
        line, a block, the page); `head`: a block repair looked for in the block's first
        `head` lines only."""
        fill = object.__setattr__
        fill(self, "needles", tuple(needles))
        fill(self, "any_of", tuple(any_of))
        fill(self, "wider_than", wider_than)
        fill(self, "test", test)
        fill(self, "head", head)
        #: none of `any_of` is ASCII: an ASCII text (most pastes) holds none of them, at once.
        fill(self, "_ascii_free", bool(self.any_of) and not any(map(str.isascii, self.any_of)))

    @property
    def reads_text(self) -> bool:
        """Whether anything is looked for (a trigger with nothing in it: the fix always runs)."""
        return bool(self.needles or self.any_of or self.wider_than or self.test)

    def may_hold(self, text: str, widest: Optional[int] = None) -> bool:
        """The cheap parts: true of any text that holds a line where the repair fires (the
        page's longest line, `widest`, measured by the caller if it knows it)."""
        for needle in self.needles:
            if needle not in text:
                return False
        if self.any_of:
            if self._ascii_free and text.isascii() or not any(map(text.__contains__, self.any_of)):
                return False
        if self.wider_than:
            if widest is None:
                widest = max(map(len, text.split("\n")))
            if widest <= self.wider_than:
                return False
        return True

    def fires(self, text: str, widest: Optional[int] = None) -> bool:
        """The cheap parts, then the finer test, on the text the repair works on."""
        return self.may_hold(text, widest) and (self.test is None or self.test(text))


#: a line fix: a line's text → its repaired text, or a tuple of texts (the line cut apart:
#: the pieces are read as collapsed lines, and no later line repair runs on them).
LineFix = Callable[[str], Union[str, Tuple[str, ...]]]
#: a page fix: all the lines → the repaired lines (the same list when nothing changed).
PageFix = Callable[[List[Line]], List[Line]]
#: a block fix: a block's lines and their texts joined → the repaired lines (the same list
#: when nothing changed).
BlockFix = Callable[[List[Line], str], List[Line]]


#: where a repair is looked for, in the order the scopes run.
SCOPES = ("page", "line", "block")


class Repair(_Declaration):
    """One kind of paste damage: where it is looked for (`scope`: "page", "line" or "block"),
    what shows it, how it is undone (a `PageFix`, a `LineFix` or a `BlockFix`). `doubtful`: the
    damage comes with others no repair sees (a screenshot's OCR, a widget's retyping), so a row
    it touched is believed only where it fits (never a mismatch: `verify`)."""

    __slots__ = ("kind", "scope", "trigger", "fix", "doubtful")

    kind: str
    scope: str
    trigger: Trigger
    fix: Union[PageFix, LineFix, BlockFix]
    doubtful: bool

    def __init__(self, kind: str, scope: str, trigger: Trigger, fix: Union[PageFix, LineFix, BlockFix],
                 doubtful: bool = False) -> None:
        if scope not in SCOPES:
            raise ValueError(f"repair {kind!r}: scope {scope!r} is not one of {SCOPES}")
        fill = object.__setattr__
        fill(self, "kind", kind)
        fill(self, "scope", scope)
        fill(self, "trigger", trigger)
        fill(self, "fix", fix)
        fill(self, "doubtful", doubtful)


# ---- page repairs ------------------------------------------------------------------------------

#: a line number at a line's start and what parts it from the text (or nothing: glued to the
#: line, `4dense_1 (Dense)`, when a page's gutter lost its separator).
LINE_NUMBER = re.compile(r"^\s*(\d{1,6})(?:[:|.)]\s?|\s|(?=[^\d\s.,:)|]))")


def strip_line_numbers(lines: List[Line]) -> List[Line]:
    """A listing pasted with its line numbers (`  12 conv2d (Conv2D) ...`): when most lines
    carry a number that counts up with the line, take the numbers off."""
    opening = list(filter(None, map(str.lstrip, map(text_of, lines))))  # (C loops: a long table's every line)
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


#: a header behind the marks a page put before every line of a table: a comment (`# `, `## `
#: in R's knitr output, `#> ` in reprex's, `// `, `% `), a list item (`- `, `* `).
LINE_MARK = r"[ \t]*(?:#{1,6}>?|//|%{1,2}|;{1,2}|[-*])"
LINE_PREFIX = re.compile(LINE_MARK + r"[ \t]?")
#: what may stand before a marked header's `Layer`: the mark, spaces, a box or markdown bar.
HEADER_PREFIX = re.compile(LINE_MARK + r"[ \t]*(?:[┃│|][ \t]*)?")


def has_prefixed_header(whole: str) -> bool:
    """A header behind such marks, looked for where `Layer` stands (a few places), not by a
    search from every line start (a long table's lines of spaces made that the slowest pass)."""
    start = whole.find("Layer")
    while start >= 0:
        line_start = whole.rfind("\n", 0, start) + 1
        if start - line_start <= 40 and HEADER_PREFIX.fullmatch(whole, line_start, start):
            return True
        start = whole.find("Layer", start + 5)
    return False


def strip_line_prefixes(lines: List[Line]) -> List[Line]:
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


# ---- line repairs ------------------------------------------------------------------------------

#: characters that stand for a space in pastes (NBSP, ideographic space, thin spaces, ...),
#: and the zero-width ones, dropped.
SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                                    "\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
SPACE_LIKE.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None))
QUOTE_PREFIX = re.compile(r"^\s*(?:>\s?)+")
#: a rule as one piece: runs of strokes and the box's junctions between them (a box rule wider
#: than `COLLAPSED_WIDTH` is one rule, not a table's lines glued at its runs).
_WHOLE_RULE = f"[{BOX_JOINS}]?[_={BOX_STROKES}]{{8,}}(?:[{BOX_JOINS}][_={BOX_STROKES}]+)*[{BOX_JOINS}]?"
#: where a collapsed table's lines were glued together.
COLLAPSE_SPLIT = re.compile(f"({_WHOLE_RULE})" r"|(?=(?:Total|Trainable|Non-trainable|Optimizer)\s+params\s*:)"
                            r"|(?=\bModel\s*:)|(?=Layer\s*\(\s*type\s*\))")
#: how wide a line must be to be a whole table collapsed onto it.
COLLAPSED_WIDTH = 120


def _is_quoted(text: str) -> bool:
    return text[:1] in (">", " ") and text.lstrip().startswith(">")


def _may_be_bold_row(text: str) -> bool:
    # a markdown page's bold: `**Total params:** 1,234`, a row or a count stressed (`**5130**`)
    return "params" in text or may_be_row(text)


def expand_collapsed(text: str) -> Union[str, Tuple[str, ...]]:
    """A whole table on one line: cut it where its lines were glued, drop `#` comments."""
    if len(COLLAPSE_SPLIT.findall(text)) < 3:
        return text
    pieces: List[str] = []
    last = 0
    for match in COLLAPSE_SPLIT.finditer(text):
        pieces.append(text[last:match.start()])
        if match.group(1):
            pieces.append(match.group(1))
        last = match.end()
    pieces.append(text[last:])
    return tuple(strip_comment(piece).strip() for piece in pieces if piece.strip())


COMMENT_START = re.compile(r"\s#")


def strip_comment(text: str) -> str:
    """Drop an inline `# ...` remark, but keep the `#` of the `Param #` header."""
    for match in COMMENT_START.finditer(text):
        end = match.start()  # `Param` then white space up to here keeps the `#`
        while end >= 0 and text[end].isspace():
            end -= 1
        if not text.endswith("Param", 0, end + 1) and text[match.end():].lstrip(" ")[:1] not in CELL_BARS:
            return text[:match.start()]
    return text


#: a `#` alone in a table's cell (`┃     # ┃`: rich wrapped `Param #` onto two lines) is a title.
CELL_BARS = frozenset("┃│|")


# ---- block repairs -----------------------------------------------------------------------------

#: the `└` of a nested row, turned into `?` with the other box characters.
NESTED_MARK_LOST = re.compile(r"^(\s*│\s+)\? ")


def repair_question_marks(lines: List[Line], whole: str) -> List[Line]:
    """`?` for every space (a page's encoding), or for every box character of a Keras 3 table."""
    header = next((line for line in lines if is_header(line.text)), None)
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


def undo_double_spacing(lines: List[Line], whole: str) -> List[Line]:
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


#: the last characters of the rules a terminal breaks: one left at the start of the next line.
WRAPPED_RULE_ENDS = "_=━─┓┩┤┘"
#: how many of a block's first lines show whether a terminal broke its lines: it breaks every
#: line wider than itself, the header's rule among them.
HARD_WRAP_PROBE = 16


def rejoin_hard_wraps(lines: List[Line], whole: str) -> List[Line]:
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
        if len(text) >= 40 and text[-1] in WRAPPED_RULE_ENDS and rest[:1] == text[-1] and rest == rest.strip() \
                and len(set(rest)) == 1 and is_rule_line(text):
            width = len(text)
            if sum(1 for other in lines if len(other.text) == width) >= 2:
                return width
    return None


def strip_comments(lines: List[Line], whole: str) -> List[Line]:
    """Inline `# ...` remarks, looked for only on the lines holding a `#` (a table's header,
    `Param #`, often alone)."""
    commented = lines
    for index, _ in lines_holding(whole, "#"):
        line = lines[index]
        text = strip_comment(line.text)
        if text != line.text:
            if commented is lines:
                commented = list(lines)
            commented[index] = line._replace(text=text)
    return commented


# ---- markup repairs: what a markdown or HTML converter left in a table's lines ------------------

#: a markdown escape a converter put before a character it feared (`conv2d\\_18`, `Param \\#`);
#: an escaped bar (`\\|`) stays: it is a cell's text, not a cell's edge.
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+.!<>~-])")
#: an HTML entity left in a page's text (`&quot;`, `&lt;`, `&#39;`, `&nbsp;`, `&amp;lt;` undone once).
HTML_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: a totals line written as a table's row: its label in a cell, its count in the next
#: (`| Total params: | 6,651,914 | (25.38 MB) |`, the label's colon maybe dropped).
TOTALS_CELL = re.compile(r"^[ \t]*(?:\|[ \t]*)?((?:Total|Trainable|Non-trainable|Optimizer)[ \t]+params)[ \t]*(?::[ \t]*)?\|")


def _has_markdown_escape(text: str) -> bool:
    return MARKDOWN_ESCAPE.search(text) is not None


def undo_markdown_escapes(text: str) -> str:
    """`conv2d\\_18 (Conv2D)` → `conv2d_18 (Conv2D)`: the character the escape stood before."""
    return MARKDOWN_ESCAPE.sub(r"\1", text)


def _has_entity(text: str) -> bool:
    return HTML_ENTITY.search(text) is not None


def undo_entities(text: str) -> str:
    """`Model: &quot;cnn&quot;` → `Model: "cnn"`; an `&nbsp;` is a space like any other."""
    import html  # (only a page that holds an entity needs it)

    return html.unescape(text).translate(SPACE_LIKE)


def _is_code_spanned(text: str) -> bool:
    # a fence (a line opening on ``` or ~~~) is a table's edge, not a code span
    return text.count("`") >= 2 and FENCE_LINE.match(text) is None


def drop_code_spans(text: str) -> str:
    """`` `dense_1` (`Dense`) `` → `dense_1 (Dense)`: names, types or whole cells set as code."""
    return text.replace("`", "")


def _is_totals_row(text: str) -> bool:
    return TOTALS_CELL.match(text) is not None


def totals_from_cells(text: str) -> str:
    """`| Total params: | 6,651,914 | (25.38 MB) |` → `Total params: 6,651,914 (25.38 MB)`."""
    match = TOTALS_CELL.match(text)
    if match is None:
        return text
    rest = " ".join(text[match.end():].replace("|", " ").split())
    return f"{match.group(1)}: {rest}"


#: a markdown thematic break (`* * *`, `---`, `___`): what html2text and markdownify write for
#: an `<hr>`, itself what a page's editor made of a printed rule.
THEMATIC_BREAK = re.compile(r"[ ]{0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}")


def _is_thematic_break(text: str) -> bool:
    return THEMATIC_BREAK.fullmatch(text) is not None and not is_rule_line(text)


#: the end of a totals line that a converter's reflow cut inside a label (html2text wraps at 78
#: columns, at spaces and after hyphens: `... Non-` / `trainable params: 32 (128.00 B)`).
CUT_LABEL_END = re.compile(r"(?:\b(?:Total|Trainable|Non-trainable|Optimizer)(?:[ \t]+params)?[ \t]*:?|\bNon-)$")
#: how a line the label's rest was pushed onto begins (its spaces stripped): the label's rest, a
#: count or a size.
LABEL_REST = re.compile(r"(?:[a-z-]{0,20}[ \t]*params\b|\d|\()")


def _cut_totals_at(lines: Sequence[Line], index: int) -> bool:
    text = lines[index].text
    if index + 1 >= len(lines) or CUT_LABEL_END.search(text.rstrip()[-40:]) is None:
        return False
    if TOTALS_LINE.search(text) is None and not text.strip().endswith(("params:", "params")):
        return False
    return LABEL_REST.match(lines[index + 1].text.lstrip()) is not None


def _has_cut_totals(whole: str) -> bool:
    """Looked for on the lines holding `params` only (found at C speed: a few in a long page)."""
    for _, start in lines_holding(whole, "params"):
        end = whole.find("\n", start)
        if CUT_LABEL_END.search(whole[start:end if end >= 0 else len(whole)].rstrip()[-40:]):
            return True
    return False


def rejoin_cut_totals(lines: List[Line]) -> List[Line]:
    """A totals line a converter's reflow cut inside a label or before its count: the line
    below it joined back (without a space after a hyphen)."""
    joined: List[Line] = []
    skip = False
    for index, line in enumerate(lines):
        if skip:
            skip = False
            continue
        if "params" in line.text and _cut_totals_at(lines, index):
            head, tail = line.text.rstrip(), lines[index + 1].text.lstrip()
            line = line._replace(text=head + tail if head.endswith("-") else head + " " + tail)
            skip = True
        joined.append(line)
    return joined if len(joined) != len(lines) else lines
# ---- tokens spaced apart, fullwidth punctuation ------------------------------------------------

#: what shows a table whose tokens a code widget (or a gutter's copy) spaced apart: its header's
#: `Layer ( type )`, a shape's `( None ,`; and what shows one printed as Keras prints it.
SPACED_HEADER = re.compile(r"Layer\s*\(\s+type\s+\)")
SPACED_SHAPE = re.compile(r"\(\s+(?:None|\?)\s+,")
PLAIN_SHAPE = re.compile(r"\((?:None|\?),")
#: where a table ends: its `Non-trainable params` line (spaced or not).
TABLE_END = re.compile(r"Non\s*-\s*trainable\s+params")
BOX_BARS = re.compile("[│┃|]")
#: a `Connected to` reference's indexes spaced from it (`input_1 [ 0 ] [ 0 ]`).
SPACED_INDEX = re.compile(r"(?<=[\w\]])\s*\[\s*(\d+)\s*\]")
#: a parenthesis, bracket or comma with the spaces around it.
SPACED_PUNCTUATION = re.compile(r"\s*([()\[\],])\s*")
#: a rule drawn with its characters spaced apart (`= = = = =`).
SPACED_RULE = re.compile(r"(?<!\S)([=_\-─━])(?: \1){4,}(?!\S)")
SPACED_HYPHEN = re.compile(r"\bNon\s+-\s+trainable\b")
#: the `…` Keras 3 cuts a long name with, spaced from the name.
SPACED_ELLIPSIS = re.compile(r"(?<=\w) …")


def unspace_tokens(text: str) -> str:
    """One line of a spaced table as Keras printed it: `( None , 30 )` → `(None, 30)`,
    `288 , 006` → `288,006`, `input_1 [ 0 ] [ 0 ]` → `input_1[0][0]`, `= = =` → `===`,
    `Non - trainable` → `Non-trainable`, `a_long_name …` → `a_long_name…`."""
    text = SPACED_INDEX.sub(r"[\1]", text)
    text = _unspace_punctuation(text)
    text = SPACED_RULE.sub(lambda match: match.group(1) * (len(match.group()) // 2 + 1), text)
    text = SPACED_ELLIPSIS.sub("…", text)
    return SPACED_HYPHEN.sub("Non-trainable", text)


def _unspace_punctuation(text: str) -> str:
    """Parentheses and brackets closed on what they hold, commas as Keras prints them: `, `
    inside a shape, none in a count's thousands (`288 , 006`). One pass along the line: a
    table's parentheses never nest (a `(` inside one means the first was cut: `( MaxPooling2`),
    and only brackets hold them (`[ ( None , 3 ) ]`)."""
    pieces: List[str] = []
    last = 0
    in_paren = in_bracket = False
    for match in SPACED_PUNCTUATION.finditer(text):
        mark, before, after = match.group(1), text[last:match.start()], text[match.end():match.end() + 4]
        pieces.append(before)
        at_start = last == 0 and not before.strip()  # (a wrapped cell's piece keeps its place)
        spaces = text[match.start():match.start(1)]
        if mark in "([":
            pieces.append((spaces if at_start or before[-1:] not in ("", "(", "[") else "") + mark)
            in_paren, in_bracket = in_paren or mark == "(", in_bracket or mark == "["
        elif mark in ")]":
            pieces.append((spaces if at_start else "") + mark
                          + (text[match.end(1):match.end()] if after[:1] not in ")]," else ""))
            in_paren, in_bracket = False, in_bracket and mark == ")"
        elif in_paren or in_bracket:
            pieces.append(", ")
        elif before[-1:].isdigit() and after[:3].isdigit() and not after[3:4].isdigit():
            pieces.append(",")  # a count's thousands
        else:
            pieces.append(match.group())
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _has_spaced_header(text: str) -> bool:
    return SPACED_HEADER.search(text) is not None


def _spaced_tables(lines: Sequence[Line]) -> List[Tuple[int, int]]:
    """The spans (first, last index) of the tables whose every token was spaced apart: from a
    header to its `Non-trainable params` line (or the next header), spaced in its header or
    its shapes, and with no shape printed as Keras prints it (a table that holds `(None, 30)`
    is not one a widget spaced: nothing in it is touched)."""
    spans: List[Tuple[int, int]] = []
    start: Optional[int] = None
    spaced = plain = False
    for index, line in enumerate(lines):
        text = line.text
        if "Layer" in text and is_header(text):
            if start is not None and spaced and not plain:
                spans.append((start, index - 1))
            start, spaced, plain = index, bool(SPACED_HEADER.search(text)), False
        if start is None:
            continue
        spaced = spaced or bool(SPACED_SHAPE.search(text))
        plain = plain or bool(PLAIN_SHAPE.search(text))
        if TABLE_END.search(text):
            if spaced and not plain:
                spans.append((start, index))
            start = None
    if start is not None and spaced and not plain:
        spans.append((start, len(lines) - 1))
    return spans


#: the rest of a type a printer wrapped onto the next line (`)`, `2 D )`), alone on it.
TYPE_TAIL = re.compile(r"\s*([A-Za-z0-9_ ]{0,40}\))\s*")
#: a type left open where its line wrapped it: `(MaxPooling2D` before the shape.
OPEN_TYPE = re.compile(r"\([A-Za-z_]\w*(?=\s+[(\[]|\s+multiple\b)")


def unspace_tables(lines: List[Line]) -> List[Line]:
    """The tables a code widget printed with a space around every token, as Keras printed them.
    The widget's spaces moved every cell: their columns line up with nothing now (read whole,
    as a collapsed table's; a box table's bars still part its cells), so a type's wrapped
    tail is put back where the type was cut (`(MaxPooling2D` + `)`)."""
    fixed = list(lines)
    for first, last in _spaced_tables(lines):
        opened: Optional[int] = None
        for index in range(first, last + 1):
            text = unspace_tokens(lines[index].text)
            tail = TYPE_TAIL.fullmatch(text) if opened is not None and text.strip() else None
            if tail is not None and opened is not None:
                before = fixed[opened].text
                cut = OPEN_TYPE.search(before)
                if cut is not None:
                    joined = before[:cut.end()] + tail.group(1).replace(" ", "") + before[cut.end():]
                    fixed[opened] = fixed[opened]._replace(text=joined)
                    text, opened = "", None
            elif text.strip():
                opened = index if OPEN_TYPE.search(text) else None
            if text != lines[index].text:
                fixed[index] = lines[index]._replace(text=text, collapsed=not BOX_BARS.search(text))
    return fixed if fixed != lines else lines


#: fullwidth punctuation (an input method's `，` `（` `）` `：`, an OCR engine's) → ASCII.
FULLWIDTH = {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if not chr(code - 0xFEE0).isalnum()},
             ord("、"): ord(","), ord("。"): ord(".")}
#: what a table's line holds when it has any (a shape's `（` `，`, a totals line's `：`): what the
#: page is searched for, one search a character over a long table's every line; the fix maps them all.
FULLWIDTH_SEEN = "，（："


def _fullwidth_in_table_line(text: str) -> bool:
    """A table's line (a row, its header, a totals line), not the page's prose in Chinese."""
    ascii_text = text.translate(FULLWIDTH)
    return may_be_row(ascii_text) or "params" in ascii_text or "Layer" in ascii_text


# ---- the registry ------------------------------------------------------------------------------

#: every repair, in the order each scope runs them.
REPAIRS: Tuple[Repair, ...] = (
    # (its own first look is a few C loops over the lines: nothing cheaper to ask first)
    Repair("line-numbers", "page", Trigger(), strip_line_numbers),
    Repair("line-marks", "page", Trigger(("Layer",), test=has_prefixed_header), strip_line_prefixes),
    Repair("space-like", "line", Trigger(any_of=map(chr, SPACE_LIKE)), lambda text: text.translate(SPACE_LIKE)),
    Repair("tabs", "line", Trigger(("\t",)), lambda text: text.expandtabs(8)),
    Repair("quote-prefix", "line", Trigger((">",), test=_is_quoted), lambda text: QUOTE_PREFIX.sub("", text)),
    Repair("markdown-bold", "line", Trigger(("*", "**"), test=_may_be_bold_row), lambda text: text.replace("**", "")),
    Repair("collapsed-table", "line", Trigger(wider_than=COLLAPSED_WIDTH), expand_collapsed),
    Repair("question-marks", "block", Trigger(("?", "??")), repair_question_marks),
    # (its own first look stops within a few lines of any table printed without blank lines)
    Repair("double-spacing", "block", Trigger(), undo_double_spacing),
    Repair("hard-wraps", "block", Trigger(any_of=[f"{ch}\n{ch}" for ch in WRAPPED_RULE_ENDS], head=HARD_WRAP_PROBE),
           rejoin_hard_wraps),
    Repair("inline-comments", "block", Trigger(("#",)), strip_comments),
    Repair("markdown-escapes", "line", Trigger(("\\",), test=_has_markdown_escape), undo_markdown_escapes),
    Repair("html-entities", "line", Trigger(("&", ";"), test=_has_entity), undo_entities),
    Repair("code-spans", "line", Trigger(("`",), test=_is_code_spanned), drop_code_spans),
    Repair("totals-in-cells", "line", Trigger(("|", "params"), test=_is_totals_row), totals_from_cells),
    # (what html2text and markdownify write: a printed `____` rule holds neither, so a print pays nothing)
    Repair("thematic-breaks", "line", Trigger(any_of=("* *", "---"), test=_is_thematic_break), lambda text: "_" * 20),
    Repair("reflowed-totals", "page", Trigger(("params",), test=_has_cut_totals), rejoin_cut_totals),
    # (a widget spaces the header's parenthesis as it does every other: one search of the page)
    Repair("spaced-punctuation", "page", Trigger(("( type",), test=_has_spaced_header), unspace_tables),
    Repair("fullwidth-punctuation", "line", Trigger(any_of=FULLWIDTH_SEEN, test=_fullwidth_in_table_line),
           lambda text: text.translate(FULLWIDTH), doubtful=True),
)


def _of_scope(scope: str) -> List[Repair]:
    return [repair for repair in REPAIRS if repair.scope == scope]


def _touched(before: Sequence[Line], after: Sequence[Line]) -> List[int]:
    """The numbers of the lines a fix changed, dropped or made."""
    if len(before) == len(after):
        return [new.number for old, new in zip(before, after) if old != new]
    old, new = Counter(before), Counter(after)
    return sorted({line.number for line in (old - new) + (new - old)})


# ---- the passes --------------------------------------------------------------------------------


def clean_lines(lines: Iterable[Line], decoded: Iterable[AppliedRepair] = ()) -> Page:
    """The page repairs, then the line repairs on each line (when the page holds anything
    any of them looks for); `decoded`: the repairs the decoding made (stray bytes), first."""
    lines = list(lines)
    applied: List[AppliedRepair] = list(decoded)
    texts: Optional[List[str]] = None
    whole = ""
    for repair in _of_scope("page"):
        if repair.trigger.reads_text and texts is None:
            texts = list(map(text_of, lines))
            whole = "\n".join(texts)
        if repair.trigger.reads_text and not repair.trigger.fires(whole):
            continue
        fixed = repair.fix(lines)  # type: ignore[call-arg, arg-type]
        if fixed is not lines:
            applied.extend(AppliedRepair(repair.kind, number) for number in _touched(lines, fixed))
            lines, texts = fixed, None
    if texts is None:
        texts = list(map(text_of, lines))
        whole = "\n".join(texts)
    widest = max(map(len, texts), default=0)
    active = [repair for repair in _of_scope("line") if repair.trigger.may_hold(whole, widest)]
    if not active:
        return Page(lines, whole, tuple(applied))  # nothing would change a line (checked at once over the page)
    cleaned = _repair_lines(lines, active, applied)
    return Page(cleaned, joined_texts(cleaned), tuple(applied))


def _repair_lines(lines: Sequence[Line], active: Sequence[Repair], applied: List[AppliedRepair]) -> List[Line]:
    """Each line through the line repairs that may fire on the page, in their order."""
    cleaned: List[Line] = []
    for line in lines:
        text = line.text
        pieces: Optional[Tuple[str, ...]] = None
        for repair in active:
            if not repair.trigger.fires(text, len(text)):
                continue
            fixed = repair.fix(text)  # type: ignore[call-arg, arg-type]
            if isinstance(fixed, tuple):
                pieces = fixed
                applied.append(AppliedRepair(repair.kind, line.number))
                break
            if fixed != text:
                applied.append(AppliedRepair(repair.kind, line.number))
                text = fixed
        if pieces is not None:
            cleaned.extend(Line(line.number, piece, collapsed=True) for piece in pieces)
        else:
            cleaned.append(line if text is line.text else Line(line.number, text, line.collapsed))
    return cleaned


def repair_block(lines: List[Line], whole: Optional[str] = None) -> Tuple[List[Line], Tuple[AppliedRepair, ...]]:
    """Undo the damage that only shows across a whole table (`whole`: the lines' texts joined,
    if known): the repaired lines, and what the repairs changed."""
    applied: List[AppliedRepair] = []
    for repair in _of_scope("block"):
        if whole is None:
            whole = joined_texts(lines)  # (again only after a repair changed the lines)
        trigger = repair.trigger
        if trigger.reads_text and not trigger.fires(joined_texts(lines[:trigger.head]) if trigger.head else whole):
            continue
        fixed = repair.fix(lines, whole)  # type: ignore[call-arg, arg-type]
        if fixed is not lines:
            applied.extend(AppliedRepair(repair.kind, number) for number in _touched(lines, fixed))
            lines, whole = fixed, None
    return lines, tuple(applied)


#: the kinds whose rows are believed only where they fit (`Repair.doubtful`).
DOUBTFUL_KINDS = frozenset(repair.kind for repair in REPAIRS if repair.doubtful)
