"""Many files: one file's check as a pure function of its path, so that a corpus is a map over
paths (the command's process pool, or an engine such as `dask.bag` for one too big for a machine).

A file that cannot be read, or holds no summary, is that file's `errors`, never an exception:
a scan goes on past it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Sequence, Tuple

from .errors import EXIT_MISMATCH, EXIT_OK, EXIT_UNREADABLE, SummaryAuditError

if TYPE_CHECKING:  # pragma: no cover
    from .model import Audit, Document, ReadError

#: What any summary holds somewhere ("Param #" in its header, "params" in its totals), in every
#: printer's layout and inside HTML and notebooks: a folder's other files are not parsed at all.
_SUMMARY_HINT = re.compile(rb"param", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    """One file's result: its report (the JSON report as plain data), its exit status and its row count."""

    source: str
    report: Dict[str, Any]
    status: int
    rows: int


def report(path: str) -> Dict[str, Any]:
    """The JSON report of one file (what `summary-audit check PATH --json` prints), as plain
    data: the function to map over a corpus."""
    return check_file(path).report


def check_file(path: str) -> Checked:
    """Read, parse and audit one file; a read or parse error is the report's `errors`."""
    from .report.json import plain_report

    document, audits = read(path)
    return Checked(path, plain_report(document, audits), status(audits), sum(len(a.rows) for a in audits))


def read(path: str) -> Tuple["Document", List["Audit"]]:
    """One file's document and audits; its read error or parse error is the document's one
    `errors` entry."""
    document, audits, _ = read_checked(path)
    return document, audits


def read_checked(path: str) -> Tuple["Document", List["Audit"], bool]:
    """`read`, and whether the file's bytes were read at all (False: it could not be opened,
    or it is over the size limit): a scan leaves out a folder's file that holds no summary,
    never one it could not read."""
    from .model import Document
    from .rows import parse
    from .verify import audit

    try:
        data = read_bytes(path)
    except (OSError, SummaryAuditError) as error:
        return Document(path, (), (_read_error(error),)), [], False
    try:
        document = parse(data, path)
    except SummaryAuditError as error:
        document = Document(path, (), (_read_error(error),))
    return document, [audit(summary) for summary in document.summaries], True


def _read_error(error: Exception) -> "ReadError":
    from .model import ReadError

    if isinstance(error, SummaryAuditError):
        return ReadError(error.line, error.column, error.message)
    return ReadError(None, None, str(getattr(error, "strerror", None) or error))


def read_bytes(path: str) -> bytes:
    """The file's bytes; '-' is standard input. Read up to one byte over the size limit, never
    whole: `/dev/zero`, or a file of gigabytes, is refused in a line, not read into memory."""
    from .text.decoding import MAX_INPUT_BYTES

    if path == "-":
        import sys

        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise SummaryAuditError(f"input is longer than {MAX_INPUT_BYTES:,} bytes, the size limit", 1, 1)
    return data


def status(audits: Sequence[Any]) -> int:
    """The command's exit status for one file's audits: 2 no summary, 1 a mismatch, 0 all holds."""
    if not audits:
        return EXIT_UNREADABLE
    return EXIT_MISMATCH if any(a.status == "mismatch" for a in audits) else EXIT_OK


def json_line(checked: Checked) -> str:
    """The report on one line (the C encoder's own layout), for `--jsonl`."""
    return json.dumps(checked.report, ensure_ascii=False)


def expand(inputs: Sequence[str]) -> Iterator[Tuple[str, bool]]:
    """The files to check in the order given, each with whether it was named itself: a folder
    is every file under it (sorted, hidden ones left out) that may hold a summary; which of
    those does, the parse tells (one that holds none is left out of the scan)."""
    for item in inputs:
        if os.path.isdir(item):
            yield from ((path, False) for path in _walk(item) if _may_hold_summary(path))
        else:
            yield item, True


def _walk(folder: str) -> List[str]:
    found: List[Tuple[str, ...]] = []
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(tuple(os.path.join(root, name).split(os.sep)) for name in files if not name.startswith("."))
    return [os.sep.join(parts) for parts in sorted(found)]


def _may_hold_summary(path: str) -> bool:
    """A cheap look before the parse: every summary prints the word "param"."""
    from .text.decoding import MAX_INPUT_BYTES

    try:
        with open(path, "rb") as handle:  # (no further than the parse would read)
            return _SUMMARY_HINT.search(handle.read(MAX_INPUT_BYTES + 1)) is not None
    except OSError:
        return True  # (reported as that file's error)
