"""The layer registry: every Keras layer class declared once, in its family module.

Adding a layer type means adding one declaration to one family module below; nothing else
in the pipeline names layer types. What the rest of the pipeline asks of a class is a fact on
its spec (`LayerSpec.is_input`, `integer_inputs`, `libraries`, `name_stem`, `has_weights` ...),
and what it asks of a row's class the registry answers (`REGISTRY.classes_of`, `is_input_row`).
"""

from __future__ import annotations

from importlib import import_module

from .base import REGISTRY, LayerQuery, LayerSpec, Registry

#: family modules; each registers its specs on import.
FAMILIES = (
    "dense",
    "conv",
    "pooling",
    "shaping",
    "merge",
    "elementwise",
    "normalization",
    "recurrent",
    "attention",
    "containers",
    "legacy",
)

for _family in FAMILIES:
    import_module(f"{__name__}.{_family}")

__all__ = ["REGISTRY", "LayerQuery", "LayerSpec", "Registry"]
