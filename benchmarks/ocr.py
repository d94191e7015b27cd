"""summary-audit on real OCR text: how much of a screenshot's table it reads back.

Usage:
    python benchmarks/ocr.py [--split dev|heldout|all] [--per-file] [--json PATH]

Each OCR text under fixtures/ocr/<split>/ (made by fixtures/generate/ocr_renders.py from a real
printer fixture, named in its .meta.json sidecar) is parsed with `summary_audit.parse` and
compared with its source fixture parsed the same way. Rows are paired by name where the names
agree and by order between such anchors. Figures, per engine and for the split:

* texts, parse errors (SummaryAuditError; any other exception is counted as a crash), summaries;
* source rows, rows read (a paired row with a name and a Param #), rows with name and Param #
  both right, rows exact (name, class, output shape and Param # all equal to the source's);
* digits kept: source rows whose shape digits appear in order, and whose Param # appears, in the
  OCR lines that line up with the row's source lines — and of those, the % read exactly (the
  target measure);
* false MISMATCH: exact rows that `summary_audit.audit` marks mismatch although the source row
  is not.

Nothing here fails: the exit status is 0 unless no OCR text was found.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
OCR = ROOT / "fixtures" / "ocr"
sys.path.insert(0, str(ROOT))

import summary_audit  # noqa: E402
from summary_audit import SummaryAuditError  # noqa: E402


@dataclass
class Tally:
    """The counts of one group of OCR texts."""

    texts: int = 0
    parse_errors: int = 0
    crashes: int = 0
    audit_errors: int = 0
    summaries: int = 0
    one_summary: int = 0
    source_rows: int = 0
    rows_read: int = 0
    name_params: int = 0
    exact: int = 0
    digits_kept: int = 0
    kept_exact: int = 0
    false_mismatch: int = 0
    seconds: float = 0.0
    notes: Counter = field(default_factory=Counter)

    def add(self, other: "Tally") -> None:
        for name, value in vars(other).items():
            if name == "notes":
                self.notes.update(value)
            else:
                setattr(self, name, getattr(self, name) + value)


# --- reading ----------------------------------------------------------------------------------

def _parse(data: bytes, tally: Tally) -> Optional[Any]:
    try:
        return summary_audit.parse(data)
    except SummaryAuditError as error:
        tally.parse_errors += 1
        tally.notes[f"parse error: {error.message[:60]}"] += 1
    except Exception as error:  # never crash: count it
        tally.crashes += 1
        tally.notes[f"crash: {type(error).__name__}: {str(error)[:60]}"] += 1
    return None


def _statuses(summary: Any, tally: Optional[Tally]) -> List[Optional[str]]:
    """The audit status of each row of a summary (None for all when the audit fails)."""
    try:
        return [row.status for row in summary_audit.audit(summary).rows]
    except Exception as error:  # never crash: count it
        if tally is not None:
            tally.audit_errors += 1
            tally.notes[f"audit error: {type(error).__name__}: {str(error)[:60]}"] += 1
        return [None] * len(summary.rows)


def _rows(document: Any, tally: Optional[Tally]) -> List[Tuple[Any, Optional[str]]]:
    """(row, audit status) of every row of every summary in a document, in order."""
    out: List[Tuple[Any, Optional[str]]] = []
    for summary in document.summaries:
        statuses = _statuses(summary, tally)
        out.extend(zip(summary.rows, statuses))
    return out


# --- pairing ----------------------------------------------------------------------------------

def pair_rows(source: Sequence[Any], ocr: Sequence[Any]) -> List[Tuple[int, Optional[int]]]:
    """(source index, OCR index or None) for every source row: equal names pair as difflib's
    matching blocks find them, the rows between two such anchors pair in order."""
    matcher = difflib.SequenceMatcher(None, [r.name for r in source], [r.name for r in ocr], autojunk=False)
    pairs: List[Tuple[int, Optional[int]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(i2 - i1):
            j = j1 + k if tag in ("equal", "replace") and j1 + k < j2 else None
            pairs.append((i1 + k, j))
    return pairs


def _key(line: str) -> str:
    return re.sub(r"[^0-9a-z]", "", line.lower())


def align_lines(source: Sequence[str], ocr: Sequence[str]) -> Dict[int, List[int]]:
    """For each source line index, the OCR line indexes aligned with it: a monotone alignment
    maximising the summed similarity of the lines' letters and digits (pairs under 0.5 never
    align)."""
    a, b = [_key(x) for x in source], [_key(x) for x in ocr]
    n, m = len(a), len(b)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 0 diagonal, 1 skip source, 2 skip OCR
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best, how = score[i - 1][j], 1
            if score[i][j - 1] > best:
                best, how = score[i][j - 1], 2
            if a[i - 1] and b[j - 1]:
                matcher = difflib.SequenceMatcher(None, a[i - 1], b[j - 1], autojunk=False)
                if matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5:
                    ratio = matcher.ratio()
                    if ratio >= 0.5 and score[i - 1][j - 1] + ratio > best:
                        best, how = score[i - 1][j - 1] + ratio, 0
            score[i][j], move[i][j] = best, how
    aligned: Dict[int, List[int]] = {}
    i, j = n, m
    while i > 0 and j > 0:
        how = move[i][j]
        if how == 0:
            aligned.setdefault(i - 1, []).insert(0, j - 1)
            i, j = i - 1, j - 1
        elif how == 1:
            i -= 1
        else:
            j -= 1
    return aligned


def _is_subsequence(needles: Sequence[str], hay: Sequence[str]) -> bool:
    it = iter(hay)
    return all(any(n == h for h in it) for n in needles)


def digits_kept(row: Any, ocr_text: str) -> bool:
    """Whether the OCR text of a row holds the source row's shape digits in order and its
    Param # (plain or with thousands commas)."""
    shape = row.output_shape
    dims: List[str] = []
    stack = [shape]
    flat: List[Any] = []
    while stack:  # flatten nested shapes (lists of tuples) in printed order
        item = stack.pop(0)
        if isinstance(item, (list, tuple)):
            stack[0:0] = list(item)
        else:
            flat.append(item)
    dims = [str(d) for d in flat if isinstance(d, int) and not isinstance(d, bool)]
    runs = re.findall(r"\d+", ocr_text)
    if not _is_subsequence(dims, runs):
        return False
    if row.params is None:
        return True
    forms = {str(row.params), f"{row.params:,}"}
    return any(re.search(rf"(?<![\d,]){re.escape(form)}(?![\d,])", ocr_text) for form in forms)


# --- one text ---------------------------------------------------------------------------------

_SOURCE_CACHE: Dict[str, Tuple[List[str], List[Tuple[Any, Optional[str]]]]] = {}


def _source(path: str) -> Tuple[List[str], List[Tuple[Any, Optional[str]]]]:
    if path not in _SOURCE_CACHE:
        data = (ROOT / path).read_bytes()
        _SOURCE_CACHE[path] = (data.decode("utf-8").splitlines(), _rows(summary_audit.parse(data), None))
    return _SOURCE_CACHE[path]


def measure(text_path: Path, meta: Dict[str, Any]) -> Tally:
    """The tally of one OCR text against its source fixture."""
    tally = Tally(texts=1, seconds=float(meta.get("seconds", 0.0)))
    source_lines, source_rows = _source(meta["source_fixture"])
    tally.source_rows = len(source_rows)
    data = text_path.read_bytes()
    ocr_lines = data.decode("utf-8", "replace").splitlines()
    aligned = align_lines(source_lines, ocr_lines)
    document = _parse(data, tally)
    ocr_rows = _rows(document, tally) if document is not None else []
    if document is not None:
        tally.summaries = len(document.summaries)
        tally.one_summary = int(len(document.summaries) == 1)
    pairs = pair_rows([r for r, _ in source_rows], [r for r, _ in ocr_rows])
    for i, j in pairs:
        src, src_status = source_rows[i]
        lines = range(src.line - 1, max(src.end_line, src.line))
        text = "\n".join(ocr_lines[k] for s in lines for k in aligned.get(s, ()))
        kept = digits_kept(src, text)
        tally.digits_kept += kept
        if j is None:
            continue
        got, status = ocr_rows[j]
        if got.name and got.params is not None:
            tally.rows_read += 1
        if got.name == src.name and got.params == src.params:
            tally.name_params += 1
        exact = (got.name, got.layer_class, got.output_shape, got.params) == \
                (src.name, src.layer_class, src.output_shape, src.params)
        if exact:
            tally.exact += 1
            tally.kept_exact += kept
            if status == "mismatch" and src_status != "mismatch":
                tally.false_mismatch += 1
    return tally


def load(split: str) -> List[Tuple[Path, Dict[str, Any]]]:
    splits = ("dev", "heldout") if split == "all" else (split,)
    out = []
    for name in splits:
        for path in sorted((OCR / name).glob("*.txt")):
            meta_path = path.with_name(path.name[:-4] + ".meta.json")
            out.append((path, json.loads(meta_path.read_text(encoding="utf-8"))))
    return out


# --- report -----------------------------------------------------------------------------------

def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "    -"


def table(groups: Dict[str, Tally]) -> str:
    """The figures, one column a group."""
    names = list(groups)
    rows: List[Tuple[str, List[str]]] = []

    def line(label: str, values: Sequence[str]) -> None:
        rows.append((label, list(values)))

    g = [groups[n] for n in names]
    line("OCR texts", [str(t.texts) for t in g])
    line("parse errors / crashes", [f"{t.parse_errors} / {t.crashes}" for t in g])
    line("summaries found (texts with 1)", [f"{t.summaries} ({t.one_summary})" for t in g])
    line("source rows", [str(t.source_rows) for t in g])
    line("rows read (name + Param #)", [f"{t.rows_read} {_pct(t.rows_read, t.source_rows)}" for t in g])
    line("name and Param # right", [f"{t.name_params} {_pct(t.name_params, t.source_rows)}" for t in g])
    line("rows exact", [f"{t.exact} {_pct(t.exact, t.source_rows)}" for t in g])
    line("rows whose digits OCR kept", [f"{t.digits_kept} {_pct(t.digits_kept, t.source_rows)}" for t in g])
    line("  of those, read exactly", [f"{t.kept_exact} {_pct(t.kept_exact, t.digits_kept)}" for t in g])
    line("false MISMATCH (exact rows)", [str(t.false_mismatch) for t in g])
    line("audit errors", [str(t.audit_errors) for t in g])
    line("OCR seconds per table", [f"{t.seconds / t.texts:.2f}" if t.texts else "-" for t in g])
    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(n), *(len(values[k]) for _, values in rows)) for k, n in enumerate(names)]
    out = [" " * label_width + "  " + "  ".join(n.rjust(w) for n, w in zip(names, widths))]
    for label, values in rows:
        out.append(label.ljust(label_width) + "  " + "  ".join(v.rjust(w) for v, w in zip(values, widths)))
    return "\n".join(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--per-file", action="store_true", help="one line per OCR text as well")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    texts = load(args.split)
    if not texts:
        print(f"no OCR texts under {OCR}/{args.split}", file=sys.stderr)
        return 1
    groups: Dict[str, Tally] = {}
    total = Tally()
    for path, meta in texts:
        try:
            tally = measure(path, meta)
        except Exception as error:  # a broken source or sidecar: count it, go on
            tally = Tally(texts=1, crashes=1)
            tally.notes[f"benchmark error: {type(error).__name__}: {error}"] += 1
        engine = str(meta.get("engine", "?")).split()[0]
        groups.setdefault(engine, Tally()).add(tally)
        total.add(tally)
        if args.per_file:
            print(f"{path.stem:64s} rows {tally.source_rows:3d} read {tally.rows_read:3d} "
                  f"exact {tally.exact:3d} kept {tally.digits_kept:3d} kept-exact {tally.kept_exact:3d} "
                  f"falseMM {tally.false_mismatch} {'ERR' if tally.parse_errors or tally.crashes else ''}")
    groups[f"{args.split} (all)"] = total
    print(f"summary-audit on OCR text, split {args.split}")
    print(table(groups))
    if total.notes:
        print("\nnotes:")
        for note, count in total.notes.most_common(10):
            print(f"  {count:3d}  {note}")
    if args.json:
        args.json.write_text(json.dumps({k: {n: v for n, v in vars(t).items() if n != "notes"}
                                         for k, t in groups.items()}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
