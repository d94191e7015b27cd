"""The semantic diff of two summaries: what changed in the architecture, not in the printing.

Two tables of one model printed by different Keras generations differ as text (boxes against
underscores, `conv2d_9` against `conv2d`, `[(None, 28, 28, 1)]` against `(None, 28, 28, 1)`,
an InputLayer row one printer shows and the other hides) but not as meaning. This module
compares the meaning: rows are aligned by sequence over keys that every generation prints
alike, then compared field by field, treating whatever a printer could not say (`multiple`,
`unbuilt`, a cut cell) as unknown rather than different. Nothing here imports Keras.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from typing import AbstractSet, Any, Dict, Iterable, Iterator, List, Literal, Optional, Sequence, Tuple

from .layers import REGISTRY
from .layers.base import cut_name_match, generated_from, printed_name
from .model import OutputShape, Row, Summary, Totals
from .shapes import one_output, shape_text

ChangeKind = Literal["added", "removed", "changed"]
Value = Any

#: Largest replace block (rows × rows) re-aligned with the compatibility predicate.
_DP_LIMIT = 250_000


@dataclass(frozen=True)
class FieldChange:
    """One field of a layer (or of the totals) that reads differently on the two sides."""

    field: str
    before: Value
    after: Value


@dataclass(frozen=True)
class Side:
    """Where a layer sits in one of the two summaries."""

    name: str
    type: str
    line: int
    depth: int = 0


@dataclass(frozen=True)
class LayerChange:
    """A layer added, removed or changed; `before`/`after` is None on the side that lacks it."""

    kind: ChangeKind
    before: Optional[Side]
    after: Optional[Side]
    fields: Tuple[FieldChange, ...] = ()

    @property
    def name(self) -> str:
        """The layer's name as the changed side printed it (the new name when both exist)."""
        side = self.after or self.before
        assert side is not None
        return side.name


@dataclass(frozen=True)
class SummaryDiff:
    """Everything that differs between summary `a` (before) and summary `b` (after)."""

    a_name: Optional[str]
    b_name: Optional[str]
    a_format: str
    b_format: str
    changes: Tuple[LayerChange, ...]
    totals: Tuple[FieldChange, ...]
    #: the rows each side contributes after dropping the InputLayer rows only one printer shows.
    compared_rows: Tuple[int, int] = (0, 0)
    #: remarks that explain what was deliberately ignored (not differences).
    notes: Tuple[str, ...] = ()
    strict_names: bool = False

    @property
    def equal(self) -> bool:
        return not self.changes and not self.totals


@dataclass(frozen=True)
class _Key:
    """A row reduced to what every generation prints alike."""

    depth: int
    cls: Optional[str]
    classes: Tuple[str, ...]
    #: the name to compare, or None for a generated name (its class already says it).
    name: Optional[str]
    #: the printed name was cut: `name` is a prefix of the true name.
    name_cut: bool
    #: the printed name without a cut mark, generated or not (compared with `strict_names`).
    printed: str
    printed_cut: bool
    shape: OutputShape
    params: Optional[int]
    trainable: Optional[bool]

    def align(self) -> Tuple[Any, ...]:
        """Equal only for rows that surely are the same unchanged layer; a row of unknown class
        equals nothing (`object()`), so it is paired later by the looser test, not by accident."""
        if self.cls is None:
            return (object(),)
        return (self.depth, self.cls, self.name if not self.name_cut else None, self.shape, self.params)


# ------------------------------------------------------------------------------------------
# normalization


def _generated_stems(row: Row) -> Tuple[str, ...]:
    """The stems a generated name of the row's class (or classes) begins with; and its printed
    type's own, for a class the registry does not know (a custom layer's `my_block_1`)."""
    stems: List[str] = []
    for cls in REGISTRY.classes_of(row):
        spec = REGISTRY.get(cls)
        stems.extend(spec.stems if spec is not None else (cls.replace("_", "").lower(),))
    if row.type and not row.truncated:  # a cut type (`Conv`) is no stem
        stems.append(row.type.replace("_", "").lower())
    return tuple(stems)


def is_generated_name(row: Row) -> bool:
    """True when the name is one Keras made up from the class (`conv2d_9`, `input_1`, `dense`)."""
    name, cut = printed_name(row)
    return generated_from(_generated_stems(row), name, cut)


def normalize_shape(shape: OutputShape, cut: bool = False) -> OutputShape:
    """tf.keras's `[(None, 28, 28, 1)]` is Keras 3's `(None, 28, 28, 1)`; words and cut cells are unknown."""
    if cut or shape is None or isinstance(shape, str):
        return None
    return one_output(shape)


def _key(row: Row) -> _Key:
    name, cut = printed_name(row)
    generated = is_generated_name(row)
    classes = REGISTRY.classes_of(row)
    return _Key(depth=row.depth, cls=classes[0] if len(classes) == 1 else None, classes=classes,
                name=None if generated else name, name_cut=cut and not generated, printed=name, printed_cut=cut,
                shape=normalize_shape(row.output_shape, row.shape_cut),
                params=None if row.params_note else row.params, trainable=row.trainable)


def _names_agree(a: _Key, b: _Key) -> bool:
    if a.name is None or b.name is None:
        return a.name is None and b.name is None or a.name_cut or b.name_cut
    if a.name_cut and b.name.startswith(a.name) or b.name_cut and a.name.startswith(b.name):
        return True
    return a.name == b.name


def _printed_names_agree(a: _Key, b: _Key) -> bool:
    """`strict_names`: the names as printed, suffixes and all; a cut name still matches its prefix."""
    if a.printed_cut and b.printed.startswith(a.printed) or b.printed_cut and a.printed.startswith(b.printed):
        return True
    return a.printed == b.printed


def _classes_agree(a: _Key, b: _Key) -> bool:
    if not a.classes or not b.classes:
        return True  # a type cell nobody could read: unknown, not different
    return bool(set(a.classes) & set(b.classes))


def _compatible(a: _Key, b: _Key) -> bool:
    """Two rows that may be the same layer: same depth, a class and a name that can agree."""
    return a.depth == b.depth and _classes_agree(a, b) and _names_agree(a, b)


# ------------------------------------------------------------------------------------------
# alignment


def _visible(rows: Sequence[Row], other: Sequence[Row]) -> Tuple[List[Row], List[str]]:
    """Drop the rows only this side's printer shows: InputLayer rows at a depth where the
    other printer shows none (Sequential), and mask ops (Keras 3's `NotEqual` rows for
    `mask_zero=True`) when the other side prints none."""
    notes: List[str] = []

    def inputs(rows: Sequence[Row], depth: int) -> int:
        return sum(1 for row in rows if row.depth == depth and REGISTRY.is_input_row(row))

    depths = {row.depth for row in rows}
    hidden = {d for d in depths if inputs(rows, d) and not inputs(other, d)
              and any(row.depth == d for row in other)}
    other_masks = any(map(_is_mask_op, other))
    dropped = [row.depth in hidden and REGISTRY.is_input_row(row) or not other_masks and _is_mask_op(row)
               for row in rows]
    kept = [row for row, drop in zip(rows, dropped) if not drop]
    if any(dropped):
        names = ", ".join(row.name for row, drop in zip(rows, dropped) if drop)
        notes.append(f"row(s) {names} shown by one printer only: ignored")
    return kept, notes


def _is_mask_op(row: Row) -> bool:
    spec = REGISTRY.get(row.layer_class) if row.layer_class else None
    return spec is not None and spec.mask_op


Pairing = List[Tuple[Optional[int], Optional[int]]]


def _score(a: _Key, b: _Key) -> int:
    """How alike two rows are: 0 when they cannot be one layer; agreeing numbers add to it, so
    an inserted Dense pairs the old head with the new head rather than with the inserted layer."""
    if not _compatible(a, b):
        return 0
    return 2 + (a.shape is not None and a.shape == b.shape) + (a.params is not None and a.params == b.params)


def _best_pairing(a: Sequence[_Key], b: Sequence[_Key]) -> Pairing:
    """The order-keeping pairing of compatible rows with the highest total `_score`, gaps on either side."""
    n, m = len(a), len(b)
    score = [[_score(x, y) for y in b] for x in a]
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            diagonal = score[i][j] + table[i + 1][j + 1] if score[i][j] else 0
            table[i][j] = max(diagonal, table[i + 1][j], table[i][j + 1])
    pairs: Pairing = []
    i = j = 0
    while i < n and j < m:
        if score[i][j] and table[i][j] == score[i][j] + table[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs.extend((k, None) for k in range(i, n))
    pairs.extend((None, k) for k in range(j, m))
    return pairs


def _pair_runs(pairs: Pairing) -> Pairing:
    """Between two matched rows, as many removed as added rows are one changed row each."""
    out: Pairing = []
    removed: List[int] = []
    added: List[int] = []

    def flush() -> None:
        if len(removed) == len(added):
            out.extend(zip(removed, added))
        else:
            out.extend((i, None) for i in removed)
            out.extend((None, j) for j in added)
        removed.clear()
        added.clear()

    for i, j in pairs:
        if i is not None and j is not None:
            flush()
            out.append((i, j))
        elif i is not None:
            removed.append(i)
        else:
            assert j is not None
            added.append(j)
    flush()
    return out


def align(a: Sequence[_Key], b: Sequence[_Key]) -> Pairing:
    """Index pairs (i, j), (i, None) removed, (None, j) added, in table order.

    SequenceMatcher over exact keys (class, name, shape, Param #) anchors the unchanged rows
    cheaply; inside each replaced block a small alignment under the looser compatibility test
    (same class, a name that may agree, a cut cell) pairs the changed rows, so one inserted
    layer is one added row rather than a cascade of changes.
    """
    matcher = difflib.SequenceMatcher(None, [k.align() for k in a], [k.align() for k in b], autojunk=False)
    pairs: Pairing = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
            continue
        if (i2 - i1) * (j2 - j1) <= _DP_LIMIT:
            local = _best_pairing(a[i1:i2], b[j1:j2])
        else:
            local = [(k, None) for k in range(i2 - i1)] + [(None, k) for k in range(j2 - j1)]
        pairs.extend((None if i is None else i + i1, None if j is None else j + j1) for i, j in local)
    return _pair_runs(pairs)


# ------------------------------------------------------------------------------------------
# comparison


def _side(row: Row) -> Side:
    return Side(name=row.name, type=row.type, line=row.line, depth=row.depth)


def _row_fields(a: Row, b: Row, ka: _Key, kb: _Key, strict_names: bool) -> Iterator[FieldChange]:
    if not _names_agree(ka, kb) or strict_names and not _printed_names_agree(ka, kb):
        yield FieldChange("name", a.name, b.name)
    if not _classes_agree(ka, kb):
        yield FieldChange("class", ka.cls or "/".join(ka.classes), kb.cls or "/".join(kb.classes))
    if ka.shape is not None and kb.shape is not None and ka.shape != kb.shape:
        yield FieldChange("output_shape", ka.shape, kb.shape)
    if ka.params is not None and kb.params is not None and ka.params != kb.params:
        yield FieldChange("params", ka.params, kb.params)
    if ka.trainable is not None and kb.trainable is not None and ka.trainable != kb.trainable:
        yield FieldChange("trainable", ka.trainable, kb.trainable)


class _Links:
    """The graph compared, not the row order: a layer's `Connected to` names, each read as the
    row it names on its own side and carried to the other side by the rows' pairing, must be the
    other side's names, in order (`add([x, y])` rewired to `add([y, y])` is a change)."""

    def __init__(self, rows_a: Sequence[Row], rows_b: Sequence[Row], pairs: Sequence[Tuple[str, str]],
                 hidden_a: AbstractSet[str], hidden_b: AbstractSet[str]) -> None:
        self.side_a = _Names((row.name for row in rows_a), hidden_a)
        self.side_b = _Names((row.name for row in rows_b), hidden_b)
        #: a's row name → its pair's name, for names one row holds (Keras 3 cuts two to one `block_1…`)
        self.paired = {before: after for before, after in pairs if before in self.side_a.once}

    def change(self, a: Row, b: Row) -> Tuple[FieldChange, ...]:
        """() when both sides name the same inputs, or when either cannot be told for sure (a
        side without `Connected to`, a name that fits no row or several, a row one printer omits)."""
        if not a.inbound or not b.inbound:
            return ()
        before = [self.paired.get(self.side_a.row_named(ref.layer) or "") for ref in a.inbound
                  if ref.layer not in self.side_a.hidden]
        after = [self.side_b.row_named(ref.layer) for ref in b.inbound if ref.layer not in self.side_b.hidden]
        if None in before or None in after or before == after:
            return ()
        return (FieldChange("connected_to", tuple(ref.layer for ref in a.inbound),
                            tuple(ref.layer for ref in b.inbound)),)


class _Names:
    """One side's row names, to tell which row a `Connected to` name is."""

    def __init__(self, names: Iterable[str], hidden: AbstractSet[str]) -> None:
        self.names = list(names)
        #: rows of this side that the comparison leaves out (`_visible`): links to them are not compared
        self.hidden = hidden
        self.once = {name for name, count in Counter(self.names).items() if count == 1}

    def row_named(self, name: str) -> Optional[str]:
        """Itself when one row has it, or the one row a cut name (`batch_normalizat…`) fits."""
        if not name.endswith("…") and name in self.once:
            return name
        fitting = [known for known in self.names if cut_name_match(name, known)]
        return fitting[0] if len(fitting) == 1 else None


TOTAL_FIELDS = ("total", "trainable", "non_trainable")


def _totals(a: Optional[Totals], b: Optional[Totals]) -> Iterator[FieldChange]:
    if a is None or b is None:
        return
    for name in TOTAL_FIELDS:
        before, after = getattr(a, name), getattr(b, name)
        if before is not None and after is not None and before != after:
            yield FieldChange(name, before, after)


def _pair_change(i: Optional[int], j: Optional[int], rows_a: Sequence[Row], rows_b: Sequence[Row],
                 keys_a: Sequence[_Key], keys_b: Sequence[_Key], links: _Links,
                 strict_names: bool) -> Iterator[LayerChange]:
    """What one pairing says: a row added, removed, or changed in some field (none: the same)."""
    if i is None:
        assert j is not None
        yield LayerChange("added", None, _side(rows_b[j]))
    elif j is None:
        yield LayerChange("removed", _side(rows_a[i]), None)
    else:
        fields = tuple(_row_fields(rows_a[i], rows_b[j], keys_a[i], keys_b[j], strict_names)) + \
            links.change(rows_a[i], rows_b[j])
        if fields:
            yield LayerChange("changed", _side(rows_a[i]), _side(rows_b[j]), fields)


def diff(a: Summary, b: Summary, *, strict_names: bool = False) -> SummaryDiff:
    """What changed from summary `a` (before, e.g. the stored file) to summary `b` (after)."""
    rows_a, notes_a = _visible(a.rows, b.rows)
    rows_b, notes_b = _visible(b.rows, a.rows)
    keys_a = [_key(row) for row in rows_a]
    keys_b = [_key(row) for row in rows_b]
    pairs = align(keys_a, keys_b)
    links = _Links(rows_a, rows_b, [(rows_a[i].name, rows_b[j].name) for i, j in pairs if i is not None and j is not None],
                   {row.name for row in a.rows} - {row.name for row in rows_a},
                   {row.name for row in b.rows} - {row.name for row in rows_b})
    changes = [change for i, j in pairs
               for change in _pair_change(i, j, rows_a, rows_b, keys_a, keys_b, links, strict_names)]
    notes = notes_a + notes_b
    if strict_names and a.model_name and b.model_name and a.model_name != b.model_name:
        notes.append(f"model name {a.model_name!r} → {b.model_name!r}")
    if a.totals is None or b.totals is None:
        notes.append("totals missing on one side: not compared")
    return SummaryDiff(a_name=a.model_name, b_name=b.model_name, a_format=a.format, b_format=b.format,
                       changes=tuple(changes), totals=tuple(_totals(a.totals, b.totals)),
                       compared_rows=(len(rows_a), len(rows_b)), notes=tuple(notes), strict_names=strict_names)


# ------------------------------------------------------------------------------------------
# rendering


def _value_text(field_name: str, value: Value) -> str:
    from .report.common import count_text

    if field_name == "output_shape":
        return shape_text(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return count_text(value)


def _where(side: Side, label: str) -> str:
    return f"{label}:{side.line} {side.name} ({side.type})"


def _at(label: str, line: int) -> str:
    """Where a row is: `file:line`, or `model, layer 3` for a live model (no text to point in)."""
    return f"{label}, layer {line}" if label == LIVE_MODEL else f"{label}:{line}"


#: the label of a side that is a live model: its rows are numbered, it has no lines.
LIVE_MODEL = "model"


def _change_lines(change: LayerChange, labels: Tuple[str, str]) -> Iterator[str]:
    if change.kind == "added":
        assert change.after is not None
        yield f"+ added    {change.after.name} ({change.after.type})  [{_at(labels[1], change.after.line)}]"
        return
    if change.kind == "removed":
        assert change.before is not None
        yield f"- removed  {change.before.name} ({change.before.type})  [{_at(labels[0], change.before.line)}]"
        return
    assert change.before is not None and change.after is not None
    title = change.before.name if change.before.name == change.after.name else \
        f"{change.before.name} → {change.after.name}"
    yield f"~ changed  {title} ({change.after.type})  [{_at(labels[0], change.before.line)} / " \
          f"{_at(labels[1], change.after.line)}]"
    for item in change.fields:
        label = {"params": "Param #", "output_shape": "output shape"}.get(item.field, item.field)
        yield f"      {label}: {_value_text(item.field, item.before)} → {_value_text(item.field, item.after)}"


def render_text(result: SummaryDiff, labels: Tuple[str, str] = ("a", "b")) -> str:
    """A listing a person reads in a terminal or a failed test: one block per changed layer."""
    head = f"{labels[0]} ({result.a_format}, {result.compared_rows[0]} rows) vs " \
           f"{labels[1]} ({result.b_format}, {result.compared_rows[1]} rows)"
    lines = [head]
    if result.equal:
        lines.append("same architecture: every layer and total agrees")
    for change in result.changes:
        lines.extend(_change_lines(change, labels))
    for item in result.totals:
        lines.append(f"~ totals   {item.field.replace('_', '-')} params: "
                     f"{_value_text(item.field, item.before)} → {_value_text(item.field, item.after)}")
    lines.extend(f"  note: {note}" for note in result.notes)
    return "\n".join(lines)


def _json_value(field_name: str, value: Value) -> Value:
    from .report.common import shape_json

    return shape_json(value) if field_name == "output_shape" else value


def _side_json(side: Optional[Side]) -> Optional[Dict[str, Any]]:
    if side is None:
        return None
    return {"name": side.name, "type": side.type, "line": side.line, "depth": side.depth}


def _field_json(item: FieldChange) -> Dict[str, Any]:
    return {"field": item.field, "before": _json_value(item.field, item.before),
            "after": _json_value(item.field, item.after)}


def render_json(result: SummaryDiff) -> Dict[str, Any]:
    """The diff as plain JSON data (lists and dicts only), for `summary-audit diff --json`."""
    return {
        "equal": result.equal,
        "a": {"model_name": result.a_name, "format": result.a_format, "rows": result.compared_rows[0]},
        "b": {"model_name": result.b_name, "format": result.b_format, "rows": result.compared_rows[1]},
        "strict_names": result.strict_names,
        "changes": [{"kind": change.kind, "before": _side_json(change.before), "after": _side_json(change.after),
                     "fields": [_field_json(item) for item in change.fields]} for change in result.changes],
        "totals": [_field_json(item) for item in result.totals],
        "notes": list(result.notes),
    }


__all__ = ["ChangeKind", "FieldChange", "LayerChange", "Side", "SummaryDiff", "diff", "align",
           "is_generated_name", "normalize_shape", "render_json", "render_text"]
