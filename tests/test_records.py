"""The records: `record` writes each `__init__` from the fields (or checks a hand-written one),
and finding codes are an enum equal to their strings."""

from __future__ import annotations

import dataclasses
import inspect
import json
import tracemalloc
from typing import Callable, Dict, Optional

import pytest

from summary_audit.model import FACTORY, Code, Finding, Summary, Totals, record


def test_a_written_init_takes_the_fields_in_order_with_their_defaults() -> None:
    parameters = inspect.signature(Totals.__init__).parameters
    assert list(parameters) == ["self"] + [f.name for f in dataclasses.fields(Totals)]
    assert parameters["total"].default is None and parameters["sizes"].default is FACTORY
    totals = Totals(5, 5, 0)
    assert (totals.total, totals.trainable, totals.non_trainable, totals.optimizer) == (5, 5, 0, None)
    assert totals.sizes == {} and totals.sizes is not Totals().sizes  # (a factory: a fresh dict each time)
    assert Totals(sizes={"total": 4.0}).sizes == {"total": 4.0}
    assert Totals.__init__.__qualname__ == "Totals.__init__"


def test_a_record_is_a_frozen_dataclass_whose_instances_share_their_keys() -> None:
    one = Summary(None, "keras3", 1, 2, (), None)
    assert list(vars(one)) == [f.name for f in dataclasses.fields(Summary)]
    assert _bytes_each(lambda: Summary(None, "keras3", 1, 2, (), None)) < 0.8 * _bytes_each(
        lambda: _with_own_dict(Summary(None, "keras3", 1, 2, (), None)))  # (the keys are the class's, not each one's)
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.start_line = 9  # type: ignore[misc]
    assert dataclasses.replace(one, model_name="m") == Summary("m", "keras3", 1, 2, (), None)
    assert one == Summary(None, "keras3", 1, 2, (), None) and hash(one) == hash(Summary(None, "keras3", 1, 2, (), None))


def _bytes_each(make: Callable[[], object], count: int = 2000) -> float:
    tracemalloc.start()
    try:
        made = [make() for _ in range(count)]
        return tracemalloc.get_traced_memory()[0] / len(made)
    finally:
        tracemalloc.stop()


def _with_own_dict(instance: object) -> object:
    """The same record with a dict of its own (built apart and assigned)."""
    copy = object.__new__(type(instance))
    object.__setattr__(copy, "__dict__", dict(vars(instance)))
    return copy


def test_a_hand_written_init_is_kept_and_checked() -> None:
    @record
    class Kept:
        a: int
        b: Dict[str, int] = dataclasses.field(default_factory=dict)

        def __init__(self, a: int, b: Dict[str, int] = FACTORY) -> None:
            self.__dict__["a"] = a * 2
            self.__dict__["b"] = {} if b is FACTORY else b

    assert Kept(2).a == 4

    with pytest.raises(TypeError, match="does not take the fields"):
        @record
        class Wrong:
            a: int
            b: int = 0

            def __init__(self, b: int = 0, a: int = 1) -> None:
                pass


def test_a_field_without_a_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="follows one with a default"):
        @record
        class Wrong:
            a: Optional[int] = None
            b: int  # type: ignore[misc]


def test_codes_are_their_strings() -> None:
    plain, coded = Finding("error", 3, "bad-row", "x"), Finding("error", 3, Code.BAD_ROW, "x")
    assert plain == coded and hash(plain) == hash(coded)
    assert json.dumps(coded.code) == '"bad-row"' and f"{coded.code}" == str(coded.code) == "bad-row"
    assert Code("param-mismatch") is Code.PARAM_MISMATCH
    assert len({code.value for code in Code}) == len(Code) >= 17
    assert coded.column is None and Finding("error", 3, Code.BAD_ROW, "x", 7).column == 7
