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

from .errors import SummaryAuditError

if TYPE_CHECKING:  # pragma: no cover
    from .model import Audit, Document

EXIT_OK, EXIT_MISMATCH, EXIT_UNREADABLE = 0, 1, 2
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
    """One file's document and audits; its read error (`readable` False) or parse error is
    the document's one `errors` entry."""
    from .model import Document, ReadError
    from .rows import parse
    from .verify import audit

    try:
        document = parse(_bytes(path), path)
    except OSError as error:
        document = Document(path, (), (ReadError(None, None, str(error.strerror or error)),))
    except SummaryAuditError as error:
        document = Document(path, (), (ReadError(error.line, error.column, error.message),))
    return document, [audit(summary) for summary in document.summaries]


def _bytes(path: str) -> bytes:
    """The file's bytes; '-' is standard input."""
    if path == "-":
        import sys

        return sys.stdin.buffer.read()
    with open(path, "rb") as handle:
        return handle.read()


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
    try:
        with open(path, "rb") as handle:
            return _SUMMARY_HINT.search(handle.read()) is not None
    except OSError:
        return True  # (reported as that file's error)
