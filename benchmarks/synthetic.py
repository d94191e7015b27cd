"""Synthetic summaries of any length in each generation's layout, for the benchmarks.

The rows imitate what each printer does (column widths, separators, wrapping, box rules);
they are not fixtures — real printer output lives in fixtures/.
"""

from __future__ import annotations

from typing import Callable, Dict, Iterator, List, Tuple

Layer = Tuple[str, str, str, int, str]  # name, type, shape, params, connected


def layers(count: int) -> Iterator[Layer]:
    """A long stack of conv blocks: conv, batch norm, activation, repeated."""
    previous = "input_1"
    for i in range(count):
        kind = i % 3
        if kind == 0:
            layer = (f"conv2d_{i}", "Conv2D", "(None, 32, 32, 64)", 36928, previous)
        elif kind == 1:
            layer = (f"batch_normalization_{i}", "BatchNormalization", "(None, 32, 32, 64)", 256, previous)
        else:
            layer = (f"activation_{i}", "Activation", "(None, 32, 32, 64)", 0, previous)
        previous = layer[0]
        yield layer


def _totals(count: int) -> Tuple[int, int, int]:
    """The true total, trainable and non-trainable counts of `layers(count)` (each batch
    norm keeps 128 moving statistics), so that the audit takes its common path: all ok."""
    norms = (count + 1) // 3
    total = sum(layer[3] for layer in layers(count))
    return total, total - 128 * norms, 128 * norms


def _size(count: int, bytes_word: str = "B") -> str:
    value, unit = count * 4.0, "B" if bytes_word == "B" else "Byte"
    for next_unit in ("KB", "MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, next_unit
    return f"({value:.2f} {unit})"


def _cells(values: List[str], positions: List[int]) -> str:
    line = ""
    for value, end in zip(values, positions):
        line = (line[:-1] + " " if line else "") + value
        line = line[:end].ljust(end)
    return line


def keras1(count: int) -> str:
    positions = [33, 55, 67, 100]
    out = [_cells(["Layer (type)", "Output Shape", "Param #", "Connected to"], positions), "=" * 100]
    for name, typ, shape, params, inbound in layers(count):
        out += [_cells([f"{name} ({typ})", shape, str(params), f"{inbound}[0][0]"], positions), "_" * 100]
    total, trainable, frozen = _totals(count)
    return "\n".join(out + [f"Total params: {total}", f"Trainable params: {trainable}",
                            f"Non-trainable params: {frozen}", "_" * 100])


def keras2(count: int) -> str:
    positions = [29, 55, 65]
    out = ['Model: "sequential"', "_" * 65, _cells(["Layer (type)", "Output Shape", "Param #"], positions), "=" * 65]
    for name, typ, shape, params, _ in layers(count):
        out += [_cells([f"{name} ({typ})", shape, str(params)], positions), "_" * 65]
    total, trainable, frozen = _totals(count)
    return "\n".join(out + [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
                            f"Non-trainable params: {frozen:,}", "_" * 65])


def keras2_wrapped(count: int) -> str:
    positions = [28, 58, 68, 98]
    out = ['Model: "model"', "_" * 98, " " + _cells(["Layer (type)", "Output Shape", "Param #", "Connected to"],
                                                    positions)[:97], "=" * 98]
    for name, typ, shape, params, inbound in layers(count):
        names = _chunks(f"{name} ({typ})", 26)
        links = _chunks(f"['{inbound}[0][0]']", 29)
        for k in range(max(len(names), len(links))):
            cells = [_at(names, k), shape if k == 0 else "", str(params) if k == 0 else "", _at(links, k)]
            out.append(" " + _cells(cells, positions)[:97])
        out.append(" " * 98)
    total, trainable, frozen = _totals(count)
    return "\n".join(out + ["=" * 98, f"Total params: {total} {_size(total, 'Byte')}",
                            f"Trainable params: {trainable} {_size(trainable, 'Byte')}",
                            f"Non-trainable params: {frozen} {_size(frozen, 'Byte')}", "_" * 98])


def _chunks(text: str, width: int) -> List[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


def _at(items: List[str], index: int) -> str:
    return items[index] if index < len(items) else ""


def keras3(count: int) -> str:
    widths = [31, 22, 13]
    def row(cells: List[str], right: Tuple[bool, ...] = (False, False, True)) -> str:
        return "│" + "│".join(" " + (c.rjust(w - 2) if r else c.ljust(w - 2)) + " " for c, w, r in zip(cells, widths, right)) + "│"
    out = ['Model: "sequential"', "┏" + "┳".join("━" * w for w in widths) + "┓",
           row(["Layer (type)", "Output Shape", "Param #"]).replace("│", "┃"),
           "┡" + "╇".join("━" * w for w in widths) + "┩"]
    for i, (name, typ, shape, params, _) in enumerate(layers(count)):
        if i:
            out.append("├" + "┼".join("─" * w for w in widths) + "┤")
        if len(name) + len(typ) + 3 > widths[0] - 2:
            out.append(row([name, shape, f"{params:,}"]))
            out.append(row([f"({typ})", "", ""]))
        else:
            out.append(row([f"{name} ({typ})", shape, f"{params:,}"]))
    out.append("└" + "┴".join("─" * w for w in widths) + "┘")
    total, trainable, frozen = _totals(count)
    return "\n".join(out + [f" Total params: {total:,} {_size(total)}",
                            f" Trainable params: {trainable:,} {_size(trainable)}",
                            f" Non-trainable params: {frozen:,} {_size(frozen)}"])


LAYOUTS: Dict[str, Callable[[int], str]] = {
    "keras1": keras1, "keras2": keras2, "keras2-wrapped": keras2_wrapped, "keras3": keras3,
}
