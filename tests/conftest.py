"""Shared test helpers: where the fixtures and the seed pages are."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType
from typing import Any, List

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


#: fixture folders that hold real pastes and OCR text rather than printer output: their own
#: tests read them (what a printer printed must read exactly; these are measured).
CORPORA = ("pastes", "ocr")
#: printer output the console already damaged (cropped at its edge, cells cut with `…`):
#: read exactly by its own test (test_printer_variants), not a clean text to mangle further.
DAMAGED_PRINTS = ("variants",)


def printer_fixtures(pattern: str = "*.txt") -> List[Path]:
    """Every fixture file a real printer wrote (or a mangler made of one), sorted."""
    return sorted(path for path in FIXTURES.rglob(pattern)
                  if path.relative_to(FIXTURES).parts[0] not in CORPORA + DAMAGED_PRINTS and "generate" not in path.parts)


def require_seeds() -> Path:
    """The seed pages sit beside the checkout (../shared/seeds); CI always has them."""
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"seed pages missing at {SEEDS}")
        pytest.skip("seed pages not available beside this checkout")
    return SEEDS


def seed(prefix: str) -> bytes:
    matches = sorted(require_seeds().glob(f"{prefix}_*.txt"))
    assert matches, f"no seed {prefix}"
    return matches[0].read_bytes()


def require_tensorflow() -> None:
    """Keras 3 and tf_keras come from the [tensorflow] extra; in CI their absence fails."""
    import importlib.util

    missing = [name for name in ("keras", "tf_keras") if importlib.util.find_spec(name) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} required in CI (pip install -e '.[tensorflow]')")
        pytest.skip(f"{', '.join(missing)} not installed")


def import_library(name: str) -> Any:
    """`keras` or `tf_keras`, imported quietly; fails in CI when missing, skips elsewhere."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        return __import__(name)
    except ImportError as error:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (pip install -e '.[tensorflow]'): {error}")
        pytest.skip(f"{name} not installed")


def golden_module() -> ModuleType:
    """fixtures/generate/golden.py (not a package): the corpus list and its model builders."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("golden", ROOT / "fixtures" / "generate" / "golden.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
