"""pytest plugin: pin a model's architecture to a stored `model.summary()` text, across Keras versions.

A stored file is plain summary text of any generation. The check compares meaning, not text:
the stored table is parsed, the live model is read with `from_model`, and the two go through
`summary_audit.diff`, so a Keras upgrade that changes the printed layout does not fail the test
while a changed layer does, naming it. `pytest --summary-update` (re)writes the stored files with
the model's own printer. This module imports neither TensorFlow nor Keras (nor the parser) at
import time: pytest loads it in every session of every project that installs summary-audit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Union

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from .diff import SummaryDiff

PathLike = Union[str, "os.PathLike[str]"]

#: The sessions in progress (pytester nests one inside another); the innermost decides `update`.
_CONFIGS: List[pytest.Config] = []
_WRITTEN_KEY = pytest.StashKey[List[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("summary-audit")
    group.addoption("--summary-update", action="store_true", default=False,
                    help="write or rewrite the stored model.summary() files that "
                         "assert_summary_matches compares against, instead of failing")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_WRITTEN_KEY] = []
    _CONFIGS.append(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config in _CONFIGS:
        _CONFIGS.remove(config)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    written = config.stash.get(_WRITTEN_KEY, [])
    if written:
        terminalreporter.write_sep("-", f"summary-audit: wrote {len(written)} stored summar"
                                        f"{'y' if len(written) == 1 else 'ies'}")
        for path in written:
            terminalreporter.write_line(f"  {path}")


def _update_requested() -> bool:
    return bool(_CONFIGS) and bool(_CONFIGS[-1].getoption("summary_update", default=False))


def summary_text(model: Any, **kwargs: Any) -> str:
    """Exactly what `model.summary()` prints with the model's own library (Keras 3 or tf_keras)."""
    chunks: List[str] = []

    def collect(text: str, *args: Any, **more: Any) -> None:
        chunks.append(text)

    model.summary(print_fn=collect, **kwargs)
    return "\n".join(chunk.rstrip("\n") for chunk in chunks) + "\n"


def _write(model: Any, path: Path, expand_nested: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = summary_text(model, expand_nested=True) if expand_nested else summary_text(model)
    path.write_text(text, encoding="utf-8")
    if _CONFIGS:
        _CONFIGS[-1].stash.setdefault(_WRITTEN_KEY, []).append(str(path))


def compare(model: Any, path: PathLike, *, strict_names: bool = False) -> "SummaryDiff":
    """The diff from the stored summary at `path` (before) to the live model (after)."""
    from . import from_model, parse
    from .diff import diff

    _require_model(model)
    stored_path = Path(path)
    document = parse(stored_path.read_bytes(), str(stored_path))
    if not document.summaries:
        error = document.errors[0] if document.errors else None
        where = f"{stored_path}:{error.line}:{error.column}" if error and error.line else str(stored_path)
        raise AssertionError(f"{where}: {error.message if error else 'no model summary found'}")
    stored = document.summaries[0]
    expand = any(row.depth > 0 for row in stored.rows)
    return diff(stored, from_model(model, expand_nested=expand), strict_names=strict_names)


def assert_summary_matches(model: Any, path: PathLike, *, strict_names: bool = False,
                           update: Optional[bool] = None) -> None:
    """Fail unless `model` has the architecture stored at `path` (summary text of any Keras generation).

    With `pytest --summary-update` (or `update=True`) the file is (re)written from the model's
    own `summary()` instead, keeping `expand_nested` when the stored table had nested rows.
    Generated-name suffixes (`dense_3` against `dense`) are ignored unless `strict_names`.
    """
    __tracebackhide__ = True
    _require_model(model)
    stored_path = Path(path)
    updating = _update_requested() if update is None else update
    if updating:
        expand = False
        if stored_path.is_file():
            from . import parse

            summaries = parse(stored_path.read_bytes(), str(stored_path)).summaries
            expand = any(row.depth > 0 for summary in summaries[:1] for row in summary.rows)
        _write(model, stored_path, expand)
        return
    if not stored_path.is_file():
        raise AssertionError(f"no stored summary at {stored_path}: run pytest --summary-update to write it")
    result = compare(model, stored_path, strict_names=strict_names)
    if result.equal:
        return
    from .diff import LIVE_MODEL, render_text

    raise AssertionError(
        f"model {model.name!r} no longer matches {stored_path} ({_what_changed(result)})\n"
        f"{render_text(result, (str(stored_path), LIVE_MODEL))}\n"
        f"If the change is intended, run pytest --summary-update to rewrite the stored summary.")


def _require_model(model: Any) -> None:
    """A clear error for what is not a Keras model (a raw AttributeError says nothing)."""
    if not (hasattr(model, "summary") and hasattr(model, "layers") and hasattr(model, "count_params")):
        raise TypeError(f"assert_summary_matches needs a Keras model (keras.Model or tf_keras.Model), "
                        f"not {type(model).__module__}.{type(model).__qualname__}")


def _what_changed(result: "SummaryDiff") -> str:
    """The changed layers, or — a layer frozen or unfrozen in a table without a Trainable
    column changes only the totals — the totals that changed and what that usually means."""
    names = sorted({change.name for change in result.changes})
    if names:
        return f"layers: {', '.join(names)}"
    moved = ", ".join(f"{item.field.replace('_', '-')} {item.before:,} → {item.after:,}" for item in result.totals)
    frozen = {item.field for item in result.totals} & {"trainable", "non_trainable"}
    why = "; a layer was frozen or unfrozen (store the summary with show_trainable=True to see which)" \
        if frozen else ""
    return f"totals: {moved}{why}"


@pytest.fixture
def summary_matches(request: pytest.FixtureRequest) -> Callable[..., None]:
    """`summary_matches(model, "snapshots/cnn.txt")`: `assert_summary_matches` with relative paths
    taken from the test file's directory, so stored files live beside the tests that pin them."""
    base = Path(str(request.path)).parent
    update = bool(request.config.getoption("summary_update", default=False))

    def check(model: Any, path: PathLike, *, strict_names: bool = False) -> None:
        __tracebackhide__ = True
        target = Path(path)
        assert_summary_matches(model, target if target.is_absolute() else base / target,
                               strict_names=strict_names, update=update)

    return check
