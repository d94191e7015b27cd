"""Plain data handed from one pipeline stage to the next.

Parsing yields frozen `Summary`/`Row`/`Totals`; inference and verification never mutate
them but return `Audit`/`RowAudit` objects that point back at the parsed rows (the syntax
object kept apart from the semantic plan, as einops does). The records a long table makes
one of a row (`Row`, `RowAudit`, `Inbound`) are named tuples, changed with `_replace`; the
others are frozen dataclasses (`record`).
"""

from __future__ import annotations

from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from enum import Enum
from operator import attrgetter
from reprlib import recursive_repr
from types import MappingProxyType
from typing import Any, Callable, Dict, Literal, Mapping, NamedTuple, Optional, Tuple, Type, TypeVar, Union

Dim = Optional[int]
Shape = Tuple[Dim, ...]
#: One shape, several shapes (multi-output layers), a word the table printed instead of a
#: shape (``multiple``, ``?``), or nothing at all.
OutputShape = Union[Shape, Tuple[Shape, ...], str, None]

Format = Literal["keras1", "keras2", "keras2-wrapped", "keras3", "tfjs", "unknown"]
Status = Literal["ok", "mismatch", "unverified"]
Severity = Literal["error", "warning", "info"]


T = TypeVar("T")
#: the default of a `field(default_factory=...)` in a record's `__init__` (written or hand-written).
FACTORY: Any = type("_Factory", (), {"__repr__": lambda self: "<factory>", "__slots__": ()})()


def record(cls: Type[T]) -> Type[T]:
    """`@dataclass(frozen=True)` for the pipeline's records, without its cost.

    The dataclass decorator compiles six methods a class every time the package is imported
    (a third of the command's start-up), and its frozen `__init__` sets each field through
    `object.__setattr__` (6 µs for a record of 14 fields). Here the `__init__` is written from
    the fields, once a class at import (`_written_init`): it fills `__dict__` key by key in
    field order, so that instances still share their keys (a dict built apart and assigned
    would double a record's memory). Equality, hashing, `repr` and the frozen guards are the
    dataclass ones, made from closures. The class is a dataclass all the same (`fields`,
    `replace`, `asdict`). A class that writes its own `__init__` keeps it, checked against the
    fields at import: same names, same order, same defaults (`FACTORY` for a factory's).
    """
    own_init = cls.__dict__.get("__init__")
    cls = dataclass(init=False, repr=False, eq=False)(cls)  # fields only: nothing compiled
    declared = fields(cls)  # type: ignore[arg-type]
    names = tuple(f.name for f in declared)
    if own_init is None:
        cls.__init__ = _written_init(cls, declared)  # type: ignore[misc]
    else:
        _check_own_init(cls, own_init, declared)
    values: Callable[[Any], Tuple[Any, ...]] = attrgetter(*names) if len(names) > 1 else \
        (lambda self: (getattr(self, names[0]),))

    @recursive_repr()
    def __repr__(self: Any) -> str:
        return self.__class__.__qualname__ + "(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(values(self))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    for method in (__repr__, __eq__, __hash__, __setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    params.init = params.repr = params.eq = params.frozen = True
    return cls


#: factories written as literals in a generated `__init__` (a literal is made faster than a call).
EMPTY_LITERALS: Dict[Any, str] = {dict: "{}", list: "[]"}


def _written_init(cls: type, declared: Tuple[Field, ...]) -> Callable[..., None]:
    """The `__init__` of a record, compiled from a few lines of source made from its fields,
    as dataclasses does (measured: 65-100 µs a class, about a millisecond for the package's
    records, under half a percent of the command's start-up):

        def __init__(self, total=_default_total, sizes=FACTORY):
            state = self.__dict__
            state["total"] = total
            state["sizes"] = {} if sizes is FACTORY else sizes
    """
    namespace: Dict[str, Any] = {"FACTORY": FACTORY}
    parameters, lines = ["self"], ["    state = self.__dict__"]
    defaulted = False
    for f in declared:
        if not f.init or getattr(f, "kw_only", False) is True:
            raise TypeError(f"{cls.__name__}.{f.name}: a record's fields are all positional __init__ arguments")
        value = f.name
        if f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            parameters.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not MISSING:
            made = EMPTY_LITERALS.get(f.default_factory)  # type: ignore[arg-type]
            if made is None:
                namespace[f"_factory_{f.name}"] = f.default_factory
                made = f"_factory_{f.name}()"
            parameters.append(f"{f.name}=FACTORY")
            value = f"{made} if {f.name} is FACTORY else {f.name}"
        elif defaulted:
            raise TypeError(f"{cls.__name__}.{f.name}: a field without a default follows one with a default")
        else:
            parameters.append(f.name)
        defaulted = defaulted or f.default is not MISSING or f.default_factory is not MISSING
        lines.append(f"    state[{f.name!r}] = {value}")
    source = f"def __init__({', '.join(parameters)}) -> None:\n" + "\n".join(lines) + "\n"
    exec(compile(source, f"<record {cls.__module__}.{cls.__qualname__}>", "exec"), namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = {**{f.name: f.type for f in declared}, "return": None}
    return init


def _check_own_init(cls: type, init: Callable[..., None], declared: Tuple[Field, ...]) -> None:
    """A hand-written `__init__` takes the fields, in their order, with their defaults."""
    names = tuple(f.name for f in declared)
    code = init.__code__
    defaults = tuple(FACTORY if f.default is MISSING else f.default for f in declared
                     if f.default is not MISSING or f.default_factory is not MISSING)
    if code.co_varnames[1:code.co_argcount] != names or (init.__defaults__ or ()) != defaults \
            or code.co_kwonlyargcount:
        raise TypeError(f"{cls.__name__}.__init__ does not take the fields {names} with their defaults")


def is_multi(shape: OutputShape) -> bool:
    """True for a tuple of shapes (several outputs) rather than one shape."""
    return isinstance(shape, tuple) and bool(shape) and isinstance(shape[0], tuple)


class Inbound(NamedTuple):
    """One `Connected to` entry: ``lstm[0][1]`` is layer ``lstm``, node 0, tensor 1. (A named
    tuple: a functional table reads one a row, and a tuple is made in C.)"""

    layer: str
    node: Optional[int] = None
    tensor: Optional[int] = None
    text: str = ""


class CellRepair(NamedTuple):
    """What was read into a row's text to read it (an OCR'd `2S6` read as `256`): the kind of
    repair (`text.cells.CELL_FIXES`), the input line, the cell's role, the text before and after."""

    kind: str
    line: int
    role: str
    before: str
    after: str


class Row(NamedTuple):
    """One layer row as printed, with every cell already parsed. (A named tuple: a long table
    makes one a row, and a tuple is made in C; immutable all the same.)"""

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
    #: what was read into the row's cells to read it (none for a row read as printed).
    repairs: Tuple[CellRepair, ...] = ()

    @property
    def connected_to(self) -> Tuple[str, ...]:
        return tuple(ref.layer for ref in self.inbound)


@record
class Totals:
    """The printed totals: counts, sizes in bytes and where each line stands."""

    total: Optional[int] = None
    trainable: Optional[int] = None
    non_trainable: Optional[int] = None
    optimizer: Optional[int] = None
    #: printed sizes in bytes, e.g. ``(136.04 KB)`` → 139305.0; keyed like the counts.
    sizes: Mapping[str, float] = field(default_factory=dict)
    #: 1-based input line of each totals line, keyed like the counts.
    lines: Mapping[str, int] = field(default_factory=dict)
    #: the counts (keyed like them) whose lines were read through repairs (an OCR'd `8（o.oo B)`).
    repaired: Tuple[str, ...] = ()


class Code(str, Enum):
    """What a finding reports: the stable identifier the JSON report's `code` carries. A
    member is its string (`Code.BAD_ROW == "bad-row"`, the same hash, the same JSON and
    text), so a finding made with the plain string is the same finding."""

    __str__ = str.__str__
    __format__ = str.__format__

    # reading the table
    BAD_ROW = "bad-row"
    BAD_CONNECTED = "bad-connected"
    BAD_TOTALS = "bad-totals"
    INCOMPLETE_TOTALS = "incomplete-totals"
    INCOMPLETE_TABLE = "incomplete-table"
    NO_HEADER = "no-header"
    #: a cell read through repairs (an OCR'd `2S6` read as `256`), or a header title (`Parans #`)
    REPAIRED_CELL = "repaired-cell"
    REPAIRED_TITLE = "repaired-title"
    #: a row kept with a cell that could not be read (its count or shape unknown)
    UNREAD_CELL = "unread-cell"
    ROWS_ELIDED = "rows-elided"
    TABLE_CROPPED = "table-cropped"
    TEXT_IGNORED = "text-ignored"
    # checking the rows
    PARAM_MISMATCH = "param-mismatch"
    SHAPE_MISMATCH = "shape-mismatch"
    UNKNOWN_LAYER = "unknown-layer"
    UNVERIFIED_ROW = "unverified-row"
    UNKNOWN_SOURCE = "unknown-source"
    # checking the totals
    TOTAL_MISMATCH = "total-mismatch"
    TRAINABLE_MISMATCH = "trainable-mismatch"
    NON_TRAINABLE_UNEXPLAINED = "non-trainable-unexplained"
    SIZE_MISMATCH = "size-mismatch"
    COUNT_CUT = "count-cut"


@record
class Finding:
    """One problem the audit reports, with its line."""

    severity: Severity
    line: Optional[int]
    #: a `Code` (a plain string equal to one is the same code).
    code: str
    message: str
    #: 1-based column in the input line, where known. (Not in the JSON report yet. A message's
    #: own "column N" counts inside the cell it names, not along the line.)
    column: Optional[int] = None


@record
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
    #: lines where the paste left rows out (`...`): no chain of shapes runs across one.
    gaps: Tuple[int, ...] = ()


@record
class ReadError:
    """Input that could not be read as a summary at all."""

    line: Optional[int]
    column: Optional[int]
    message: str


@record
class Document:
    """Everything found in one input: the summaries and what could not be read."""

    source: Optional[str]
    summaries: Tuple[Summary, ...]
    errors: Tuple[ReadError, ...] = ()


@record
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


class RowAudit(NamedTuple):
    """One row checked: ok, mismatch or unverified, and why. (A named tuple: a long table
    makes one a row.)"""

    row: Row
    status: Status
    input_shapes: Tuple[OutputShape, ...] = ()
    expected_params: Optional[int] = None
    expected_shape: OutputShape = None
    #: read-only: rows read alike share one.
    inferred: Mapping[str, Any] = MappingProxyType({})
    explanation: Optional[str] = None
    messages: Tuple[str, ...] = ()
    alternatives: Tuple[Candidate, ...] = ()
    trainable_params: Optional[int] = None
    non_trainable_params: Optional[int] = None
    #: the Keras class the audit read the row as (a cut type such as `MaxPooling2` resolved).
    layer_class: Optional[str] = None
    #: the other configurations that explain the row about as well as `inferred` (what the
    #: text calls "also fits"), each a config map: the JSON's `alternatives`.
    also_fits: Tuple[Mapping[str, Any], ...] = ()


@record
class TotalsAudit:
    """The totals checked against the rows."""

    totals: Optional[Totals]
    expected_total: Optional[int]
    expected_trainable: Optional[int]
    expected_non_trainable: Optional[int]
    status: Status


@record
class Audit:
    """A summary with every row and total checked."""

    summary: Summary
    rows: Tuple[RowAudit, ...]
    totals: TotalsAudit
    data_format: Optional[str]
    status: Status
    findings: Tuple[Finding, ...] = ()

