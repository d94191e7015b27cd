"""Recurrent layers: `4 * ((16 + 32) * 32 + 32) = 6,272` for an LSTM; GRU's count changed
with TF 2's `reset_after=True` (3·units more biases); wrappers that reuse another spec."""

from __future__ import annotations

from dataclasses import replace

from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from ..model import Candidate, Format, OutputShape, Shape
from ..printers import by_format
from .base import REGISTRY, LayerCall, LayerQuery, LayerSpec, channels, fmt, is_multi, product, register, spatial_dims, with_spatial
from .conv import kernel_shapes, windows

RESET_AFTER_NOTE = {False: "reset_after=False: the GRU formula of Keras 1, Keras 2.0-2.3 and TF 1",
                    True: "reset_after=True: the GRU formula of TF 2 / Keras 3 (3*units more biases)"}


def sequences_only(inputs: Tuple[Shape, ...], rank: int = 3) -> Tuple[Shape, ...]:
    """Keras 3 lists an RNN's mask (`not_equal (NotEqual)`, (None, 600)) and its initial
    states ((None, units)) beside its sequence: the sequences (with a time axis: `rank` axes
    or more) are its inputs."""
    sequences = tuple(shape for shape in inputs if isinstance(shape, tuple) and len(shape) >= rank)
    return sequences or inputs


class RecurrentSpec(LayerSpec):
    gates = 1
    states = 1

    def call_inputs(self, inputs: Tuple[Shape, ...]) -> Tuple[Shape, ...]:
        return sequences_only(inputs)

    def count(self, d_in: int, units: int, config: Mapping[str, Any]) -> Tuple[int, str]:
        bias = bool(config.get("use_bias", True))
        extra = self.extra_bias(units, config)
        params = self.gates * (units * (d_in + units) + (units if bias else 0)) + extra
        inner = f"({fmt(d_in)} + {fmt(units)}) * {fmt(units)}" + (f" + {fmt(units)}" if bias else "")
        if extra:
            inner += f" + {fmt(units)}"
        return params, (f"{self.gates} * ({inner})" if self.gates > 1 else inner) + f" = {fmt(params)}"

    def extra_bias(self, units: int, config: Mapping[str, Any]) -> int:
        return 0

    def outputs(self, shape: Shape, units: int, config: Mapping[str, Any]) -> OutputShape:
        sequence = (shape[0], shape[1], units) if config.get("return_sequences") else (shape[0], units)
        if config.get("return_state"):
            return (sequence,) + ((shape[0], units),) * self.states
        return sequence

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        units = int(config["units"])
        params, text = self.count(shape[-1] or 0, units, config)
        return Candidate(config=dict(config), params=params, output_shape=self.outputs(shape, units, config),
                         explanation=text, trainable_params=params, non_trainable_params=0)

    def variants(self, generation: Format) -> Iterator[Tuple[Dict[str, Any], float, Optional[str]]]:
        yield {}, 0.0, None

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        out = query.output_shape
        first = out[0] if is_multi(out) else out  # type: ignore[index]
        if not isinstance(first, tuple) or not first or first[-1] is None:
            return []
        units = first[-1]
        flags = {"return_sequences": len(first) == 3, "return_state": is_multi(out) and len(out) > 1}  # type: ignore
        shape = query.input_shape
        found: List[Candidate] = []
        for variant, rank, note in self.variants(query.generation):
            for bias in (True, False):
                config = {"units": units, **flags, **variant, **({} if bias else {"use_bias": False})}
                if shape is None:
                    found.extend(self._first_layer(query, config, rank + (not bias) * 2, note))
                    continue
                c = self.forward(config, [shape])
                found.append(replace(c, rank=rank + (not bias) * 2, note=note))
        exact = [c for c in found if c.params == query.params]
        return exact or found[:1]

    def _first_layer(self, query: LayerQuery, config: Dict[str, Any], rank: float,
                     note: Optional[str]) -> Iterator[Candidate]:
        if query.params is None:
            return
        units = config["units"]
        probe, _ = self.count(0, units, config)
        per_input = self.gates * units
        if query.params > probe and (query.params - probe) % per_input == 0:
            d_in = (query.params - probe) // per_input
            out = query.output_shape
            first = out[0] if is_multi(out) else out  # type: ignore[index]
            shape = (None, first[1] if len(first) == 3 else None, d_in)  # type: ignore[index, arg-type]
            c = self.forward(config, [shape])
            yield replace(c, config={**c.config, "input_shape": shape}, rank=rank,
                          note=note or f"input of {d_in} features reconstructed: no input row")


@register
class SimpleRNN(RecurrentSpec):
    names = ("SimpleRNN",)
    gates = 1


@register
class LSTM(RecurrentSpec):
    names = ("LSTM",)
    gates = 4
    states = 2


@register
class GRU(RecurrentSpec):
    names = ("GRU",)
    gates = 3

    def extra_bias(self, units: int, config: Mapping[str, Any]) -> int:
        return 3 * units if config.get("reset_after", True) and config.get("use_bias", True) else 0

    def count(self, d_in: int, units: int, config: Mapping[str, Any]) -> Tuple[int, str]:
        bias = bool(config.get("use_bias", True))
        second = bias and config.get("reset_after", True)
        params = 3 * (units * (d_in + units) + (units if bias else 0) + (units if second else 0))
        inner = f"({fmt(d_in)} + {fmt(units)}) * {fmt(units)}" + (f" + {fmt(units)}" if bias else "") + \
            (f" + {fmt(units)}" if second else "")
        return params, f"3 * ({inner}) = {fmt(params)}"

    def variants(self, generation: Format) -> Iterator[Tuple[Dict[str, Any], float, Optional[str]]]:
        default = by_format(generation).gru_reset_after
        for reset_after in (True, False):
            usual = default is None or default == reset_after
            yield {"reset_after": reset_after}, (0.0 if usual else 3.0) + (0 if reset_after else 0.1), \
                (None if default == reset_after else RESET_AFTER_NOTE[reset_after])


@register
class CuDNNLSTM(LSTM):
    names = ("CuDNNLSTM",)
    libraries = frozenset()  # tf.keras 1.x and 2.0's; gone since

    def extra_bias(self, units: int, config: Mapping[str, Any]) -> int:
        return 4 * units

    def count(self, d_in: int, units: int, config: Mapping[str, Any]) -> Tuple[int, str]:
        params = 4 * (units * (d_in + units) + 2 * units)
        return params, f"4 * (({fmt(d_in)} + {fmt(units)}) * {fmt(units)} + 2*{fmt(units)}) = {fmt(params)}"


@register
class CuDNNGRU(GRU):
    names = ("CuDNNGRU",)
    libraries = frozenset()  # tf.keras 1.x and 2.0's; gone since

    def variants(self, generation: Format) -> Iterator[Tuple[Dict[str, Any], float, Optional[str]]]:
        yield {"reset_after": True}, 0.0, None


class ConvLSTMSpec(LayerSpec):
    """ConvLSTM: four gates, each a convolution over the input and one over the state."""

    rank = 2

    def call_inputs(self, inputs: Tuple[Shape, ...]) -> Tuple[Shape, ...]:
        return sequences_only(inputs, self.rank + 3)

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        frame = (shape[0],) + tuple(shape[2:])
        filters, kernel = int(config["filters"]), tuple(config["kernel_size"])
        c_in = channels(frame, data_format) or 0
        bias = bool(config.get("use_bias", True))
        k = product(kernel)
        params = 4 * (k * c_in * filters + k * filters * filters + (filters if bias else 0))
        conv_config = {key: config[key] for key in ("filters", "kernel_size", "strides", "padding", "dilation_rate")
                       if key in config}
        conv_out = REGISTRY.get("Conv2D" if self.rank == 2 else f"Conv{self.rank}D").forward(  # type: ignore[union-attr]
            conv_config, [frame], data_format).output_shape
        out = (shape[0], shape[1]) + tuple(conv_out[1:]) if config.get("return_sequences") else conv_out  # type: ignore
        kx = "*".join(str(v) for v in kernel)
        text = f"4 * ({kx}*{c_in}*{filters} + {kx}*{filters}*{filters}" + (f" + {filters})" if bias else ")")
        return Candidate(config=dict(config), params=params, output_shape=out, explanation=f"{text} = {fmt(params)}",
                         trainable_params=params, non_trainable_params=0)

    def _kernels(self, rest: int, filters: int, c_in: Optional[int]) -> List[Tuple[int, ...]]:
        if c_in is not None:
            if rest % (filters * (c_in + filters)):
                return []
            return list(kernel_shapes(rest // (filters * (c_in + filters)), self.rank))[:4]
        return [(side,) * self.rank for side in (3, 1, 5, 2) if rest % (side ** self.rank * filters) == 0
                and rest // (side ** self.rank * filters) > filters]

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape, out = query.input_shape, query.single_output
        if shape is None or out is None or len(shape) != self.rank + 3 or query.params is None:
            return []
        sequences = len(out) == len(shape)
        frame_in = (shape[0],) + tuple(shape[2:])
        frame_out = (out[0],) + tuple(out[2:]) if sequences else out
        filters = channels(frame_out, query.data_format)
        c_in = channels(frame_in, query.data_format)
        if filters is None:
            return []
        found = []
        for bias in (True, False):
            rest = query.params // 4 - (filters if bias else 0)
            if query.params % 4 or rest <= 0:
                continue
            for kernel in self._kernels(rest, filters, c_in):
                if c_in is None:  # the input's channels were cut off: the count tells them
                    c_in_here = rest // product(kernel) // filters - filters
                    frame_in = with_spatial(frame_in[0], spatial_dims(frame_in, query.data_format), c_in_here,
                                            query.data_format)
                    shape = (shape[0], shape[1]) + tuple(frame_in[1:])
                for window, rank in windows(spatial_dims(frame_in, query.data_format),
                                            spatial_dims(frame_out, query.data_format), kernel)[:2]:
                    config = {"filters": filters, "kernel_size": kernel, "strides": window[1], "padding": window[2],
                              "dilation_rate": window[3], "return_sequences": sequences, "use_bias": bias}
                    c = self.forward(config, [shape], query.data_format)
                    found.append(replace(c, rank=rank + (not bias) * 2))
        if not found:
            config = {"filters": filters, "kernel_size": (3,) * self.rank, "padding": "same",
                      "return_sequences": sequences}
            found.append(self.forward(config, [shape], query.data_format))
        return found


@register
class ConvLSTM1D(ConvLSTMSpec):
    names = ("ConvLSTM1D",)
    rank = 1


@register
class ConvLSTM2D(ConvLSTMSpec):
    names = ("ConvLSTM2D",)
    rank = 2


@register
class ConvLSTM3D(ConvLSTMSpec):
    names = ("ConvLSTM3D",)
    rank = 3


WRAPPABLE_RNNS = ("LSTM", "GRU", "SimpleRNN")


def wrapped_call(config: Mapping[str, Any], data_format: str, outer: str, **args: Any) -> LayerCall:
    """Bidirectional(LSTM(...)), TimeDistributed(Dense(...)): the wrapper around its layer's call."""
    inner = REGISTRY.get(config["layer"])
    if inner is None:
        raise ValueError(f"no layer class {config['layer']!r}")
    return LayerCall(outer, args, wrapped=inner.keras_layer(config["layer_config"], data_format))


@register
class Bidirectional(LayerSpec):
    """Two copies of an RNN, one reading backwards: twice the count, outputs joined."""

    names = ("Bidirectional",)

    def call_inputs(self, inputs: Tuple[Shape, ...]) -> Tuple[Shape, ...]:
        return sequences_only(inputs)

    def keras_layer(self, config: Mapping[str, Any], data_format: str = "channels_last") -> LayerCall:
        return wrapped_call(config, data_format, "Bidirectional", merge_mode=config.get("merge_mode", "concat"))

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        inner_spec = REGISTRY.get(config["layer"])
        inner = inner_spec.forward(config["layer_config"], input_shapes)  # type: ignore[union-attr]
        merge = config.get("merge_mode", "concat")
        out = inner.output_shape
        if merge == "concat" and isinstance(out, tuple) and not is_multi(out):
            out = tuple(out[:-1]) + (out[-1] * 2,)  # type: ignore[operator]
        params = 2 * (inner.params or 0)
        return Candidate(config=dict(config), params=params, output_shape=out,
                         explanation=f"2 * {config['layer']}: 2 * {fmt(inner.params or 0)} = {fmt(params)}"
                                     f"  [{inner.explanation}]", trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        out = query.single_output
        if out is None or out[-1] is None or (query.input_shape is None and query.input_shapes):
            return []
        found = []
        for merge, units in (("concat", out[-1] // 2), ("sum", out[-1])):
            if units < 1:
                continue
            for name in WRAPPABLE_RNNS:
                inner_out = tuple(out[:-1]) + (units,)
                inner_query = LayerQuery(input_shapes=query.input_shapes, output_shape=inner_out,
                                         params=(query.params // 2) if query.params else None,
                                         data_format=query.data_format, generation=query.generation)
                for inner in REGISTRY.get(name).candidates(inner_query):  # type: ignore[union-attr]
                    # a first layer: the inner layer's count tells its input (`input of 10 features`)
                    inner_config = dict(inner.config)
                    rebuilt = inner_config.pop("input_shape", None) if not query.input_shapes else None
                    inputs = query.input_shapes or ((tuple(rebuilt),) if rebuilt is not None else ())
                    if not inputs:
                        continue
                    config = {"layer": name, "layer_config": inner_config, "merge_mode": merge}
                    c = self.forward(config, inputs)
                    if rebuilt is not None:
                        c = replace(c, config={**c.config, "input_shape": tuple(rebuilt)})
                    found.append(replace(c, rank=inner.rank + (merge != "concat"), note=inner.note))
        return sorted(found, key=lambda c: (c.params != query.params, c.rank))[:6]


@register
class TimeDistributed(LayerSpec):
    """Applies an inner layer to every time step: the inner layer's count, one more axis."""

    names = ("TimeDistributed",)

    def keras_layer(self, config: Mapping[str, Any], data_format: str = "channels_last") -> LayerCall:
        return wrapped_call(config, data_format, "TimeDistributed")

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        shape = input_shapes[0]
        inner = REGISTRY.get(config["layer"]).forward(config["layer_config"], [(shape[0],) + tuple(shape[2:])],  # type: ignore
                                                      data_format)
        inner_out = inner.output_shape
        out = (shape[0], shape[1]) + tuple(inner_out[1:]) if isinstance(inner_out, tuple) else None  # type: ignore
        return Candidate(config=dict(config), params=inner.params, output_shape=out,
                         explanation=f"{config['layer']} on each of {shape[1]} steps: {inner.explanation}",
                         trainable_params=inner.trainable_params, non_trainable_params=inner.non_trainable_params)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shape, out = query.input_shape, query.single_output
        if (out is None and shape is None) or (out is not None and len(out) < 3) or (shape is not None and len(shape) < 3):
            return []
        inner_inputs = ((shape[0],) + tuple(shape[2:]),) if shape is not None else ()
        inner_out = (out[0],) + tuple(out[2:]) if out is not None else None
        inner_query = LayerQuery(input_shapes=inner_inputs, output_shape=inner_out,
                                 params=query.params, data_format=query.data_format, generation=query.generation)
        found = []
        for name, spec in self._inner_specs(bool(query.params)):
            inner = _first_fit(spec, inner_query, inner_out)
            if inner is not None:
                found.append(self._around(name, spec, inner, shape, out, query.data_format))
        return sorted(found, key=lambda c: c.rank)[:4]

    def _inner_specs(self, weighted: bool) -> Iterator[Tuple[str, LayerSpec]]:
        """The layers it may wrap: any but a model or itself; one with weights for a row with a count."""
        for name in REGISTRY.class_names():
            spec = REGISTRY.get(name)
            if spec is None or spec is self or getattr(spec, "is_container", False):
                continue
            if spec.has_weights or not weighted:
                yield name, spec

    def _around(self, name: str, spec: LayerSpec, inner: Candidate, shape: Optional[Shape], out: Optional[Shape],
                data_format: str) -> Candidate:
        """The wrapper's candidate around the wrapped layer's (its input reconstructed from the
        inner one's when the table prints none)."""
        inner_config = dict(inner.config)
        frame = inner_config.pop("input_shape", None)
        outer = shape if shape is not None else (out[0], out[1]) + tuple(frame[1:])  # type: ignore[index]
        c = self.forward({"layer": name, "layer_config": inner_config}, [outer], data_format)
        if shape is None:
            c = replace(c, config={**c.config, "input_shape": outer}, note=f"input shape {outer} reconstructed: no input row")
        return replace(c, rank=inner.rank + (0 if spec.has_weights else 0.5))


def _first_fit(spec: LayerSpec, query: LayerQuery, out: Optional[Shape]) -> Optional[Candidate]:
    """The wrapped layer's first candidate with the row's count (and the step's output)."""
    try:
        inner_candidates = list(spec.candidates(query))
    except (ValueError, TypeError, IndexError, KeyError, ZeroDivisionError):
        return None
    return next((inner for inner in inner_candidates
                 if inner.params == query.params and (out is None or inner.output_shape == out)), None)
