"""The checker on filtered relations, `qualified(A)` / `cut(A)` and relations by a shared
value: what it accepts, the errors (with their spans) and the order it derives."""

from __future__ import annotations

import pytest

import emurules
from emurules.source import Diagnostic
from tests.helpers import diagnostics, errors

PRELUDE = """\
enum rating ordered { incomplete, complete, good, excellent }
enum sector { health, finance }
subject team {
  id: text key
  block: text
  sector: sector
  size: int
  budget: number
  tag: text?
  region: team?
}
subject person {
  id: text key
  unit: team
  task: rating
  block: rating
  sector: sector
  tag: text
  budget: number = 0
  leave: number?
  fighter: bool = false
}
relation members: team -> person by unit
score for person = budget
award star "Star" for person {
  when task >= good
  rank by score desc
  quota 1 within unit
}
award medal "Medal" for person given
"""


def _errors(extra: str) -> list[Diagnostic]:
    return [d for d in diagnostics(PRELUDE + extra) if d.is_error]


def _one(extra: str) -> Diagnostic:
    found = _errors(extra)
    assert len(found) == 1, [str(d.message) for d in found]
    return found[0]


def _at(diagnostic: Diagnostic) -> str:
    assert diagnostic.span is not None
    return diagnostic.span.text


@pytest.mark.parametrize(
    "body",
    [
        "count(members where fighter)",
        "count(members where task >= good) + count(members where fighter, task == good)",
        "min(members where fighter, score) ?? 0",
        "max(members where fighter, budget) ?? 0",
        "sum(members where task >= good, budget)",
        "avg(members where fighter, budget) ?? 0",
        "share(members where fighter, task >= good)",
        "all(members where fighter, task >= good)",
        "any(members where fighter, star)",
        "none(members where star, leave ?? 0 > 3)",
        "count(members where qualified(star) and not cut(star))",
    ],
)
def test_every_aggregate_takes_a_filtered_relation(body: str) -> None:
    assert errors(PRELUDE + f'let v "V" for team = {body}\n') == []


def test_the_filter_types_the_aggregate_as_the_relation_would() -> None:
    model = emurules.check(
        PRELUDE + 'let best "B" for team = min(members where fighter, budget)\n'
        'let n "N" for team = count(members where fighter)\n'
    )
    types = {s.name: s.type for s in model.tables.subjects["team"].names.values()}
    assert types["best"] is not None and types["best"].optional  # none may be left
    assert types["n"] is not None and types["n"].kind == "int"


def test_what_the_filter_proves_guards_the_value() -> None:
    ok = 'let v "V" for team = avg(members where leave is not missing, leave) ?? 0\n'
    assert errors(PRELUDE + ok) == []
    bare = 'let v "V" for team = avg(members, leave) ?? 0\n'
    assert errors(PRELUDE + bare) == ["E0302"]
    wrong = 'let v "V" for team = avg(members where leave is missing, leave) ?? 0\n'
    assert errors(PRELUDE + wrong) == ["E0302"]


def test_a_filter_that_is_not_true_false_is_an_error_at_the_filter() -> None:
    found = _one('let v "V" for team = count(members where budget + 1)\n')
    assert found.code == "E0301"
    assert str(found.message) == "expected 'where': true/false; 'budget + 1' is a number"
    assert _at(found) == "budget + 1"


def test_the_filter_is_read_in_the_members_scope() -> None:
    found = _one('let v "V" for team = count(members where size > 1)\n')
    assert found.code == "E0201"
    assert "'size' for person" in str(found.message)
    assert _at(found) == "size"


@pytest.mark.parametrize(
    ("body", "culprit", "what"),
    [
        ("count(size where fighter)", "size", "'size' is a whole number"),
        ("min(budget where fighter, 3)", "budget", "'budget' is a number"),
        ("all(region where fighter, true)", "region", "'region' is a reference to team"),
        ("sum(unit where fighter, budget)", "unit", None),
    ],
)
def test_a_filter_on_what_is_not_a_relation_is_an_error_at_it(
    body: str, culprit: str, what: str | None
) -> None:
    kind = "person" if "unit" in body else "team"
    found = _one(f'let v "V" for {kind} = {body}\n')
    assert found.code == "E0209"
    assert str(found.message).startswith("'where' keeps some members of a relation")
    if what is not None:
        assert what in str(found.message)
    assert _at(found) == culprit


def test_a_filtered_relation_is_no_value() -> None:
    found = _one('let v "V" for team = floor(members where fighter)\n')
    assert found.code == "E0301"
    assert _at(found) == "members where fighter"


def test_a_quota_filters_its_group() -> None:
    text = PRELUDE + (
        'award best "Best" for person {\n  when fighter\n  rank by score desc\n'
        "  quota floor(count(group where task >= good) / 2) within unit\n}\n"
    )
    assert errors(text) == []
    model = emurules.check(text)
    assert ("person", "star") not in model.graph[("person", "best")]


def test_the_filter_is_a_dependency_of_the_aggregate() -> None:
    model = emurules.check(PRELUDE + 'let n "N" for team = count(members where star)\n')
    assert ("person", "star") in model.graph[("team", "n")]
    order = list(model.order)
    assert order.index(("person", "star")) < order.index(("team", "n"))


# ---- qualified(A), cut(A) ----------------------------------------------------------------


def test_qualified_and_cut_are_read_after_the_award_is_decided() -> None:
    model = emurules.check(
        PRELUDE
        + 'let near "Near" for person = cut(star)\n'
        + 'award runner "Runner" for person { when qualified(star) and not star }\n'
    )
    for name in ("near", "runner"):
        assert ("person", "star") in model.graph[("person", name)]
        assert model.order.index(("person", "star")) < model.order.index(("person", name))
    types = {s.name: s.type for s in model.tables.subjects["person"].names.values()}
    assert types["near"] is not None and types["near"].kind == "bool"


def test_an_award_cannot_read_its_own_decision() -> None:
    found = _errors('award loop "L" for person { when not cut(loop) }\n')
    assert [d.code for d in found] == ["E0401"]


@pytest.mark.parametrize(
    ("body", "code", "culprit", "text"),
    [
        ("cut(nope)", "E0207", "nope", "cut(...) reads an award, and person has no award 'nope'"),
        ("qualified(task)", "E0207", "task", None),
        ("qualified(score + 1)", "E0207", "score + 1", "qualified(...) takes the name of an award"),
        ("qualified(medal)", "E0216", "medal", None),
        ("cut(star, star)", "E0303", "cut(star, star)", "cut(...) takes 1 argument, not 2"),
    ],
)
def test_qualified_and_cut_name_an_award_decided_this_year(
    body: str, code: str, culprit: str, text: str | None
) -> None:
    found = _one(f'let v "V" for person = {body}\n')
    assert found.code == code
    assert _at(found) == culprit
    if text is not None:
        assert str(found.message) == text


def test_a_quota_cannot_read_one_subjects_decision() -> None:
    found = _one(
        'award best "Best" for person {\n  when fighter\n  rank by score desc\n'
        "  quota cut(star)\n}\n"
    )
    assert found.code == "E0212"
    assert _at(found) == "cut(star)"


# ---- relations by a shared value ---------------------------------------------------------


@pytest.mark.parametrize(
    "relation",
    [
        "relation peers: team -> team by block",
        "relation same: team -> team by sector",
        "relation by_size: team -> team by size",
        "relation colleagues: person -> person by unit",
        "relation also: team -> person by sector",
    ],
)
def test_a_relation_by_a_shared_value_is_accepted(relation: str) -> None:
    name = relation.split()[1].rstrip(":")
    owner = relation.split()[2]
    use = f'let v "V" for {owner} = count({name} where true)\n'
    assert errors(PRELUDE + relation + "\n" + use) == []


@pytest.mark.parametrize(
    ("relation", "code", "text"),
    [
        (
            "relation p: team -> person by block",
            "E0301",
            "'block' is rating for person but text for team; a relation by a shared value "
            "needs one type",
        ),
        (
            "relation p: team -> team by tag",
            "E0306",
            "a relation by 'tag' needs a value every subject has; 'tag' of team may be missing",
        ),
        (
            "relation p: person -> team by tag",
            "E0306",
            "a relation by 'tag' needs a value every subject has; 'tag' of team may be missing",
        ),
        (
            "relation p: team -> team by budget",
            "E0306",
            "a relation groups subjects by a category, not by a number",
        ),
        (
            "relation p: person -> person by task",
            None,
            None,
        ),
        (
            "relation p: team -> person by task",
            "E0301",
            "'task' is rating; a relation goes through a reference to team",
        ),
    ],
)
def test_a_relation_by_a_value_the_kinds_do_not_share_is_an_error(
    relation: str, code: str | None, text: str | None
) -> None:
    found = _errors(relation + "\n")
    if code is None:
        assert found == []
        return
    assert len(found) == 1
    assert (found[0].code, str(found[0].message)) == (code, text)
    assert _at(found[0]) == relation.split()[-1]


def test_an_unused_relation_by_a_shared_value_is_warned_about() -> None:
    found = diagnostics(PRELUDE + "relation peers: team -> team by block\n")
    assert ("W0101", "relation 'peers' is never used") in [(d.code, str(d.message)) for d in found]
    assert not any(d.is_error for d in found)
