"""The cross-check's findings beside the audit: a few lines of text, or a `cross_check` key
added to each summary of the JSON report (an extension the schema allows)."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Union

from ..crosscheck import CrossCheck

Outcome = Union[CrossCheck, str]


def as_json(outcome: Outcome) -> Dict[str, Any]:
    if isinstance(outcome, str):
        return {"status": "not-built", "reason": outcome}
    return {"status": "ok" if outcome.equal else "mismatch", "library": outcome.library,
            "differences": [{"line": d.line, "name": d.name, "field": d.field, "printed": d.printed,
                             "built": d.built} for d in outcome.differences]}


def as_text(outcome: Outcome) -> List[str]:
    if isinstance(outcome, str):
        return [f"Cross-check: not built: {outcome}"]
    if outcome.equal:
        return [f"Cross-check with {outcome.library}: the built model prints the same shapes and Param #: ok"]
    lines = [f"Cross-check with {outcome.library}: {len(outcome.differences)} difference(s)"]
    lines += [f"  line {d.line} {d.name}: {d.field} printed {d.printed}, built {d.built}" for d in outcome.differences]
    return lines


def attach(rendered: str, outcomes: Sequence[Outcome]) -> str:
    """The text report with each summary's cross-check after it (the JSON report takes
    `as_json` as an extra key of each summary)."""
    return rendered + "\n" + "\n".join(line for outcome in outcomes for line in as_text(outcome))
