"""Bytes → text: whatever code page a paste was saved in, and a refusal of binary data.

BOMs first (UTF-32, UTF-8, UTF-16), then UTF-16 without a BOM (sniffed from its zero bytes),
UTF-8, and the legacy code pages Chinese and Russian pages are still saved in (GB18030, Windows-1251), whichever
reads as text. (Named `decoding`, not `decode`: the package exports the function `decode`,
which would hide a module of the same name.)
"""

from __future__ import annotations

import codecs
from typing import Optional, Tuple

from ..errors import SummaryAuditError

MAX_INPUT_BYTES = 50 * 1024 * 1024


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
