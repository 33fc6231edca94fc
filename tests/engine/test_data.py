"""Data validation: every kind of error, all at once, and nothing evaluated."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import emurules
from emurules.data.validate import validate
from tests.engine.test_evaluate import BASE, UNITS, person

RULES = emurules.compile(
    BASE
    + 'award f "F" for person { when task >= good }\n'
    + 'award flag "Flag" for unit { when block == "A" }\n'
    + 'award old "Old" for person given\n'
    + 'let online "Online" for person = share_online\n'
)


def problems(
    people: list[dict[str, Any]],
    history: list[dict[str, Any]] | None = None,
    units: list[dict[str, Any]] | None = None,
) -> list[tuple[str, int | None, str | None, str | None]]:
    with pytest.raises(emurules.DataError) as raised:
        RULES.evaluate({"unit": units or UNITS, "person": people}, history=history or [])
    return [
        (d.place.file, d.place.row, d.place.field, d.kind)
        for d in raised.value.diagnostics
        if d.place is not None
    ]


def test_every_record_error_is_reported_at_once() -> None:
    found = problems(
        [
            person("P1"),
            {"id": "P2", "unit": "U1", "task": "Good"},
            {"id": "P3", "unit": "U9", "task": "good", "points": "abc"},
            {"id": "P1", "unit": "U1", "task": "good"},
            {"id": "P4", "task": "good", "initiatives": -2, "colour": "red"},
            {"id": "P5", "unit": "U1", "task": "good", "share_online": 85},
        ]
    )
    assert found == [
        ("person", 2, "task", "enum"),
        ("person", 3, "points", "type"),
        ("person", 3, "unit", "dangling_reference"),
        ("person", 4, "id", "duplicate_key"),
        ("person", 5, "colour", "unknown_field"),
        ("person", 5, "initiatives", "constraint"),
        ("person", 5, "unit", "required"),
        ("person", 6, "share_online", "constraint"),
    ]


def test_messages_suggest_a_fix() -> None:
    with pytest.raises(emurules.DataError) as raised:
        RULES.evaluate(
            {
                "unit": UNITS,
                "person": [
                    {"id": "P2", "unit": "U1", "task": "Good"},
                    {"id": "P5", "unit": "U1", "task": "good", "share_online": 85},
                ],
            }
        )
    text = str(raised.value)
    assert "person:row 1:task: error[D0102] enum: 'Good' is not a value of rating" in text
    assert "did you mean 'good'?" in text
    assert "a percentage is a fraction (0.85) or written with % ('85%')" in text


@pytest.mark.parametrize("raw", ["85%", "85 %", "0.85", 0.85, Decimal("0.85")])
def test_percent_input_forms(raw: object) -> None:
    result = RULES.evaluate({"unit": UNITS, "person": [person("P1", share_online=raw)]})
    assert result.subject("P1").values == result.subject("P1").values
    table_value = RULES.evaluate({"unit": UNITS, "person": [person("P1", share_online=raw)]})
    assert table_value.recipients("f") == ("P1",)


def test_history_errors() -> None:
    found = problems(
        [person("P1")],
        history=[
            {"key": "P1", "year": 2024, "award": "nope"},
            {"key": "P1", "year": 2024, "award": "flag"},
            {"key": "P1", "year": 2025, "award": "f"},
            {"key": "P1", "year": 2023, "award": "old"},
            {"key": "P1", "year": 2023, "award": "old"},
            {"key": "P9", "year": 2023, "award": "f"},
        ],
    )
    assert found == [
        ("history", 1, "award", "unknown_award"),
        ("history", 2, "award", "unknown_award"),
        ("history", 3, "year", "history_year"),
        ("history", 5, "award", "duplicate_key"),
        ("history", 6, "key", "dangling_reference"),
    ]


def test_a_repeated_history_row_names_the_row_that_first_gave_it() -> None:
    history = [
        {"key": "P1", "year": 2023, "award": "old"},
        {"key": "P2", "year": "2023", "award": "old", "kind": "person"},
        {"key": "P1", "year": 2022, "name": "points", "value": "4"},
        {"key": " P1", "year": "2023", "award": "old"},
        {"key": "P2", "year": 2023, "award": "old"},
        {"key": "P1", "year": 2022, "name": "points", "value": "x"},
        {"key": "P1", "year": 2023, "award": "old"},
    ]
    with pytest.raises(emurules.DataError) as raised:
        RULES.evaluate({"unit": UNITS, "person": [person("P1"), person("P2")]}, history=history)
    assert [(d.place.row, str(d.message)) for d in raised.value.diagnostics if d.place] == [
        (4, "row 1 already gives old of 'P1' for 2023"),
        (5, "row 2 already gives old of 'P2' for 2023"),
        (6, "row 3 already gives points of 'P1' for 2022"),
        (7, "row 1 already gives old of 'P1' for 2023"),
    ]
    data = {"unit": UNITS, "person": [person("P1"), person("P2")]}
    table = validate(RULES.schema, data, history, year=2025, skip_invalid=True)
    assert sorted(table.history.awards) == [("person", "P1"), ("person", "P2")]
    assert [(d.place.row, d.kind) for d in table.skipped if d.place] == [
        (4, "duplicate_key"),
        (5, "duplicate_key"),
        (6, "duplicate_key"),
        (7, "duplicate_key"),
    ]


def test_skip_invalid_sets_records_aside_and_lists_them() -> None:
    result = RULES.evaluate(
        {
            "unit": UNITS,
            "person": [
                person("P1"),
                {"id": "P2", "unit": "U1", "task": "bad"},
                person("P3", unit="U7"),
            ],
        },
        skip_invalid=True,
    )
    assert result.recipients("f") == ("P1",)
    assert [(d.place.row, d.kind) for d in result.skipped if d.place] == [
        (2, "enum"),
        (3, "dangling_reference"),
    ]


def test_unknown_kind_and_missing_year() -> None:
    with pytest.raises(emurules.DataError) as raised:
        RULES.evaluate({"unit": UNITS, "persons": []})
    assert "did you mean 'person'?" in str(raised.value)
    rules = emurules.compile("subject s { id: text key }")
    with pytest.raises(emurules.EmurulesError, match="no assessment year"):
        rules.evaluate({"s": []})


def test_data_rules_are_checked_on_every_record() -> None:
    rules = emurules.compile(
        BASE
        + 'require "points within the unit\'s cap" for person: points <= 10 or task == excellent\n'
    )
    people = [
        person("P1", points=3),
        person("P2", points=12),
        person("P3", points=20, task="excellent"),
    ]
    with pytest.raises(emurules.DataError) as raised:
        rules.evaluate({"unit": UNITS, "person": people})
    (problem,) = raised.value.diagnostics
    assert (problem.place, problem.kind) == (emurules.Place(file="person", row=2), "constraint")
    assert 'breaks the rule "points within the unit\'s cap"' in str(problem.message)
    result = rules.evaluate({"unit": UNITS, "person": people}, skip_invalid=True)
    assert sorted(s.key for s in result.subjects.values() if s.kind == "person") == ["P1", "P3"]


def test_skipped_rows_keep_their_numbers() -> None:
    result = RULES.evaluate(
        {
            "unit": UNITS,
            "person": [
                {"id": "P0", "unit": "U1", "task": "bad"},
                person("P1"),
                person("P2", unit="U8"),
            ],
        },
        skip_invalid=True,
    )
    assert [(d.place.row, d.kind) for d in result.skipped if d.place] == [
        (1, "enum"),
        (3, "dangling_reference"),
    ]
