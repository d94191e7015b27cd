"""Cell repairs: the damage an OCR'd screenshot does inside a row's cells, one `CellFix` a
kind — fullwidth punctuation (`(None，16)`), letters read for digits inside a number or a
shape (`2S6`, `1,7O2`, `l6`), `None` misread or lost (`Nome`, `(,10,8)`), a shape's commas
read as dots, parentheses lost or doubled, a count's thousands split by a space (`40, 970`).

Tried only on a row the grammar refused as printed (`rows._read_row`), and on a printed type
the registry does not know (`nearest_type`: `LSTH`, `oense`). Each fix works inside the
tokens it is for — a letter becomes a digit only inside a token that is otherwise a number —
and what it changed is kept as a `CellRepair` on the row; the row must then fit its formulas
(`verify` calls a repaired row that does not fit unverified, never a mismatch).
"""

from __future__ import annotations

import re
from typing import Callable, List, NamedTuple, Optional, Sequence, Tuple

from ..memo import cached
from ..printers.titles import edit_distance

#: fullwidth and ideographic punctuation an OCR engine (or a Chinese input method) puts in a cell.
FULLWIDTH = str.maketrans("，（）［］：；、．＃", ",()[]:;,.#")
#: letters OCR reads for digits, by the digit they stand for.
DIGIT_LOOKS = str.maketrans("OoQD" "lI|i!L" "Zz" "Ss" "B" "Gb" "g" "T",
                            "0000" "111111" "22" "55" "8" "66" "9" "7")
#: a token of a number or a shape: letters and digits between its separators.
_TOKEN = re.compile(r"[0-9A-Za-z|!]+")
_NONE_WORD = re.compile(r"(?<![A-Za-z])[NnM][A-Za-z]{0,4}(?![A-Za-z])")


class CellFix(NamedTuple):
    """One kind of cell damage: its kind, the roles (`printers.ROLES` names) of the cells it
    is looked for in, and its fix (a cell's text → its repaired text)."""

    kind: str
    roles: Tuple[str, ...]
    fix: Callable[[str], str]


def _fullwidth(text: str) -> str:
    return text.translate(FULLWIDTH)


def _digit_token(token: str) -> str:
    """A token that is a number but for letters read for its digits (at least one digit, or
    a single look-alike letter standing alone), as that number; any other token unchanged."""
    mapped = token.translate(DIGIT_LOOKS)
    if not mapped.isdigit() or mapped == token:
        return token
    if not any(ch.isdigit() for ch in token) and len(token) > 1:
        return token  # (a word of look-alike letters, `Is`, `SO`: not a number)
    return mapped


def _letters_for_digits(text: str) -> str:
    return _TOKEN.sub(lambda match: _digit_token(match.group()), text)


def _shape_none(text: str) -> str:
    """`None` misread (`Nome`, `Ncne`, `Nme`, `N`, `NOne`) or lost (`(,10,8)`: the batch
    dimension's word dropped, its comma kept)."""
    def word(match: "re.Match[str]") -> str:
        token = match.group()
        if token == "None" or token.lower() == "multiple"[:len(token)] and len(token) > 3:
            return token
        return "None" if token[:1] == "N" and edit_distance(token.lower(), "none", 2) <= 2 else token
    text = _NONE_WORD.sub(word, text)
    return re.sub(r"(^|[\[(])\s*,", r"\1None,", text)


def _shape_separators(text: str) -> str:
    """A shape's commas read as dots or semicolons (`(None.8)`, `(None;16)`)."""
    return re.sub(r"(?<=[\w)])\s*[.;]\s*(?=[\w(])", ", ", text) if "..." not in text and "…" not in text else text


def _shape_parentheses(text: str) -> str:
    """Parentheses doubled (`((None, 16)`, `(None, 16))`) or the closing one lost
    (`(None, 16` where nothing was cut: the shape ends in a whole number)."""
    stripped = text.strip()
    if stripped.startswith("((") and stripped.count("(") > stripped.count(")"):
        stripped = stripped[1:]
    while stripped.endswith("))") and stripped.count(")") > stripped.count("("):
        stripped = stripped[:-1]
    if stripped.startswith("(") and stripped.count("(") == 1 and not stripped.endswith(")") and \
            stripped.count(")") == 0 and re.search(r",\s*\d+$", stripped):
        stripped += ")"
    return stripped


def _type_parentheses(text: str) -> str:
    """A layer cell's type with a space before its `)` or its `(` glued (`(AlphaDropout )`)."""
    return re.sub(r"\s+\)\s*$", ")", text)


def _count_spacing(text: str) -> str:
    """A count's thousands split by a space (`40, 970`, `2, 359,808`), or a stray mark OCR
    read after it (`0)`, `272.`)."""
    text = re.sub(r"(?<=\d),\s+(?=\d{3}(?!\d))", ",", text.strip())
    return re.sub(r"(?<=\d)\s*[).,'`]$", "", text)


#: every cell repair, in the order they are tried (fullwidth first: the others read ASCII).
CELL_FIXES: Tuple[CellFix, ...] = (
    CellFix("fullwidth-punctuation", ("layer", "shape", "params", "connected"), _fullwidth),
    CellFix("type-parentheses", ("layer",), _type_parentheses),
    CellFix("shape-none", ("shape",), _shape_none),
    CellFix("shape-separators", ("shape",), _shape_separators),
    CellFix("letters-for-digits", ("shape", "params"), _letters_for_digits),
    CellFix("shape-parentheses", ("shape",), _shape_parentheses),
    CellFix("count-spacing", ("params",), _count_spacing),
)


class Applied(NamedTuple):
    """One cell repair that changed a cell: its kind, the cell's role, the text before and after."""

    kind: str
    role: str
    before: str
    after: str


def repair_cells(cells: Sequence[str], roles: Sequence[str]) -> Tuple[Tuple[str, ...], Tuple[Applied, ...]]:
    """The cells (in `roles` order) through every cell fix for their role, and what changed."""
    out = list(cells)
    applied: List[Applied] = []
    for fix in CELL_FIXES:
        for index, role in enumerate(roles):
            if role not in fix.roles or not out[index].strip():
                continue
            fixed = fix.fix(out[index])
            if fixed.strip() != out[index].strip():
                applied.append(Applied(fix.kind, role, out[index].strip(), fixed.strip()))
                out[index] = fixed
    return tuple(out), tuple(applied)


@cached(maxsize=4096)
def nearest_type(printed: str, names: Tuple[str, ...]) -> Optional[str]:
    """The one class name of `names` a printed type the registry does not know is a few
    letters off (`LSTH` → `LSTM`, `oense` → `Dense`; case aside), or None when none is or
    several are equally near."""
    if len(printed) < 3:
        return None
    lowered = printed.lower().translate(str.maketrans("01", "ol"))
    bound = 1 if len(printed) < 8 else 2
    best: List[Tuple[int, str]] = []
    for name in names:
        distance = edit_distance(lowered, name.lower(), bound)
        if distance <= bound:
            best.append((distance, name))
    best.sort()
    if not best or len(best) > 1 and best[1][0] == best[0][0]:
        return None
    return best[0][1]
