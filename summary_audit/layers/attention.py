"""Attention layers: MultiHeadAttention's four projections, Attention's optional scale,
AdditiveAttention's scale vector."""

from __future__ import annotations

from dataclasses import replace

from typing import Any, Iterable, List, Mapping, Sequence, Tuple

from ..model import Candidate, Shape
from .base import LayerQuery, LayerSpec, fmt, register

COMMON_HEADS = (8, 4, 12, 16, 2, 6, 1, 3, 32)


def query_value_key(shapes: Sequence[Shape]) -> Tuple[Shape, Shape, Shape]:
    """Attention reads (query, value[, key]); a missing value is the query, a missing key the value."""
    query = shapes[0]
    value = shapes[1] if len(shapes) > 1 else query
    return query, value, shapes[2] if len(shapes) > 2 else value


@register
class MultiHeadAttention(LayerSpec):
    """query/key projections to heads*key_dim, value to heads*value_dim, then back out."""

    names = ("MultiHeadAttention",)
    several_inputs = True
    positional_inputs = True

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        query_shape, value_shape, key_shape = query_value_key(input_shapes)
        heads, key_dim = int(config["num_heads"]), int(config["key_dim"])
        value_dim = int(config.get("value_dim") or key_dim)
        bias = bool(config.get("use_bias", True))
        d_q, d_k, d_v = query_shape[-1] or 0, key_shape[-1] or 0, value_shape[-1] or 0
        d_out = int(config.get("output_shape") or d_q)
        a, c = heads * key_dim, heads * value_dim
        b = 1 if bias else 0
        params = (d_q + b) * a + (d_k + b) * a + (d_v + b) * c + c * d_out + b * d_out
        text = (f"({d_q} + {b})*{a} + ({d_k} + {b})*{a} + ({d_v} + {b})*{c} + {c}*{d_out} + {b * d_out}"
                f" = {fmt(params)}  (heads*key_dim = {heads}*{key_dim})")
        out = tuple(query_shape[:-1]) + (d_out,)
        return Candidate(config=dict(config), params=params, output_shape=out, explanation=text,
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shapes = query.input_shapes
        out = query.single_output
        if not shapes or out is None or out[-1] is None or query.params is None:
            return []
        q, v, k = query_value_key(shapes)
        d_q, d_k, d_v, d_out = q[-1], k[-1], v[-1], out[-1]
        if None in (d_q, d_k, d_v):
            return []
        found: List[Candidate] = []
        for bias in (True, False):
            b = 1 if bias else 0
            per_unit = d_q + d_k + d_v + d_out + 3 * b  # type: ignore[operator]
            rest = query.params - b * d_out
            if rest <= 0 or rest % per_unit:
                continue
            a = rest // per_unit
            for heads in COMMON_HEADS:
                if a % heads == 0:
                    config = {"num_heads": heads, "key_dim": a // heads, "use_bias": bias}
                    if d_out != d_q:
                        config["output_shape"] = d_out
                    c = self.forward(config, shapes)
                    found.append(replace(c, rank=COMMON_HEADS.index(heads) * 0.1 + (not bias) * 2))
        if not found:
            config = {"num_heads": 1, "key_dim": max(d_q, 1)}  # type: ignore[type-var]
            found.append(self.forward(config, shapes))
        return found


class DotAttentionSpec(LayerSpec):
    """Scores from query·key (or an additive form); only the optional scale is a weight."""
    several_inputs = True

    def scale_size(self, query_shape: Shape) -> int:
        return 1

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        query_shape, value_shape, _ = query_value_key(input_shapes)
        scale = self.scale_size(query_shape) if config.get("use_scale") else 0
        concat = 1 if config.get("score_mode") == "concat" else 0
        params = scale + concat
        out = tuple(query_shape[:-1]) + (value_shape[-1],)
        return Candidate(config=dict(config), params=params, output_shape=out,
                         explanation="no weights" if not params else f"scale: {params}",
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        if not query.input_shapes:
            return []
        found = []
        for rank, config in enumerate(self.configs()):
            c = self.forward(config, query.input_shapes)
            found.append(replace(c, rank=float(rank)))
        exact = [c for c in found if c.params == query.params]
        return exact or found[:1]

    def configs(self) -> List[Mapping[str, Any]]:
        return [{}, {"use_scale": True}, {"score_mode": "concat"}, {"use_scale": True, "score_mode": "concat"}]


@register
class Attention(DotAttentionSpec):
    names = ("Attention",)


@register
class AdditiveAttention(DotAttentionSpec):
    names = ("AdditiveAttention",)

    def scale_size(self, query_shape: Shape) -> int:
        return query_shape[-1] or 0

    def configs(self) -> List[Mapping[str, Any]]:
        return [{"use_scale": True}, {"use_scale": False}]


@register
class GroupQueryAttention(LayerSpec):
    """Query heads share fewer key/value heads: q to Hq*head_dim, k and v to Hkv*head_dim."""

    names = ("GroupQueryAttention", "GroupedQueryAttention")
    libraries = frozenset({"keras"})  # new in Keras 3
    several_inputs = True
    positional_inputs = True

    def forward(self, config: Mapping[str, Any], input_shapes: Sequence[Shape],
                data_format: str = "channels_last") -> Candidate:
        query_shape, value_shape, key_shape = query_value_key(input_shapes)
        head, q_heads, kv_heads = int(config["head_dim"]), int(config["num_query_heads"]), int(config["num_key_value_heads"])
        b = 1 if config.get("use_bias", True) else 0
        d_q, d_k, d_v = query_shape[-1] or 0, key_shape[-1] or 0, value_shape[-1] or 0
        a, c = q_heads * head, kv_heads * head
        params = (d_q + b) * a + (d_k + b) * c + (d_v + b) * c + a * d_q + b * d_q
        text = f"({d_q} + {b})*{a} + ({d_k} + {b})*{c} + ({d_v} + {b})*{c} + {a}*{d_q} + {b * d_q} = {fmt(params)}"
        return Candidate(config=dict(config), params=params, output_shape=tuple(query_shape), explanation=text,
                         trainable_params=params, non_trainable_params=0)

    def candidates(self, query: LayerQuery) -> Iterable[Candidate]:
        shapes = query.input_shapes
        if not shapes or query.params is None or any(s[-1] is None for s in shapes):
            return []
        found: List[Candidate] = []
        for head in (64, 32, 16, 8, 4, 128, 2, 1):
            for q_heads in (8, 4, 16, 32, 2, 12, 1):
                for kv_heads in (h for h in (1, 2, 4, 8) if q_heads % h == 0):
                    config = {"head_dim": head, "num_query_heads": q_heads, "num_key_value_heads": kv_heads}
                    candidate = self.forward(config, shapes)
                    if candidate.params == query.params:
                        found.append(replace(candidate, rank=len(found) * 0.1))
        return found[:4] or [self.forward({"head_dim": 1, "num_query_heads": 1, "num_key_value_heads": 1}, shapes)]
