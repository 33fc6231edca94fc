"""Checker rules for office criteria: `80` meant as `80%`, numbers beyond what engines hold,
and the `locale` setting."""

from __future__ import annotations

import pytest

import emurules
from emurules.syntax import ast
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module
from tests.helpers import PRELUDE, diagnostics, errors

PERCENTS = PRELUDE + "subject unit2 { id: text key  online: percent?  done: percent = 0% }\n"


def found(body: str) -> list[tuple[str, str]]:
    return [
        (d.code, d.span.text if d.span else "") for d in diagnostics(PERCENTS + body) if d.is_error
    ]


# ---- a percentage compared with a bare number --------------------------------------------


@pytest.mark.parametrize(
    ("body", "literal"),
    [
        ('award a "A" for unit2 { when online ?? 0 >= 80 }', "80"),
        ('award a "A" for unit2 { when done > 50 }', "50"),
        ('award a "A" for unit2 { when 80 <= done }', "80"),
        ('award a "A" for unit2 { when done == 100 }', "100"),
        ('award a "A" for unit2 { when done > -5 }', "-5"),
        ('award a "A" for unit2 { when done >= 1.5 }', "1.5"),
        ('criterion c "C" for unit2 where done > 5 = 1', "5"),
        ('let x "X" for unit2 = case { done >= 90: 1, else: 0 }', "90"),
        ('let x "X" for unit2 = case done { 50: 1, else: 0 }', "50"),
        ('check "c" for unit2: done > 10 implies done > 20%', "10"),
        ('let x "X" for unit2 = done in 50..100%', "50"),
        ('let x "X" for unit2 = done in {0%, 100}', "100"),
        ('let x "X" for unit2 = min(done, 1) > 60', "60"),
        ('let x "X" for unit2 = (done if done > 0.5 else 0) >= 75', "75"),
        ('let x "X" for team = share(members, task >= good) >= 70', "70"),
        ('let x "X" for team = count(members, leave ?? 0 > 3) > 1', None),
        ("subject extra { id: text key  p: percent in 0..100 }", "100"),
        ("subject extra { id: text key  p: percent >= 50 }", "50"),
        ("subject extra { id: text key  p: percent = 85 }", "85"),
    ],
)
def test_a_bare_number_against_a_percentage(body: str, literal: str | None) -> None:
    expected = [("E0312", literal)] if literal is not None else []
    assert found(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        'award a "A" for unit2 { when done >= 0.8 }',
        'award a "A" for unit2 { when done >= 80% }',
        'award a "A" for unit2 { when (online ?? 0) > 0 }',
        'award a "A" for unit2 { when done <= 1 }',
        'let x "X" for unit2 = min(1, done / 80%)',
        'let x "X" for unit2 = 100 * done >= 80',
        'let x "X" for person = initiatives >= 80',
        'let x "X" for team = share(members, task >= good) >= count(members)',
        'let x "X" for unit2 = done in 0.5..1',
    ],
)
def test_fractions_and_percent_literals_stay_valid(body: str) -> None:
    assert found(body) == []


def test_the_hint_gives_the_fix() -> None:
    (problem,) = [d for d in diagnostics(PERCENTS + 'award a "A" for unit2 { when done > 80 }')]
    assert problem.code == "E0312"
    assert "8000%" in str(problem.message)
    assert str(problem.hint) == "write 80% (or the fraction 0.8)"


def test_example_values_of_percent_fields() -> None:
    body = (
        'example "e" {\n  unit2 { id: "U", done: 90 }\n  expect U done == 85\n}\n'
        'example "f" {\n  unit2 { id: "V", done: 90% }\n  expect V done == 0.9\n}\n'
    )
    assert found(body) == [("E0312", "90"), ("E0312", "85")]


# ---- numeric limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    [
        "1234567890123456789",
        "1" * 40,
        "9" * 5000,
        "0.0000000000000000001",
        "1.5" + "0" * 3 + "1" * 17,
    ],
    ids=["19 digits", "40 digits", "5000 digits", "19 places", "21 places"],
)
def test_number_literals_beyond_the_limits(literal: str) -> None:
    problems = diagnostics(PRELUDE + f'let x "X" for person = initiatives >= {literal}\n')
    assert [d.code for d in problems] == ["E0313"]
    assert len(str(problems[0].message)) < 200


@pytest.mark.parametrize(
    "text",
    [
        'ruleset "r" { year 99999999999999999999 }',
        'ruleset "r" { round 1000000000000000000000 }',
        PRELUDE + 'award a "A" for person { when held(a, last 10000000000000000000) == 0 }',
        PRELUDE + "subject extra { id: text key  p: percent = 0.00000000000000001% }",
    ],
)
def test_whole_numbers_everywhere_are_limited(text: str) -> None:
    assert errors(text) == ["E0313"]


def test_the_largest_literals_are_fine() -> None:
    assert (
        errors(PRELUDE + 'let x "X" for person = 999999999999999999.999999999999999999 > 1\n') == []
    )


@pytest.mark.parametrize(("digits", "codes"), [(0, []), (18, []), (19, ["E0314"]), (41, ["E0314"])])
def test_round_takes_0_to_18_digits(digits: int, codes: list[str]) -> None:
    assert errors(PRELUDE + f'let x "X" for person = round(initiatives / 3, {digits})\n') == codes


@pytest.mark.parametrize(
    ("setting", "codes"),
    [("round 18", []), ("round 19", ["E0107"]), ("year 0", ["E0107"]), ("year 2025", [])],
)
def test_ruleset_settings_out_of_range(setting: str, codes: list[str]) -> None:
    assert errors(f'ruleset "r" {{ {setting} }}') == codes


# ---- the locale setting ---------------------------------------------------------------------


def test_the_locale_setting_parses_prints_and_round_trips() -> None:
    module = parse('ruleset "r" {\n  year 2025\n  locale "vi"\n}\n')
    ruleset = module.decls[0]
    assert isinstance(ruleset, ast.Ruleset)
    assert ruleset.settings[1] == ast.Setting(key="locale", value="vi")
    text = format_module(module)
    assert 'locale "vi"' in text
    assert parse(text) == module


@pytest.mark.parametrize("value", ["vi", "iso"])
def test_known_locales(value: str) -> None:
    assert errors(f'ruleset "r" {{ locale "{value}" }}') == []


def test_an_unknown_locale_is_an_error_with_did_you_mean() -> None:
    (problem,) = diagnostics('ruleset "r" { locale "VI" }')
    assert problem.code == "E0107"
    assert problem.hint is not None and str(problem.hint).startswith("did you mean 'vi'?")
    assert '"iso"' in str(problem.hint)


def test_locale_twice_is_an_error() -> None:
    assert errors('ruleset "r" { locale "vi" locale "iso" }') == ["E0105"]


def test_rules_give_their_locale() -> None:
    assert emurules.compile('ruleset "r" { locale "vi" }').locale == "vi"
    assert emurules.compile('ruleset "r" { year 2025 }').locale == "iso"
    assert emurules.compile("subject s { id: text key }").locale == "iso"


def test_an_aggregate_over_a_relation_takes_no_third_argument() -> None:
    from tests.helpers import PRELUDE, diagnostics

    found = diagnostics(PRELUDE + "let best for team = max(members, score, initiatives)\n")
    errors = [d for d in found if d.is_error]
    assert [d.code for d in errors] == ["E0303"]
    wanted = "over a relation takes the relation and one value of each member"
    assert wanted in str(errors[0].message)
    fine = diagnostics(PRELUDE + "let best for team = max(members, score)\n")
    assert not [d for d in fine if d.is_error]
    scalar = diagnostics(PRELUDE + "let top for person = max(initiatives, 1, 2)\n")
    assert not [d for d in scalar if d.is_error]
