"""The JSON report: the contract outside checks read (`../shared/report.schema.json`).

Required fields keep their meaning; extra fields (`end_line`, `class_candidates`, ...) are
allowed by the schema and carry what a machine reader may want beyond it.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional, Sequence

from .. import __version__
from ..model import Audit, Document, Finding, ReadError, RowAudit, TotalsAudit
from .common import shape_json


def render(document: Document, audits: Sequence[Audit]) -> str:
    return json.dumps(report(document, audits), ensure_ascii=False, indent=2)


def report(document: Document, audits: Sequence[Audit]) -> Dict[str, Any]:
    return {
        "version": __version__,
        "source": document.source,
        "summaries": [_summary(audit) for audit in audits],
        "errors": [_error(error) for error in document.errors],
    }


def _summary(audit: Audit) -> Dict[str, Any]:
    summary = audit.summary
    return {
        "model_name": summary.model_name,
        "format": summary.format,
        "data_format": audit.data_format,
        "start_line": summary.start_line,
        "end_line": summary.end_line,
        "origin": summary.origin,
        "rows": [_row(row) for row in audit.rows],
        "totals": _totals(audit.totals),
        "status": audit.status,
        "findings": [_finding(f) for f in audit.findings],
    }


def _row(audit: RowAudit) -> Dict[str, Any]:
    row = audit.row
    inferred = dict(audit.inferred)
    if audit.input_shapes and "input_shape" not in inferred:
        shapes = [shape_json(s) for s in audit.input_shapes]
        inferred["input_shape"] = shapes[0] if len(shapes) == 1 else shapes
    return {
        "line": row.line,
        "end_line": row.end_line or row.line,
        "name": row.name,
        "type": row.type,
        "layer_class": row.layer_class or audit.layer_class,
        "class_candidates": list(row.class_candidates),
        "output_shape": shape_json(row.output_shape),
        "params": row.params,
        "params_note": row.params_note,
        "trainable": row.trainable,
        "depth": row.depth,
        "connected_to": list(row.connected_to),
        "inbound": [ref.text or ref.layer for ref in row.inbound],
        "status": audit.status,
        "expected_params": audit.expected_params,
        "expected_output_shape": shape_json(audit.expected_shape),
        "inferred": _jsonable(inferred),
        "explanation": audit.explanation,
        "messages": list(audit.messages),
    }


def _totals(audit: TotalsAudit) -> Optional[Dict[str, Any]]:
    totals = audit.totals
    if totals is None:
        return None
    return {
        "total": totals.total,
        "trainable": totals.trainable,
        "non_trainable": totals.non_trainable,
        "optimizer": totals.optimizer,
        "sizes_bytes": dict(totals.sizes),
        "lines": dict(totals.lines),
        "expected_total": audit.expected_total,
        "expected_trainable": audit.expected_trainable,
        "expected_non_trainable": audit.expected_non_trainable,
        "status": audit.status,
    }


def _finding(finding: Finding) -> Dict[str, Any]:
    return {"severity": finding.severity, "line": finding.line, "code": finding.code,
            "message": finding.message}


def _error(error: ReadError) -> Dict[str, Any]:
    return {"line": error.line, "column": error.column, "message": error.message}


def _jsonable(value: Any) -> Any:
    """Configs hold tuples; JSON wants lists."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
