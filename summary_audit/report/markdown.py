"""A markdown report, to paste back into a post or an issue."""

from __future__ import annotations

from typing import List, Sequence

from ..model import Audit, Document
from .common import count_text, repairs_text, shape_text

STATUS_ICON = {"ok": "✅ ok", "mismatch": "❌ mismatch", "unverified": "❔ unverified"}


def render(document: Document, audits: Sequence[Audit]) -> str:
    parts: List[str] = []
    for audit in audits:
        summary = audit.summary
        parts.append(f"### {summary.model_name or 'Model'} (lines {summary.start_line}–{summary.end_line}): "
                     f"{STATUS_ICON[audit.status]}")
        parts.append("")
        parts.append("| Layer (type) | Output Shape | Param # | Expected | Status | Derivation |")
        parts.append("|---|---|--:|--:|---|---|")
        for row in audit.rows:
            why = "; ".join(p for p in (row.explanation, *row.messages) if p)
            parts.append(f"| {_cell(row.row.name)} ({_cell(row.row.type)}) | {_cell(shape_text(row.row.output_shape))} "
                         f"| {count_text(row.row.params)} | {count_text(row.expected_params)} "
                         f"| {STATUS_ICON[row.status]} | {_cell(why)} |")
        totals = audit.totals
        if totals.totals is not None:
            parts.append("")
            parts.append(f"Total params: {count_text(totals.totals.total)} "
                         f"(re-derived {count_text(totals.expected_total)}): {STATUS_ICON[totals.status]}")
        for finding in audit.findings:
            parts.append(f"- **{finding.severity}** (line {finding.line}): {_cell(finding.message)}")
        repaired = repairs_text(summary.repairs)
        if repaired:
            parts.append(f"- **info**: {_cell(repaired)}")
        parts.append("")
    for error in document.errors:
        parts.append(f"- **error** (line {error.line}, column {error.column}): {_cell(error.message)}")
    return "\n".join(parts).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
