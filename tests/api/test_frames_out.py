"""Frames out: `Result.to_frame()` gives a pandas or Polars frame with typed columns, one row
per subject or, for an award, one row per subject assessed for it."""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal
from typing import Any

import pytest

import emurules
from tests.api.libraries import RULES, need

UNITS = [
    {"id": "U1", "block": "A", "online": "64.25%"},
    {"id": "U2", "block": "B", "online": "0.5"},
]
PEOPLE = [
    {"id": "P1", "unit": "U1", "task": "excellent", "hours": "48.5", "initiatives": 2,
     "cert": True, "start": datetime.date(2015, 3, 1)},
    {"id": "P2", "unit": "U1", "task": "good", "hours": "20", "initiatives": 1, "leave": "4"},
    {"id": "P3", "unit": "U2", "task": "complete", "hours": "0"},
]  # fmt: skip
HISTORY = [{"key": "P1", "year": 2024, "award": "fighter"}]
DATES = emurules.compile(
    'ruleset "d" { year 2025 }\nenum level { low, high }\n'
    "subject s { id: text key  d: date  e: level  n: number? }\n"
    "let when_ for s = d\nlet lvl for s = e\nlet maybe for s = n\n"
    'award a "A" for s { when e == high }\n'
)


@pytest.fixture(scope="module")
def result() -> emurules.Result:
    return RULES.evaluate({"unit": UNITS, "person": PEOPLE}, history=HISTORY)


def test_pandas_subjects_have_typed_columns(result: emurules.Result) -> None:
    need("pandas")
    frame = result.to_frame(kind="person")
    assert list(frame.columns[:3]) == ["kind", "key", "score"]
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "kind": "string", "key": "string", "score": "object", "before": "object",
        "skill": "object", "work": "Int64", "worker": "boolean", "fighter": "boolean",
        "seniority": "Int64", "veteran": "boolean",
    }  # fmt: skip
    first = frame.iloc[0]
    assert first["key"] == "P1" and first["score"] == Decimal("87.13")
    assert isinstance(first["score"], Decimal) and isinstance(first["skill"], Decimal)
    assert first["skill"] == Decimal("47.125") and first["work"] == 40
    assert bool(first["fighter"]) is True and first["seniority"] == 3958
    assert len(frame) == 3


def test_pandas_floats_on_request(result: emurules.Result) -> None:
    need("pandas")
    frame = result.to_frame(kind="person", decimals="float")
    assert str(frame["score"].dtype) == "Float64" and str(frame["skill"].dtype) == "Float64"
    assert frame["skill"].tolist() == [47.125, 15.0, 0.0]


def test_an_award_frame_has_one_row_per_outcome(result: emurules.Result) -> None:
    need("pandas")
    frame = result.to_frame("fighter")
    assert list(frame.columns) == [
        "key", "score", "qualified", "received", "rank", "group", "reason", "failed"
    ]  # fmt: skip
    assert frame["key"].tolist() == ["P1", "P2", "P3"]
    assert frame["received"].tolist() == [True, False, False]
    assert frame["rank"].tolist()[0] == 1 and frame["rank"].isna().tolist() == [False, True, True]
    assert frame["group"].tolist() == ["U1", "U1", "U2"]
    assert frame["failed"].tolist() == [[], ["requires:worker"], ["requires:worker"]]
    assert str(frame["rank"].dtype) == "Int64" and str(frame["qualified"].dtype) == "boolean"


def test_every_kind_in_one_frame_leaves_other_kinds_values_missing(
    result: emurules.Result,
) -> None:
    need("pandas")
    frame = result.to_frame()
    assert frame["kind"].tolist() == ["person", "person", "person", "unit", "unit"]
    assert frame["flag"].isna().tolist() == [True, True, True, False, False]
    assert frame["score"].tolist()[3:] == [Decimal("64.25"), Decimal("50.00")]


def test_dates_enums_and_missing_values() -> None:
    pandas = need("pandas")
    polars = need("polars")
    made = DATES.evaluate(
        {"s": [{"id": "A", "d": "2025-03-01", "e": "high", "n": "1.5"},
               {"id": "B", "d": "2024-12-31", "e": "low"}]},
        year=2025,
    )  # fmt: skip
    frame = made.to_frame()
    assert frame["when_"].tolist() == [datetime.date(2025, 3, 1), datetime.date(2024, 12, 31)]
    assert frame["lvl"].tolist() == ["high", "low"] and str(frame["lvl"].dtype) == "string"
    assert frame["maybe"].tolist()[0] == Decimal("1.5") and frame["maybe"].tolist()[1] is None
    assert isinstance(frame, pandas.DataFrame)
    fast = made.to_frame(library="polars")
    assert isinstance(fast, polars.DataFrame)
    assert fast.schema["when_"] == polars.Date and fast.schema["lvl"] == polars.String
    assert fast["when_"].to_list() == [datetime.date(2025, 3, 1), datetime.date(2024, 12, 31)]
    assert fast["maybe"].to_list() == [Decimal("1.5"), None]


def test_polars_frames(result: emurules.Result) -> None:
    polars = need("polars")
    frame = result.to_frame(kind="person", library="polars")
    assert frame.schema["score"] == polars.Decimal(38, 2)
    assert frame.schema["skill"] == polars.Decimal(38, 3)
    assert frame.schema["work"] == polars.Int64 and frame.schema["worker"] == polars.Boolean
    assert frame["skill"].to_list() == [Decimal("47.125"), Decimal("15"), Decimal("0")]
    award = result.to_frame("flag", library="polars", decimals="float")
    assert award.schema["score"] == polars.Float64
    assert award["score"].to_list() == [64.25, 50.0]
    assert award.schema["failed"] == polars.List(polars.String)
    assert award["failed"].to_list() == [[], ["when1"]]


def test_a_number_wider_than_a_polars_decimal_is_a_usage_error() -> None:
    need("polars")
    rules = emurules.compile(
        'ruleset "w" { year 2025 }\nsubject s { id: text key  p: number }\n'
        "let wide for s = p * 100000000000000000 + 1 / 3\n"
    )
    made = rules.evaluate({"s": [{"id": "A", "p": "123456789012345678"}]})
    with pytest.raises(emurules.UsageError, match="'wide' needs 53 digits"):
        made.to_frame(library="polars")
    assert made.to_frame(library="polars", decimals="float")["wide"].dtype.is_float()


def test_wrong_arguments_are_usage_errors(result: emurules.Result) -> None:
    need("pandas")
    bad: Any = "arrow"
    with pytest.raises(emurules.UsageError, match="library='arrow'"):
        result.to_frame(library=bad)
    with pytest.raises(emurules.UsageError, match="decimals='exact'"):
        result.to_frame(decimals="exact")  # type: ignore[arg-type]
    with pytest.raises(emurules.UnknownNameError) as unknown:
        result.to_frame("fightr")
    assert unknown.value.suggestion == "fighter"
    with pytest.raises(emurules.UnknownNameError) as kind:
        result.to_frame(kind="persn")
    assert kind.value.suggestion == "person"


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_a_missing_library_says_how_to_install_it(
    result: emurules.Result, library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, library, None)  # import fails as if not installed
    with pytest.raises(emurules.UsageError) as raised:
        result.to_frame(library=library)  # type: ignore[call-overload]
    assert f"pip install 'emurules[{library}]'" in str(raised.value)
