"""The terminal report: one table per summary, each row with its mark and its formula."""

from __future__ import annotations

import io
import itertools
from typing import Sequence, TextIO

from tabulate import tabulate

from ..model import Audit, Document, ReadError, TotalsAudit
from .common import count_text, mark, repairs_text, shape_text

HEADERS = ("line", "layer (type)", "output shape", "Param #", "expected", "", "why")


def render(document: Document, audits: Sequence[Audit]) -> str:
    buffer = io.StringIO()
    write(document, audits, buffer)
    return buffer.getvalue()


def write(document: Document, audits: Sequence[Audit], out: TextIO) -> None:
    """Stream the report, a summary at a time (one table each, as `render` joins them): a
    document of thousands of summaries shows its first table at once and is never held whole."""
    parts = itertools.chain((_summary(audit) for audit in audits), (_error(document, e) for e in document.errors))
    for position, part in enumerate(parts):
        out.write("\n\n" + part if position else part)


def _error(document: Document, error: ReadError) -> str:
    place = ":".join(str(p) for p in (document.source or "<input>", error.line, error.column) if p)
    return f"{place}: {error.message}"


def _summary(audit: Audit) -> str:
    summary = audit.summary
    title = (f"{summary.model_name or '(unnamed model)'} — lines {summary.start_line}-{summary.end_line}, "
             f"{summary.format} layout, {audit.data_format or 'data format unknown'}: {mark(audit.status)}")
    rows = [(row.row.line, _layer(row.row.name, row.row.type, row.row.depth), shape_text(row.row.output_shape),
             count_text(row.row.params), count_text(row.expected_params), mark(row.status),
             _why(row.explanation, row.messages)) for row in audit.rows]
    table = tabulate(rows, headers=HEADERS, tablefmt="simple", disable_numparse=True,
                     colalign=("right", "left", "left", "right", "right", "left", "left"))
    lines = [title, table, _totals(audit.totals)]
    lines += [f"  {f.severity}: line {f.line}: {f.message}" if f.line else f"  {f.severity}: {f.message}"
              for f in audit.findings]
    repaired = repairs_text(summary.repairs)
    if repaired:
        lines.append(f"  info: {repaired}")
    return "\n".join(line for line in lines if line)


def _layer(name: str, printed_type: str, depth: int) -> str:
    return "  " * depth + (f"{name} ({printed_type})" if printed_type else name)


def _why(explanation: str | None, messages: Sequence[str]) -> str:
    return "; ".join(part for part in (explanation, *messages) if part)


def _totals(totals: TotalsAudit) -> str:
    printed = totals.totals
    if printed is None:
        return "Totals: not printed"
    pairs = (("Total", printed.total, totals.expected_total),
             ("Trainable", printed.trainable, totals.expected_trainable),
             ("Non-trainable", printed.non_trainable, totals.expected_non_trainable))
    shown = [f"{label} {count_text(value)}" + (f" (expected {count_text(expected)})"
                                               if expected is not None and expected != value else "")
             for label, value, expected in pairs if value is not None]
    if printed.optimizer is not None:
        shown.append(f"Optimizer {count_text(printed.optimizer)}")
    return "Totals: " + ", ".join(shown) + f": {mark(totals.status)}"
