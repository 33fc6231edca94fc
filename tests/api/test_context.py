"""Nothing emurules computes or writes depends on the caller's decimal context: an evaluation
and every export under a hostile `decimal.getcontext()` (3 digits, rounding down, every
signal trapped) are byte for byte what they are under the default one."""

from __future__ import annotations

import csv
import datetime
import decimal
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import emurules
from emurules.report import export
from emurules.report.html import to_html
from emurules.report.text import table_text
from tests.api.libraries import RULES
from tests.helpers import ROOT

LAW = ROOT / "examples" / "law-2022"
SIGNALS = (decimal.Inexact, decimal.Rounded, decimal.FloatOperation, decimal.Clamped,
           decimal.Subnormal, decimal.Underflow, decimal.Overflow, decimal.DivisionByZero,
           decimal.InvalidOperation)  # fmt: skip
ROUNDINGS = (decimal.ROUND_FLOOR, decimal.ROUND_CEILING, decimal.ROUND_DOWN, decimal.ROUND_UP,
             decimal.ROUND_HALF_DOWN, decimal.ROUND_HALF_EVEN, decimal.ROUND_05UP)  # fmt: skip


@contextmanager
def hostile(
    prec: int = 3, rounding: str = decimal.ROUND_FLOOR, traps: tuple[type, ...] = SIGNALS
) -> Iterator[None]:
    with decimal.localcontext() as context:
        context.prec, context.rounding = prec, rounding
        context.Emax, context.Emin = 99, -99
        for signal in SIGNALS:
            context.traps[signal] = signal in traps
        yield


def exports(result: emurules.Result) -> dict[str, Any]:
    """Everything a caller can read of a result, as text or plain data."""
    found: dict[str, Any] = {
        "json": json.dumps(result.to_json(explanations=True), ensure_ascii=False),
        "stream": export.to_json(result),
        "csv": export.to_csv(result),
        "md": export.to_markdown(result),
        "html": to_html(result),
        "table": table_text(result, everyone=True, width=200),
        "rows": result.to_rows(),
        "explained": [str(result.explain(key, kind)) for kind, key in result.subjects],
        "scores": [str(s.score) for s in result.subjects.values()],
    }
    return found


def _read(name: str) -> list[dict[str, str]]:
    with (LAW / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_reported_case_reads_69_85_and_71_25_under_three_digits() -> None:
    rules = emurules.load(LAW / "criteria.emu")
    data = {"collective": _read("collective"), "individual": _read("individual")}

    def evaluate() -> emurules.Result:
        return rules.evaluate(data, history=_read("history"))

    def read(result: emurules.Result) -> tuple[str, ...]:
        return (export.to_json(result), export.to_csv(result),
                str(result.explain("DV01")), str(result.explain("DV02")))  # fmt: skip

    expected = read(evaluate())
    with hostile(prec=3, rounding=decimal.ROUND_HALF_EVEN, traps=()):
        result = evaluate()
        found = read(result)
    scores = {s["key"]: s["score"] for s in json.loads(found[0])["subjects"]}
    assert (scores["DV01"], scores["DV02"]) == ("69.85", "71.25")
    assert "Score: 69.85" in found[2] and "Score: 71.25" in found[3]
    assert found == expected


def test_a_workbook_is_the_same_under_a_hostile_context(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from emurules.report.xlsx import write_xlsx

    def cells(path: Path) -> list[list[object]]:
        book = openpyxl.load_workbook(path)
        return [[c.value for row in sheet.iter_rows() for c in row] for sheet in book]

    result = RULES.evaluate({"unit": UNITS, "person": [_person(0, Decimal("7.5"))]})
    write_xlsx(result, tmp_path / "a.xlsx")
    with hostile():
        write_xlsx(result, tmp_path / "b.xlsx")
    assert cells(tmp_path / "a.xlsx") == cells(tmp_path / "b.xlsx")


UNITS = [
    {"id": "U1", "block": "A", "online": "64.25%"},
    {"id": "U2", "block": "A", "online": "0.333"},
    {"id": "U3", "block": "B", "online": "12.5 %"},
]
TASKS = ("incomplete", "complete", "good", "excellent")


def _person(index: int, hours: Any, task: str = "excellent", leave: Any = None) -> dict[str, Any]:
    return {"id": f"P{index}", "unit": f"U{index % 3 + 1}", "task": task, "hours": hours,
            "initiatives": index % 4, "cert": index % 2 == 0, "leave": leave,
            "start": datetime.date(2010 + index % 15, 1 + index % 12, 1 + index % 28)}  # fmt: skip


numbers = st.one_of(
    st.decimals(min_value=0, max_value=200, places=3).map(str),
    st.integers(0, 200),
    st.sampled_from([0.1, 2.675, 48.5, 1 / 3]),
    st.decimals(min_value=0, max_value=200, places=4),
)
people = st.lists(
    st.tuples(numbers, st.sampled_from(TASKS), st.one_of(st.none(), numbers)),
    min_size=1,
    max_size=7,
)
contexts = st.tuples(
    st.integers(1, 12),
    st.sampled_from(ROUNDINGS),
    st.sets(st.sampled_from(SIGNALS)).map(tuple),
)


@settings(max_examples=15, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(people, contexts)
def test_evaluation_and_every_export_ignore_the_callers_context(
    found: list[tuple[Any, str, Any]], context: tuple[int, str, tuple[type, ...]]
) -> None:
    staff = [_person(i, hours, task, leave) for i, (hours, task, leave) in enumerate(found)]
    history = [{"key": "P0", "year": 2024, "award": "fighter"},
               {"key": "P0", "year": 2024, "name": "hours", "value": "30.25"}]  # fmt: skip

    def evaluate() -> emurules.Result:
        return RULES.evaluate({"unit": UNITS, "person": staff}, history=history)

    def outputs(make: Callable[[], emurules.Result]) -> dict[str, Any]:
        result = make()
        return {**exports(result), "what_if": _what_if(result)}

    expected = outputs(evaluate)
    prec, rounding, traps = context
    with hostile(prec, rounding, traps):
        found_here = outputs(evaluate)
    assert found_here == expected


def _what_if(result: emurules.Result) -> Any:
    """What one subject's change would do, when the result can tell (issue 13's what-if)."""
    if not hasattr(result, "what_if"):
        return None
    try:
        changed = result.what_if("P0", {"hours": "12.345"}, "person")
    except emurules.EmurulesError as error:
        return str(error)
    return [str(changed.explain()), json.dumps(changed.result.to_json(), sort_keys=True)]
