"""A sample HR back end that embeds emurules, as a developer would write it: load the rules
once, evaluate the staff records, read each outcome, store the JSON result with the rules'
hash beside it, export a frame for a batch job, and return every error as JSON.

tests/api/test_types.py runs `mypy --strict` on this module: it must type-check with no
cast, no `Any` (not even one inferred from emurules: `--disallow-any-expr`) and no
conversion written by hand, which is what "typed" means here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas
import polars

import emurules


@dataclass(frozen=True)
class Decision:
    """One employee's outcome of one award, as the HR system stores it."""

    key: str
    award: str
    received: bool
    score: Decimal | None
    rank: int | None
    unit: str | None
    failed: tuple[str, ...]
    rules_sha256: str


def load(path: Path) -> emurules.Rules | str:
    """The rules, or the criteria errors as JSON for the administrator's screen."""
    try:
        return emurules.load(path)
    except emurules.CriteriaError as error:
        return json.dumps(error.to_dict(), ensure_ascii=False)


def evaluate(
    rules: emurules.Rules,
    staff: Iterable[Mapping[str, object]],
    units: Iterable[Mapping[str, object]],
    year: int,
) -> emurules.Result | str:
    """The result, or what is wrong with the data (or the call) as JSON."""
    try:
        return rules.evaluate({"person": list(staff), "unit": list(units)}, year=year)
    except emurules.EmurulesError as error:
        return json.dumps(error.to_dict(), ensure_ascii=False)


def decisions(result: emurules.Result, award: str) -> list[Decision]:
    """Every assessed employee's decision for `award`, best first among recipients."""
    sha256 = result.provenance.sha256 or ""
    found: list[Decision] = []
    for outcome in result.outcomes[award].values():
        subject = result.subject(outcome.key, "person")
        group = outcome.group
        found.append(
            Decision(
                key=outcome.key,
                award=award,
                received=outcome.received,
                score=subject.score,
                rank=outcome.rank,
                unit=group if isinstance(group, str) else None,
                failed=tuple(check.id for check in outcome.failed),
                rules_sha256=sha256,
            )
        )
    return sorted(found, key=_order)


def _order(decision: Decision) -> tuple[bool, int, str]:
    return (not decision.received, decision.rank or 0, decision.key)


def describe(value: emurules.Value) -> str:
    """A value as the HR screen shows it: every kind of value a subject holds."""
    if isinstance(value, emurules.Missing):
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, emurules.EnumValue):
        return value.name.replace("_", " ")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple):
        return ", ".join(value)
    return value


def profile(result: emurules.Result, key: str) -> dict[str, str]:
    """One employee's values for the HR screen; an unknown key is a JSON error."""
    try:
        subject = result.subject(key, "person")
    except emurules.UnknownNameError as error:
        return {"error": json.dumps(error.to_dict())}
    shown = {name: describe(value) for name, value in subject.values.items()}
    score = subject.score
    shown["score"] = "-" if score is None else str(score + Decimal("0.00"))
    return shown


def store(result: emurules.Result) -> str:
    """The JSON the archive keeps: every decision with its conditions and explanation,
    and where it came from."""
    data: emurules.ResultDict = result.to_json(explanations=True)
    provenance: emurules.ProvenanceDict = data["provenance"]
    assert provenance["sha256"] is None or len(provenance["sha256"]) == 64
    for subject in data["subjects"]:
        score: str | None = subject["score"]
        if score is not None:
            Decimal(score)  # every number is a decimal string
        explanation = subject.get("explanation")
        if explanation is not None:
            lines: list[str] = [explanation["text"], *(c["text"] for c in explanation["children"])]
            assert lines
    for award in data["awards"]:
        for outcome in award["outcomes"]:
            failed: list[emurules.CheckDict] = outcome["failed"]
            for check in failed:
                value: emurules.JSONValue = check["values"].get("task")
                assert not isinstance(value, Decimal)  # never a float, never a Decimal
    return json.dumps(data, ensure_ascii=False)


def batch(result: emurules.Result, award: str) -> tuple[pandas.DataFrame, polars.DataFrame]:
    """The award as frames for the monthly batch job: pandas with exact decimals, Polars
    with floats."""
    exact = result.to_frame(award)
    fast = result.to_frame(award, library="polars", decimals="float")
    return exact, fast


def run(criteria: Path, staff: Sequence[Mapping[str, object]]) -> str:
    """The whole request: load, evaluate, decide, store; any problem comes back as JSON."""
    rules = load(criteria)
    if isinstance(rules, str):
        return rules
    units = [{"id": u, "block": "A", "online": "50%"} for u in {str(p["unit"]) for p in staff}]
    result = evaluate(rules, staff, units, rules.year or 2025)
    if isinstance(result, str):
        return result
    exact, fast = batch(result, "worker")
    chosen = [d.key for d in decisions(result, "worker") if d.received]
    summary: dict[str, object] = {
        "version": rules.version,
        "sha256": rules.sha256,
        "received": chosen,
        "rows": [len(exact), fast.height],
    }
    reply: dict[str, object] = {"summary": summary, "result": result.to_json()}
    return json.dumps(reply, ensure_ascii=False)
