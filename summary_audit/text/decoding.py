"""Bytes → text: whatever code page a paste was saved in, and a refusal of binary data.

BOMs first (UTF-32, UTF-8, UTF-16), then UTF-16 without a BOM (sniffed from its zero bytes),
UTF-8, and the legacy code pages Chinese and Russian pages are still saved in (GB18030/GBK,
Big5, Windows-1251, KOI8-R): the reading that is plausible as a language wins (common
ideographs, Russian words in the case a language writes them: the wrong code page reads as
rare ideographs, symbols, or Cyrillic letters of alternating case). A UTF-8 page with a few
stray bytes (a Latin-1 `é` pasted into it) stays UTF-8: each stray byte is read as Windows-1252
and recorded, with its line and column. (Named `decoding`, not `decode`: the package exports
the function `decode`, which would hide a module of the same name.)
"""

from __future__ import annotations

import codecs
import re
from typing import FrozenSet, List, NamedTuple, Optional, Tuple

from ..errors import SummaryAuditError
from ..memo import once
from .lines import AppliedRepair

MAX_INPUT_BYTES = 50 * 1024 * 1024
#: the legacy code pages tried, in the order a tie is settled.
LEGACY = ("gb18030", "big5", "cp1251", "koi8-r")
#: how much of a legacy reading is scored (its first characters): a page's language shows early.
SCORED_CHARS = 200_000
#: the share of a reading's non-ASCII characters that must read as a language for it to be taken.
PLAUSIBLE = 0.6
#: the repair recorded for each line where a stray byte of a UTF-8 page was read as Windows-1252.
STRAY_BYTES = "stray-bytes"


class Decoded(NamedTuple):
    """A paste's text, and the decoding's repairs (stray bytes read as Windows-1252), by line."""

    text: str
    repairs: Tuple[AppliedRepair, ...] = ()


def decode(data: bytes) -> str:
    """Decode a paste whatever code page it was saved in; refuse binary data."""
    return decode_page(data).text


def decode_page(data: bytes) -> Decoded:
    """`decode`, with the repairs it made (the stray bytes of a UTF-8 page, where they stand)."""
    if len(data) > MAX_INPUT_BYTES:
        raise SummaryAuditError(f"input is {len(data):,} bytes, over the {MAX_INPUT_BYTES:,}-byte limit", 1, 1)
    decoded = _decode_text(data)
    text = decoded.text
    controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\t\n\r\f\x1b")
    if controls > max(2, len(text[:65536]) // 100):
        line, column = _first_binary_position(text)
        raise SummaryAuditError("binary data, not text: nothing to read as a summary", line, column)
    return decoded


def _decode_text(data: bytes) -> Decoded:
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return Decoded(data.decode(encoding, errors="replace"))
    utf16 = _sniff_utf16(data)
    if utf16:
        return Decoded(data.decode(utf16, errors="replace"))
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="surrogateescape")  # each stray byte: a lone surrogate
    stray = len(lenient) - len(STRAY.sub("", lenient))  # (counted in C: a page may hold millions)
    outside_ascii = len(lenient) - len(lenient.encode("ascii", errors="ignore"))
    if stray * 50 <= outside_ascii - stray:
        return _stray_bytes_read(lenient)  # a UTF-8 page (its other non-ASCII characters say so)
    legacy = _decode_legacy(data)
    return Decoded(legacy) if legacy is not None else _stray_bytes_read(lenient)


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


# ---- a UTF-8 page with stray bytes -------------------------------------------------------------

#: a byte that is not UTF-8, as `surrogateescape` decodes it.
STRAY = re.compile("[\udc80-\udcff]")
#: a line break as `documents.document_lines` counts them (CRLF, CR, LF).
LINE_BREAK = re.compile(r"\r\n?|\n")


def _stray_bytes_read(lenient: str) -> Decoded:
    """The stray bytes of a UTF-8 page read as Windows-1252 (Latin-1 where it has no letter),
    one repair a line that held any, at the line and column of the first."""
    repairs: List[AppliedRepair] = []
    line, line_start, searched = 1, 0, 0
    for match in STRAY.finditer(lenient):
        for brk in LINE_BREAK.finditer(lenient, searched, match.start()):
            line, line_start = line + 1, brk.end()
        searched = match.start()
        if not repairs or repairs[-1].line != line:
            repairs.append(AppliedRepair(STRAY_BYTES, line, match.start() - line_start + 1))
    return Decoded(STRAY.sub(_as_cp1252, lenient), tuple(repairs))


def _as_cp1252(match: "re.Match[str]") -> str:
    byte = bytes([ord(match.group()) - 0xDC00])
    return byte.decode("cp1252", errors="ignore") or byte.decode("latin-1")


# ---- the legacy code pages ---------------------------------------------------------------------


def _decode_legacy(data: bytes) -> Optional[str]:
    """The legacy reading most plausible as a language, if any is."""
    best: Optional[Tuple[float, int, str]] = None
    for rank, encoding in enumerate(LEGACY):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = plausibility(text[:SCORED_CHARS])
        if best is None or (score, -rank) > best[:2]:
            best = (score, -rank, text)
    return best[2] if best is not None and best[0] >= PLAUSIBLE else None


#: a run of letters (any script), or one other character outside ASCII.
WORD_OR_SIGN = re.compile(r"[^\W\d_]+|[^\x00-\x7f]")
RUSSIAN = re.compile("[А-яЁё]+")
#: what a common ideograph counts, a little under a Russian word's letter: random byte pairs
#: often read as common ideographs, never as words in a language's case (a Russian page saved
#: in GBK or Big5, whose Cyrillic both readings of it make plausible, is read as Russian).
IDEOGRAPH_WEIGHT = 0.95


def plausibility(text: str) -> float:
    """The share of the text's non-ASCII characters that read as a language: common Chinese
    ideographs (simplified or traditional), CJK punctuation, and Russian words written in
    lower case or capitalized (a word in capitals counts half: a misread code page turns a
    lower-case word into one). Symbols, rare ideographs, Cyrillic glued to Latin letters and
    words of mixed case count nothing. (A Python loop over the characters outside ASCII: the
    caller scores a page's first `SCORED_CHARS` only.)"""
    common = common_ideographs()
    good = total = 0.0
    for match in WORD_OR_SIGN.finditer(text):
        run = match.group()
        if run.isascii():
            continue
        total += sum(not ch.isascii() for ch in run)
        if RUSSIAN.fullmatch(run):
            good += len(run) * _case_weight(run)
        else:
            good += IDEOGRAPH_WEIGHT * sum(ch in common or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e"
                                           for ch in run)
    return good / total if total else 0.0


def _case_weight(word: str) -> float:
    if word.islower() or word[0].isupper() and word[1:].islower():
        return 1.0
    return 0.5 if word.isupper() else 0.0


@once
def common_ideographs() -> FrozenSet[str]:
    """The ideographs Chinese text is mostly written in: GB2312's first level (the 3,755 most
    used simplified characters) and Big5's frequent ones (the 5,401 of A440-C67E)."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        chars.update(bytes([lead, trail]).decode("gb2312", errors="ignore") for trail in range(0xA1, 0xFF))
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (lead, trail) < (0xC6, 0x7F):
                chars.add(bytes([lead, trail]).decode("big5", errors="ignore"))
    chars.discard("")
    return frozenset(chars)
