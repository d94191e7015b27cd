"""A corpus larger than one machine is a map over paths: `summary_audit.corpus.report` mapped with
`dask.bag`, run here on Dask's local synchronous scheduler (as the README shows), gives each
file's `check --json` report, in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

try:
    import dask.bag as dask_bag
except ImportError:  # (the [test] extra installs it: in CI its absence fails, never skips)
    if os.environ.get("CI"):
        raise
    dask_bag = pytest.importorskip("dask.bag")


def test_dask_bag_maps_the_one_file_function_over_a_corpus(tmp_path) -> None:
    from summary_audit.corpus import report

    paths = sorted(str(p) for p in (FIXTURES / "legacy" / "tfkeras-2.6").glob("*.txt"))[:6]
    paths.append(str(tmp_path / "missing.txt"))
    reports = dask_bag.from_sequence(paths, npartitions=3).map(report).compute(scheduler="synchronous")
    assert [r["source"] for r in reports] == paths
    assert reports[-1]["summaries"] == [] and reports[-1]["errors"]
    for path, found in zip(paths[:2], reports):
        printed = subprocess.run([sys.executable, "-m", "summary_audit", "check", path, "--json"],
                                 capture_output=True, cwd=ROOT, timeout=120)
        assert found == json.loads(printed.stdout)
    statuses = dask_bag.from_sequence(reports).map(lambda r: [s["status"] for s in r["summaries"]]).flatten()
    assert statuses.frequencies().compute(scheduler="synchronous")  # (a reduction runs too)
