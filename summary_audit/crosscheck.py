"""The cross-check: build the model a table describes in real Keras and compare.

The plan is handed as JSON to a child process (`python -m summary_audit.keras_build`) that
builds it through the Keras API and prints the model's own summary; that text is read back by
the same parser as any paste. A parameter budget is checked before the child starts, and the
child runs under a timeout, so no table can hang or exhaust the machine.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .errors import SummaryAuditError
from .keras_build import plan_to_json
from .layers import REGISTRY
from .layers.base import cut_name_match
from .model import Audit, Row, Summary
from .plan import ModelPlan, plan_model
from .shapes import one_output, shape_text

DEFAULT_MAX_PARAMS = 100_000_000
DEFAULT_TIMEOUT = 300.0


class CrossCheckUnavailable(SummaryAuditError):
    """No Keras to build with, a model over the budget, or a build that failed or timed out."""


@dataclass(frozen=True)
class RowDifference:
    line: int
    name: str
    field: str
    printed: str
    built: str


@dataclass(frozen=True)
class CrossCheck:
    library: str
    differences: Tuple[RowDifference, ...]
    built_rows: int

    @property
    def equal(self) -> bool:
        return not self.differences


def library_for(summary: Summary) -> str:
    """tf_keras for a Keras 2 era table when it is installed, else Keras 3."""
    from .printers import by_format

    wanted = by_format(summary.format).rebuild_with
    if importlib.util.find_spec(wanted) is not None:
        return wanted
    if importlib.util.find_spec("keras") is not None:
        return "keras"
    raise CrossCheckUnavailable("--cross-check needs TensorFlow/Keras: pip install 'summary-audit[tensorflow]'")


def cross_check(audit: Audit, max_params: int = DEFAULT_MAX_PARAMS, timeout: float = DEFAULT_TIMEOUT) -> CrossCheck:
    guard(audit, max_params)
    library = library_for(audit.summary)
    plan = plan_model(audit, library)
    printed = build_in_child(plan, library, timeout)
    from .rows import parse

    built = parse(printed).summaries
    if not built:
        raise CrossCheckUnavailable("the built model's summary could not be read back")
    return CrossCheck(library, tuple(compare(audit.summary, built[0], layer_names(plan))), len(built[0].rows))


def guard(audit: Audit, max_params: int) -> None:
    """Before anything is planned or allocated: the largest count the table claims."""
    rows = sum(r.row.params or 0 for r in audit.rows if r.row.depth == 0)
    claimed = max(rows, audit.summary.totals.total or 0 if audit.summary.totals else 0)
    if claimed > max_params:
        raise CrossCheckUnavailable(f"the table claims {claimed:,} parameters, over the budget of "
                                    f"{max_params:,} (--max-params): not built")


def build_in_child(plan: ModelPlan, library: str, timeout: float) -> str:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    try:
        done = subprocess.run([sys.executable, "-m", "summary_audit.keras_build", library], input=plan_to_json(plan),
                              capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise CrossCheckUnavailable(f"building the model took longer than {timeout:g} s: stopped") from None
    if done.returncode != 0:
        last = [line for line in done.stderr.strip().splitlines() if line.strip()][-1:] or ["no message"]
        raise CrossCheckUnavailable(f"{library} could not build the model: {last[0][:300]}")
    return done.stdout


def layer_names(plan: ModelPlan) -> List[str]:
    """The built layers' names in table order, nested models' layers after their own row."""
    names: List[str] = []
    for layer in plan.layers:
        names.append(layer.name)
        if layer.submodel is not None:
            names.extend(layer_names(layer.submodel))
    return names


def compare(table: Summary, built: Summary, names: Optional[List[str]] = None) -> List[RowDifference]:
    """Row by row (InputLayer rows aside: printers differ in showing them), then totals. With
    the plan's names the built rows are found by name — Keras may list branches in another
    order — else by position."""
    mine = [r for r in table.rows if not REGISTRY.is_input_row(r)]
    theirs = [r for r in built.rows if not REGISTRY.is_input_row(r)]
    if names is not None and len(names) == len(mine):
        theirs = _paired(mine, names, theirs)
    found: List[RowDifference] = []
    for printed, made in zip(mine, theirs):
        if not _same_shape(printed, made):
            found.append(RowDifference(printed.line, printed.name, "output shape", shape_text(printed.output_shape),
                                       shape_text(made.output_shape)))
        if printed.params is not None and made.params is not None and printed.params != made.params:
            found.append(RowDifference(printed.line, printed.name, "Param #", f"{printed.params:,}", f"{made.params:,}"))
    if len(mine) != len(theirs):
        found.append(RowDifference(table.end_line, "(rows)", "layer count", str(len(mine)), str(len(theirs))))
    for field in ("total", "trainable", "non_trainable"):
        a = getattr(table.totals, field, None) if table.totals else None
        b = getattr(built.totals, field, None) if built.totals else None
        if a is not None and b is not None and a != b:
            line = table.totals.lines.get(field, table.end_line) if table.totals else table.end_line
            found.append(RowDifference(line, "(totals)", field.replace("_", "-") + " params", f"{a:,}", f"{b:,}"))
    return found


def _paired(mine: List[Row], names: List[str], theirs: List[Row]) -> List[Row]:
    """The built row for each table row, by the name it was built with. Keras cuts long names
    (`batch_normalizatio…`) and may list branches in its own order, so a cut name is paired
    with the first unpaired row it fits whose numbers agree, else the first it fits."""
    free = list(theirs)
    paired: List[Row] = []
    for printed, name in zip(mine, names):
        fitting = [r for r in free if cut_name_match(name, r.name)]
        if not fitting:
            return theirs  # cannot pair by name: by position
        agreeing = [r for r in fitting if r.params == printed.params and _same_shape(printed, r)]
        chosen = (agreeing or fitting)[0]
        free.remove(chosen)
        paired.append(chosen)
    return paired


def _same_shape(printed: Row, made: Row) -> bool:
    a, b = one_output(printed.output_shape), one_output(made.output_shape)
    if not isinstance(a, tuple) or not isinstance(b, tuple) or printed.shape_cut or made.shape_cut:
        return True
    return a == b


def to_keras(summary: Summary, library: Optional[str] = None) -> object:
    """The model a summary describes, built in this process with Keras 3 (or tf_keras)."""
    from .keras_build import build
    from .verify import audit

    library = library or library_for(summary)
    return build(plan_model(audit(summary), library), __import__(library))
