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
    what shows it, how it is undone (a `PageFix`, a `LineFix` or a `BlockFix`)."""

    __slots__ = ("kind", "scope", "trigger", "fix")

    kind: str
    scope: str
    trigger: Trigger
    fix: Union[PageFix, LineFix, BlockFix]

    def __init__(self, kind: str, scope: str, trigger: Trigger, fix: Union[PageFix, LineFix, BlockFix]) -> None:
        if scope not in SCOPES:
            raise ValueError(f"repair {kind!r}: scope {scope!r} is not one of {SCOPES}")
        fill = object.__setattr__
        fill(self, "kind", kind)
        fill(self, "scope", scope)
        fill(self, "trigger", trigger)
        fill(self, "fix", fix)


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


def clean_lines(lines: Iterable[Line]) -> Page:
    """The page repairs, then the line repairs on each line (when the page holds anything
    any of them looks for)."""
    lines = list(lines)
    applied: List[AppliedRepair] = []
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
