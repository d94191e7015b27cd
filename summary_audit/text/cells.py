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
from typing import Callable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from ..memo import cached
from ..printers.titles import edit_distance
# fullwidth punctuation: one table, the line repair's (it reads a table's lines first; a cell the
# grammar then refuses gets it too, where the line repair's trigger did not see a table's line)
from .repairs import FULLWIDTH

#: letters OCR reads for digits, by the digit they stand for.
DIGIT_LOOKS = str.maketrans("OoQD" "lI|i!L" "Zz" "Ss" "B" "Gb" "g" "T",
                            "0000" "111111" "22" "55" "8" "66" "9" "7")
#: a token of a number or a shape: letters and digits between its separators.
_TOKEN = re.compile(r"[0-9A-Za-z|!]+")
_NONE_WORD = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]{0,4}(?![A-Za-z])")


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
        bound = 2 if token[:1] == "N" else 1 if len(token) == 4 else 0  # (`Nme`, `Ncne`; `Kone`, `Wone`)
        return "None" if edit_distance(token.lower(), "none", bound) <= bound else token
    text = _NONE_WORD.sub(word, text)
    return re.sub(r"(^|[\[(])\s*,", r"\1None,", text)


def _shape_separators(text: str) -> str:
    """A shape's commas read as dots or semicolons (`(None.8)`, `(None;16)`)."""
    return re.sub(r"(?<=[\w)])\s*[.;]\s*(?=[\w(])", ", ", text) if "..." not in text and "…" not in text else text


def _shape_parentheses(text: str) -> str:
    """Parentheses doubled (`((None, 16)`, `(None, 16))`), or an opening one read as a bracket
    or a brace (`[None, 4, 4, 512)`, `{Kone, 32, 32, 32]`). (A closing one missing is left
    alone: the printer cut the shape there, and the grammar reads it so.)"""
    stripped = text.strip()
    if "{" in stripped or "}" in stripped:  # (no shape holds a brace: a parenthesis read so)
        stripped = stripped.replace("{", "(").replace("}", ")")
    if stripped[:1] in "[{(" and stripped[-1:] in ")]}" and stripped[0] + stripped[-1] not in ("()", "[]") \
            and not any(ch in stripped[1:-1] for ch in "()[]{}"):
        stripped = "(" + stripped[1:-1] + ")"  # (one shape, its parentheses read as brackets or braces)
    if stripped.startswith("((") and stripped.count("(") > stripped.count(")"):
        stripped = stripped[1:]
    while stripped.endswith("))") and stripped.count(")") > stripped.count("("):
        stripped = stripped[:-1]
    return stripped


def _type_parentheses(text: str) -> str:
    """A layer cell's type with a space before its `)` (`(AlphaDropout )`), or its parentheses
    read as brackets or braces (`[BatchNormalization]`, `{ReLU}`)."""
    text = re.sub(r"\s+\)\s*$", ")", text)
    return re.sub(r"(?<=[\w ])[\[{]([A-Za-z]\w*)[\]})]?\s*$", r"(\1)", text)


#: a `Connected to` reference's indexes as OCR reads them: letters for digits, spaces inside.
_REF_INDEX = re.compile(r"\[\s*([0-9OoQDlI|iSsBe]{1,3})\s*\]")


def _connected_refs(text: str) -> str:
    """`features[0] [0]`, `dense_1[o][o]`, `‘tokens[0][0]’`: the spaces, letters and quotes
    OCR put into a reference, taken out (a link that does not read costs the row its links)."""
    text = text.replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\]\s+\[", "][", text)
    return _REF_INDEX.sub(lambda m: "[" + m.group(1).translate(DIGIT_LOOKS).replace("e", "0") + "]", text)


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
    CellFix("connected-refs", ("connected",), _connected_refs),
)


class Applied(NamedTuple):
    """One cell repair that changed a cell: its kind, the cell's role, the text before and after."""

    kind: str
    role: str
    before: str
    after: str


def repair_cells(cells: Sequence[str], roles: Sequence[str]) -> Tuple[Tuple[str, ...], Tuple[Applied, ...]]:
    """The cells (in `roles` order) through every cell fix for their role, and what changed."""
    states = list(repair_steps(cells, roles))
    return states[-1] if states else (tuple(cells), ())


def repair_steps(cells: Sequence[str], roles: Sequence[str]) -> Iterator[Tuple[Tuple[str, ...], Tuple[Applied, ...]]]:
    """The cells after each cell fix that changed one of them, in `CELL_FIXES` order, with
    every change so far: a reader takes the first state that reads (the fewest repairs)."""
    out = list(cells)
    applied: List[Applied] = []
    for moved in (_rejoin_split(out, roles), _split_glued(out, roles)):
        if moved is not None:
            applied.append(moved)
            yield tuple(out), tuple(applied)
    for fix in CELL_FIXES:
        changed = False
        for index, role in enumerate(roles):
            if role not in fix.roles or not out[index].strip():
                continue
            fixed = fix.fix(out[index])
            if fixed.strip() != out[index].strip():
                applied.append(Applied(fix.kind, role, out[index].strip(), fixed.strip()))
                out[index], changed = fixed, True
        if changed:
            yield tuple(out), tuple(applied)


#: a shape cell that ran on into its count (`（N，150,150,3）0`, `[(None,10,6),(Non 360`).
_GLUED_COUNT = re.compile(r"(?P<shape>.*?(?:[)\]）]|[^\s,，]\s+))(?P<count>\d[\d,]*)\s*$")


#: a shape cell that begins with the end of the type the column boundary cut off (`li （None.8.8.256)`).
_SPLIT_TYPE = re.compile(r"\s*(?P<piece>[A-Za-z0-9_]{1,6}[)）]?)\s+(?P<shape>[(（\[{].*)")


def _rejoin_split(cells: List[str], roles: Sequence[str]) -> Optional[Applied]:
    """The end of a type cut into the shape cell, put back after the layer cell's open type
    (in place): an OCR'd screenshot's cells no longer stand under their titles."""
    if "layer" not in roles or "shape" not in roles:
        return None
    layer, shape = roles.index("layer"), roles.index("shape")
    match = _SPLIT_TYPE.fullmatch(cells[shape])
    if match is None or not re.search(r"[(（][A-Za-z]\w*$", cells[layer].rstrip()):
        return None
    before = f"{cells[layer].strip()} | {cells[shape].strip()}"
    cells[layer], cells[shape] = cells[layer].rstrip() + match["piece"], match["shape"]
    return Applied("cells-split", "layer", before, f"{cells[layer].strip()} | {cells[shape].strip()}")


def _split_glued(cells: List[str], roles: Sequence[str]) -> Optional[Applied]:
    """A count glued to the end of its shape, the count cell empty: cut apart (in place)."""
    if "shape" not in roles or "params" not in roles:
        return None
    shape, params = roles.index("shape"), roles.index("params")
    if cells[params].strip() or not cells[shape].strip():
        return None
    match = _GLUED_COUNT.fullmatch(cells[shape].strip())
    if match is None or not match["shape"].strip()[:1] in "([{（":
        return None
    before = cells[shape].strip()
    cells[shape], cells[params] = match["shape"].strip(), match["count"]
    return Applied("cells-glued", "shape", before, f"{cells[shape]} | {cells[params]}")


#: a type's letters and digits as OCR confuses them, both read alike (`convzD` and `Conv2D`,
#: `MaxPool1ng20` and `MaxPooling2D`).
_TYPE_LOOKS = str.maketrans("0125iI|", "olzslll")


def type_key(name: str) -> str:
    """A type name lower-cased, the characters OCR confuses read alike."""
    return name.lower().translate(_TYPE_LOOKS)


@cached(maxsize=4096)
def nearest_type(printed: str, names: Tuple[str, ...], cut: bool = False) -> Optional[str]:
    """The one class name of `names` a printed type the registry does not know is a few
    letters off (`LSTH` → `LSTM`, `oense` → `Dense`, `convzD` → `Conv2D`; a type the column
    edge `cut` against the name's start: `BatchNermali`), or None when none is or several
    are equally near."""
    if len(printed) < 3:
        return None
    key = type_key(printed)
    bound = 1 if len(key) < 8 or cut else 2  # (a short or cut type shows fewer letters: one edit)
    best: List[Tuple[int, str]] = []
    for name in names:
        other = type_key(name)
        if cut:
            other = other[:len(key)]
        distance = edit_distance(key, other, bound)
        if distance <= bound:
            best.append((distance, name))
    best.sort()
    if not best or len(best) > 1 and best[1][0] == best[0][0]:
        return None
    return best[0][1]


def _count_dots(text: str) -> str:
    """A count's thousands commas read as dots (`3,453.121`), before its size in parentheses."""
    head, paren, size = text.partition("(")
    return re.sub(r"(?<=\d)\.(?=\d{3}(?![\d.]))", ",", head) + paren + size


_TOTALS_NUMBER = re.compile(r"(?<![A-Za-z])[0-9OoQDlIS][0-9OoQDlIS.,]*(?![A-Za-z])")


def _totals_number(token: str) -> str:
    """A count or size of a totals line with letters read for digits: one holding a digit or
    a number's `.`/`,` (`o.oo`), all of it digits once read; else unchanged."""
    mapped = token.translate(DIGIT_LOOKS)
    if mapped == token or not mapped.replace(".", "").replace(",", "").isdigit():
        return token
    return mapped if any(ch.isdigit() for ch in token) or "." in token or "," in token else token


def _totals_digits(text: str) -> str:
    """Letters read for digits in a totals line's count and size (`8（o.oo B)`), its words kept."""
    head, colon, rest = text.partition(":")
    return head + colon + _TOTALS_NUMBER.sub(lambda m: _totals_number(m.group()), rest) if colon else text


#: a totals line whose words an OCR engine misread (`Total paras:`, `Trainble params:`).
_TOTALS_WORDS = re.compile(r"(?P<lead>\s*)(?P<kind>Total|Tra[a-z]{4,8}|Non-?\s?tra[a-z]{4,8}|Optimi[a-z]{2,4})"
                           r"\s+(?P<word>[Pp][a-z]{3,6})(?=\s*[:：])")
_KINDS = ("Total", "Trainable", "Non-trainable", "Optimizer")


def _totals_words(text: str) -> str:
    """A totals line's kind and `params` as printed, where OCR misread a letter or two."""
    match = _TOTALS_WORDS.match(text)
    if match is None or edit_distance(match["word"].lower(), "params", 2) > 2:
        return text
    kind = match["kind"]
    near = [k for k in _KINDS if edit_distance(kind.lower().replace(" ", ""), k.lower(), 2) <= 2]
    if len(near) != 1:
        return text
    return f"{match['lead']}{near[0]} params" + text[match.end():]


def is_misread_totals(text: str) -> bool:
    """A totals line whose words were misread (`Total paras:1l.269`): read as totals, repaired."""
    return _totals_words(text) != text


#: the totals line's repairs, in the order they are tried.
TOTALS_FIXES: Tuple[CellFix, ...] = (
    CellFix("totals-words", ("totals",), _totals_words),
    CellFix("fullwidth-punctuation", ("totals",), _fullwidth),
    CellFix("letters-for-digits", ("totals",), _totals_digits),
    CellFix("count-spacing", ("totals",), lambda text: re.sub(r"(?<=\d),\s+(?=\d{3}(?!\d))", ",", text)),
    CellFix("count-dots", ("totals",), _count_dots),
)


def repair_totals(text: str) -> Tuple[str, Tuple[Applied, ...]]:
    """A totals line through the totals repairs, and what changed."""
    applied: List[Applied] = []
    for fix in TOTALS_FIXES:
        fixed = fix.fix(text)
        if fixed != text:
            applied.append(Applied(fix.kind, "totals", text, fixed))
            text = fixed
    return text, tuple(applied)
