"""summary-audit: read a pasted Keras `model.summary()` table and check every number in it.

Public API only; each stage lives in its own module (normalize → grammar → parse → layers →
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


__all__ = ["SummaryAuditError", "__version__", "parse", "audit", "from_model"]
