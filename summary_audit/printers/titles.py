"""A header's titles read tolerantly: what an OCR'd screenshot or a retyped table made of
them (`Layer (Type)`, `Parans #`, `0utput Shape`, `Layer(tyoe)`, `outputShape`), and the
columns a header names that are no role of the summary (a `No` or `#` index column).

The strict reading (`layout.header_roles`, `COLUMN_TITLES`) is tried first; this one reads a
header that one has refused or read with words left over. Each title is compared with the
printed forms of the roles below, squeezed (letters, digits and `#` only, lower case, digit
look-alikes read as letters) and allowed a few edits by its length. A word that is no title
becomes an `ignore` column (its cells are cut and set aside), and one word that stands where
the output shape stands in every printer (between the layer and the count, with no shape
title found: rapidocr reads a title box upside down, `adeusndino`) is read as that title.
Every title read other than as printed is a `TitleRepair`; the table's rows must then read
and fit their formulas like any other.
"""

from __future__ import annotations

import re
from typing import List, NamedTuple, Optional, Sequence, Tuple

from ..memo import cached

#: the role of a column whose title is no role of the summary: cut, then set aside.
IGNORE = "ignore"
#: every role's printed titles, the role's usual one first (the words of `COLUMN_TITLES`).
PRINTED_TITLES: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("layer", ("Layer (type)", "Layer")),
    ("input", ("Input Shape",)),
    ("shape", ("Output Shape", "Output shape", "Output")),  # (TensorFlow.js: `Output shape`)
    ("params", ("Param #", "Params #", "Param", "Params")),
    ("connected", ("Connected to", "Receives inputs", "Connected")),
    ("trainable", ("Trainable",)),
)
ORDER = tuple(role for role, _ in PRINTED_TITLES)
#: OCR's digits for the letters of a title (`0utput`, `Layer (type)` as `1ayer`).
_DIGIT_LOOKS = str.maketrans("015|", "olsl")
#: a word of a header: cut at spaces and at the bars of a box or markdown table.
_WORD = re.compile(r"[^\s|┃│]+")
#: the most words one title may be read from (`Layer ( type )`, `Param  #`).
_MOST_WORDS = 4


def squeeze(title: str) -> str:
    """A title's letters, digits and `#`, lower case, digit look-alikes as letters."""
    return "".join(ch for ch in title.lower().translate(_DIGIT_LOOKS) if ch.isalnum() or ch == "#")


def allowed_edits(squeezed: str) -> int:
    """How many edits a title of this length may have suffered and still be read as one."""
    size = len(squeezed)
    return 0 if size < 4 else 1 if size < 6 else 2 if size < 10 else 3


def edit_distance(a: str, b: str, bound: int) -> int:
    """Levenshtein distance, `bound + 1` as soon as it is known to exceed `bound`."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]


_AS_PRINTED = frozenset(title for _, titles in PRINTED_TITLES for title in titles)
_SQUEEZED = tuple((role, title, squeeze(title)) for role, titles in PRINTED_TITLES for title in titles)


class TitleRepair(NamedTuple):
    """A title read other than as printed: its role, the text printed, the title read."""

    role: str
    before: str
    after: str


class Titles(NamedTuple):
    """A header read tolerantly: (role, start column) of each column, left to right, and the
    titles read other than as printed."""

    roles: Tuple[Tuple[str, int], ...]
    repairs: Tuple[TitleRepair, ...]


class _Word(NamedTuple):
    text: str
    start: int
    end: int


def _words(header: str) -> List[_Word]:
    return [_Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(header)]


def _same_cell(header: str, words: Sequence[_Word]) -> bool:
    """Words one title may be read from: at most two spaces apart and no bar between them."""
    for left, right in zip(words, words[1:]):
        gap = header[left.end:right.start]
        if len(gap) > 2 or gap.strip():
            return False
    return True


def _best_title(text: str, roles: Sequence[str]) -> Optional[Tuple[int, str, str]]:
    """(edits, role, title) of the nearest printed title of one of `roles` within its
    allowed edits; a title that is a letter off another role's is not read at all."""
    squeezed = squeeze(text)
    if not squeezed:
        return None
    found = []
    for role, title, form in _SQUEEZED:
        bound = allowed_edits(form)
        distance = edit_distance(squeezed, form, bound)
        if distance <= bound:
            found.append((distance, role, title))
    if not found:
        return None
    found.sort()
    best = found[0]
    if best[1] not in roles or any(other[1] != best[1] and other[0] <= best[0] for other in found[1:]):
        return None
    return best


def _match_at(header: str, words: Sequence[_Word], index: int, used: int
              ) -> Optional[Tuple[int, int, str, str]]:
    """The title that starts at word `index`: (words taken, edits, role, title), the roles
    after `used` (an index into `ORDER`) only; the reading of the most words (a title's
    words misread one by one: `output shage`, `Layer Itype)`, `Paran e`), the nearest of
    those."""
    best: Optional[Tuple[int, int, str, str]] = None
    if not any(ch.isalpha() for ch in words[index].text):
        return None  # (a title starts with a word: `3  Layer (type)` is a line number, then the title)
    for size in range(1, _MOST_WORDS + 1):
        group = words[index:index + size]
        if len(group) < size or not _same_cell(header, group):
            break
        found = _best_title(header[group[0].start:group[-1].end], ORDER[used + 1:])
        if found is not None:
            best = (size, found[0], found[1], found[2])
    return best


@cached(maxsize=4096)
def read_titles(header: str) -> Optional[Titles]:
    """The columns of a header whose titles may be misread, or None when it is no header:
    a layer title first (after at most one index column), a shape title (or one word where
    it stands), a count title, at most two words that are no title, each role once and in
    the printers' order."""
    words = _words(header)
    if not words or len(words) > 16:
        return None
    roles: List[Tuple[str, int]] = []
    repairs: List[TitleRepair] = []
    used, index, unknown = -1, 0, []
    while index < len(words):
        match = _match_at(header, words, index, used)
        if match is None:
            unknown.append(len(roles))
            roles.append((IGNORE, words[index].start))
            index += 1
            continue
        size, _, role, title = match
        printed = header[words[index].start:words[index + size - 1].end]
        if printed not in _AS_PRINTED:
            repairs.append(TitleRepair(role, printed, title))
        roles.append((role, words[index].start))
        used, index = ORDER.index(role), index + size
    return _checked(header, roles, repairs, unknown)


def _checked(header: str, roles: List[Tuple[str, int]], repairs: List[TitleRepair], unknown: List[int]
             ) -> Optional[Titles]:
    """The columns read, if they make a header (see `read_titles`)."""
    names = [role for role, _ in roles]
    if names[:1] == [IGNORE] and "layer" not in names and "shape" in names and "params" in names:
        # (one word where every printer puts `Layer (type)`, before the shape and count titles read)
        roles[0] = ("layer", roles[0][1])
        repairs.append(TitleRepair("layer", _index_title(header, roles[0][1]), "Layer (type)"))
        unknown.remove(0)
        names[0] = "layer"
    if "layer" not in names or "params" not in names or len(unknown) > 2:
        return None
    first = names.index("layer")
    if first > 1 or (first == 1 and len(_index_title(header, roles[0][1])) > 4):
        return None
    if "shape" not in names:
        between = [i for i in unknown if first < i < names.index("params")]
        if len(between) != 1:
            return None  # (a layer and a count alone: words, not a header)
        at = between[0]
        roles[at] = ("shape", roles[at][1])
        repairs.append(TitleRepair("shape", _index_title(header, roles[at][1]), "Output Shape"))
    return Titles(tuple(roles), tuple(repairs))


def _index_title(header: str, start: int) -> str:
    match = _WORD.match(header, start)
    return match.group() if match else ""


#: a line holding three digits or more: a row (its shape and count), never a header.
_THREE_DIGITS = re.compile(r"(?:\D*\d){3}")
#: what a line whose titles were misread still holds, one of them at least (`Layer`, `Parans`,
#: `Paran #`): where such headers are looked for.
HEADER_WORDS = ("ayer", "AYER", "Para")


def looks_like_header(text: str) -> bool:
    """A line that may be a header whose titles were misread: few digits (a row holds its
    count), read as a header by `read_titles`."""
    if len(text) > 400 or _THREE_DIGITS.match(text):
        return False
    return read_titles(text.rstrip()) is not None
