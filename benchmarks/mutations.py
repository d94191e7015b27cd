"""One-number edits of real printer tables: how many the audit catches (issue 16's measure).

Each edit changes one printed number of a stored Keras 3 / tf_keras print (fixtures/live) — a
row's Param # (off by one, two digits swapped, doubled) or one output dimension — as
tests/test_mutations.py does. Two figures:

- caught: the edited row or the totals are called wrong (target ≥ 97%);
- caught at the row with the totals adjusted: the Total/Trainable lines are changed to match the
  edited rows (as an author who edits a table consistently would), and the edited row itself
  must be called wrong (target ≥ 85%);
- innocent rows blamed: rows other than the edited one called wrong, per edit (target 0).

Usage: python benchmarks/mutations.py [--count N]
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import summary_audit  # noqa: E402
from test_mutations import corpus, one_edit  # noqa: E402
from summary_audit.model import Summary  # noqa: E402


def _adjusted(summary: Summary, old: int, new: int) -> Summary:
    totals = summary.totals
    if totals is None or totals.total is None:
        return summary
    delta = new - old
    trainable = totals.trainable + delta if totals.trainable is not None else None
    return replace(summary, totals=replace(totals, total=totals.total + delta, trainable=trainable))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    summaries = corpus()
    rng = random.Random(20261124)
    caught = at_row = innocent = 0
    for _ in range(args.count):
        mutated, original, row = one_edit(summaries, rng)
        audit = summary_audit.audit(mutated)
        hit = any(r.row.line == row.line and r.status == "mismatch" for r in audit.rows)
        caught += hit or audit.totals.status == "mismatch"
        innocent += sum(1 for r in audit.rows if r.row.line != row.line and r.status == "mismatch")
        if row.params is not None and original.params is not None and row.params != original.params:
            mutated = _adjusted(mutated, original.params, row.params)
            audit = summary_audit.audit(mutated)
        at_row += any(r.row.line == row.line and r.status == "mismatch" for r in audit.rows)
    n = args.count
    print(f"one-number edits: {n} on {len(summaries)} summaries")
    print(f"  caught (row or totals):              {caught / n:6.1%}  (target 97%)")
    print(f"  caught at the row, totals adjusted:  {at_row / n:6.1%}  (target 85%)")
    print(f"  innocent rows blamed per edit:       {innocent / n:6.3f}  (target 0)")


if __name__ == "__main__":
    main()
