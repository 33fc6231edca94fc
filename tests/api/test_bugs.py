"""The bugs of issue 13 in the Python API, each as a test that failed before its fix:
numpy scalars and datetimes in data, and misuse that raised plain Python errors."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

import emurules
from tests.api.libraries import RULES, need

UNIT = {"id": "U1", "block": "A", "online": 0.5}


def _person(**fields: Any) -> dict[str, Any]:
    return {"id": "P1", "unit": "U1", "task": "good", **fields}


def _values(**fields: Any) -> dict[str, Any]:
    result = RULES.evaluate({"unit": [UNIT], "person": [_person(**fields)]})
    return dict(result.subject("P1").values)


def _problem(**fields: Any) -> emurules.Diagnostic:
    with pytest.raises(emurules.DataError) as raised:
        RULES.evaluate({"unit": [UNIT], "person": [_person(**fields)]})
    (problem,) = raised.value.diagnostics
    return problem


# ---- numpy scalars ------------------------------------------------------------------------


def test_a_numpy_float64_is_a_number_read_exactly() -> None:
    np = need("numpy")
    # was decimal.InvalidOperation: Decimal(repr(x)) read "np.float64(48.0)"
    assert _values(hours=np.float64(48.0))["skill"] == Decimal(12)
    assert _values(hours=np.float64(0.1))["skill"] == Decimal("0.025")
    assert _values(hours=np.float32(0.1))["skill"] == Decimal("0.025")  # as float32 prints


def test_numpy_integers_and_bools_are_numbers_and_bools() -> None:
    np = need("numpy")
    # were refused: "np.int64(2) is not a whole number", "np.True_ is not true or false"
    assert _values(initiatives=np.int64(2), cert=np.bool_(True))["skill"] == Decimal(35)
    assert _values(initiatives=np.uint8(1), cert=np.bool_(False))["skill"] == Decimal(10)


def test_a_numpy_scalar_keeps_every_check_of_its_field() -> None:
    np = need("numpy")
    problem = _problem(initiatives=np.int64(-1))
    assert (problem.code, problem.kind) == ("D0103", "constraint")
    assert _problem(initiatives=np.float64(1.5)).code == "D0101"
    assert _problem(hours=np.float64("nan")).code == "D0101"


def test_numpy_scalars_in_history_rows() -> None:
    np = need("numpy")
    history = [
        {"key": "P1", "year": np.int64(2024), "award": "fighter"},
        {"key": "P1", "year": np.float64(2023.0), "award": "fighter"},
        {"key": "P1", "year": np.int64(2024), "name": "hours", "value": np.float64(7.5)},
    ]
    result = RULES.evaluate({"unit": [UNIT], "person": [_person()]}, history=history)
    assert result.subject("P1").values["before"] == Decimal("7.5")
    assert result.outcome("P1", "veteran").received


# ---- dates --------------------------------------------------------------------------------


def test_a_datetime_at_midnight_is_a_date_and_other_times_name_the_field() -> None:
    assert _values(start=datetime.datetime(2025, 12, 1))["seniority"] == Decimal(30)
    problem = _problem(start=datetime.datetime(2025, 12, 1, 8, 30))
    assert problem.place == emurules.Place(file="person", row=1, field="start")
    assert "has a time of day" in str(problem.message)


def test_a_pandas_timestamp_at_midnight_is_a_date_and_nat_is_missing() -> None:
    pd = need("pandas")
    assert _values(start=pd.Timestamp("2025-12-01"))["seniority"] == Decimal(30)
    problem = _problem(start=pd.Timestamp("2025-12-01 00:00:00.000001"))
    assert problem.place == emurules.Place(file="person", row=1, field="start")
    assert _problem(start=pd.Timestamp("2025-12-01 00:00:00.000000001")).code == "D0101"
    # NaT subclasses datetime; it crashed with ValueError ("NaTType does not support time")
    assert _values(start=pd.NaT) == _values()  # missing: the default date
    assert _values(leave=pd.NA, initiatives=pd.NA) == _values()


def test_a_numpy_datetime64_is_a_date_at_midnight() -> None:
    np = need("numpy")
    assert _values(start=np.datetime64("2025-12-01"))["seniority"] == Decimal(30)
    assert _values(start=np.datetime64("2025-12-01T00:00:00.000000000"))["seniority"] == 30
    assert _values(start=np.datetime64("NaT")) == _values()
    assert _problem(start=np.datetime64("2025-12-01T08:00")).code == "D0101"
    assert _problem(start=np.datetime64("2025-12-01T00:00:00.000000001")).code == "D0101"


def test_a_datetime_history_value_of_a_date_field_is_read_as_a_date() -> None:
    rules = emurules.compile(
        'ruleset "t" { year 2025 }\n'
        "subject p { id: text key  start: date }\n"
        "let gap for p = days(past(start, 1) ?? start, start)\n"
    )
    history = [{"key": "a", "year": 2024, "name": "start", "value": datetime.datetime(2024, 1, 1)}]
    result = rules.evaluate(
        {"p": [{"id": "a", "start": datetime.date(2024, 1, 11)}]}, history=history
    )
    assert result.subject("a").values["gap"] == Decimal(10)


# ---- misuse -------------------------------------------------------------------------------


def test_compile_and_load_of_something_that_is_no_text_are_type_errors() -> None:
    # compile(None) was AttributeError: 'NoneType' object has no attribute 'startswith'
    with pytest.raises(emurules.UsageTypeError, match=r"^text=None: the criteria text is a str"):
        emurules.compile(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^name=3: "):
        emurules.compile("", 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^path=None: the criteria file is a path"):
        emurules.load(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^text=bytes: "):
        emurules.check(b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^path=1\.5: "):
        emurules.check_file(1.5)  # type: ignore[arg-type]


def test_records_that_are_no_rows_are_a_type_error_naming_the_kind() -> None:
    with pytest.raises(emurules.UsageTypeError) as raised:
        RULES.evaluate({"unit": [UNIT], "person": None})  # type: ignore[dict-item]
    assert str(raised.value).startswith("data['person']=None: the rows are a list of dicts")
    assert isinstance(raised.value, TypeError)
    with pytest.raises(TypeError, match=r"^data\['person'\]='P1': "):
        RULES.evaluate({"unit": [UNIT], "person": "P1"})
    with pytest.raises(TypeError, match=r"^data\['person'\]=dict: "):
        RULES.evaluate({"unit": [UNIT], "person": _person()})


def test_history_given_as_a_dict_is_a_type_error() -> None:
    # was a DataError saying that the dict's first key is not a mapping
    with pytest.raises(emurules.UsageTypeError, match=r"^history=dict: the rows are"):
        RULES.evaluate({"unit": [UNIT], "person": [_person()]}, history={"key": "P1"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^history=5: "):
        RULES.evaluate({"unit": [UNIT], "person": [_person()]}, history=5)  # type: ignore[arg-type]


def test_a_year_of_the_wrong_type_is_a_type_error_and_a_wrong_year_a_value_error() -> None:
    with pytest.raises(emurules.UsageTypeError, match=r"^year='2025': ") as raised:
        RULES.evaluate({"unit": [UNIT], "person": []}, year="2025")  # type: ignore[arg-type]
    assert (raised.value.diagnostics[0].code, raised.value.diagnostics[0].kind) == (
        "D0139",
        "usage",
    )
    with pytest.raises(emurules.UsageError) as wrong:
        RULES.evaluate({"unit": [UNIT], "person": []}, year=0)
    assert isinstance(wrong.value, ValueError) and not isinstance(wrong.value, TypeError)
    np = need("numpy")
    assert RULES.evaluate({"unit": [UNIT], "person": []}, year=np.int64(2025)).year == 2025  # type: ignore[arg-type]


def test_the_other_arguments_of_evaluate_are_checked_for_their_type() -> None:
    data: dict[str, Any] = {"unit": [UNIT], "person": []}
    with pytest.raises(TypeError, match=r"^skip_invalid='yes': True or False"):
        RULES.evaluate(data, skip_invalid="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^sources=\['a'\]|^sources=list: "):
        RULES.evaluate(data, sources=["a"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"locale=3"):
        RULES.evaluate(data, locale=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^data=list: "):
        RULES.evaluate([UNIT])  # type: ignore[arg-type]


def test_a_missing_year_is_a_usage_error_with_a_diagnostic() -> None:
    rules = emurules.compile("subject p { id: text key }")
    with pytest.raises(emurules.UsageError) as raised:
        rules.evaluate({"p": []})
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.code, diagnostic.kind) == ("D0139", "usage")
    (found,) = raised.value.to_dict()["diagnostics"]
    assert found["hint"] == "on the command line, pass --year 2025"


def _result() -> emurules.Result:
    return RULES.evaluate({"unit": [UNIT], "person": [_person(), _person(id="P2")]})


def test_an_unknown_award_is_an_unknown_name_error_with_did_you_mean() -> None:
    result = _result()
    # was a bare KeyError, whose str() is the repr of its message
    with pytest.raises(emurules.UnknownNameError) as raised:
        result.recipients("figther")
    assert str(raised.value) == "no award named 'figther' (did you mean 'fighter'?)"
    assert isinstance(raised.value, KeyError)
    with pytest.raises(KeyError, match="no award named 'flags'"):
        result.outcome("P1", "flags")
    with pytest.raises(emurules.UnknownNameError) as listed:
        result.recipients("zzz")
    assert str(listed.value) == (
        "no award named 'zzz' (the awards are worker, fighter, veteran, flag)"
    )


def test_an_unknown_key_is_an_unknown_name_error_in_every_lookup() -> None:
    result = _result()
    for lookup in (
        lambda: result.subject("p2"),
        lambda: result.explain("p2"),
        lambda: result.outcome("p2", "worker"),
    ):
        with pytest.raises(emurules.UnknownNameError) as raised:
            lookup()
        assert (raised.value.what, raised.value.name) == ("key", "p2")
        assert raised.value.suggestion == "P2"
        assert str(raised.value).endswith("(did you mean 'P2'?)")
    with pytest.raises(emurules.UnknownNameError, match=r"^no person has the key 'U1' \("
                       r"'U1' is a key of unit\)$"):  # fmt: skip
        result.outcome("U1", "worker")


def test_an_unknown_kind_is_named_as_the_kind_not_as_the_key() -> None:
    result = _result()
    # said "no subject has the key 'P1'"
    with pytest.raises(emurules.UnknownNameError) as raised:
        result.subject("P1", kind="persons")
    assert str(raised.value) == "no subject kind named 'persons' (did you mean 'person'?)"
    assert (raised.value.what, raised.value.suggestion) == ("kind", "person")
    with pytest.raises(emurules.UnknownNameError, match=r"^no person has the key 'U1'"):
        result.explain("U1", kind="person")
