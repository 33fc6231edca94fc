"""The checker on the fairness check forms: what each may name, the diagnostics (with
codes and spans) for what it may not, and the warning for a ratio times 100 compared with
a percentage."""

from __future__ import annotations

import pytest

from emurules.source import Diagnostic
from tests.helpers import diagnostics

SCHEMA = """\
enum rating ordered { incomplete, complete, good, excellent }
enum sort { alpha, beta }
subject team {
  id: text key
  block: text
  size: int
  budget: number
  share: percent
  target: percent = 70%
}
subject person {
  id: text key
  unit: team
  task: rating
  sort: sort = alpha
  initiatives: int >= 0 = 0
  hours: number = 0
  online: percent = 0%
  cert: bool = false
  leave: number?
  note: text = ""
  start: date = 2020-01-01
  gender: text = ""
}
subject lonely { id: text key  n: int }
relation members: team -> person by unit
score for person = 10 * initiatives + hours + (5 if cert else 0)
score for team = sum(members, score)
score for lonely = n
award fighter "Fighter" for person {
  when task >= good
  rank by score desc
  quota 1 within unit
}
award flag "Flag" for team { when any(members, fighter) }
"""


def found(body: str) -> list[Diagnostic]:
    return diagnostics(SCHEMA + body)


def pointed(body: str) -> list[tuple[str, str]]:
    """Each diagnostic's code and the text its span covers."""
    return [(d.code, d.span.text if d.span is not None else "") for d in found(body)]


def test_every_form_checks_clean() -> None:
    body = (
        "check monotone score for person in initiatives, hours, online, task, cert, leave\n"
        "check monotone fighter for person in -initiatives, history\n"
        "check monotone flag for team in members.task, -members.hours, members.cert, history\n"
        "check monotone score for team in size, share\n"
        "check ignores gender, note, sort for person\n"
        "check equal_treatment for person\n"
        "check equal_treatment for team\n"
        "check order_independent\n"
        "check local within unit for person\n"
        "check local within unit.block for person\n"
        "check local within block for team\n"
    )
    assert found(body) == []


@pytest.mark.parametrize(
    ("move", "culprit"),
    [("note", "note"), ("start", "start"), ("unit", "unit"), ("sort", "sort")],
)
def test_monotone_raises_numbers_ordered_enums_and_bools_only(move: str, culprit: str) -> None:
    assert pointed(f"check monotone score for person in initiatives, {move}\n") == [
        ("E0311", culprit)
    ]


def test_an_unordered_enum_is_told_to_be_declared_ordered() -> None:
    (diagnostic,) = found("check monotone score for person in sort\n")
    assert diagnostic.hint is not None and "enum sort ordered" in str(diagnostic.hint)


def test_monotone_names_input_fields_of_the_kind() -> None:
    assert pointed("check monotone score for person in initiatvs, fighter\n") == [
        ("E0201", "initiatvs"),
        ("E0201", "fighter"),
    ]
    (typo, computed) = found("check monotone score for person in initiatvs, fighter\n")
    assert "did you mean 'initiatives'" in str(typo.hint)
    assert "not an input field" in str(computed.message)


def test_members_field_errors_name_the_part_that_is_wrong() -> None:
    body = (
        "check monotone flag for team in membrs.task, members.tsk, members.note, "
        "members.sort, size.task, members.fighter\n"
    )
    assert pointed(body) == [
        ("E0201", "membrs"),
        ("E0210", "tsk"),
        ("E0311", "note"),
        ("E0311", "sort"),
        ("E0219", "size"),
        ("E0210", "fighter"),
    ]
    diagnostics_ = found(body)
    assert "did you mean 'members'" in str(diagnostics_[0].hint)
    assert "person has no field 'tsk'" in str(diagnostics_[1].message)
    assert "the relations of team: members" in str(diagnostics_[4].hint)


def test_a_reference_is_not_a_relation_and_the_hint_turns_it_round() -> None:
    (diagnostic,) = found("check monotone score for person in unit.size\n")
    assert diagnostic.code == "E0219"
    assert diagnostic.span is not None and diagnostic.span.text == "unit"
    assert "relation members: team -> person by unit" in str(diagnostic.hint)


def test_a_kind_without_relations_is_told_how_to_declare_one() -> None:
    (diagnostic,) = found("check monotone score for lonely in n.x\n")
    assert diagnostic.code == "E0219"
    assert "lonely has no relation" in str(diagnostic.hint)


def test_history_needs_an_award_of_the_kind() -> None:
    assert pointed("check monotone score for lonely in n, history\n") == [("E0311", "history")]
    assert found("check monotone score for person in history\n") == []


def test_monotone_target_must_be_a_value_or_an_award() -> None:
    assert pointed("check monotone task for person in initiatives\n") == [("E0201", "task")]


def test_ignores_names_input_fields() -> None:
    assert pointed("check ignores gendr, score, fighter, gender for person\n") == [
        ("E0201", "gendr"),
        ("E0201", "score"),
        ("E0201", "fighter"),
    ]


@pytest.mark.parametrize(
    ("within", "code"),
    [("budget", "E0306"), ("leave", "E0306"), ("nothing", "E0201"), ("unit.budget", "E0306")],
)
def test_local_groups_as_an_award_within_does(within: str, code: str) -> None:
    kind = "team" if within == "budget" else "person"
    assert pointed(f"check local within {within} for {kind}\n") == [(code, within)]


@pytest.mark.parametrize(
    "check",
    [
        "check monotone score for nobody in x",
        "check ignores x for nobody",
        "check equal_treatment for nobody",
        "check local within x for nobody",
    ],
)
def test_an_unknown_kind_is_named(check: str) -> None:
    assert pointed(check + "\n") == [("E0203", "nobody")]


# ---- a ratio times 100 compared with a percentage (W0104) --------------------------------

RATIO = "count(members, fighter) / count(members)"


@pytest.mark.parametrize(
    "condition",
    [
        f"100 * {RATIO} >= 70%",
        f"{RATIO} * 100 >= 70%",
        "count(members, fighter) * 100 / count(members) > 70%",
        f"70% <= 100 * {RATIO}",
        f"{RATIO} / 0.01 >= 70%",
        f"100.0 * {RATIO} >= 70%",
        f"100 * {RATIO} >= target",
        f"100 * {RATIO} >= share",
        f"100 * {RATIO} >= (share ?? 0)",
        "100 * share(members, fighter) >= 70%",
    ],
)
def test_a_ratio_times_100_against_a_percentage_is_warned(condition: str) -> None:
    (diagnostic,) = found(f'award a "A" for team {{ when {condition} }}\n')
    assert diagnostic.code == "W0104"
    assert not diagnostic.is_error
    assert diagnostic.span is not None and diagnostic.span.text == condition


def test_the_hint_gives_the_fraction_a_percent_literal_means() -> None:
    (diagnostic,) = found(f'award a "A" for team {{ when 100 * {RATIO} >= 70% }}\n')
    assert str(diagnostic.hint) == "70% is the fraction 0.7; compare the ratio without '* 100'"
    (division,) = found(f'award a "A" for team {{ when {RATIO} / 0.01 >= 70% }}\n')
    assert str(division.hint) == "70% is the fraction 0.7; compare the ratio without '/ 0.01'"
    (field,) = found(f'award a "A" for team {{ when 100 * {RATIO} >= target }}\n')
    assert "compare the ratio without '* 100'" in str(field.hint)


@pytest.mark.parametrize(
    "condition",
    [
        f"{RATIO} >= 70%",
        f"100 * {RATIO} >= 70",
        f"{RATIO} * 10 >= 70%",
        f"100 + {RATIO} >= 70%",
        "size * 100 >= 70",
        f"100 / {RATIO} >= 70%",
        f"{RATIO} / 0.1 >= 70%",
        "share >= 70%",
    ],
)
def test_no_warning_without_both_a_hundredfold_and_a_percentage(condition: str) -> None:
    assert found(f'award a "A" for team {{ when {condition} }}\n') == []
