"""Inference: the shapes that enter each layer, and the configuration that explains each row.

Shapes flow down a Sequential table (each row takes the previous row's output, nested rows
chain inside their container) or along a functional table's `Connected to` references. For
every row the layer's spec enumerates the configurations consistent with its input; the one
that reproduces the printed Param # and output shape (best ranked) is kept. A table is read
once as channels_last and, if that leaves rows unexplained, once as channels_first.
"""

from __future__ import annotations

from dataclasses import replace
from operator import attrgetter
from typing import Any, Dict, FrozenSet, Iterator, List, Mapping, Optional, Sequence, Tuple

from .layers import REGISTRY, LayerQuery, LayerSpec
from .layers.base import CutNames, fmt
from .shapes import one_output, prefix_shape, same_shape, shapes_text
from . import memo
from .model import Candidate, Format, Inbound, OutputShape, Row, Shape, Summary, is_multi, record

DATA_FORMATS = ("channels_last", "channels_first")
UNKNOWN_SHAPE_WORDS = ("multiple", "?")


@record
class RowInference:
    """How one row was read: its input, the configuration that explains it, or why none does.
    (The row itself is the summary's row of the same index: rows read alike share one.)"""

    layer_class: Optional[str]
    input_shapes: Tuple[Shape, ...]
    #: the exact candidate when one exists, else the closest one (for the mismatch message).
    best: Optional[Candidate]
    exact: bool
    alternatives: Tuple[Candidate, ...] = ()
    #: why the row cannot be checked (custom layer, unknown input, unbuilt ...).
    reason: Optional[str] = None
    #: what is wrong when no candidate can be compared: an input row whose shape its
    #: consumer cannot take, an impossible reshape.
    problem: Optional[str] = None
    #: a lead for a mismatch: which input would make the row's count right.
    hint: Optional[str] = None
    #: which of several inputs disagrees with the row (a shared layer's odd call).
    suspect_input: Optional[int] = None

    def __init__(self, layer_class: Optional[str], input_shapes: Tuple[Shape, ...], best: Optional[Candidate],
                 exact: bool, alternatives: Tuple[Candidate, ...] = (), reason: Optional[str] = None,
                 problem: Optional[str] = None, hint: Optional[str] = None, suspect_input: Optional[int] = None) -> None:
        state = self.__dict__  # (filled key by key: instances keep sharing their keys)
        state["layer_class"] = layer_class
        state["input_shapes"] = input_shapes
        state["best"] = best
        state["exact"] = exact
        state["alternatives"] = alternatives
        state["reason"] = reason
        state["problem"] = problem
        state["hint"] = hint
        state["suspect_input"] = suspect_input


@record
class Inference:
    """Every row read in one data format."""

    summary: Summary
    data_format: Optional[str]
    rows: Tuple[RowInference, ...]
    #: rows read exactly in this data format, before any is blamed for its reader's sake.
    explained: int

    def __init__(self, summary: Summary, data_format: Optional[str], rows: Tuple[RowInference, ...],
                 explained: int) -> None:
        state = self.__dict__  # (filled key by key: instances keep sharing their keys)
        state["summary"] = summary
        state["data_format"] = data_format
        state["rows"] = rows
        state["explained"] = explained


def infer(summary: Summary) -> Inference:
    """Read the table in the data format that explains the most rows."""
    first = _infer(summary, "channels_last")
    if first.explained == len(first.rows) or not _has_spatial_rows(summary):
        return first
    second = _infer(summary, "channels_first")
    return second if second.explained > first.explained else first


def _has_spatial_rows(summary: Summary) -> bool:
    return any(isinstance(r.output_shape, tuple) and not is_multi(r.output_shape) and len(r.output_shape) >= 3
               for r in summary.rows)


def _infer(summary: Summary, data_format: str) -> Inference:
    flow = _ShapeFlow(summary)
    results: List[RowInference] = []
    reads, record, keep = flow.reads, flow.record, results.append
    for index, row in enumerate(summary.rows):
        options, sources = reads(index)
        result = _infer_row(summary, index, row, options[0], data_format)
        if len(options) > 1:
            for inputs in options[1:]:
                if result.exact:
                    break
                result = _infer_row(summary, index, row, inputs, data_format)
        if not result.exact and len(sources) == 1 and len(result.input_shapes) == 1:
            result = _reread_cut_producer(summary, results, sources[0], index, data_format) or result
        record(index, sources, result.input_shapes, _flowing_output(row, result))
        keep(result)
    explained = sum(map(_EXACT, results))
    if explained < len(results):  # (blame falls only on rows read inexactly, and their inputs)
        _blame_input_rows(summary, results, flow.sources, data_format)
    return Inference(summary, data_format if _has_spatial_rows(summary) else None, tuple(results), explained)


def _reread_cut_producer(summary: Summary, results: List[RowInference], source: int, index: int,
                         data_format: str) -> Optional[RowInference]:
    """A row that misses what it reads from a shape cut at the column edge: the producer's
    count had several readings that fit the cut shape, and the first ranked one need not be
    it. The reading whose output this row can take is the producer's (its result is replaced);
    this row's result read with it, or None when no reading helps."""
    producer_row, producer = summary.rows[source], results[source]
    if not producer_row.shape_cut or not producer.exact or producer.best is None or producer.layer_class is None:
        return None
    spec = REGISTRY.get(producer.layer_class)
    if spec is None or spec.is_container or not producer.input_shapes:
        return None
    row = summary.rows[index]
    for reading in _exact_readings(spec, producer_row, producer.input_shapes, data_format, summary):
        shape = reading.output_shape
        if not isinstance(shape, tuple) or same_shape(shape, producer.best.output_shape):  # type: ignore[arg-type]
            continue
        again = _infer_row(summary, index, row, (shape,), data_format)
        if again.exact and again.best is not None:
            results[source] = replace(producer, best=reading, alternatives=())
            note = f"reads {shapes_text((shape,))} from line {producer_row.line}, the reading of its cut shape that fits"
            return replace(again, best=replace(again.best, note=note))
    return None


def _exact_readings(spec: LayerSpec, row: Row, inputs: Tuple[Shape, ...], data_format: str,
                    summary: Summary) -> List[Candidate]:
    """Every configuration that gives the row's printed count and fits its printed (cut) shape, best first."""
    readings = [c for c in _candidates(spec, row, inputs, row.output_shape, data_format, summary) if _fits(c, row)]
    return sorted(readings, key=attrgetter("rank"))


_EXACT = attrgetter("exact")


def _blame_input_rows(summary: Summary, results: List[RowInference], sources: Dict[int, Tuple[int, ...]],
                      data_format: str) -> None:
    """When a row cannot take the shapes it reads, the row that printed one of them may be the
    wrong one. A shape nothing else checks (an InputLayer, a first layer, a nested model shown
    without its layers) is flagged beside its reader — the table cannot say which is wrong; a
    checked shape is flagged when a better-ranked reading of its own row gives what the
    reader needs."""
    culprits = _relieve_consumers(summary, results, sources, data_format)
    counts_add_up = _counts_add_up(summary)
    for index, result in enumerate(results):
        producers = sources.get(index, ())
        if result.exact or not producers or index in culprits:
            continue
        if result.best is None and result.problem is None:
            continue  # an unverified reader (its input unknown, its class unknown) holds nothing against its input
        if len(producers) == 1 and len(result.input_shapes) == 1:
            blamed = _blame_unchecked_input(summary, results, index, producers[0], data_format, counts_add_up,
                                            sources)
        else:
            blamed = _blame_one_of_several(summary, results, index, producers, sources)
        if not blamed and len(producers) == len(result.input_shapes):
            _blame_checked_input(summary, results, index, producers, data_format)


def _relieve_consumers(summary: Summary, results: List[RowInference], sources: Dict[int, Tuple[int, ...]],
                       data_format: str) -> set:
    """A row whose count fits (as read, or by another configuration) but whose printed shape
    does not is a lone shape typo when the rows reading it would hold with the shape its count
    gives: they are not flagged for it, nor is its count, nor the row it reads (one wrong cell,
    not three). Returns the rows found to be such typos."""
    culprits = set()
    for index, (row, result) in enumerate(zip(summary.rows, results)):
        if result.exact or result.best is None:
            continue
        best = result.best if result.best.params == row.params else _count_reading(summary, index, result, data_format)
        if best is None or not _concrete(best.output_shape):
            continue
        for consumer, producers in sources.items():
            reader = results[consumer]
            if index not in producers or reader.exact or len(producers) != len(reader.input_shapes):
                continue
            inputs = tuple(best.output_shape if p == index else shape  # type: ignore[misc]
                           for p, shape in zip(producers, reader.input_shapes))
            again = _infer_row(summary, consumer, summary.rows[consumer], inputs, data_format)
            if again.exact and again.best is not None:
                note = f"reads {shapes_text((best.output_shape,))} from line {row.line}, as that row's count says"
                results[consumer] = replace(again, best=replace(again.best, note=note))
                culprits.add(index)
        if index in culprits and best is not result.best:
            results[index] = replace(result, best=best)  # its count is right: the shape cell is the typo
    return culprits


def _count_reading(summary: Summary, index: int, result: RowInference, data_format: str) -> Optional[Candidate]:
    """The configuration that gives a row's printed count from its input with the output
    nearest the printed one (fewest dimensions changed, then the most usual): what the row is if
    its printed shape holds the one wrong cell."""
    spec = REGISTRY.get(result.layer_class) if result.layer_class else None
    row = summary.rows[index]
    if spec is None or spec.is_container or not result.input_shapes or row.params is None:
        return None
    fitting = [c for c in _candidates(spec, row, result.input_shapes, None, data_format, summary)
               if c.params == row.params]
    return min(fitting, key=lambda c: _distance(c, row), default=None)  # the fewest cells changed


def _counts_add_up(summary: Summary) -> bool:
    """Do the printed counts add up to the printed total? Keras adds the true counts, so when
    they do, a count is unlikely to be the typo: a reader whose count fits only another input
    then points at its input's printed shape, not at its own count."""
    totals = summary.totals
    if totals is None or totals.total is None:
        return False
    rows = summary.rows
    added = sum(rows[index].params or 0 for index in counted_once(rows))
    return added + (totals.optimizer or 0) == totals.total


def counted_once(rows: Sequence[Row]) -> Iterator[int]:
    """The indices of the rows the totals count: top-level rows, each layer once (a shared
    layer printed twice is one set of weights; a cut name may hide different layers)."""
    seen = set()
    for index, row in enumerate(rows):
        if row.depth == 0 and (row.truncated or row.name not in seen):
            seen.add(row.name)
            yield index


def _blame_unchecked_input(summary: Summary, results: List[RowInference], index: int, source: int,
                           data_format: str, counts_add_up: bool, sources: Dict[int, Tuple[int, ...]]) -> bool:
    result, producer = results[index], results[source]
    if not _unchecked(producer):
        return False
    shown = shapes_text(result.input_shapes)
    row = summary.rows[index]
    reader = f"{row.name} (line {row.line})"
    if result.best is None:
        if result.problem is None:
            return False  # an unverified reader holds nothing against its input
        problem = f"its output {shown} does not lead to what {reader} prints"
    elif result.best.params != row.params:
        needed = _needed_input(summary, index, result, data_format)
        if needed is None or same_shape(needed, result.input_shapes[0]):
            return False
        wanted = shapes_text((needed,))
        # the counts add up, one number of the input's printed shape is all that keeps this row's
        # count from fitting, and the row's own output is confirmed by a row reading it: that
        # number is the one wrong cell (else either row may hold it: both are flagged)
        lone_typo = counts_add_up and _shape_distance(needed, result.input_shapes[0]) == 1 and \
            _read_fitly(index, -1, results, sources)
        again = _infer_row(summary, index, row, (needed,), data_format) if lone_typo else result
        if again.exact and again.best is not None:
            note = f"reads {wanted}, as its count says (line {summary.rows[source].line} prints {shown})"
            results[index] = replace(again, best=replace(again.best, note=note))
        else:
            results[index] = replace(result, hint=f"its count fits an input of {wanted}, not {shown} "
                                                  f"(line {summary.rows[source].line})")
        problem = f"{reader} fits its count only with an input of {wanted}"
    else:
        problem = f"its output {shown} does not lead to what {reader} prints"
    results[source] = replace(producer, exact=False, best=None, problem=problem)
    return True


def _blame_one_of_several(summary: Summary, results: List[RowInference], index: int,
                          producers: Tuple[int, ...], sources: Dict[int, Tuple[int, ...]]) -> bool:
    """A merge or a shared layer that cannot take its inputs: when exactly one of them is a
    shape nothing else checks (no other reader of it fits), that one is the suspect."""
    odd = results[index].suspect_input
    named = [producers[odd]] if odd is not None and odd < len(producers) else producers
    suspects = {p for p in named if _unchecked(results[p]) and not _read_fitly(p, index, results, sources)}
    if len(suspects) != 1:
        return False
    source = suspects.pop()
    producer, reader = results[source], summary.rows[index]
    results[source] = replace(producer, exact=False, best=None, problem=(
        f"its output does not lead to what {reader.name} (line {reader.line}) prints"))
    return True


def _read_fitly(producer: int, reader: int, results: List[RowInference], sources: Dict[int, Tuple[int, ...]]) -> bool:
    """Does another row read this producer's output and fit it exactly (which checks it)?"""
    return any(results[other].exact for other, read in sources.items() if other != reader and producer in read)


def _blame_checked_input(summary: Summary, results: List[RowInference], index: int, producers: Tuple[int, ...],
                         data_format: str) -> None:
    reader = summary.rows[index]
    for source in dict.fromkeys(producers):
        better = _better_producer_output(summary, results, index, source, producers, data_format)
        if better is not None:
            results[source] = replace(results[source], exact=False, best=None, problem=(
                f"{reader.name} (line {reader.line}) reads {shapes_text((better,))}, which this "
                f"layer's own numbers give with a more usual setting; one of the two rows is wrong"))
            return


def _unchecked(result: RowInference) -> bool:
    """A row whose printed output nothing before it constrains."""
    if result.problem is not None:
        return False
    return result.best is None or not result.input_shapes


def _needed_input(summary: Summary, index: int, result: RowInference, data_format: str) -> Optional[Shape]:
    """The input a row's own numbers call for, read as if it were the first layer."""
    rebuilt = _infer_row(summary, index, summary.rows[index], (), data_format)
    if not rebuilt.exact or rebuilt.best is None:
        return None
    needed = rebuilt.best.config.get("input_shape")
    return tuple(needed) if isinstance(needed, (tuple, list)) else None


def _better_producer_output(summary: Summary, results: List[RowInference], index: int, source: int,
                           producers: Tuple[int, ...], data_format: str) -> Optional[Shape]:
    """An output the producer's own numbers give with a better-ranked configuration than the
    one its printed output forces, and that its reader can take: the producer's printed shape
    is then the likelier mistake."""
    producer, reader = results[source], results[index]
    if not producer.exact or producer.best is None or not producer.input_shapes or producer.layer_class is None:
        return None
    spec = REGISTRY.get(producer.layer_class)
    if spec is None or spec.is_container:
        return None
    guesses: List[OutputShape] = [summary.rows[index].output_shape, None]
    if len(producers) == 1:
        guesses.insert(0, _needed_input(summary, index, reader, data_format))
    rivals = _rival_outputs(spec, summary, source, producer, guesses, data_format)
    for rival in sorted(rivals, key=lambda c: c.rank):
        inputs = tuple(rival.output_shape if p == source else shape  # type: ignore[misc]
                       for p, shape in zip(producers, reader.input_shapes))
        if _infer_row(summary, index, summary.rows[index], inputs, data_format).exact:
            return rival.output_shape  # type: ignore[return-value]
    return None


def _rival_outputs(spec: LayerSpec, summary: Summary, source: int, producer: RowInference,
                   guesses: List[OutputShape], data_format: str) -> List[Candidate]:
    """The producer's configurations, asked for each guessed output, that keep its count, rank
    better than the one it was read with, and give another concrete shape than it printed."""
    row, rank = summary.rows[source], producer.best.rank  # type: ignore[union-attr]
    rivals: List[Candidate] = []
    for wanted in dict.fromkeys(g for g in guesses if g is None or _concrete(g)):
        rivals.extend(c for c in _candidates(spec, row, producer.input_shapes, wanted, data_format, summary)
                      if c.params == row.params and _concrete(c.output_shape) and c.rank < rank
                      and not same_shape(c.output_shape, row.output_shape))  # type: ignore[arg-type]
    return rivals


def _flowing_output(row: Row, result: RowInference) -> OutputShape:
    """What the next layer receives: the printed shape, or the derived one where the table
    says 'multiple' or cut the shape at the column edge."""
    printed = row.output_shape
    if isinstance(printed, tuple) and not (row.shape_cut and result.exact):
        return printed
    if result.best is not None and isinstance(result.best.output_shape, tuple):
        return result.best.output_shape
    return None


# ---- shapes along the table ------------------------------------------------------------------


#: the last `Connected to` entry of a cell cropped at the console's edge: more may follow.
LINKS_CUT = "…"


class _ShapeFlow:
    """Where each row's input comes from: the previous row, its container, or `Connected to`."""

    def __init__(self, summary: Summary) -> None:
        self.rows = summary.rows
        self.outputs: Dict[str, OutputShape] = {}
        #: every row's output in order: several rows can share one cut name (`batch_normalizatio…`).
        self.history: List[Tuple[str, OutputShape]] = []
        self.chain: Dict[int, OutputShape] = {}
        self.container_input: Dict[int, Tuple[Shape, ...]] = {}
        #: row index → the rows whose outputs it reads, one per inbound tensor.
        self.sources: Dict[int, Tuple[int, ...]] = {}
        self._by_name: Dict[str, int] = {}
        self._cut_names = CutNames()
        self._chain_index: Dict[int, int] = {}
        #: rows printed right after a `...` that left rows out: what they read is not shown.
        self._after_gap = _rows_after_gaps(summary) if summary.gaps else frozenset()
        #: rows are looked up by name only for `Connected to` references: a table without any
        #: (a Sequential model's) keeps no names.
        self._linked = any(row.inbound for row in self.rows)
        #: the last single input read, and the inputs tuple made of it (`_one_input`).
        self._last_read: Tuple[OutputShape, Tuple[Shape, ...]] = (None, ())

    def reads(self, index: int) -> Tuple[List[Tuple[Shape, ...]], Tuple[int, ...]]:
        """The possible inputs of a row — one set, or several where `Connected to` names a
        layer by a cut name (`batch_normalizat…`) that fits several rows — and the rows it
        reads, one per inbound tensor (() when any of them cannot be named)."""
        row = self.rows[index]
        inbound = row.inbound
        if not inbound:
            return self._chained(index, row)
        if any(ref.layer == LINKS_CUT for ref in inbound):  # links past a console's edge: inputs unknown
            return [()], ()
        if len(inbound) == 1:  # the commonest link: one layer named in full, one output
            name = inbound[0].layer
            source = self._by_name.get(name)
            output = self.outputs.get(name)
            if source is not None and isinstance(output, tuple) and output and not isinstance(output[0], tuple) \
                    and not name.endswith("…"):
                return [self._one_input(output)], (source,)
        read = [self._read(ref) for ref in inbound]
        found = tuple(source for source, _ in read)
        sources = () if -1 in found else found
        per_ref = [shapes for _, shapes in read]
        if any(not options for options in per_ref):
            return [()], sources
        combos: List[Tuple[Shape, ...]] = [()]
        for options in per_ref:
            combos = [combo + (option,) for combo in combos for option in options][:64]
        return combos, sources

    def _chained(self, index: int, row: Row) -> Tuple[List[Tuple[Shape, ...]], Tuple[int, ...]]:
        """A row without `Connected to` reads the row above at its depth, or the input of the
        nested model it opens."""
        if REGISTRY.is_input_row(row):
            return [()], ()
        if index in self._after_gap:
            return [()], ()
        depth = row.depth
        previous = self.rows[index - 1] if index else None
        if previous is not None and previous.depth < depth:
            return [self.container_input.get(depth - 1, ())], ()
        shape = self.chain.get(depth)
        inputs = self._one_input(shape) if isinstance(shape, tuple) and shape and not isinstance(shape[0], tuple) \
            else ()
        if previous is None or previous.depth != depth:
            return [inputs], ()
        source = self._chain_index.get(depth)
        return [inputs], (() if source is None else (source,))

    def _one_input(self, shape: Shape) -> Tuple[Shape, ...]:
        """`(shape,)`, the same tuple while the same shape object flows on (a long table
        passes one shape down row after row: one tuple for it, not one a row)."""
        last_shape, inputs = self._last_read
        if shape is not last_shape:
            inputs = (shape,)
            self._last_read = (shape, inputs)
        return inputs

    def record(self, index: int, sources: Tuple[int, ...], inputs: Tuple[Shape, ...], output: OutputShape) -> None:
        row = self.rows[index]
        depth = row.depth
        self.sources[index] = sources
        self._chain_index[depth] = index
        self.container_input[depth] = inputs
        chain = self.chain
        chain[depth] = output
        if len(chain) > 1:
            for deeper in [d for d in chain if d > depth]:
                del chain[deeper]
        name = row.name
        if name and self._linked:
            self._by_name[name] = index
            self.outputs[name] = output
            self.history.append((name, output))
            self._cut_names.add(name)

    def _read(self, ref: Inbound) -> Tuple[int, List[Shape]]:
        """The row a `Connected to` entry names (-1: none), and the shapes it can stand for."""
        name = ref.layer
        if name in self._by_name and not name.endswith("…"):
            return self._by_name[name], _tensors(self.outputs[name], ref.tensor)
        return self._source_named(name), self._resolve_all(name, ref.tensor)

    def _source_named(self, name: str) -> int:
        """The row a `Connected to` name points at: exact, else the latest cut-name match."""
        if name in self._by_name and not name.endswith("…"):
            return self._by_name[name]
        fitting = self._cut_names.matches(name)
        return next((i for known, i in reversed(self._by_name.items()) if known in fitting), -1)

    def _resolve_all(self, name: str, tensor: Optional[int]) -> List[Shape]:
        shapes = [self.outputs[name]] if name in self.outputs and not name.endswith("…") \
            else self._cut_name_matches(name)
        found: List[Shape] = []
        for shape in shapes:
            found.extend(_tensors(shape, tensor))
        return list(dict.fromkeys(found))

    def _cut_name_matches(self, name: str) -> List[OutputShape]:
        """Keras 3 cuts long names with `…`, in the name column and in `Connected to` alike;
        the latest layer first."""
        fitting = self._cut_names.matches(name)
        return [shape for known, shape in reversed(self.history) if known in fitting] if fitting else []


def _rows_after_gaps(summary: Summary) -> FrozenSet[int]:
    gaps = sorted(summary.gaps)
    return frozenset(index for index, row in enumerate(summary.rows)
                     if index and any(summary.rows[index - 1].line < gap < row.line for gap in gaps))


def _tensors(shape: OutputShape, tensor: Optional[int]) -> List[Shape]:
    """The shape a reference to one output tensor reads: [] when the row's output is unknown."""
    if shape is None or isinstance(shape, str):
        return []
    if shape and isinstance(shape[0], tuple):  # several outputs
        return [shape[tensor or 0]] if (tensor or 0) < len(shape) else []  # type: ignore[list-item]
    return [shape]  # type: ignore[list-item]


# ---- one row -----------------------------------------------------------------------------------


def _merge_calls(row: Row, classes: Tuple[str, ...], inputs: Tuple[Shape, ...]) -> List[Tuple[Shape, ...]]:
    """A merge called once per time step (attention's shared Concatenate and Dot): printers list
    every call's inputs in turn (`bidirectional_1, repeat_vector_1, bidirectional_1,
    repeat_vector_1, …`), so the inputs repeat with the call's arity. The calls, each its own
    inputs; [] for a row read as one call."""
    count = len(row.inbound)
    if count < 4 or count != len(inputs) or len(classes) != 1:
        return []
    spec = REGISTRY.get(classes[0])
    if spec is None or not spec.several_inputs:
        return []
    names = [ref.layer for ref in row.inbound]
    for arity in range(2, count // 2 + 1):
        if count % arity == 0 and _repeats_every(arity, names, inputs):
            return [inputs[start:start + arity] for start in range(0, count, arity)]
    return []


def _repeats_every(arity: int, names: Sequence[str], inputs: Tuple[Shape, ...]) -> bool:
    """The inputs are calls of `arity` each: the shapes repeat with that period, and one input
    of every call is the same layer (the encoder's output every attention step reads)."""
    if any(inputs[i] != inputs[i % arity] for i in range(arity, len(inputs))):
        return False
    return any(all(names[k] == names[i] for i in range(k, len(names), arity)) for k in range(arity))


def _shared_merge(summary: Summary, index: int, row: Row, calls: List[Tuple[Shape, ...]],
                  data_format: str) -> RowInference:
    """Each call read as the row (one output shape for all: the printer shows the first). When
    one does not fit, the inputs may be one call after all (`concatenate([x, y, x, y])`): that
    reading if it fits, else the first call that does not."""
    plain = row._replace(inbound=())
    readings = [_infer_row(summary, index, plain, call, data_format) for call in calls]
    misfit = next((reading for reading in readings if not reading.exact), None)
    if misfit is None:
        return readings[0]
    whole = _infer_row(summary, index, plain, tuple(shape for call in calls for shape in call), data_format)
    return whole if whole.exact else misfit


def _infer_row(summary: Summary, index: int, row: Row, inputs: Tuple[Shape, ...], data_format: str) -> RowInference:
    """`_infer_one_row`, memoized (`_row_outcome`) for the rows it can be: not a typeless row
    (`_typeless`), nor a nested model (`_container`, which reads the rows below it). Long tables
    repeat the same rows, each read the same way: rows read alike share one result (`verify`
    counts on it)."""
    classes = (row.layer_class,) if row.layer_class else row.class_candidates
    calls = _merge_calls(row, classes, inputs)
    if calls:
        return _shared_merge(summary, index, row, calls, data_format)
    if row.type or classes:
        try:
            outcome = _row_outcome(classes, row.type, row.params_note, inputs, row.output_shape, row.params,
                                   row.shape_cut, data_format, summary.format, row.name if len(classes) > 1 else "")
        except TypeError:  # an unhashable part (never from the parser): no memo
            outcome = None
        if outcome is not None:
            return outcome
    return _infer_one_row(summary, index, row, inputs, data_format)


@memo.cached(maxsize=100_000)
def _row_outcome(classes: Tuple[str, ...], printed_type: str, params_note: Optional[str], inputs: Tuple[Shape, ...],
                 output_shape: OutputShape, params: Optional[int], shape_cut: bool, data_format: str,
                 generation: Format, name: str) -> Optional[RowInference]:
    """`_infer_one_row` of a row made of what it reads of one (the line, the links, the depth
    do not matter to it; the name only tells several classes apart, `_named_after` and
    `REGISTRY.is_input_row`, so it is given only then: `batch_normalization_7 (BatchNormalization)` rows share a
    reading). None for a nested model: its reading needs the rows below it."""
    if _is_container(classes):
        return None
    row = Row(0, name, printed_type, classes[0] if len(classes) == 1 else None, output_shape, params,
              class_candidates=classes, params_note=params_note, shape_cut=shape_cut)
    return _infer_one_row(Summary(None, generation, 0, 0, (), None), 0, row, inputs, data_format)


def _is_container(classes: Tuple[str, ...]) -> bool:
    for name in classes:
        spec = REGISTRY.get(name)
        if spec is not None:
            return spec.is_container
    return False


def _infer_one_row(summary: Summary, index: int, row: Row, inputs: Tuple[Shape, ...],
                   data_format: str) -> RowInference:
    classes = (row.layer_class,) if row.layer_class else row.class_candidates
    if not row.type and not classes:
        return _typeless(summary, row, inputs, data_format)
    # (a row reads as an InputLayer exactly when it is an input row: `REGISTRY.is_input_row`)
    input_row = REGISTRY.is_input_row(row)
    specs = [(name, spec) for name, spec in ((name, REGISTRY.get(name)) for name in classes)
             if spec is not None and spec.is_input == input_row]
    if not specs:
        return RowInference(None, inputs, None, False, reason=_unknown_reason(row))
    if row.params_note in ("unbuilt", "unused"):
        return RowInference(specs[0][0], inputs, None, False,
                            reason=f"the printer marked the layer {row.params_note}: its weights do not exist yet")
    if specs[0][1].is_container:  # type: ignore[union-attr]
        return _container(summary, index, row, specs[0][0], inputs)
    outcomes = [_best_of(name, spec, row, inputs, data_format, summary) for name, spec in specs]  # type: ignore[arg-type]
    outcomes.sort(key=lambda r: (not r.exact, r.best is None, r.best.rank if r.best else 0,
                                 not _named_after(r.layer_class, row)))
    return outcomes[0]


def _named_after(layer_class: Optional[str], row: Row) -> bool:
    """A type cut at the column edge (`(Globa`) fits several classes alike; the generated
    name (`global_average_pooling2d_1`, Keras 1 `globalaveragepooling2d_1`) tells them apart."""
    spec = REGISTRY.get(layer_class) if layer_class else None
    return spec is not None and spec.named(row.name, prefix=True)


def _typeless(summary: Summary, row: Row, inputs: Tuple[Shape, ...], data_format: str) -> RowInference:
    """The printer cut the type off with a long name: ask every layer class whether it fits."""
    fitting = []
    for name in REGISTRY.class_names():
        spec = REGISTRY.get(name)
        if spec is None or spec.is_container or spec.opaque or spec.is_input or bool(row.params) != spec.has_weights:
            continue  # (an op fits any row and tells nothing; a row without its type is no input row)
        outcome = _best_of(name, spec, row, inputs, data_format, summary)
        if outcome.exact and outcome.best is not None:
            fitting.append(outcome)
    if not fitting:
        return RowInference(None, inputs, None, False,
                            reason="the type was cut off with the long name, and no layer class fits the numbers")
    fitting.sort(key=lambda r: (not _named_after(r.layer_class, row), r.best.rank if r.best else 0))
    best = fitting[0]
    names = ", ".join(dict.fromkeys(r.layer_class or "" for r in fitting[:4]))
    note = f"type cut off with the name; the numbers fit {names}"
    return RowInference(best.layer_class, inputs, replace(best.best, note=note),  # type: ignore
                        True, best.alternatives)


def _concrete(shape: OutputShape) -> bool:
    return isinstance(shape, tuple) and not is_multi(shape) and len(shape) > 0


def _unknown_reason(row: Row) -> str:
    suggestion = REGISTRY.suggest(row.type) if row.type else None
    hint = f" (did you mean {suggestion}?)" if suggestion else ""
    return f"custom or unknown layer type {row.type!r}{hint}: Param # not checked"


def _best_of(name: str, spec: LayerSpec, row: Row, inputs: Tuple[Shape, ...], data_format: str,
             summary: Summary) -> RowInference:
    inputs = spec.call_inputs(inputs) if len(inputs) > 1 else inputs
    if len(inputs) <= 1 or spec.several_inputs:
        return _one_call(name, spec, row, inputs, data_format, summary)
    # A shared layer: one call per inbound tensor, one set of weights for all of them.
    first: Optional[RowInference] = None
    for position, shape in enumerate(inputs):
        outcome = _one_call(name, spec, row, (shape,), data_format, summary)
        first = first or outcome
        if outcome.exact and outcome.best is not None:
            others = [(i, other) for i, other in enumerate(inputs) if i != position]
            clash = _shared_call_clash(spec, outcome.best, others, data_format)
            if clash:
                return RowInference(name, inputs, None, False, problem=clash[1], suspect_input=clash[0])
            return outcome
    return first  # type: ignore[return-value]


def _one_call(name: str, spec: LayerSpec, row: Row, inputs: Tuple[Shape, ...], data_format: str,
              summary: Summary) -> RowInference:
    candidates = _candidates(spec, row, inputs, row.output_shape, data_format, summary)
    if not candidates:
        return _nothing_fits(name, spec, row, inputs, data_format, summary)
    if all(c.params is None for c in candidates) and row.params:
        return RowInference(name, inputs, None, False, reason=candidates[0].explanation or
                            "the count depends on settings the table does not print")
    best, exact_fit, alternatives = _choice(spec, row, inputs, data_format, summary)
    if not exact_fit and _count_depends_on_unknown(spec, best.config, inputs, data_format):
        return RowInference(name, inputs, None, False, reason=(
            f"the count depends on a size the table does not print (input {shapes_text(inputs)})"))
    return RowInference(name, inputs, best, exact_fit, alternatives)


def _nothing_fits(name: str, spec: LayerSpec, row: Row, inputs: Tuple[Shape, ...], data_format: str,
                  summary: Summary) -> RowInference:
    """No configuration gives the printed output from these inputs: a weightless first row
    is taken as printed; else what the layer would give instead, or why Keras refuses the call."""
    if not inputs and not spec.has_weights:
        weightless = Candidate(config={}, params=0, output_shape=None,
                               explanation="no weights (no input row: the output shape is taken as printed)")
        return RowInference(name, inputs, weightless, row.params in (0, None))
    if inputs and _concrete(row.output_shape):
        instead = _unreachable_output(name, spec, row, inputs, data_format, summary)
        if instead is not None:
            return instead
    reason = "input shape unknown" if not inputs else "no configuration of this layer fits its input shape"
    return RowInference(name, inputs, None, False, reason=reason)


#: what a layer's forward raises on a shape it cannot take
_SHAPE_ERRORS = (ArithmeticError, ValueError, TypeError, IndexError, KeyError)


def _count_depends_on_unknown(spec: LayerSpec, config: Mapping[str, Any], inputs: Tuple[Shape, ...],
                              data_format: str) -> bool:
    """Does the row's count change with a dimension printed as None (a cut shape, an
    unknown channel count)? Then a count that misses proves nothing: the row is unverified,
    never a mismatch. Asked only of rows that miss; two sizes tried in place of each None."""
    if not any(d is None for shape in inputs for d in shape[1:]):
        return False
    counts = set()
    for size in (7, 13):
        filled = [tuple(size if d is None and axis else d for axis, d in enumerate(shape)) for shape in inputs]
        try:
            counts.add(spec.forward(config, filled, data_format).params)
        except _SHAPE_ERRORS:
            return True
    return len(counts) > 1


def _unreachable_output(name: str, spec: LayerSpec, row: Row, inputs: Tuple[Shape, ...], data_format: str,
                        summary: Summary) -> Optional[RowInference]:
    """Nothing turns this input into the printed output: what the layer would give instead
    (the closest, for the mismatch message), or for a weightless layer, the problem."""
    unshaped = [c for c in _candidates(spec, row, inputs, None, data_format, summary) if c.params is not None]
    matching = [c for c in unshaped if row.params is None or c.params == row.params] or unshaped
    if matching and _concrete(matching[0].output_shape):
        return RowInference(name, inputs, min(matching, key=lambda c: _distance(c, row)), False)
    if not spec.has_weights:
        refusal = spec.refusal(inputs)
        return RowInference(name, inputs, None, False, problem=(
            f"{refusal}: {shapes_text(inputs)}" if refusal else
            f"no {name} turns an input of {shapes_text(inputs)} into {shapes_text((row.output_shape,))}"))
    return None


def _choice(spec: LayerSpec, row: Row, inputs: Tuple[Shape, ...], data_format: str,
            summary: Summary) -> Tuple[Candidate, bool, Tuple[Candidate, ...]]:
    """The exact candidate (best ranked) and the next ones, else the closest, among the
    spec's candidates for the row's printed output (at least one)."""
    return _chosen(spec, inputs, row.output_shape, row.params, data_format, summary.format, row.shape_cut)


@memo.cached(maxsize=100_000)
def _chosen(spec: LayerSpec, inputs: Tuple[Shape, ...], output_shape: OutputShape, params: Optional[int],
            data_format: str, generation: Format, shape_cut: bool) -> Tuple[Candidate, bool, Tuple[Candidate, ...]]:
    """`_choice`, memoized by what it reads: long tables repeat the same rows."""
    candidates = _spec_candidates(spec, inputs, output_shape, params, data_format, generation)
    row = Row(0, "", "", None, output_shape, params, shape_cut=shape_cut)  # (what `_fits` and `_distance` read of one)
    exact = [c for c in candidates if _fits(c, row)]
    if exact:
        exact.sort(key=lambda c: c.rank)
        return exact[0], True, tuple(exact[1:4])
    return min(candidates, key=lambda c: _distance(c, row)), False, ()


def _shared_call_clash(spec: LayerSpec, chosen: Candidate, calls: Sequence[Tuple[int, Shape]],
                       data_format: str) -> Optional[Tuple[int, str]]:
    """The first call whose input the shared weights do not fit: its position and why."""
    for position, shape in calls:
        try:
            again = spec.forward(chosen.config, [shape], data_format)
        except _SHAPE_ERRORS:
            continue
        if again.params is not None and chosen.params is not None and again.params != chosen.params:
            return position, (f"a shared layer: its weights ({chosen.explanation}) do not fit call "
                               f"{position + 1}, whose input {shapes_text((shape,))} would need {fmt(again.params)}")
    return None


def _candidates(spec: LayerSpec, row: Row, inputs: Tuple[Shape, ...], output_shape: OutputShape, data_format: str,
                summary: Summary) -> Tuple[Candidate, ...]:
    """The spec's configurations for a row read with these inputs and this output (the printed
    one, or None to ask what the layer would give)."""
    return _spec_candidates(spec, inputs, output_shape, row.params, data_format, summary.format)


@memo.cached(maxsize=100_000)
def _spec_candidates(spec: LayerSpec, inputs: Tuple[Shape, ...], output_shape: OutputShape, params: Optional[int],
                     data_format: str, generation: Format) -> Tuple[Candidate, ...]:
    """`spec.candidates` of the query these make, memoized by them: rows repeat down a table.
    (The query leaves the row's name and printed type at their defaults: no spec reads them,
    and a name would make every row's candidates its own.)"""
    query = LayerQuery(input_shapes=inputs, output_shape=output_shape, params=params, data_format=data_format,
                       generation=generation)
    try:
        return tuple(spec.candidates(query))
    except (ArithmeticError, ValueError, TypeError, IndexError, KeyError):
        return ()


def _fits(candidate: Candidate, row: Row) -> bool:
    params_ok = row.params is None or candidate.params is None or candidate.params == row.params
    if candidate.params is None and row.params:
        params_ok = False
    if row.shape_cut:
        return params_ok and (candidate.output_shape is None or prefix_shape(row.output_shape, candidate.output_shape))
    return params_ok and shape_fits(candidate.output_shape, row.output_shape)


def shape_fits(derived: OutputShape, printed: OutputShape) -> bool:
    if derived is None or printed is None or isinstance(printed, str):
        return True
    if isinstance(derived, str):
        return True
    if not is_multi(derived):
        printed = one_output(printed)
    return same_shape(derived, printed)


def _distance(candidate: Candidate, row: Row) -> Tuple[float, float, int]:
    """Closest first: fewest wrong numbers (a dimension or the count), then the most usual
    configuration, then the nearest count — a typo is one number, and the message should
    name that one."""
    params = 0 if row.params is None or candidate.params is None else abs(candidate.params - row.params)
    wrong = _shape_distance(candidate.output_shape, row.output_shape) + (params > 0)
    return wrong, candidate.rank, params


def _shape_distance(derived: OutputShape, printed: OutputShape) -> float:
    """How many dimensions differ: the closest wrong shape makes the clearest message."""
    if shape_fits(derived, printed):
        return 0.0
    if _concrete(derived) and _concrete(printed) and len(derived) == len(printed):  # type: ignore[arg-type]
        return float(sum(a != b for a, b in zip(derived, printed)))  # type: ignore[arg-type]
    return 100.0


def _container(summary: Summary, index: int, row: Row, name: str, inputs: Tuple[Shape, ...]) -> RowInference:
    """A nested model: its own rows (when printed) add up to its count."""
    inner: Dict[str, int] = {}
    last: Optional[Row] = None
    for other in summary.rows[index + 1:]:
        if other.depth <= row.depth:
            break
        if other.depth == row.depth + 1:
            last = other
            if other.params is not None:
                inner.setdefault(other.name, other.params)
    else:
        if inner and summary.totals is None:  # the paste ends inside it: its last layers are missing
            return RowInference(name, inputs, None, False,
                                reason="the table is cut off inside this nested model: not all its layers are shown")
    if not inner or last is None:
        return RowInference(name, inputs, None, False,
                            reason="a nested model whose layers are not shown (print with expand_nested=True)")
    entry = summary.rows[index + 1]
    if len(inputs) == 1 and REGISTRY.is_input_row(entry) and _concrete(entry.output_shape) \
            and not shape_fits(entry.output_shape, inputs[0]):
        return RowInference(name, inputs, None, False, problem=(
            f"it reads {shapes_text(inputs)}, but its own input layer {entry.name} (line {entry.line}) "
            f"takes {shapes_text((entry.output_shape,))}"))
    total = sum(inner.values())
    terms = " + ".join(f"{v:,}" for v in inner.values())
    # A model's output is its last layer's (Keras lists a model's layers in topological order).
    output = last.output_shape if _concrete(last.output_shape) and not last.shape_cut else None
    candidate = Candidate(config={}, params=total, output_shape=output,
                          explanation=f"sum of its {len(inner)} layers: {terms} = {total:,}")
    return RowInference(name, inputs, candidate, _fits(candidate, row))
