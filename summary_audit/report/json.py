"""The JSON report: the contract outside checks read (`../shared/report.schema.json`).

Required fields keep their meaning; extra fields (`end_line`, `class_candidates`, ...) are
allowed by that schema and carry what a machine reader may want beyond it. The package ships
its own copy, `report.schema.json` beside this module (`schema()`): the shared one with every
field written here declared.
"""

from __future__ import annotations

import io
import json
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # (the C function when built)
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, TextIO

from .. import __version__
from ..model import AppliedRepair, Audit, Document, Finding, ReadError, RowAudit, TotalsAudit
from .common import shape_json

INDENT = "  "


def schema() -> Dict[str, Any]:
    """The report's JSON schema, shipped in the package: the shared contract plus every
    field this writer adds to it, each described."""
    from importlib.resources import files

    return json.loads(files(__package__).joinpath("report.schema.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def render(document: Document, audits: Sequence[Audit],
           extras: Optional[Sequence[Mapping[str, Any]]] = None) -> str:
    """The report as one string (what `json.dumps(report, indent=2)` would print)."""
    buffer = io.StringIO()
    write(document, audits, buffer, extras)
    return buffer.getvalue()


def write(document: Document, audits: Sequence[Audit], out: TextIO,
          extras: Optional[Sequence[Mapping[str, Any]]] = None) -> None:
    """Stream the report to `out`, a row at a time: a long table's report is never held whole
    (as a tree of dicts and as one string, it took 60 times the input's size). `extras` adds
    keys to each summary (the cross-check's)."""
    buffer = _Chunks(out)
    _emit(report(document, audits, extras), 0, buffer)
    buffer.flush()


def report(document: Document, audits: Sequence[Audit],
           extras: Optional[Sequence[Mapping[str, Any]]] = None) -> Dict[str, Any]:
    """The report's tree; its lists of summaries and rows are made as they are written."""
    more = list(extras or ())
    return {
        "version": __version__,
        "source": document.source,
        "summaries": _Lazy((_summary(audit, more[i] if i < len(more) else {}) for i, audit in enumerate(audits)),
                           nested=True),
        "errors": [_error(error) for error in document.errors],
    }


def plain_report(document: Document, audits: Sequence[Audit],
                 extras: Optional[Sequence[Mapping[str, Any]]] = None) -> Dict[str, Any]:
    """The report as plain dicts and lists: what one `json.dumps` writes whole (a `--jsonl` line)."""
    return _plain(report(document, audits, extras))  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if isinstance(value, _Lazy):
        return [_plain(item) for item in value]
    if isinstance(value, dict) and any(isinstance(item, _Lazy) for item in value.values()):
        return {key: _plain(item) for key, item in value.items()}
    return value


class _Chunks:
    """Writes gathered into pieces of about a megabyte: one system call a row would cost more
    than the row (an unbuffered stdout, `python -u`, writes each piece at once)."""

    LIMIT = 1 << 20

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.pieces: List[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.pieces.append(text)
        self.size += len(text)
        if self.size > self.LIMIT:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.pieces))
        self.pieces.clear()
        self.size = 0


class _Lazy:
    """A JSON list made item by item as it is written; `nested` when its items hold `_Lazy`
    lists in turn (the summaries; a row holds none, and is laid out whole)."""

    def __init__(self, items: Iterable[Any], nested: bool = False) -> None:
        self.items = items
        self.nested = nested

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


def _emit(value: Any, depth: int, out: "_Chunks") -> None:
    """`json.dumps(value, ensure_ascii=False, indent=2)` at this depth, streaming `_Lazy` lists."""
    inner = "\n" + INDENT * (depth + 1)
    if isinstance(value, _Lazy):
        empty, margin = True, INDENT * (depth + 1)
        for item in value:
            out.write(("[" if empty else ",") + inner)
            empty = False
            if value.nested:
                _emit(item, depth + 1, out)
            else:
                out.write(_layout(item, margin))
        out.write("[]" if empty else "\n" + INDENT * depth + "]")
        return
    if isinstance(value, dict) and any(isinstance(item, _Lazy) for item in value.values()):
        out.write("{")
        for position, (key, item) in enumerate(value.items()):
            out.write(("," if position else "") + inner + encode_basestring(key) + ": ")
            _emit(item, depth + 1, out)
        out.write("\n" + INDENT * depth + "}")
        return
    out.write(_layout(value, INDENT * depth))


def _float(value: float) -> str:
    """A float as the json module writes it (NaN and the infinities by their JavaScript names)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


#: Each scalar type's JSON text, by the functions the C encoder itself calls (strings escaped in C).
_SCALARS: Dict[type, Callable[[Any], str]] = {
    str: encode_basestring, int: int.__repr__, float: _float, bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null"}


def _layout(value: Any, margin: str) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)` starting at `margin`: the pure-Python
    encoder that `indent` selects was most of a long report's time; here only the layout is
    Python (one join a container, each scalar written inline by `_SCALARS`), and anything
    unusual (a non-string key, a type of its own) goes back to `json.dumps`."""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    kind = type(value)
    inner = margin + INDENT
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        items = [_SCALARS[type(item)](item) if type(item) in _SCALARS else _layout(item, inner) for item in value]
        return "[\n" + inner + (",\n" + inner).join(items) + "\n" + margin + "]"
    if kind is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        items = [encode_basestring(key) + ": " + (_SCALARS[type(item)](item) if type(item) in _SCALARS
                                                  else _layout(item, inner)) for key, item in value.items()]
        return "{\n" + inner + (",\n" + inner).join(items) + "\n" + margin + "}"
    text = json.dumps(value, ensure_ascii=False, indent=len(INDENT))
    return text.replace("\n", "\n" + margin) if margin and "\n" in text else text


def _summary(audit: Audit, extra: Mapping[str, Any]) -> Dict[str, Any]:
    summary = audit.summary
    return {
        "model_name": summary.model_name,
        "format": summary.format,
        "data_format": audit.data_format,
        "start_line": summary.start_line,
        "end_line": summary.end_line,
        "origin": summary.origin,
        "rows": _Lazy(_rows(audit.rows, summary.repairs)),
        "totals": _totals(audit.totals),
        "status": audit.status,
        "findings": [_finding(f) for f in audit.findings],
        "repairs": [_repair(r) for r in summary.repairs],
        **extra,
    }


def _rows(rows: Sequence[RowAudit], repairs: Sequence[AppliedRepair]) -> Iterator[Dict[str, Any]]:
    """Each row's report; a row whose lines a repair changed names those repairs (looked up by
    line: a table without repairs pays nothing)."""
    if not repairs:
        yield from map(_row, rows)
        return
    by_line: Dict[int, List[Dict[str, Any]]] = {}
    for repair in repairs:
        by_line.setdefault(repair.line, []).append(_repair(repair))
    for audit in rows:
        report = _row(audit)
        row = audit.row
        touched = [r for line in range(row.line, max(row.end_line, row.line) + 1) for r in by_line.get(line, ())]
        if touched:  # (after the cell repairs the row was read with, if any)
            report["repairs"] = report.get("repairs", []) + touched
        yield report


def _repair(repair: AppliedRepair) -> Dict[str, Any]:
    return {"kind": repair.kind, "line": repair.line, "column": repair.column}


def _row(audit: RowAudit) -> Dict[str, Any]:
    row = audit.row
    inferred = dict(audit.inferred)
    if audit.input_shapes and "input_shape" not in inferred:
        shapes = [shape_json(s) for s in audit.input_shapes]
        inferred["input_shape"] = shapes[0] if len(shapes) == 1 else shapes
    written = _row_fields(audit, row, inferred)
    if row.repairs:  # (only a row read through repairs has the key: every other report stays as it was)
        written["repairs"] = [{"kind": r.kind, "line": r.line, "cell": r.role, "before": r.before, "after": r.after}
                              for r in row.repairs]
    return written


def _row_fields(audit: RowAudit, row: Any, inferred: Dict[str, Any]) -> Dict[str, Any]:
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
        "alternatives": [_jsonable(dict(config)) for config in audit.also_fits],
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
    """Configs hold tuples; JSON wants lists. (Scalars, the commonest, are looked at first.)"""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)
