"""Reading and judging real pastes, end to end through the CLI (`summary-audit check FILE --json`).

    python benchmarks/pastes.py [--split dev|heldout|all] [--list]

For each paste of `fixtures/pastes/<split>/` (a real table as it was found, with a sidecar naming
its source and what a reader counted in it: summaries, rows per table, printed totals) it prints
how much was read and how it was judged: summaries found, rows read (a name and a Param #),
tracebacks, and the MISMATCH calls made (rows and totals) — on tables Keras printed, where the
sidecar names no wrong number, each such call is a false alarm. `heldout/` is for measuring only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[1]
PASTES = ROOT / "fixtures" / "pastes"


def check(path: Path) -> Dict[str, Any]:
    """The CLI's JSON report of one paste, its exit status and whether it crashed."""
    run = subprocess.run([sys.executable, "-m", "summary_audit", "check", str(path), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    crashed = "Traceback" in run.stderr
    try:
        report = json.loads(run.stdout) if run.stdout.strip() else {"summaries": [], "errors": []}
    except ValueError:
        report, crashed = {"summaries": [], "errors": []}, True
    return {"report": report, "status": run.returncode, "crashed": crashed, "stderr": run.stderr.strip()}


def measure(path: Path) -> Dict[str, Any]:
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    result = check(path)
    summaries = result["report"].get("summaries", [])
    expected_rows: List[int] = [n for n in meta.get("rows") or [] if isinstance(n, int)]
    read = sorted((sum(1 for row in s["rows"] if row.get("name") and row.get("params") is not None)
                   for s in summaries), reverse=True)
    # each table the reader counted is matched with a table found, largest with largest
    rows_read = sum(min(want, got) for want, got in zip(sorted(expected_rows, reverse=True), read))
    return {
        "file": path.name, "summaries": meta.get("summaries", 0), "found": min(len(summaries), meta.get("summaries", 0)),
        "rows": sum(expected_rows), "read": rows_read, "crashed": result["crashed"],
        "row_mismatches": sum(row.get("status") == "mismatch" for s in summaries for row in s["rows"]),
        "total_mismatches": sum((s.get("totals") or {}).get("status") == "mismatch" for s in summaries),
        "wrong_printed": bool(meta.get("wrong_numbers")), "status": result["status"], "stderr": result["stderr"][-200:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--list", action="store_true", help="one line a paste")
    args = parser.parse_args()
    splits = ("dev", "heldout") if args.split == "all" else (args.split,)
    for split in splits:
        files = sorted((PASTES / split).glob("*.txt"))
        results = [measure(path) for path in files]
        if args.list:
            for r in results:
                print(f"  {r['file'][:48]:48} exit {r['status']} tables {r['found']}/{r['summaries']} rows "
                      f"{r['read']}/{r['rows']} mismatch rows {r['row_mismatches']} totals {r['total_mismatches']}"
                      + ("  CRASH" if r["crashed"] else "") + (f"  {r['stderr'][:80]}" if r["status"] == 2 else ""))
        rows, read = sum(r["rows"] for r in results), sum(r["read"] for r in results)
        tables, found = sum(r["summaries"] for r in results), sum(r["found"] for r in results)
        print(f"{split}: {len(results)} pastes; summaries found {found}/{tables}; rows read {read}/{rows} "
              f"({100 * read / max(rows, 1):.1f}%); tracebacks {sum(r['crashed'] for r in results)}; "
              f"MISMATCH calls: {sum(r['row_mismatches'] for r in results)} rows, "
              f"{sum(r['total_mismatches'] for r in results)} totals")


if __name__ == "__main__":
    main()
