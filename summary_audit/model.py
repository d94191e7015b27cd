"""Plain data handed from one pipeline stage to the next.

Parsing yields frozen `Summary`/`Row`/`Totals`; inference and verification never mutate
them but return `Audit`/`RowAudit` objects that point back at the parsed rows (the syntax
object kept apart from the semantic plan, as einops does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Optional, Tuple, Union

Dim = Optional[int]
Shape = Tuple[Dim, ...]
#: One shape, several shapes (multi-output layers), a word the table printed instead of a
#: shape (``multiple``, ``?``), or nothing at all.
OutputShape = Union[Shape, Tuple[Shape, ...], str, None]

Format = Literal["keras1", "keras2", "keras2-wrapped", "keras3", "unknown"]
Status = Literal["ok", "mismatch", "unverified"]
Severity = Literal["error", "warning", "info"]


def is_multi(shape: OutputShape) -> bool:
    """True for a tuple of shapes (several outputs) rather than one shape."""
    return isinstance(shape, tuple) and bool(shape) and isinstance(shape[0], tuple)


@dataclass(frozen=True)
class Inbound:
    """One `Connected to` entry: ``lstm[0][1]`` is layer ``lstm``, node 0, tensor 1."""

    layer: str
    node: Optional[int] = None
    tensor: Optional[int] = None
    text: str = ""


@dataclass(frozen=True)
class Row:
    """One layer row as printed, with every cell already parsed."""

    line: int
    name: str
    type: str
    layer_class: Optional[str]
    output_shape: OutputShape
    params: Optional[int]
    depth: int = 0
    inbound: Tuple[Inbound, ...] = ()
    trainable: Optional[bool] = None
    class_candidates: Tuple[str, ...] = ()
    #: ``unbuilt`` / ``unused`` when the printer said so beside the count.
    params_note: Optional[str] = None
    end_line: int = 0
    #: the name or type was cut by the printer (``…`` or the column edge).
    truncated: bool = False
    #: the output shape was cut at the column edge (``[(None, 10, 6), (Non``): a prefix only.
    shape_cut: bool = False

    @property
    def connected_to(self) -> Tuple[str, ...]:
        return tuple(ref.layer for ref in self.inbound)


@dataclass(frozen=True)
class Totals:
    total: Optional[int] = None
    trainable: Optional[int] = None
    non_trainable: Optional[int] = None
    optimizer: Optional[int] = None
    #: printed sizes in bytes, e.g. ``(136.04 KB)`` → 139305.0; keyed like the counts.
    sizes: Mapping[str, float] = field(default_factory=dict)
    #: 1-based input line of each totals line, keyed like the counts.
    lines: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    severity: Severity
    line: Optional[int]
    code: str
    message: str


@dataclass(frozen=True)
class Summary:
    """One table found in the input."""

    model_name: Optional[str]
    format: Format
    start_line: int
    end_line: int
    rows: Tuple[Row, ...]
    totals: Optional[Totals]
    #: problems met while reading the table (a bad row, a cut-off table).
    findings: Tuple[Finding, ...] = ()
    #: where the table came from inside a document (notebook cell, HTML block, ...).
    origin: Optional[str] = None
    #: columns the header named, e.g. ("layer", "shape", "params", "connected").
    columns: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadError:
    """Input that could not be read as a summary at all."""

    line: Optional[int]
    column: Optional[int]
    message: str


@dataclass(frozen=True)
class Document:
    """Everything found in one input: the summaries and what could not be read."""

    source: Optional[str]
    summaries: Tuple[Summary, ...]
    errors: Tuple[ReadError, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One configuration of a layer that explains (or tries to explain) a row."""

    config: Mapping[str, Any]
    params: Optional[int]
    output_shape: OutputShape
    explanation: Optional[str]
    trainable_params: Optional[int] = None
    non_trainable_params: Optional[int] = None
    #: lower is more plausible (odd square kernels, stride 1, bias on ...).
    rank: float = 0.0
    #: e.g. "Keras 2.0-2.2 formula (GRU without reset_after)".
    note: Optional[str] = None


@dataclass(frozen=True)
class RowAudit:
    row: Row
    status: Status
    input_shapes: Tuple[OutputShape, ...] = ()
    expected_params: Optional[int] = None
    expected_shape: OutputShape = None
    inferred: Mapping[str, Any] = field(default_factory=dict)
    explanation: Optional[str] = None
    messages: Tuple[str, ...] = ()
    alternatives: Tuple[Candidate, ...] = ()
    trainable_params: Optional[int] = None
    non_trainable_params: Optional[int] = None
    #: the Keras class the audit read the row as (a cut type such as `MaxPooling2` resolved).
    layer_class: Optional[str] = None


@dataclass(frozen=True)
class TotalsAudit:
    totals: Optional[Totals]
    expected_total: Optional[int]
    expected_trainable: Optional[int]
    expected_non_trainable: Optional[int]
    status: Status


@dataclass(frozen=True)
class Audit:
    """A summary with every row and total checked."""

    summary: Summary
    rows: Tuple[RowAudit, ...]
    totals: TotalsAudit
    data_format: Optional[str]
    status: Status
    findings: Tuple[Finding, ...] = ()
