"""Parse time of long summaries in every generation's layout: linear in rows, ≥10k rows/s.

Usage: python benchmarks/parse_speed.py [--rows 1000,10000] [--repeat 3]
Prints one line per layout and size: seconds (best of --repeat), rows per second, and the
growth factor from one size to the next.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import LAYOUTS  # noqa: E402

from summary_audit.grammar import clear_caches  # noqa: E402
from summary_audit.rows import parse  # noqa: E402


def best_time(text: str, repeat: int, expected_rows: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        clear_caches()
        start = time.perf_counter()
        document = parse(text)
        best = min(best, time.perf_counter() - start)
        rows = sum(len(s.rows) for s in document.summaries)
        if rows != expected_rows:
            raise SystemExit(f"read {rows} rows, expected {expected_rows}")
    return best


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rows", default="1000,10000")
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args()
    sizes = [int(n) for n in args.rows.split(",")]
    print(f"{'layout':<16}{'rows':>9}{'seconds':>10}{'rows/s':>11}{'growth':>8}")
    for layout, make in LAYOUTS.items():
        previous = None
        for size in sizes:
            seconds = best_time(make(size), args.repeat, size)
            growth = f"{seconds / previous:.1f}x" if previous else ""
            print(f"{layout:<16}{size:>9,}{seconds:>10.3f}{size / seconds:>11,.0f}{growth:>8}")
            previous = seconds


if __name__ == "__main__":
    main()
