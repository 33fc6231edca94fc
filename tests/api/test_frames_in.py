"""Frames in: `Rules.evaluate` takes a pandas or Polars DataFrame, or an Arrow table, for
each kind and for the history, and reads it as it reads the same rows as lists of dicts."""

from __future__ import annotations

import datetime
import math
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import emurules
from emurules.data.frames import library
from tests.api.libraries import RULES, need
from tests.helpers import ROOT

Rows = list[dict[str, Any]]

UNITS: Rows = [
    {"id": "U1", "block": "A", "online": 0.9},
    {"id": "U2", "block": "A", "online": 0.4},
]
PEOPLE: Rows = [
    {"id": "P1", "unit": "U1", "task": "excellent", "hours": 48.5, "initiatives": 2,
     "cert": True, "start": datetime.date(2015, 3, 1), "leave": None},
    {"id": "P2", "unit": "U1", "task": "good", "hours": 20.0, "initiatives": 1,
     "cert": False, "start": datetime.date(2021, 9, 1), "leave": 4.0},
    {"id": "P3", "unit": "U2", "task": "complete", "hours": 0.0, "initiatives": 0,
     "cert": True, "start": datetime.date(2024, 1, 15), "leave": 1.5},
]  # fmt: skip
HISTORY: Rows = [
    {"key": "P1", "year": 2024, "award": "fighter", "name": None, "value": None},
    {"key": "P1", "year": 2024, "award": None, "name": "hours", "value": 30.0},
    {"key": "P2", "year": 2023, "award": "fighter", "name": None, "value": None},
]


def _json(result: emurules.Result) -> dict[str, Any]:
    """`to_json()` without the provenance, which holds the time of the evaluation."""
    found = dict(result.to_json())
    found.pop("provenance", None)
    return found


def _pandas(rows: Rows) -> Any:
    return need("pandas").DataFrame(rows)


def _polars(rows: Rows) -> Any:
    return need("polars").DataFrame(rows, infer_schema_length=None)


def _arrow(rows: Rows) -> Any:
    return need("pyarrow").Table.from_pylist(rows)


MAKERS: dict[str, Callable[[Rows], Any]] = {
    "pandas": _pandas,
    "polars": _polars,
    "arrow": _arrow,
}


def _evaluate(units: Any, people: Any, history: Any) -> emurules.Result:
    return RULES.evaluate({"unit": units, "person": people}, history=history)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_every_kind_and_the_history_as_a_frame_reads_as_lists(name: str) -> None:
    make = MAKERS[name]
    expected = _json(_evaluate(UNITS, PEOPLE, HISTORY))
    found = _evaluate(make(UNITS), make(PEOPLE), make(HISTORY))
    assert _json(found) == expected
    mixed = _evaluate(UNITS, make(PEOPLE), HISTORY)  # a frame for one kind, lists for others
    assert _json(mixed) == expected


def test_an_arrow_record_batch_is_a_frame_too() -> None:
    pyarrow = need("pyarrow")
    batch = pyarrow.RecordBatch.from_pylist(PEOPLE)
    assert library(batch) == "arrow"
    assert _json(_evaluate(UNITS, batch, HISTORY)) == _json(_evaluate(UNITS, PEOPLE, HISTORY))


def test_nan_none_na_and_nat_are_missing_in_a_pandas_frame() -> None:
    pd = need("pandas")
    frame = pd.DataFrame(
        {
            "id": ["P1", "P2"],
            "unit": ["U1", "U2"],
            "task": pd.Categorical(["good", "excellent"]),  # an enum column as categories
            "hours": [math.nan, 12.0],
            "initiatives": pd.array([pd.NA, 3], dtype="Int64"),
            "cert": pd.array([pd.NA, True], dtype="boolean"),
            "start": pd.to_datetime([pd.NaT, "2019-05-01"]),
            "leave": pd.Series([None, pd.NA], dtype=object),
        }
    )
    lists = [
        {"id": "P1", "unit": "U1", "task": "good"},
        {"id": "P2", "unit": "U2", "task": "excellent", "hours": 12, "initiatives": 3,
         "cert": True, "start": datetime.date(2019, 5, 1)},
    ]  # fmt: skip
    assert _json(_evaluate(UNITS, frame, [])) == _json(_evaluate(UNITS, lists, []))


@pytest.mark.parametrize("name", ["polars", "arrow"])
def test_nan_and_null_are_missing_in_polars_and_arrow(name: str) -> None:
    rows = [
        {"id": "P1", "unit": "U1", "task": "good", "hours": math.nan, "leave": None},
        {"id": "P2", "unit": "U2", "task": "good", "hours": 7.5, "leave": math.nan},
    ]
    lists = [
        {"id": "P1", "unit": "U1", "task": "good"},
        {"id": "P2", "unit": "U2", "task": "good", "hours": 7.5},
    ]
    found = _evaluate(UNITS, MAKERS[name](rows), [])
    assert _json(found) == _json(_evaluate(UNITS, lists, []))


def test_numpy_scalars_in_an_object_column_are_numbers_and_bools() -> None:
    pd = need("pandas")
    np = need("numpy")
    frame = pd.DataFrame(
        {
            "id": ["P1"],
            "unit": ["U1"],
            "task": ["good"],
            "hours": pd.Series([np.float64(48.1)], dtype=object),
            "initiatives": pd.Series([np.int64(2)], dtype=object),
            "cert": pd.Series([np.bool_(True)], dtype=object),
        }
    )
    person = {"id": "P1", "unit": "U1", "task": "good", "hours": Decimal("48.1"),
              "initiatives": 2, "cert": True}  # fmt: skip
    assert _json(_evaluate(UNITS, frame, [])) == _json(_evaluate(UNITS, [person], []))


def test_zero_and_one_are_true_and_false_only_in_a_bool_field() -> None:
    pd = need("pandas")
    frame = pd.DataFrame(
        {"id": ["P1", "P2"], "unit": ["U1", "U1"], "task": ["good", "good"],
         "cert": [1, 0], "initiatives": [1, 0]}
    )  # fmt: skip
    result = _evaluate(UNITS, frame, [])
    skill = {key: result.subject(key).values["skill"] for key in ("P1", "P2")}
    assert skill == {"P1": Decimal(25), "P2": Decimal(0)}  # 15 for the cert, 10 an initiative
    units = pd.DataFrame({"id": ["U1"], "block": [1], "online": [0.5]})
    with pytest.raises(emurules.DataError) as raised:
        _evaluate(units, frame, [])
    (problem,) = raised.value.diagnostics
    assert (problem.code, problem.place) == ("D0101", emurules.Place(file="unit", row=1,
                                                                     field="block"))  # fmt: skip
    twos = frame.assign(cert=[2, 1])
    with pytest.raises(emurules.DataError) as raised:
        _evaluate(UNITS, twos, [])
    (problem,) = raised.value.diagnostics
    assert (problem.code, problem.place.field if problem.place else None) == ("D0101", "cert")


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_a_float_year_in_a_history_frame_is_its_whole_year(name: str) -> None:
    floats = [{**row, "year": float(row["year"])} for row in HISTORY]
    found = _evaluate(UNITS, PEOPLE, MAKERS[name](floats))
    assert _json(found) == _json(_evaluate(UNITS, PEOPLE, HISTORY))
    broken = [*floats[:1], {**floats[1], "year": 2023.5}, *floats[2:]]
    with pytest.raises(emurules.DataError) as raised:
        _evaluate(UNITS, PEOPLE, MAKERS[name](broken))
    (problem,) = raised.value.diagnostics
    assert problem.place == emurules.Place(file="history", row=2, field="year")
    assert problem.place.key == "P1"
    assert "2023.5" in str(problem.message)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_a_data_error_names_the_row_and_the_column_of_the_frame(name: str) -> None:
    people = [dict(row) for row in PEOPLE]
    people[2]["task"] = "goood"
    frame = MAKERS[name](people)
    if name == "pandas":
        frame.index = [30, 10, 20]  # rows are counted, not indexed
    with pytest.raises(emurules.DataError) as raised:
        RULES.evaluate({"unit": UNITS, "person": frame}, sources={"person": "people.parquet"})
    (problem,) = raised.value.diagnostics
    assert (problem.code, problem.place) == (
        "D0102",
        emurules.Place(file="people.parquet", row=3, field="task"),
    )
    assert problem.place is not None and problem.place.key == "P3"
    assert str(problem.hint) == "did you mean 'good'?"


def test_a_datetime_column_at_midnight_is_dates_and_a_time_of_day_is_an_error() -> None:
    pd = need("pandas")
    people = pd.DataFrame(PEOPLE).assign(start=pd.to_datetime(["2015-03-01", "2021-09-01",
                                                                "2024-01-15"]))  # fmt: skip
    assert _json(_evaluate(UNITS, people, HISTORY)) == _json(_evaluate(UNITS, PEOPLE, HISTORY))
    people["start"] = pd.to_datetime(["2015-03-01 00:00", "2021-09-01 08:30", "2024-01-15 00:00"])
    with pytest.raises(emurules.DataError) as raised:
        _evaluate(UNITS, people, HISTORY)
    (problem,) = raised.value.diagnostics
    assert problem.place == emurules.Place(file="person", row=2, field="start")
    assert "has a time of day" in str(problem.message)


def test_a_column_title_twice_is_refused() -> None:
    pd = need("pandas")
    frame = pd.DataFrame([["P1", "U1", "good", 1.0, 2.0]],
                         columns=["id", "unit", "task", "hours", "hours"])  # fmt: skip
    with pytest.raises(emurules.DataError) as raised:
        _evaluate(UNITS, frame, [])
    (problem,) = raised.value.diagnostics
    assert (problem.code, problem.kind) == ("D0113", "duplicate_column")
    assert str(problem.message) == "the column 'hours' appears more than once"


def test_a_series_or_a_lazy_frame_is_a_usage_error_naming_the_argument() -> None:
    pd = need("pandas")
    pl = need("polars")
    with pytest.raises(emurules.UsageTypeError, match=r"data\['person'\]=pandas"):
        _evaluate(UNITS, pd.Series([1, 2]), [])
    with pytest.raises(emurules.UsageTypeError, match=r"^history=polars"):
        _evaluate(UNITS, PEOPLE, pl.LazyFrame(HISTORY))


def test_no_frame_library_is_imported_for_lists_of_dicts() -> None:
    data = {"unit": UNITS, "person": PEOPLE[1:]}
    program = (
        "import sys\n"
        "from tests.api.libraries import RULES\n"
        f"RULES.evaluate({data!r}, history={HISTORY[2:]!r})\n"
        "print(sorted(m for m in ('pandas', 'polars', 'pyarrow', 'numpy') if m in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", "import datetime\n" + program],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert found.stdout.strip() == "[]"


# ---- the same population as lists of dicts and as frames -----------------------------------

TASKS = ("incomplete", "complete", "good", "excellent")
_maybe = st.none() | st.just("absent")


@st.composite
def populations(draw: st.DrawFn) -> tuple[Rows, Rows, Rows]:
    units = [
        {"id": f"U{i}", "block": draw(st.sampled_from("AB")),
         "online": draw(st.integers(0, 100)) / 100}
        for i in range(1, draw(st.integers(1, 3)) + 1)
    ]  # fmt: skip
    people = []
    for i in range(1, draw(st.integers(0, 8)) + 1):
        person: dict[str, Any] = {
            "id": f"P{i}",
            "unit": draw(st.sampled_from([u["id"] for u in units])),
            "task": draw(st.sampled_from(TASKS)),
        }
        optional = {
            "hours": st.integers(0, 800).map(lambda n: n / 10),
            "initiatives": st.integers(0, 3),
            "cert": st.booleans(),
            "start": st.dates(datetime.date(2000, 1, 1), datetime.date(2025, 12, 31)),
            "leave": st.integers(0, 24).map(lambda n: n / 2),
        }
        for name, values in optional.items():
            value = draw(_maybe | values)
            if value != "absent":
                person[name] = value
        people.append(person)
    history: Rows = []
    for person in people:
        for year in draw(st.sets(st.sampled_from([2023, 2024]))):
            history.append({"key": person["id"], "year": year, "award": "fighter"})
        if draw(st.booleans()):
            hours = draw(st.integers(0, 800)) / 10
            history.append({"key": person["id"], "year": 2024, "name": "hours", "value": hours})
    return units, people, history


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(populations())
def test_a_population_as_lists_as_pandas_and_as_polars_gives_one_result(
    population: tuple[Rows, Rows, Rows],
) -> None:
    units, people, history = population
    expected = _json(_evaluate(units, people, history))
    for name in ("pandas", "polars"):
        make = MAKERS[name]
        found = _evaluate(make(units), make(people), make(history))
        assert _json(found) == expected, name
