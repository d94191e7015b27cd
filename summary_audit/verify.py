"""Verification: each row ok / mismatch / unverified with the reason, and the totals checked
(rows add up, trainable + non-trainable (+ optimizer) = total, what is not trained, bytes)."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import partial
from types import MappingProxyType
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from .infer import RowInference, counted_once, infer, shape_fits
from .layers import REGISTRY
from .layers.base import CutNames
from .layers.base import fmt
from .model import Audit, Candidate, CellRepair, Code, Finding, Row, RowAudit, Status, Summary, Totals, TotalsAudit, record
from .printers import by_format
from .text.repairs import DOUBTFUL_KINDS
from .report.common import shape_text

DTYPE_BYTES = ((4, "float32"), (2, "float16/bfloat16"), (8, "float64"), (1, "int8/uint8"))
UNITS = ("B", "KB", "MB", "GB", "TB")


def audit(summary: Summary) -> Audit:
    checked = _audit(summary)
    renamed = _typed_by_name(summary, checked)
    return checked if renamed is None else renamed


def _typed_by_name(summary: Summary, checked: Audit) -> Optional[Audit]:
    """A retyped table that put the wrapped layer in the parentheses and the class in the name
    (`Bidirectional (LSTM)`, `Bidirectional_1 (LSTM)`): rows that do not fit their type but
    are named after another class are read as that class — kept only if every such row then
    fits (`ok`), each reading recorded as a repair; else None (the audit as printed stands)."""
    renamed: Dict[int, Row] = {}
    for index, row_audit in enumerate(checked.rows):
        row = row_audit.row
        named = REGISTRY.class_named(row.name) if row_audit.status == "mismatch" and not row.truncated else None
        if named is not None and named != (row.layer_class or row_audit.layer_class):
            repair = CellRepair("type-from-name", row.line, "layer", row.type, named)
            renamed[index] = row._replace(layer_class=named, class_candidates=(named,), repairs=row.repairs + (repair,))
    if not renamed:
        return None
    rows = tuple(renamed.get(index, row) for index, row in enumerate(summary.rows))
    said = tuple(Finding("info", row.line, Code.REPAIRED_CELL, f"{row.name}: type {row.type!r} read as "
                         f"{row.layer_class!r}, the class the row is named after (type-from-name)")
                 for row in renamed.values())
    again = _audit(replace(summary, rows=rows, findings=summary.findings + said))
    return again if all(again.rows[index].status == "ok" for index in renamed) else None


def _audit(summary: Summary) -> Audit:
    inference = infer(summary)
    findings: List[Finding] = list(summary.findings)
    rows = _with_sources_checked(summary, _row_audits(summary.rows, inference.rows, findings), findings)
    unlinked = frozenset(f.line for f in summary.findings if f.code == Code.BAD_CONNECTED and f.line is not None)
    retyped = frozenset(r.line for r in summary.repairs if r.kind in DOUBTFUL_KINDS)
    if unlinked or retyped or any(row.repairs for row in summary.rows):
        rows = _trust_repairs_that_fit(rows, findings, unlinked, retyped)
    totals = _totals_audit(summary, rows, findings)
    return Audit(summary=summary, rows=rows, totals=totals, data_format=inference.data_format,
                 status=_summary_status(rows, totals, findings), findings=tuple(findings))


# ---- rows --------------------------------------------------------------------------------------


def _row_audits(rows: Sequence[Row], results: Sequence[RowInference], findings: List[Finding]
                ) -> Tuple[RowAudit, ...]:
    """Every row's audit. An exact row's audit depends on its row only through the `row`
    field, and rows read alike share one inference object (`infer._infer_row`'s memo: a long
    table repeats them), so such rows copy the first one's audit; the ids are safe keys while
    the inference holds its results."""
    shared: Dict[int, RowAudit] = {}
    audits: List[RowAudit] = []
    keep, known = audits.append, shared.get
    for row, result in zip(rows, results):
        first = known(id(result))
        if first is not None:
            keep(_with_row(first, row))
            continue
        audit = _new_row_audit(row, result, findings)
        if result.exact and result.best is not None and len(result.input_shapes) <= 1:
            shared[id(result)] = audit  # (several inputs: a list in `inferred`, not shared)
        keep(audit)
    return tuple(audits)


def _with_row(audit: RowAudit, row: Row) -> RowAudit:
    """`audit._replace(row=row)`, made in C (a long table copies one a row). Its `inferred`
    is read-only: shared safely."""
    return _NEW_ROW_AUDIT((row,) + audit[1:])


_NEW_ROW_AUDIT = partial(tuple.__new__, RowAudit)


def _new_row_audit(row: Row, result: RowInference, findings: List[Finding]) -> RowAudit:
    best = result.best
    if row.params is None and row.params_note == "cut":
        return _cut_count_audit(row, result, findings)
    if best is None and result.problem:
        findings.append(Finding("error", row.line, Code.SHAPE_MISMATCH, f"{row.name}: {result.problem}"))
        return RowAudit(row=row, status="mismatch", input_shapes=result.input_shapes, messages=(result.problem,),
                        layer_class=result.layer_class)
    if best is None:
        reason = result.reason or "nothing to check"
        findings.append(Finding("info" if row.layer_class or row.class_candidates else "warning", row.line,
                                Code.UNKNOWN_LAYER if result.layer_class is None else Code.UNVERIFIED_ROW,
                                f"{row.name}: {reason}"))
        return RowAudit(row=row, status="unverified", input_shapes=result.input_shapes, messages=(reason,),
                        layer_class=result.layer_class)
    config = dict(best.config)
    if result.input_shapes and "input_shape" not in config:
        config["input_shape"] = result.input_shapes[0] if len(result.input_shapes) == 1 else list(result.input_shapes)
    messages: List[str] = []
    if best.note:
        messages.append(best.note)
    close = _close_alternatives(result)
    if result.exact and row.params_note == "unread":
        messages.insert(0, "Param # not read: only the shape checked")
        status: Status = "unverified"
    elif result.exact:
        messages.extend(_also_fits_text(best, close))
        status = "ok"
    else:
        status = "mismatch"
        messages.extend(_mismatch_messages(row, result, findings))
        if result.hint:
            messages.append(result.hint)
    return RowAudit(row=row, status=status, input_shapes=result.input_shapes, expected_params=best.params,
                    expected_shape=best.output_shape, inferred=MappingProxyType(config), explanation=best.explanation,
                    messages=tuple(messages), alternatives=result.alternatives,
                    trainable_params=best.trainable_params, non_trainable_params=best.non_trainable_params,
                    layer_class=result.layer_class,
                    also_fits=tuple(MappingProxyType(dict(c.config)) for c in close) if result.exact else ())


def _cut_count_audit(row: Row, result: RowInference, findings: List[Finding]) -> RowAudit:
    """A Param # the printer cut (`2,72…`, or lost past the console's edge): nothing to compare,
    whatever the shapes say it should be — unverified, with what they say."""
    best = result.best
    reason = "Param # cut by the printer: not compared"
    if best is not None and best.params is not None and result.exact:
        reason += f" (the shapes give {best.params:,})"
    findings.append(Finding("info", row.line, Code.UNVERIFIED_ROW, f"{row.name}: {reason}"))
    return RowAudit(row=row, status="unverified", input_shapes=result.input_shapes,
                    expected_params=best.params if best is not None else None,
                    expected_shape=best.output_shape if best is not None else None, messages=(reason,),
                    layer_class=result.layer_class)


def _close_alternatives(result: RowInference) -> List[Candidate]:
    """The other exact readings about as usual as the best (rank within 1) that differ from it."""
    best = result.best
    if best is None:
        return []
    return [other for other in result.alternatives
            if other.rank <= best.rank + 1.0 and _differing(best, other)]


def _differing(best: Candidate, other: Candidate) -> Dict[str, Any]:
    return {k: v for k, v in other.config.items() if best.config.get(k) != v and k != "input_shape"}


def _also_fits_text(best: Candidate, close: Sequence[Candidate]) -> List[str]:
    texts = [", ".join(f"{k}={_value(v)}" for k, v in _differing(best, other).items()) for other in close]
    return [f"also fits: {'; '.join(texts)}"] if texts else []


def _value(value: object) -> str:
    return str(tuple(value)) if isinstance(value, list) else str(value)


def _mismatch_messages(row: Row, result: RowInference, findings: List[Finding]) -> List[str]:
    best = result.best
    assert best is not None
    messages = []
    if best.params is not None and row.params is not None and best.params != row.params:
        text = f"printed {fmt(row.params)}; {best.explanation}" if best.explanation else \
            f"printed {fmt(row.params)}; expected {fmt(best.params)}"
        messages.append(text)
        findings.append(Finding("error", row.line, Code.PARAM_MISMATCH, f"{row.name}: {text}"))
    if not shape_fits(best.output_shape, row.output_shape):
        text = f"printed output {shape_text(row.output_shape)}; expected {shape_text(best.output_shape)}"
        if best.explanation and not messages:
            text += f" ({best.explanation})"
        messages.append(text)
        findings.append(Finding("error", row.line, Code.SHAPE_MISMATCH, f"{row.name}: {text}"))
    if not messages:
        messages.append("no configuration reproduces this row")
        findings.append(Finding("error", row.line, Code.PARAM_MISMATCH, f"{row.name}: {messages[0]}"))
    return messages


# ---- connections -------------------------------------------------------------------------------


def _with_sources_checked(summary: Summary, rows: Tuple[RowAudit, ...], findings: List[Finding]
                          ) -> Tuple[RowAudit, ...]:
    """Every layer a `Connected to` cell names must be a row of the table: a reference to no
    row is a wrong cell. Asked only of tables read whole (no row left out or unread, no cell
    cropped at a console's edge, where a name loses its end unmarked) whose
    printer prints every layer it names, and whose graph starts at input rows (Keras 1's merged
    Sequential branches print none, and name layers they never print); never of the first row."""
    if summary.gaps or any(f.severity == "error" or f.code in _LINKS_IN_DOUBT for f in summary.findings) or \
            any(row.repairs or row.params_note == "unread" for row in summary.rows) or \
            not by_format(summary.format).names_every_source or not any(r.inbound for r in summary.rows) or \
            not any(map(REGISTRY.is_input_row, summary.rows)):
        return rows
    names = {row.name for row in summary.rows if row.name}
    cut = CutNames(names)
    checked = list(rows)
    for index, row in enumerate(summary.rows[1:], start=1):
        missing = [ref.layer for ref in row.inbound if ref.layer not in names and not cut.matches(ref.layer)]
        if missing:
            text = f"Connected to names {', '.join(missing)}, which is no layer of this table"
            findings.append(Finding("error", row.line, Code.UNKNOWN_SOURCE, f"{row.name}: {text}"))
            audit = checked[index]
            checked[index] = audit._replace(status="mismatch", messages=audit.messages + (text,))
    return tuple(checked)


#: findings that say some `Connected to` cell or row name may not be whole: a cropped table's,
#: links that did not read.
_LINKS_IN_DOUBT = (Code.TABLE_CROPPED, Code.BAD_CONNECTED)


def _trust_repairs_that_fit(rows: Sequence[RowAudit], findings: List[Finding], unlinked: FrozenSet[int],
                            retyped: FrozenSet[int] = frozenset()) -> Tuple[RowAudit, ...]:
    """A row read through repairs (an OCR'd `2S6` read as `256`), or whose `Connected to` did
    not read (`unlinked` lines: read as if it followed the row above), is believed only where
    it fits: one that does not is unverified, never a mismatch — and so is a row that does not
    fit an input read from such a row, or that is blamed by such a row (`(line N)` in its
    messages): the repair or the guess, not the table, may be wrong."""
    repaired = {audit.row.line for audit in rows if audit.row.repairs or _touched(audit.row, retyped)}
    doubtful = repaired | unlinked
    names = {audit.row.name for audit in rows if audit.row.line in doubtful}
    out: List[RowAudit] = []
    dropped: List[int] = []
    for index, audit in enumerate(rows):
        if audit.status == "mismatch" and _doubted(rows, index, doubtful, names):
            why = "read with repairs that do not fit its formulas" if audit.row.line in repaired else \
                "its Connected to was not read" if audit.row.line in unlinked else \
                "it is checked against a row read with repairs or without its links"
            audit = audit._replace(status="unverified", messages=(f"not checked: {why}",) + audit.messages)
            dropped.append(audit.row.line)
        out.append(audit)
    if dropped:
        findings[:] = [_as_unverified(f) if f.line in dropped and f.severity == "error" and f.code in _ROW_MISMATCHES
                       else f for f in findings]
    return tuple(out)


def _touched(row: Row, lines: FrozenSet[int]) -> bool:
    """Did a doubtful page or line repair (`Repair.doubtful`) change one of the row's lines?"""
    return bool(lines) and any(line in lines for line in range(row.line, max(row.end_line or 0, row.line) + 1))


def _doubted(rows: Sequence[RowAudit], index: int, doubtful: Set[int], names: Set[str]) -> bool:
    """Whether a row's check rests on a doubtful row: its own, its input's, or a blame's."""
    row = rows[index].row
    if row.line in doubtful:
        return True
    fed = any(ref.layer in names for ref in row.inbound) if row.inbound else \
        index > 0 and rows[index - 1].row.line in doubtful
    return fed or any(int(line) in doubtful for text in rows[index].messages for line in _LINE_NAMED.findall(text))


_LINE_NAMED = re.compile(r"\(line (\d+)\)")
_ROW_MISMATCHES = (Code.PARAM_MISMATCH, Code.SHAPE_MISMATCH)


def _as_unverified(finding: Finding) -> Finding:
    return Finding("warning", finding.line, Code.UNVERIFIED_ROW,
                   f"{finding.message} (not trusted: the row, or the one it is checked against, was read with "
                   f"repairs or without its links)")


# ---- totals ------------------------------------------------------------------------------------


def _totals_audit(summary: Summary, rows: Sequence[RowAudit], findings: List[Finding]) -> TotalsAudit:
    counted, sums, frozen = _counted_once(summary, rows)
    totals = summary.totals
    if totals is None:
        return TotalsAudit(None, sums.derived, sums.printed - frozen, frozen, "unverified")
    optimizer = totals.optimizer or 0  # Keras 3 counts the optimizer's in the total
    expected = _expected_rows_sum(totals, sums, optimizer)
    problems = [_check_sum(totals, sums, optimizer, expected), _check_split(totals)]
    warnings = [_check_frozen(totals, frozen, sums.printed)] + _check_sizes(totals)
    excuse = _why_rows_cannot_add_up(summary, counted) if problems[0][1] else None
    problems, unchecked = _excused(totals, problems, warnings, excuse)
    errors = [(code, text) for code, text in problems if text]
    for code, text in errors:
        findings.append(Finding("error", totals.lines.get("total"), code, text))
    for code, line, text in (w for w in warnings if w):
        findings.append(Finding("warning", line, code, text))
    status: Status = "mismatch" if errors else "unverified" if unchecked or excuse is not None else "ok"
    if excuse is not None:  # rows left out, a count cut or unread: the sum the total should be is unknown
        return TotalsAudit(totals, None, None, None, status)
    if warnings[0] is not None and problems[1][1] is None:
        # layers frozen where the table shows no trainable flag: the split is the printer's to
        # know, not the rows' (it adds up, so it is not contradicted either)
        return TotalsAudit(totals, expected + optimizer, None, None, status)
    return TotalsAudit(totals, expected + optimizer, expected - frozen, frozen, status)


def _excused(totals: Totals, problems: List[Tuple[Code, Optional[str]]], warnings: List[Any],
             excuse: Optional[Tuple[Code, str]]) -> Tuple[List[Tuple[Code, Optional[str]]], bool]:
    """The problems left once what the table cannot show is allowed for (rows left out, a
    count cut or unread: the sum is a warning; a totals line read with repairs that does not
    fit: not trusted), and whether a repaired totals line leaves them unchecked (an excuse
    always does: `_totals_audit`). Warnings are added to."""
    unchecked = False
    if excuse is not None:
        code, why = excuse
        warnings.append((code, totals.lines.get("total"), f"{problems[0][1]}, but {why}"))
        problems = [(problems[0][0], None)] + problems[1:]
    if totals.repaired and any(text for _, text in problems):
        warnings.extend((code, totals.lines.get("total"), f"{text} (a totals line was read with repairs: not trusted)")
                        for code, text in problems if text)
        problems = [(code, None) for code, _ in problems]
        unchecked = True
    return problems, unchecked


def _why_rows_cannot_add_up(summary: Summary, counted: Sequence[RowAudit]) -> Optional[Tuple[Code, str]]:
    """Rows the paste left out, or a count cut at the column edge: the rows shown need not
    add up to the total, so a sum that misses is a warning."""
    unread = next((r.row.line for r in counted if r.row.params is None and r.row.params_note == "unread"), None)
    if unread is not None:
        return Code.COUNT_CUT, f"a count could not be read (line {unread})"
    if summary.gaps:
        gap = summary.gaps[0]
        unread = any(f.line == gap and f.code == Code.BAD_ROW for f in summary.findings)
        return Code.ROWS_ELIDED, f"a row could not be read (line {gap})" if unread else f"rows were left out (line {gap})"
    cut = next((r.row.line for r in counted if r.row.params is None and r.row.params_note == "cut"), None)
    return None if cut is None else (Code.COUNT_CUT, f"a count was cut at the column edge (line {cut})")


@record
class RowSums:
    """The counted rows' Param # added up twice: as printed, and with each mismatched row's
    re-derived count in place of its printed one (what the total should be if the rows are wrong
    and the total was printed by Keras)."""

    printed: int
    derived: int


def _counted_once(summary: Summary, rows: Sequence[RowAudit]) -> Tuple[List[RowAudit], RowSums, int]:
    """The rows the totals count (`infer.counted_once`: top-level, each layer once); the sums
    of their counts, and how many of those are not trained."""
    counted = [rows[index] for index in counted_once(summary.rows)]
    printed_sum = derived_sum = frozen = 0
    for audit in counted:
        row = audit.row
        params = row.params or 0
        printed_sum += params
        derived_sum += _derived_params(audit, params)
        frozen += params if row.trainable is False else audit.non_trainable_params or 0
    return counted, RowSums(printed_sum, derived_sum), frozen


def _derived_params(audit: RowAudit, printed: int) -> int:
    """A mismatched row counts with its re-derived Param #; every other row as printed."""
    if audit.status == "mismatch" and audit.expected_params is not None:
        return audit.expected_params
    return printed


def _expected_rows_sum(totals: Totals, sums: RowSums, optimizer: int) -> int:
    """The rows' sum the total should be: as printed when the total is that (a wrong row is
    already named at its line), else as re-derived (the total is right and a row is wrong, or
    both are)."""
    return sums.printed if totals.total == sums.printed + optimizer else sums.derived


def _check_sum(totals: Totals, sums: RowSums, optimizer: int, expected: int) -> Tuple[Code, Optional[str]]:
    """Only a total that is neither the rows' printed nor their re-derived sum is wrong."""
    if totals.total is None or totals.total == expected + optimizer:
        return Code.TOTAL_MISMATCH, None
    with_optimizer = f" + {fmt(optimizer)} optimizer = {fmt(sums.derived + optimizer)}" if optimizer else ""
    as_printed = "" if sums.derived == sums.printed else f" (as printed, {fmt(sums.printed)})"
    added = "the rows add up to" if sums.derived == sums.printed else "the rows, re-derived, add up to"
    return Code.TOTAL_MISMATCH, (f"Total params printed {fmt(totals.total)}; {added} {fmt(sums.derived)}"
                                 f"{as_printed}{with_optimizer}")


def _check_split(totals: Totals) -> Tuple[Code, Optional[str]]:
    if None in (totals.total, totals.trainable, totals.non_trainable):
        return Code.TRAINABLE_MISMATCH, None
    split = totals.trainable + totals.non_trainable + (totals.optimizer or 0)  # type: ignore[operator]
    if split == totals.total:
        return Code.TRAINABLE_MISMATCH, None
    optimizer = f" + {fmt(totals.optimizer)} optimizer" if totals.optimizer else ""
    return Code.TRAINABLE_MISMATCH, (f"trainable {fmt(totals.trainable)} + non-trainable {fmt(totals.non_trainable)}"  # type: ignore[arg-type]
                                  f"{optimizer} = {fmt(split)}, not the printed total {fmt(totals.total)}")  # type: ignore[arg-type]


def _check_frozen(totals: Totals, frozen: int, printed_sum: int) -> Optional[Tuple[Code, Optional[int], str]]:
    if totals.non_trainable is None or totals.non_trainable == frozen:
        return None
    line = totals.lines.get("non_trainable")
    return (Code.NON_TRAINABLE_UNEXPLAINED, line,
            f"Non-trainable params printed {fmt(totals.non_trainable)}; the rows account for {fmt(frozen)} "
            f"(moving statistics of normalization layers, rows marked not trainable): the other "
            f"{fmt(totals.non_trainable - frozen)} come from layers frozen with trainable=False, or the line is "
            f"stale (trainable changed after compile)")


def _check_sizes(totals: Totals) -> List[Optional[Tuple[Code, Optional[int], str]]]:
    counts = {"total": totals.total, "trainable": totals.trainable, "non_trainable": totals.non_trainable,
              "optimizer": totals.optimizer}
    found: List[Optional[Tuple[Code, Optional[int], str]]] = []
    # Keras 3 counts the optimizer's step as a parameter of 8 bytes (int64): 52 params, 212.00 B
    counter = 4 if totals.optimizer else 0
    for kind, printed in totals.sizes.items():
        count = counts.get(kind)
        if count is None or _size_matches(printed, count * 4) or \
                (kind in ("optimizer", "total") and _size_matches(printed, count * 4 + counter)):
            continue
        fitting = [name for width, name in DTYPE_BYTES if _size_matches(printed, count * width)]
        reason = f"fits {fitting[0]} weights ({printed / max(count, 1):.0f} bytes each)" if fitting else \
            "fits no weight size"
        found.append((Code.SIZE_MISMATCH, totals.lines.get(kind),
                      f"{kind.replace('_', '-')} size printed {_size_text(printed)}; {fmt(count)} float32 params "
                      f"take {_size_text(count * 4)}: {reason}"))
    return found


def _size_matches(printed: float, actual: int) -> bool:
    unit = 1024 ** _unit_power(actual)
    return abs(printed - actual) <= 0.006 * unit + 1e-9


def _unit_power(value: float) -> int:
    return 0 if value < 1024 else min(int(math.log(value, 1024)), len(UNITS) - 1)


def _size_text(value: float) -> str:
    power = _unit_power(value)
    return f"{value / 1024 ** power:.2f} {UNITS[power]}"


# ---- the summary --------------------------------------------------------------------------------


def _summary_status(rows: Sequence[RowAudit], totals: TotalsAudit, findings: Sequence[Finding]) -> Status:
    if any(f.severity == "error" for f in findings):
        return "mismatch"
    statuses = {r.status for r in rows}
    if "mismatch" in statuses:
        return "mismatch"
    weighted_unchecked = "unverified" in statuses and any(r.status == "unverified" and (
        (r.row.params or 0) > 0 or r.row.params_note == "unread") for r in rows)
    if weighted_unchecked or totals.status == "unverified" or not rows:
        return "unverified"
    return "ok"
