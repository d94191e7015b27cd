"""Reports: the same audits rendered as a terminal table, the JSON contract, or markdown."""

from __future__ import annotations

from typing import Callable, Sequence

from ..model import Audit, Document

Renderer = Callable[[Document, Sequence[Audit]], str]


def renderer(name: str) -> Renderer:
    """The renderer for an output format; imported only when asked for (tabulate is slow to import)."""
    if name == "json":
        from .json import render
    elif name == "markdown":
        from .markdown import render
    else:
        from .table import render
    return render


__all__ = ["renderer", "Renderer"]
