"""The fairness check forms in the plan (what `emurules test` reads) and in the published
document (`emurules doc`)."""

from __future__ import annotations

import pickle
from pathlib import Path

import emurules
from emurules.plan import ir
from emurules.plan.steps import (
    EqualTreatmentCheck,
    IgnoresCheck,
    LocalCheck,
    MonotoneCheck,
    MonotoneField,
    OrderCheck,
    Plan,
)
from emurules.report import doc
from tests.cli.test_cli import run

RULES = """\
ruleset "Checks" { year 2025 }
enum rating ordered { incomplete, complete, good, excellent }
subject team { id: text key  block: text  task: rating }
subject person {
  id: text key
  unit: team
  task: rating
  initiatives: int >= 0 = 0
  late: int >= 0 = 0
  gender: text = ""
  birthplace: text = ""
}
relation members: team -> person by unit
score for person = 10 * initiatives - late
score for team = sum(members, score)
award fighter "Fighter" for person {
  when initiatives >= 1
  rank by score desc
  quota 1 within unit
}
award flag "Flag" for team { when any(members, fighter) }
check monotone score for person in initiatives, -late
check monotone flag for team in members.task, -members.late, history, task
check ignores gender, birthplace for person
check equal_treatment for person
check order_independent
check local within unit for person
check local within unit.block for person
"""


def plan() -> Plan:
    return emurules.compile(RULES).plan


def checks(found: Plan) -> list[object]:
    kinds = (MonotoneCheck, IgnoresCheck, EqualTreatmentCheck, OrderCheck, LocalCheck)
    return [step for step in found.written if isinstance(step, kinds)]


def test_each_form_lowers_to_its_step_in_the_order_of_the_file() -> None:
    found = checks(plan())
    assert [type(c).__name__ for c in found] == [
        "MonotoneCheck",
        "MonotoneCheck",
        "IgnoresCheck",
        "EqualTreatmentCheck",
        "OrderCheck",
        "LocalCheck",
        "LocalCheck",
    ]
    assert found[2] == IgnoresCheck(kind="person", fields=("gender", "birthplace"))
    assert found[3] == EqualTreatmentCheck(kind="person")


def test_plain_monotone_fields_keep_their_shape() -> None:
    first = checks(plan())[0]
    assert isinstance(first, MonotoneCheck)
    assert first.kind == "person" and first.target == "score"
    assert first.fields == (("initiatives", False), ("late", True))
    assert first.moves == (
        MonotoneField(name="initiatives"),
        MonotoneField(name="late", decreasing=True),
    )


def test_members_fields_and_history_are_moves_beside_the_plain_fields() -> None:
    second = checks(plan())[1]
    assert isinstance(second, MonotoneCheck)
    assert second.fields == (("task", False),)
    assert second.moves == (
        MonotoneField(name="task", relation="members", member="person"),
        MonotoneField(name="late", decreasing=True, relation="members", member="person"),
        MonotoneField(name=None, history=True),
        MonotoneField(name="task"),
    )


def test_local_carries_its_group_lowered_and_as_written() -> None:
    field, path = checks(plan())[5:]
    assert isinstance(field, LocalCheck) and isinstance(path, LocalCheck)
    assert field.kind == "person" and field.within_text == "unit"
    assert isinstance(field.within, ir.Read) and field.within.name == "unit"
    assert path.within_text == "unit.block"
    assert isinstance(path.within, ir.Path)
    assert path.within.kind == "team" and path.within.name == "block"


def test_every_check_step_carries_where_it_is_written() -> None:
    lines = RULES.splitlines()
    for step in checks(plan()):
        span = getattr(step, "span", None)
        assert span is not None
        assert span.text == lines[span.line - 1], step


def test_the_plan_with_its_checks_pickles() -> None:
    found = plan()
    again = pickle.loads(pickle.dumps(found))
    assert checks(again) == checks(found)


def test_the_document_states_each_check_in_words() -> None:
    text = doc.to_markdown(plan())
    for sentence in (
        "For each person, raising initiatives, lowering late never lowers the score.",
        "For each team, raising task of one of its members, lowering late of one of its "
        "members, holding a title in an earlier year, raising task never takes Flag away.",
        "Non-discrimination: changing only gender, birthplace of one person changes no "
        "score, value or outcome of anyone.",
        "Equal treatment (person): any two in one group with equal fields, equal members "
        "and equal history get equal values and the same qualification;",
        "Outcomes do not depend on the order of the records.",
        "For each person, changing any field of one person in another unit changes no value "
        "or outcome in its own unit.",
        "in another block of unit changes no value or outcome in its own block of unit.",
    ):
        assert sentence in text, sentence
    assert "<li>Non-discrimination: changing only gender" in doc.to_html(plan())


def test_emurules_doc_prints_the_checks(tmp_path: Path) -> None:
    criteria = tmp_path / "checks.emu"
    criteria.write_text(RULES, encoding="utf-8")
    result = run("doc", str(criteria))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Non-discrimination: changing only gender, birthplace of one person" in result.stdout
    assert "Equal treatment (person): any two in one group" in result.stdout
    assert "holding a title in an earlier year" in result.stdout
