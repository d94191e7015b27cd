"""The JSON report's schema, shipped in the package: every report (the stored goldens and
fresh ones) follows both the shared contract and the packaged copy; the copy keeps the
shared one whole (what it requires, what each field means); and every key the writer emits
is declared in the copy (checked strictly: no undeclared property anywhere)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import jsonschema
import pytest

import summary_audit
from summary_audit.crosscheck import CrossCheck, RowDifference
from summary_audit.report.crosscheck import as_json
from summary_audit.report.json import render, schema

from conftest import FIXTURES, require_seeds

SHARED_PATH = Path(__file__).parents[1] / "../shared/report.schema.json"
PACKAGED_PATH = Path(summary_audit.__file__).parent / "report" / "report.schema.json"
STORED = sorted(FIXTURES.glob("**/*.report.json"))
SAMPLES = sorted((FIXTURES / "samples").glob("*.txt"))


def shared_schema() -> Dict[str, Any]:
    if not SHARED_PATH.is_file():
        require_seeds()  # the shared folder sits beside the checkout: fails in CI, skips elsewhere
    return json.loads(SHARED_PATH.read_text(encoding="utf-8"))


def strict(schema_: Dict[str, Any]) -> Dict[str, Any]:
    """The schema with `additionalProperties: false` in every object schema that lists its
    properties (maps such as `inferred` or `sizes_bytes` say what their values are instead)."""
    tightened = copy.deepcopy(schema_)

    def tighten(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                tighten(value)
        elif isinstance(node, list):
            for value in node:
                tighten(value)

    tighten(tightened)
    return tightened


def validator(schema_: Dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema_)
    cls.check_schema(schema_)
    return cls(schema_)


def problems(check: jsonschema.protocols.Validator, report: Dict[str, Any]) -> List[str]:
    """Each error where it is: inside a `oneOf`, the deepest error of its branches (the branch
    that came closest, a wrong type last) rather than the union's."""
    found = []
    for error in check.iter_errors(report):
        while error.context:
            error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
        found.append(f"{'/'.join(map(str, error.absolute_path))}: {error.message}")
    return found


def fresh_reports() -> Iterator[Tuple[str, Dict[str, Any]]]:
    """The samples' reports rendered now, one with a cross-check of each outcome added."""
    for path in SAMPLES:
        document = summary_audit.parse(path.read_bytes(), str(path))
        audits = [summary_audit.audit(summary) for summary in document.summaries]
        yield path.name, json.loads(render(document, audits))
    document = summary_audit.parse(SAMPLES[0].read_bytes(), str(SAMPLES[0]))
    audits = [summary_audit.audit(summary) for summary in document.summaries]
    outcomes = [CrossCheck("keras", (RowDifference(3, "conv2d_9", "Param #", "896", "864"),), 11), "no Keras installed"]
    for outcome in outcomes:
        yield f"{SAMPLES[0].name} + cross-check", json.loads(render(document, audits, [{"cross_check": as_json(outcome)}]))


def all_reports() -> List[Tuple[str, Dict[str, Any]]]:
    stored = [(str(path.relative_to(FIXTURES)), json.loads(path.read_text(encoding="utf-8"))) for path in STORED]
    return stored + list(fresh_reports())


def test_the_fixtures_hold_reports_to_check() -> None:
    assert len(STORED) >= 170 and len(SAMPLES) >= 3


def test_every_report_follows_the_shared_and_the_packaged_schema() -> None:
    checks = {"shared": validator(shared_schema()), "packaged": validator(schema())}
    reports = all_reports()
    for name, report in reports:
        for which, check in checks.items():
            errors = problems(check, report)
            assert not errors, f"{name} against the {which} schema: {errors[:3]}"
    assert len(reports) == len(STORED) + len(SAMPLES) + 2


def test_every_key_the_writer_emits_is_declared_in_the_packaged_schema() -> None:
    check = validator(strict(schema()))
    for name, report in all_reports():
        errors = problems(check, report)
        assert not errors, f"{name}: undeclared in summary_audit/report/report.schema.json: {errors[:3]}"


def test_the_strict_check_refuses_an_undeclared_key() -> None:
    name, report = next(fresh_reports())
    report["summaries"][0]["rows"][0]["surprise"] = 1
    assert not validator(strict(schema())).is_valid(report)
    assert validator(schema()).is_valid(report)  # (the schema itself allows extra fields, as the shared one does)


def _kept(shared: Any, packaged: Any, where: str) -> List[str]:
    """Where the packaged schema drops or changes what the shared one says: every key kept with
    the same value, lists (types, enums, oneOf) alike, `required` a superset."""
    if isinstance(shared, dict):
        if not isinstance(packaged, dict):
            return [f"{where}: not an object"]
        problems = []
        for key, value in shared.items():
            if key not in packaged:
                problems.append(f"{where}/{key}: missing")
            elif key == "required":
                lost = set(value) - set(packaged[key])
                problems += [f"{where}/required: {name} no longer required" for name in sorted(lost)]
            else:
                problems += _kept(value, packaged[key], f"{where}/{key}")
        return problems
    return [] if shared == packaged else [f"{where}: {shared!r} became {packaged!r}"]


def test_the_packaged_schema_keeps_the_shared_contract_whole() -> None:
    shared, packaged = shared_schema(), schema()
    assert _kept(shared, packaged, "#") == []
    required = [len(node["required"]) for node in _objects(shared)]
    assert sum(required) >= 30  # (the walk found the shared schema's required lists)


def _objects(node: Any) -> Iterator[Dict[str, Any]]:
    if isinstance(node, dict):
        if "required" in node:
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_schema_loads_the_file_shipped_in_the_package() -> None:
    assert schema() == json.loads(PACKAGED_PATH.read_text(encoding="utf-8"))
    assert schema()["$defs"]["row"]["properties"]["end_line"]["description"]


@pytest.mark.parametrize("field", ["end_line", "class_candidates", "params_note", "inbound", "expected_output_shape"])
def test_the_row_fields_beyond_the_shared_schema_are_described(field: str) -> None:
    declared = schema()["$defs"]["row"]["properties"][field]
    assert declared["description"] and field not in schema()["$defs"]["row"]["required"]
