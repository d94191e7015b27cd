"""summary-audit against its targets: cold start, rows per second, linear growth, peak memory.

Usage:
    python benchmarks/run.py            # the full run the README quotes (a few minutes)
    python benchmarks/run.py --quick    # seconds; what CI runs

Prints one line per figure beside its target, PASS or MISS. Timing never fails the run (the
exit status is 0 whatever the figures); a crash, a wrong row count or a `check` that does not
exit 0 on the seed 000 table does (exit 1).

(a) cold start: wall time of a fresh `summary-audit check fixtures/samples/seed000_keras2.txt`
    (median of several runs) beside `python -c pass`, beside the import floor of its own
    dependencies (`python -c "import lark, tabulate"`), and beside building the same model in
    Keras and printing its summary — the alternative users reach for (skipped when TensorFlow
    is not installed).
(b) parse + audit of synthetic summaries (benchmarks/synthetic.py) of 1,000, 10,000 and
    100,000 rows (--quick: 1,000 and 10,000) in each generation's layout, cold caches, best of
    --repeat runs (the layouts taking turns); rows per second and what ten times the rows costs.
(c) peak memory of parse + audit (tracemalloc, in a fresh process) over the input's size.
(d) inputs built to be slow (deep brackets, one very long line, many short ones): ten times the
    input must cost at most twelve times the time.
(e) real printed models (benchmarks/real_models.py), per printer: parse + audit in-process and
    `check --json` end to end (--quick: Keras 3 and tf.keras, 1,000 rows), each beside its spell.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from synthetic import LAYOUTS  # noqa: E402
from summary_audit.speed import paused_gc  # noqa: E402

SEED000 = ROOT / "fixtures" / "samples" / "seed000_keras2.txt"

# ---- targets (from the issue) ----------------------------------------------------------------
COLD_MAX_SECONDS = 0.3
COLD_MAX_OVER_FLOOR = 1.3
KERAS_MIN_SPEEDUP = 20.0
MIN_ROWS_PER_SECOND = 50_000
MAX_GROWTH = 12.0
MAX_MEMORY_RATIO = 10.0

KERAS_BUILD = """
import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(150, 150, 3)),
    layers.Conv2D(32, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
    layers.Conv2D(128, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
    layers.Conv2D(128, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
    layers.Flatten(), layers.Dense(512, activation="relu"), layers.Dense(1, activation="sigmoid"),
])
model.summary()
"""

MEMORY_PROBE = """
import sys, tracemalloc
sys.path[:0] = [{root!r}, {here!r}]
import summary_audit
from summary_audit.speed import paused_gc
from synthetic import LAYOUTS
data = open(sys.argv[1], "rb").read()
summary_audit.audit(summary_audit.parse(LAYOUTS["keras2"](10)).summaries[0])  # the grammar, loaded once
tracemalloc.start()
with paused_gc():  # (as the command reads)
    document = summary_audit.parse(data)
    audits = [summary_audit.audit(s) for s in document.summaries]
current, peak = tracemalloc.get_traced_memory()
print(peak, sum(len(s.rows) for s in document.summaries))
"""

Result = Tuple[str, str, str, Optional[bool]]  # figure, measured, target, passed (None: no target)


class Report:
    def __init__(self) -> None:
        self.lines: List[Result] = []

    def add(self, figure: str, measured: str, target: str = "", passed: Optional[bool] = None) -> None:
        self.lines.append((figure, measured, target, passed))
        verdict = "" if passed is None else ("PASS" if passed else "MISS")
        print(f"  {figure:<44}{measured:>22}  {target:<22}{verdict}", flush=True)

    def misses(self) -> List[str]:
        return [figure for figure, _, _, passed in self.lines if passed is False]


# ---- (a) cold start ------------------------------------------------------------------------------


def _check_command() -> List[str]:
    script = Path(sys.executable).with_name("summary-audit")
    if script.exists():
        return [str(script), "check", str(SEED000)]
    return [sys.executable, "-m", "summary_audit", "check", str(SEED000)]


def _wall(command: Sequence[str], environment: Optional[Dict[str, str]] = None,
          expect: Tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT), env=environment)
    elapsed = time.perf_counter() - start
    if done.returncode not in expect:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}")
    return elapsed


def cold_start(report: Report, repeat: int, keras_repeat: int) -> None:
    print(f"(a) cold start, median of {repeat} fresh processes (bytecode cached, as after an install)")
    commands = {"check": _check_command(), "pass": [sys.executable, "-c", "pass"],
                "floor": [sys.executable, "-c", "import lark, tabulate"]}
    # Byte-compiled modules, as pip leaves them: written to a scratch folder, not the checkout,
    # and even where PYTHONDONTWRITEBYTECODE is set (it would make every start compile the sources).
    scratch = tempfile.mkdtemp(prefix="summary-audit-pyc-")
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = scratch
    try:
        for command in commands.values():  # warm the bytecode, the file cache and Lark's grammar cache
            _wall(command, environment)
        times: Dict[str, List[float]] = {name: [] for name in commands}
        for _ in range(repeat):  # interleaved, so that the other load on the machine hits all three alike
            for name, command in commands.items():
                times[name].append(_wall(command, environment))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    check, bare, floor = (statistics.median(times[name]) for name in ("check", "pass", "floor"))
    report.add("python -c pass", f"{bare:.3f} s")
    report.add("python -c 'import lark, tabulate' (floor)", f"{floor:.3f} s")
    report.add("summary-audit check seed000 (cold)", f"{check:.3f} s", f"<= {COLD_MAX_SECONDS} s",
               check <= COLD_MAX_SECONDS)
    report.add("  ... over the import floor", f"{check / floor:.2f}x", f"<= {COLD_MAX_OVER_FLOOR}x",
               check / floor <= COLD_MAX_OVER_FLOOR)
    report.add("  ... its own work (check - floor)", f"{check - floor:.3f} s")
    try:
        import importlib.util

        has_keras = importlib.util.find_spec("tensorflow") is not None and importlib.util.find_spec("keras") is not None
    except (ImportError, ValueError):
        has_keras = False
    if not has_keras or keras_repeat < 1:
        reason = "TensorFlow/Keras not installed" if not has_keras else "--no-keras"
        report.add("build the model in Keras + summary()", f"skipped: {reason}")
        return
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3",
                       KERAS_BACKEND=os.environ.get("KERAS_BACKEND", "tensorflow"))
    keras_times = []
    for _ in range(keras_repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", KERAS_BUILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=environment, cwd=str(ROOT))
        keras_times.append(time.perf_counter() - start)
        if done.returncode != 0 or b"3,453,121" not in done.stdout:
            report.add("build the model in Keras + summary()", "failed (not our code): skipped")
            return
    keras = statistics.median(keras_times)
    report.add(f"build the model in Keras + summary() (x{keras_repeat})", f"{keras:.2f} s")
    report.add("  ... check is faster by", f"{keras / check:.1f}x", f">= {KERAS_MIN_SPEEDUP:.0f}x",
               keras / check >= KERAS_MIN_SPEEDUP)


# ---- (b) rows per second ---------------------------------------------------------------------------


def _clear_caches() -> None:
    """Cold reads on a warm grammar: every memoized reading forgotten (`summary_audit.memo`),
    the grammar and its compiled patterns kept, as a fresh command has them from its caches."""
    from summary_audit import memo

    memo.clear_readings()


def parse_and_audit(text: str, rows: int) -> float:
    """One cold parse + audit of `text`, checked to read its `rows` rows as one clean table."""
    import summary_audit

    _clear_caches()
    with paused_gc():  # (as the command does: the library leaves the collector alone)
        start = time.perf_counter()
        document = summary_audit.parse(text)
        audits = [summary_audit.audit(summary) for summary in document.summaries]
        taken = time.perf_counter() - start
    read = sum(len(s.rows) for s in document.summaries)
    if read != rows or len(audits) != 1:
        raise SystemExit(f"read {read} rows in {len(audits)} summaries, expected {rows} in 1")
    if audits[0].status != "ok":
        raise SystemExit(f"the synthetic table of {rows} rows audits {audits[0].status}: "
                         f"{[f.message for f in audits[0].findings][:3]}")
    return taken


def throughput(report: Report, sizes: Sequence[int], repeat: int) -> Dict[str, Dict[int, float]]:
    """Best of `repeat` runs per layout and size. The runs take turns (each round runs every
    size of every layout once), so that a spell of a slower machine (a shared host's
    neighbours: measured here, the same run taking up to twice as long for a minute or more)
    falls on every figure's samples alike rather than on a few figures' all."""
    print(f"(b) parse + audit, cold caches, best of {repeat}, the runs taking turns")
    import summary_audit

    summary_audit.audit(summary_audit.parse(LAYOUTS["keras2"](10)).summaries[0])  # load the grammar once
    seconds: Dict[str, Dict[int, float]] = {layout: {} for layout in LAYOUTS}
    texts = {(layout, size): make(size) for size in sizes for layout, make in LAYOUTS.items()}
    for _ in range(repeat):
        for (layout, size), text in texts.items():
            taken = parse_and_audit(text, size)
            seconds[layout][size] = min(seconds[layout].get(size, taken), taken)
    del texts
    for layout in LAYOUTS:
        previous = None
        for size in sizes:
            taken = seconds[layout][size]
            rate = size / taken
            report.add(f"{layout} {size:,} rows", f"{taken:.3f} s {rate:>8,.0f} rows/s",
                       f">= {MIN_ROWS_PER_SECOND:,} rows/s", rate >= MIN_ROWS_PER_SECOND)
            if previous is not None:
                growth = taken / previous[1]
                factor = size / previous[0]
                report.add(f"  ... {layout}: {factor:.0f}x the rows costs", f"{growth:.1f}x",
                           f"<= {MAX_GROWTH * factor / 10:.0f}x", growth <= MAX_GROWTH * factor / 10)
            previous = (size, taken)
    return seconds


# ---- (c) peak memory -----------------------------------------------------------------------------------


def memory(report: Report, size: int) -> None:
    print(f"(c) peak memory of parse + audit (tracemalloc, fresh process), {size:,} rows")
    probe = MEMORY_PROBE.format(root=str(ROOT), here=str(HERE))
    with tempfile.TemporaryDirectory() as folder:
        for layout, make in LAYOUTS.items():
            path = Path(folder) / f"{layout}.txt"
            data = make(size).encode("utf-8")
            path.write_bytes(data)
            done = subprocess.run([sys.executable, "-c", probe, str(path)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=str(ROOT))
            if done.returncode != 0:
                raise SystemExit(f"memory probe crashed:\n{done.stderr.decode(errors='replace')}")
            peak, rows = (int(v) for v in done.stdout.split())
            if rows != size:
                raise SystemExit(f"memory probe read {rows} rows, expected {size}")
            ratio = peak / len(data)
            report.add(f"{layout}: peak / input ({len(data) / 1e6:.1f} MB)", f"{peak / 1e6:.1f} MB = {ratio:.1f}x",
                       f"< {MAX_MEMORY_RATIO:.0f}x", ratio < MAX_MEMORY_RATIO)


# ---- (d) inputs built to be slow ----------------------------------------------------------------------


def _header() -> str:
    return "Layer (type)                 Output Shape              Param #\n" + "=" * 65 + "\n"


HOSTILE: Dict[str, Callable[[int], str]] = {
    "deep brackets": lambda n: _header() + "conv (Conv2D)  " + "(" * n + "  0\nTotal params: 0\n",
    "one long line": lambda n: _header() + "dense (Dense)  (None, " + "9, " * (n // 3) + "1)  5\nTotal params: 5\n",
    "long name": lambda n: _header() + "a" * n + " (Dense)  (None, 1)  5\nTotal params: 5\n",
    "many short lines": lambda n: "\n".join(["Layer (type) Output Shape Param #"] + ["x (" + "[" * 7] * (n // 10)),
    "unclosed brackets": lambda n: _header() + "x (Dense) " + "[(" * (n // 2) + " 5\n",
    "many commas": lambda n: _header() + "x (Dense) (" + "," * n + ") 5\nTotal params: 5\n",
    "random junk": lambda n: (("?_( [' ..." * (n // 10 + 1))[:n] + "\nLayer (type)  Output Shape  Param #\n"),
    # totals under lines that may be rows, again and again, and no header: each reaches back
    "headerless totals": lambda n: "x (1\nTotal params: 1 (4.00 B)\n" * (n // 30),
    "headerless rows": lambda n: ("d1 (Dense) (None, 3) 12\nd2 (Dense) (None, 3) 12\nd3 (Dense) (None, 3) 12\n"
                                  "Total params: 36\n") * (n // 89),
}


def hostile(report: Report, base: int) -> None:
    print(f"(d) inputs built to be slow: {base:,} characters, then ten times as many (cold, best of 5, taking turns)")
    import summary_audit

    def once(text: str) -> float:
        _clear_caches()
        with paused_gc():
            start = time.perf_counter()
            try:
                document = summary_audit.parse(text)
                for summary in document.summaries:
                    summary_audit.audit(summary)
            except summary_audit.SummaryAuditError:
                pass
            return time.perf_counter() - start

    for name, make in HOSTILE.items():
        texts = (make(base), make(base * 10))
        small, large = (min(taken) for taken in zip(*[[once(text) for text in texts] for _ in range(5)]))  # (turns)
        growth = large / max(small, 1e-4)
        report.add(f"{name}", f"{small * 1e3:.1f} → {large * 1e3:.1f} ms = {growth:.1f}x",
                   f"<= {MAX_GROWTH:.0f}x", growth <= MAX_GROWTH or large < 0.05)


# ---- (e) real printed models ----------------------------------------------------------------------------


def real_models(report: Report, printers: Sequence[str], size: int, repeat: int) -> None:
    print(f"(e) real printed models (benchmarks/real_models.py: fixtures' application and zoo tables), "
          f"{size:,} rows, best of {repeat}, taking turns")
    import real_models as real

    with tempfile.TemporaryDirectory(prefix="summary-audit-real-") as folder:
        figures = real.measure(printers, [size], repeat, Path(folder), modes=("parse+audit", "check --json"))
    for printer, rows_asked, mode, taken, rows, when in figures:
        rate = rows / taken
        target, passed = real.verdict(mode, rate)
        report.add(f"{printer} {mode} {rows_asked:,} {when}", f"{taken:.3f} s {rate:>8,.0f} rows/s", target, passed)


# ---- main ------------------------------------------------------------------------------------------------


def main(argv: Optional[Sequence[str]] = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--quick", action="store_true", help="small sizes and few repeats (CI)")
    options.add_argument("--rows", help="comma-separated table sizes (default 1000,10000,100000; quick 1000,10000)")
    options.add_argument("--repeat", type=int, help="best of this many parses (default 5; quick 1)")
    options.add_argument("--no-keras", action="store_true", help="skip building the model in Keras")
    options.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = options.parse_args(argv)
    sizes = [int(n) for n in (args.rows or ("1000,10000" if args.quick else "1000,10000,100000")).split(",")]
    repeat = args.repeat or (1 if args.quick else 5)
    report = Report()
    print(f"summary-audit benchmarks ({'quick' if args.quick else 'full'} run), Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores")
    cold_start(report, repeat=5 if args.quick else 15, keras_repeat=0 if args.no_keras else (1 if args.quick else 3))
    throughput(report, sizes, repeat)
    memory(report, 10_000 if args.quick else max(sizes))
    hostile(report, 20_000 if args.quick else 100_000)
    real_models(report, ("keras3", "tf_keras") if args.quick else ("keras3", "tf_keras", "tfkeras-2.12", "keras-2.3.1"),
                1_000 if args.quick else 10_000, repeat)
    misses = report.misses()
    print(f"{len(misses)} of {sum(1 for r in report.lines if r[3] is not None)} targets missed"
          + (f": {', '.join(m.strip(' .') for m in misses)}" if misses else ""))
    if args.json:
        Path(args.json).write_text(json.dumps([dict(zip(("figure", "measured", "target", "passed"), line))
                                               for line in report.lines], indent=2), encoding="utf-8")
    return 0  # timing never fails the run; crashes exit non-zero on their own


if __name__ == "__main__":
    sys.exit(main())
