"""`summary-audit check FILE... [DIR...] [--jobs N] [--jsonl]`: many files in one call.

Each file is checked on its own (`corpus.read_checked`), in a pool of processes when `--jobs` asks,
and its report written as soon as every file before it is: the order given, whatever order
the workers finish in. One file's error is that file's report, never the end of the scan;
the exit status is the worst of all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator, List, NamedTuple, Sequence, TextIO, Tuple

from .corpus import EXIT_OK, EXIT_UNREADABLE, expand

Job = Tuple[str, bool, str]  # path, named itself (not found in a folder), output form


class Done(NamedTuple):
    """One file's output, made in the worker: only text crosses between processes."""

    output: str
    errors: str
    status: int
    rows: int
    skipped: bool


def check_many(args: argparse.Namespace) -> int:
    """Check every file, write each report in input order; the worst exit status."""
    if args.json or args.cross_check:
        print("summary-audit check: --json and --cross-check take one file; --jsonl writes a report per file",
              file=sys.stderr)
        return EXIT_UNREADABLE
    form = "jsonl" if args.jsonl else ("markdown" if args.markdown else "table")
    jobs: List[Job] = [(path, named, form) for path, named in expand(args.files)]
    progress = Progress(len(jobs), sys.stderr)
    worst, written = EXIT_OK, 0
    for done in _results(jobs, max(1, args.jobs)):
        progress.step(done.rows)
        if done.skipped:
            continue
        if done.output:
            sys.stdout.write(done.output if form == "jsonl" or not written else "\n" + done.output)
        sys.stderr.write(done.errors)
        worst, written = max(worst, done.status), written + 1
    progress.end()
    if not written:
        print(f"{' '.join(args.files)}: no model summary found", file=sys.stderr)
        return EXIT_UNREADABLE
    return worst


def _results(jobs: Sequence[Job], workers: int) -> Iterator[Done]:
    """Each job's result in the order given; several files a task, so that the pool's
    round trips do not outweigh a small table's check."""
    if workers == 1 or len(jobs) < 2:
        yield from map(run_one, jobs)
        return
    for module in ("rows", "verify"):  # imported before the fork: workers start with the pipeline loaded
        importlib.import_module(f".{module}", __package__)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(run_one, jobs, chunksize=max(1, min(32, len(jobs) // (workers * 8))))


def run_one(job: Job) -> Done:
    """One file, as the command reports it (a worker's task: the collector held, as the command holds it)."""
    from .corpus import read_checked, status
    from .speed import paused_gc

    path, named, form = job
    with paused_gc():
        document, audits, read_whole = read_checked(path)
        if not named and not audits and read_whole:  # (a folder's file that holds no summary)
            return Done("", "", EXIT_OK, 0, True)
        output, errors = _render(document, audits, form)
        return Done(output, errors, status(audits), sum(len(a.rows) for a in audits), False)


def _render(document: "object", audits: Sequence["object"], form: str) -> Tuple[str, str]:
    """The report and the stderr lines of one file: a JSON line (its errors inside it), or
    the text report under the file's name (its errors as `path:line:col: message`)."""
    if form == "jsonl":
        import json

        from .report.json import plain_report

        return json.dumps(plain_report(document, audits), ensure_ascii=False) + "\n", ""  # type: ignore[arg-type]
    from .report import renderer

    source = document.source  # type: ignore[attr-defined]
    text = renderer(form)(document, audits) if audits else ""  # type: ignore[arg-type]
    errors = "".join(f"{':'.join(str(p) for p in (source, e.line, e.column) if p is not None)}: {e.message}\n"
                     for e in document.errors)  # type: ignore[attr-defined]
    return f"==> {source} <==\n{text}\n" if text else "", errors


class Progress:
    """files done, rows, rate on one rewritten stderr line: only on a terminal, and only once
    the run has lasted a second (a short run shows nothing)."""

    AFTER, EVERY = 1.0, 0.2

    def __init__(self, total: int, out: TextIO) -> None:
        self.total, self.out = total, out
        self.on = out.isatty()
        self.files = self.rows = 0
        self.start = self.last = time.perf_counter()
        self.shown = False

    def step(self, rows: int) -> None:
        self.files += 1
        self.rows += rows
        now = time.perf_counter()
        if self.on and now - self.start >= self.AFTER and now - self.last >= self.EVERY:
            self.last, self.shown = now, True
            self.out.write("\r" + self.line(now))
            self.out.flush()

    def line(self, now: float) -> str:
        rate = self.rows / max(now - self.start, 1e-9)
        return f"{self.files:,}/{self.total:,} files, {self.rows:,} rows, {rate:,.0f} rows/s"

    def end(self) -> None:
        if self.shown:
            self.out.write("\r" + self.line(time.perf_counter()) + "\n")
            self.out.flush()

