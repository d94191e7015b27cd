"""What a summary suffers between a terminal and a user's paste, as functions on text.

Each mangler returns the damaged text, or None when it does not apply to that table (a
table whose rows span several lines cannot be collapsed onto one line and read back).
"""

from __future__ import annotations

import html
import re
from typing import Callable, Dict, List, Optional

Mangler = Callable[[str], Optional[str]]

ROW_WITH_COUNT = re.compile(r"\)\s+\d[\d,]*(\s|$)")


def _single_line_rows(text: str) -> bool:
    """Every row on its own line and nothing wrapped: only then can a table be collapsed."""
    lines = [line for line in text.splitlines() if line.strip()]
    if any(ch in text for ch in "┃│"):
        return False
    body = [line for line in lines if not re.match(r"^\s*([_=¯|]{5,}|Model:|Layer|Total|Trainable|Non-trainable|Optimizer|\s*#\s*$)", line)]
    return all(ROW_WITH_COUNT.search(line) for line in body)


def collapsed_with_comments(text: str) -> Optional[str]:
    """Seed 001: the whole table on one line, a `#` remark after each row."""
    rows = sum(1 for line in text.splitlines() if ROW_WITH_COUNT.search(line))
    if not _single_line_rows(text) or len(re.findall(r"^_{10,}", text, re.M)) < rows:
        return None  # only tables with a rule between rows keep them apart once collapsed
    out: List[str] = []
    for index, line in enumerate(text.splitlines()):
        line = line.strip()
        if not line:
            continue
        if ROW_WITH_COUNT.search(line) and not line.startswith(("Total", "Trainable", "Non-trainable")):
            line += f" #note {index}: layers.Something(3, (3, 3)), #层{index}"
        out.append(line)
    return "Intro text before the table: " + " ".join(out) + " and prose after it."


def collapsed_plain(text: str) -> Optional[str]:
    """The lines of a table glued with single spaces, no separators needed between rows."""
    if not _single_line_rows(text):
        return None
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def question_marks(text: str) -> Optional[str]:
    """Seed 003: the runs of spaces came through as `?`, and blank lines hold a lone `?`."""
    if "?" in text:
        return None
    damaged = re.sub(r" {2,}", lambda m: "?" * len(m.group()), text)
    return "\n?\n".join(damaged.splitlines()) + "\n"


def non_breaking_spaces(text: str) -> Optional[str]:
    return text.replace(" ", "\u00a0")


def ideographic_spaces(text: str) -> Optional[str]:
    return re.sub(r" {2,}", lambda m: "\u3000" * len(m.group()), text)


def tabs(text: str) -> Optional[str]:
    """Runs of spaces became tabs: the columns no longer line up."""
    if not _single_line_rows(text):
        return None
    return re.sub(r" {2,}", "\t", text)


def markdown_fence(text: str) -> Optional[str]:
    return "# My model\n\nHere is the summary:\n\n```text\n" + text.rstrip("\n") + "\n```\n\nAs you can see, it works.\n"


def quoted(text: str) -> Optional[str]:
    return "\n".join("> " + line for line in text.splitlines()) + "\n"


def html_pre(text: str) -> Optional[str]:
    return ("<!DOCTYPE html><html><head><title>My CNN</title></head><body>\n<p>The model &amp; its summary:</p>\n"
            "<pre><code>" + html.escape(text, quote=True) + "</code></pre>\n<p>Done.</p></body></html>\n")


def crlf(text: str) -> Optional[str]:
    return text.replace("\n", "\r\n")


def cut_before_totals(text: str) -> Optional[str]:
    """The paste stops before the totals (each table's `Total params` lines are gone)."""
    if "Total params" not in text:
        return None
    kept = [line for line in text.splitlines() if not re.search(r"(Total|Trainable|Non-trainable|Optimizer) params", line)]
    return "\n".join(kept) + "\n\nThen I trained it for ten epochs.\n"


def narrow_terminal(text: str, width: int = 80) -> Optional[str]:
    """Printed into a terminal narrower than the table: every long line broken at the width."""
    lines = text.splitlines()
    if max((len(line) for line in lines), default=0) <= width + 5:
        return None
    out: List[str] = []
    for line in lines:
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out) + "\n"


def line_numbers(text: str) -> Optional[str]:
    """Copied from a code viewer that numbers its lines."""
    return "\n".join(f"{number:>4}  {line}" for number, line in enumerate(text.splitlines(), start=1)) + "\n"


def left_margin_lost(text: str) -> Optional[str]:
    """A forum that strips the spaces at the start of every line. Continuation lines of a
    wrapped row then lose their column, so only tables whose rows fit on one line qualify."""
    if not (_single_line_rows(text) or "┃" in text):
        return None
    return "\n".join(line.lstrip() for line in text.splitlines()) + "\n"


def cp1252_console(text: str) -> Optional[str]:
    """Keras 3 printed to a Windows console: every box character became `?`."""
    if "┃" not in text or "?" in text:
        return None
    return re.sub(r"[┏┓┗┛┡┩┳┻╇╋┌┐└┘├┤┬┴┼━─┃│]", "?", text)


MANGLERS: Dict[str, Mangler] = {
    "line_numbers": line_numbers,
    "left_margin_lost": left_margin_lost,
    "cp1252_console": cp1252_console,
    "collapsed_with_comments": collapsed_with_comments,
    "collapsed_plain": collapsed_plain,
    "question_marks": question_marks,
    "non_breaking_spaces": non_breaking_spaces,
    "ideographic_spaces": ideographic_spaces,
    "tabs": tabs,
    "markdown_fence": markdown_fence,
    "quoted": quoted,
    "html_pre": html_pre,
    "crlf": crlf,
    "cut_before_totals": cut_before_totals,
    "narrow_terminal": narrow_terminal,
}
