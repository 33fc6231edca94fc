"""Data as offices really have it: NFD text, tick columns, Excel dates, decimal commas,
huge numbers, a missing year, and a run that would assess nobody."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emurules
from emurules.data import cells
from emurules.errors import UsageError
from emurules.limits import beyond_limits

CRITERIA = """
ruleset "office" { year 2025 }
enum rating ordered { kém, đạt, tốt, xuất_sắc }
subject collective {
  id: text key
  block: text
  task: rating
  online: percent = 0%
}
subject individual {
  id: text key
  unit: collective
  task: rating
  digital_cert: bool = false
  hired: date = 2020-01-01
  points: number >= 0 = 0
  leave: number?
}
relation members: collective -> individual by unit
score for collective = 100 * online
score for individual = points
let seniority "Seniority" for individual = days(hired, 2025-12-31)
let squared "Squared" for individual = round(points * points, 18)
award flag "Cờ thi đua" for collective {
  rank by score desc
  quota 1 within block
}
award certified "Certified" for individual { when digital_cert }
award good "Good" for individual { when task >= tốt }
"""
RULES = emurules.compile(CRITERIA)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def units(**more: Any) -> list[dict[str, Any]]:
    return [{"id": "U1", "block": "Khối Sở", "task": "tốt", "online": "50%", **more}]


def person(key: str = "P1", **more: Any) -> dict[str, Any]:
    return {"id": key, "unit": "U1", "task": "tốt", **more}


def evaluate(people: list[dict[str, Any]], **options: Any) -> emurules.Result:
    return RULES.evaluate({"collective": units(), "individual": people}, **options)


def problems(
    people: list[dict[str, Any]], **options: Any
) -> list[tuple[int | None, str | None, str | None, str, str | None]]:
    with pytest.raises(emurules.DataError) as raised:
        evaluate(people, **options)
    return [
        (d.place.row, d.place.field, d.kind, d.code, None if d.hint is None else str(d.hint))
        for d in raised.value.diagnostics
        if d.place is not None
    ]


# ---- 1. NFC everywhere -------------------------------------------------------------------


def test_a_block_written_nfd_and_nfc_is_one_group() -> None:
    block = "Khối Văn hóa – Xã hội"
    assert nfd(block) != block
    collectives = [
        {"id": "U1", "block": block, "task": "tốt", "online": "90%"},
        {"id": "U2", "block": nfd(block), "task": "tốt", "online": "80%"},
    ]
    result = RULES.evaluate({"collective": collectives, "individual": []})
    assert result.recipients("flag") == ("U1",)
    assert result.outcome("U2", "flag").reason == "quota"


def test_nfd_enum_values_keys_references_and_column_titles() -> None:
    people = [
        {nfd("id"): nfd("Nguyễn Văn Á"), "unit": nfd("Đơn vị 1"), nfd(" task "): nfd("xuất_sắc")}
    ]
    collectives = [{"id": "Đơn vị 1", "block": "A", "task": nfd("tốt"), "  online": "50 %"}]
    result = RULES.evaluate({"collective": collectives, "individual": people})
    assert result.recipients("good") == ("Nguyễn Văn Á",)
    assert result.subject("Đơn vị 1").values["score"] == Decimal(50)


def test_nfd_history_cells() -> None:
    result = evaluate(
        [person("Nguyễn Văn Á")],
        history=[{" key": nfd("Nguyễn Văn Á"), "year": "2024", "award": nfd("certified")}],
    )
    assert "Nguyễn Văn Á" in {s.key for s in result.subjects.values()}


def test_two_titles_that_normalise_to_one_are_refused() -> None:
    found = problems([{**person(), "task ": "tốt"}])
    assert [(row, field, kind, code) for row, field, kind, code, _ in found] == [
        (1, "task", "duplicate_field", "D0132")
    ]


# ---- 2. booleans ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("true", True), ("TRUE", True), ("yes", True), ("1", True), ("có", True),
        ("Có", True), (nfd("có"), True), ("x", True), (" X ", True), (True, True), (1, True),
        ("false", False), ("No", False), ("0", False), ("không", False), ("KHÔNG", False),
        (False, False), (0, False), ("", False), (None, False),
    ],
)  # fmt: skip
def test_accepted_words_for_true_and_false(cell: object, value: bool) -> None:
    result = evaluate([person(digital_cert=cell)])
    assert result.outcome("P1", "certified").received is value


@pytest.mark.parametrize("cell", ["maybe", "đúng", "2", 2, "v", "✓"])
def test_other_words_are_refused_with_the_accepted_ones(cell: object) -> None:
    ((row, field, kind, code, hint),) = problems([person(digital_cert=cell)])
    assert (row, field, kind, code) == (1, "digital_cert", "type", "D0101")
    assert hint is not None and "có" in hint and "không" in hint and "x" in hint


# ---- 3. dates ------------------------------------------------------------------------------


def test_an_excel_date_cell_at_midnight_is_a_date() -> None:
    result = evaluate([person(hired=datetime.datetime(2025, 12, 1))])
    assert result.subject("P1").values["seniority"] == Decimal(30)


def test_a_date_cell_with_a_time_of_day_is_refused() -> None:
    ((row, field, kind, code, hint),) = problems(
        [person(hired=datetime.datetime(2025, 12, 1, 8, 30))]
    )
    assert (row, field, kind, code) == (1, "hired", "type", "D0101")
    assert hint is not None and "time" in hint


# ---- 4. locale ------------------------------------------------------------------------------

VI = emurules.compile(CRITERIA.replace("{ year 2025 }", '{ year 2025 locale "vi" }'))


def test_the_locale_setting_and_its_default() -> None:
    assert RULES.locale == "iso"
    assert VI.locale == "vi"


@pytest.mark.parametrize(
    ("cell", "points"),
    [("64,2", "64.2"), ("0,5", "0.5"), ("12", "12"), (" 7,25 ", "7.25"), (64.2, "64.2")],
)
def test_vi_reads_a_decimal_comma(cell: object, points: str) -> None:
    result = VI.evaluate({"collective": units(), "individual": [person(points=cell)]})
    assert result.subject("P1").values["score"] == Decimal(points)


@pytest.mark.parametrize(
    ("cell", "online"), [("64,2%", "0.642"), ("64,2 %", "0.642"), (0.642, "0.642")]
)
def test_vi_reads_percentages_with_a_comma_and_excel_fractions(cell: object, online: str) -> None:
    result = VI.evaluate({"collective": units(online=cell), "individual": []})
    assert result.subject("U1").values["score"] == 100 * Decimal(online)


@pytest.mark.parametrize("cell", ["31/12/2025", "31-12-2025", "2025-12-31"])
def test_vi_reads_day_first_dates_and_iso(cell: str) -> None:
    result = VI.evaluate({"collective": units(), "individual": [person(hired=cell)]})
    assert result.subject("P1").values["seniority"] == Decimal(0)


def test_vi_day_first_without_leading_zeros() -> None:
    result = VI.evaluate({"collective": units(), "individual": [person(hired="1/2/2025")]})
    assert result.subject("P1").values["seniority"] == Decimal(333)


def test_vi_refuses_a_decimal_point_naming_the_cell() -> None:
    with pytest.raises(emurules.DataError) as raised:
        VI.evaluate({"collective": units(), "individual": [person(points="64.2")]})
    (problem,) = raised.value.diagnostics
    assert (problem.place, problem.kind, problem.code) == (
        emurules.Place(file="individual", row=1, field="points"),
        "locale",
        "D0131",
    )
    assert str(problem.hint) == "this file is read with locale vi: write 64,2"


def test_vi_refuses_thousands_separators() -> None:
    with pytest.raises(emurules.DataError) as raised:
        VI.evaluate({"collective": units(), "individual": [person(points="1.234.567")]})
    assert raised.value.diagnostics[0].kind == "locale"


def test_iso_refuses_a_decimal_comma_with_the_fix() -> None:
    ((row, field, kind, code, hint),) = problems([person(points="64,2")])
    assert (row, field, kind, code) == (1, "points", "locale", "D0131")
    assert hint is not None and 'set `locale "vi"` in the ruleset or pass --locale vi' in hint


def test_iso_refuses_a_day_first_date() -> None:
    ((row, field, kind, code, hint),) = problems([person(hired="31/12/2025")])
    assert (row, field, kind, code) == (1, "hired", "locale", "D0131")
    assert hint is not None and "2025-12-31" in hint


def test_the_locale_argument_overrides_the_ruleset() -> None:
    result = evaluate([person(points="64,2")], locale="vi")
    assert result.subject("P1").values["score"] == Decimal("64.2")
    with pytest.raises(emurules.DataError):
        VI.evaluate({"collective": units(), "individual": [person(points="64,2")]}, locale="iso")


def test_an_unknown_locale_argument_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="locale='fr'"):
        evaluate([person()], locale="fr")


# ---- 5. numeric limits ------------------------------------------------------------------------


BEYOND = {
    "19 digits": "1234567890123456789",
    "int 10**19": 10**19,
    "int 10**40": 10**40,
    "int of 5001 digits": 10**5000,
    "19 places": "0.0000000000000000001",
    "float 1e-20": 1e-20,
    "Decimal 1E+30": Decimal("1E+30"),
    "text of 5000 digits": "1" * 5000,
}


@pytest.mark.parametrize("cell", BEYOND.values(), ids=BEYOND.keys())
def test_numbers_beyond_the_limits_are_named(cell: object) -> None:
    ((row, field, kind, code, hint),) = problems([person(points=cell)])
    assert (row, field, kind, code) == (1, "points", "limit", "D0130")
    assert hint is not None and "18 digits" in hint


@pytest.mark.parametrize("cell", [float("nan"), float("inf"), "NaN", "Infinity", "-inf"])
def test_not_a_number_is_refused(cell: object) -> None:
    ((_, field, kind, _, _),) = problems([person(points=cell)])
    assert (field, kind) == ("points", "type")


def test_the_largest_numbers_compute_exactly() -> None:
    largest = Decimal("999999999999999999.999999999999999999")
    result = evaluate([person(points=str(largest))])
    values = result.subject("P1").values
    assert values["score"] == largest
    exact = Context(prec=100).multiply(largest, largest)
    assert len(exact.as_tuple().digits) == 72
    assert values["squared"] == exact.quantize(Decimal("1e-18"), context=Context(prec=100))


def largest_score(power: int) -> None:
    rules = emurules.compile(
        'ruleset "r" { year 2025 round 18 }\nsubject s { id: text key  n: number }\n'
        f"score for s = {' * '.join(['n'] * power)}\n"
    )
    n = Decimal("-999999999999999999.999999999999999999")
    result = rules.evaluate({"s": [{"id": "A", "n": n}]})
    exact = Context(prec=200).power(n, power)
    expected = exact.quantize(Decimal("1e-18"), context=Context(prec=200, rounding=ROUND_HALF_UP))
    assert result.subject("A").score == expected


def test_a_rounded_score_of_the_largest_numbers() -> None:
    largest_score(2)


def test_a_rounded_score_of_three_largest_numbers() -> None:
    largest_score(3)


def test_held_over_a_huge_number_of_years_does_not_hang() -> None:
    rules = emurules.compile(
        'ruleset "r" { year 2025 }\nsubject s { id: text key }\n'
        'award a "A" for s { when held(a, last 999999999999999999) == 1 }\n'
    )
    result = rules.evaluate(
        {"s": [{"id": "X"}]}, history=[{"key": "X", "year": 1990, "award": "a"}]
    )
    assert result.recipients("a") == ("X",)


# ---- 7. the assessment year ---------------------------------------------------------------------


def test_no_year_is_a_usage_error_with_a_diagnostic() -> None:
    rules = emurules.compile("subject s { id: text key }")
    with pytest.raises(UsageError) as raised:
        rules.evaluate({"s": [{"id": "A"}]})
    assert isinstance(raised.value, emurules.EmurulesError)
    assert isinstance(raised.value, ValueError)
    assert "pass year=2025 or state `year 2025` in the ruleset" in str(raised.value)
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.code, diagnostic.kind) == ("D0139", "usage")


@pytest.mark.parametrize("year", ["2025", 2025.0, True, 0, 10**30])
def test_a_year_that_is_not_a_whole_number_is_a_usage_error(year: object) -> None:
    with pytest.raises(UsageError, match="year="):
        evaluate([person()], year=year)


def test_data_that_is_not_a_mapping_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="data"):
        RULES.evaluate([person()])  # type: ignore[arg-type]


# ---- 8. skip_invalid that would assess nobody ---------------------------------------------------


def test_skip_invalid_that_sets_every_record_aside_is_an_error() -> None:
    with pytest.raises(emurules.DataError) as raised:
        RULES.evaluate(
            {"collective": [{"id": "U1", "block": "A", "task": "bad"}], "individual": []},
            skip_invalid=True,
        )
    found = {(d.code, d.kind) for d in raised.value.diagnostics}
    assert found == {("D0102", "enum"), ("D0133", "nothing_assessed")}


def test_skip_invalid_that_sets_aside_every_rule_breaker_is_an_error() -> None:
    rules = emurules.compile(CRITERIA + 'require "online" for collective: online > 0%\n')
    with pytest.raises(emurules.DataError) as raised:
        rules.evaluate({"collective": units(online="0%"), "individual": []}, skip_invalid=True)
    found = {(d.code, d.kind) for d in raised.value.diagnostics}
    assert found == {("D0103", "constraint"), ("D0133", "nothing_assessed")}


def test_skip_invalid_keeps_working_when_someone_is_left() -> None:
    result = evaluate([person("P1"), person("P2", task="bad")], skip_invalid=True)
    assert [d.kind for d in result.skipped] == ["enum"]


def test_huge_integers_anywhere_give_named_errors() -> None:
    huge = 10**5000
    found = problems([person(task=huge, unit=huge, **{"note": 1}), {huge: 1, **person("P2")}])
    assert [(row, field, kind) for row, field, kind, _, _ in found] == [
        (1, "note", "unknown_field"),
        (1, "task", "enum"),
        (1, "unit", "limit"),
        (2, "10000000000…00000000000 (5001 characters)", "unknown_field"),
    ]
    with pytest.raises(emurules.DataError) as raised:
        evaluate([person()], history=[{"key": "P1", "year": huge, "award": "certified"}])
    assert [d.kind for d in raised.value.diagnostics] == ["limit"]
    with pytest.raises(emurules.DataError) as raised:
        evaluate([person()], history=[{"key": huge, "year": 2024, "award": "certified"}])
    assert [d.kind for d in raised.value.diagnostics] == ["dangling_reference"]
    with pytest.raises(emurules.DataError) as raised:
        evaluate([person()], history=[{"key": "P1", "year": 2024, "award": huge}])
    assert [d.kind for d in raised.value.diagnostics] == ["type"]


# ---- properties of one cell ---------------------------------------------------------------

CELLS = st.one_of(
    st.text(),
    st.from_regex(r"\s*[+-]?[0-9]{0,25}([.,][0-9]{0,25})?\s*%?\s*", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}[/-][0-9]{1,2}[/-][0-9]{4}( 00:00(:00)?)?", fullmatch=True),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(),
    st.decimals(),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.none(),
)


@settings(max_examples=400, deadline=None)
@given(
    raw=CELLS,
    kind=st.sampled_from(["int", "number", "percent", "bool", "date", "text"]),
    locale=st.sampled_from(["iso", "vi"]),
)
def test_a_cell_is_a_value_or_a_named_problem(raw: Any, kind: str, locale: str) -> None:
    if kind in ("int", "number", "percent"):
        found: Any = cells.number(raw, kind, locale)
    elif kind == "bool":
        found = cells.boolean(raw)
    elif kind == "date":
        found = cells.date(raw, locale)
    else:
        found = cells.text(raw)
    if isinstance(found, cells.Problem):
        assert found.kind in ("type", "limit", "locale")
        assert len(str(found.message)) < 400
    elif isinstance(found, tuple):
        value = found[0]
        assert isinstance(value, Decimal) and value.is_finite()
        assert beyond_limits(value) is None


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="aăâeêioôơuưyAĂÂĐđ àáảãạ̣́̀̉̃", max_size=12))
def test_text_reads_the_same_composed_or_decomposed(text: str) -> None:
    assert cells.text(nfd(text)) == cells.text(unicodedata.normalize("NFC", text))


def test_a_dotted_thousand_under_vi_gets_both_readings_in_the_hint() -> None:
    problem = cells.number("1.234", "number", "vi")
    assert isinstance(problem, cells.Problem)
    assert (
        str(problem.hint)
        == "this file is read with locale vi: write 1234 (a whole number) or 1,234 (a decimal)"
    )


def test_a_cell_of_hidden_characters_is_quoted_short() -> None:
    """Control characters read as four characters each (\\x1f): the quote is cut by what
    it shows, not by the cell's length (found by the property above)."""
    found = cells.boolean("0" * 23 + "\x1f" * 39 + "\u1680" * 33)
    assert isinstance(found, cells.Problem)
    assert len(str(found.message)) < 200
    assert str(found.message).startswith("'00000000000000000000000\\x1f")
