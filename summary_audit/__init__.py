"""summary-audit: read a pasted Keras `model.summary()` table and check every number in it.

Public API only; each stage lives in its own module (text → grammar → parse → layers →
infer → verify → report). Importing this package never imports TensorFlow or Keras.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Union

from .errors import SummaryAuditError

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .model import Audit, Document, Summary


def parse(data: Union[str, bytes], source: Optional[str] = None) -> "Document":
    """Every summary table found in a paste, document or notebook (text or raw bytes)."""
    from .rows import parse as _parse

    return _parse(data, source)


def audit(summary: "Summary") -> "Audit":
    """Re-derive every Param #, shape and total of a parsed summary."""
    from .verify import audit as _audit

    return _audit(summary)


def from_model(model: Any, *, expand_nested: bool = False) -> "Summary":
    """A live Keras 3 or tf_keras model as the same `Summary` that parsing gives."""
    from .live import from_model as _from_model

    return _from_model(model, expand_nested=expand_nested)


def assert_summary_matches(model: Any, path: Any, *, strict_names: bool = False,
                           update: Optional[bool] = None) -> None:
    """Fail, with a diff naming the changed layers, unless a live model matches a stored summary."""
    __tracebackhide__ = True
    from .pytest_plugin import assert_summary_matches as _assert

    _assert(model, path, strict_names=strict_names, update=update)


def to_keras(summary: "Summary", library: Optional[str] = None) -> Any:
    """The model a summary describes, built with Keras 3 (or `library="tf_keras"`); needs the
    [tensorflow] extra. Raises SummaryAuditError when a row cannot be rebuilt."""
    from .crosscheck import to_keras as _to_keras

    return _to_keras(summary, library)


__all__ = ["SummaryAuditError", "__version__", "parse", "audit", "from_model", "to_keras", "assert_summary_matches"]
