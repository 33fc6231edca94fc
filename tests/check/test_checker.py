"""The checker: what it accepts, what it rejects, and the model it builds."""

from __future__ import annotations

import pytest

import emurules
from emurules.check import types as t
from emurules.syntax import ast
from tests.helpers import BRIEF, PRELUDE, codes, errors


def test_the_language_brief_checks_without_any_diagnostic() -> None:
    model = emurules.check(BRIEF.read_text(encoding="utf-8"), "brief.emu")
    assert model.warnings == ()


def test_evaluation_order_puts_dependencies_first() -> None:
    model = emurules.check(BRIEF.read_text(encoding="utf-8"))
    order = list(model.order)
    before = [
        (("individual", "advanced_worker"), ("individual", "grassroots_fighter")),
        (("individual", "score"), ("individual", "grassroots_fighter")),
        (("individual", "grassroots_fighter"), ("collective", "excellent_collective")),
        (("collective", "excellent_collective"), ("collective", "emulation_flag")),
        (("individual", "task_points"), ("individual", "score")),
    ]
    for first, then in before:
        assert order.index(first) < order.index(then)


@pytest.mark.parametrize(
    "body",
    [
        "criterion c for person max 10 = (leave ?? 0) * 2",
        "criterion c for person max 10 = 1 if leave is not missing and leave > 2 else 0",
        "criterion c for person max 10 = 0 if leave is missing or leave > 2 else 1",
        "criterion c for person max 10 = leave * 2 if leave is not missing else 0",
        "criterion c for person max 10 = 0 if leave is missing else leave",
        "criterion c for person where leave is not missing max 10 = leave",
        'check "guarded" for person: leave is not missing implies leave >= 0',
        "criterion c for person max 10 = case { leave is not missing: leave, else: 0 }",
        "criterion c for person max 10 = 1 if (mentor.task ?? incomplete) >= good else 0",
        "criterion c for person max 10 = 1 if not (leave is missing) and leave > 1 else 0",
    ],
)
def test_guards_cover_what_they_govern(body: str) -> None:
    use = "\nlet use for person = c" if body.startswith("criterion") else ""
    assert errors(PRELUDE + body + use) == []


def test_not_applicable_criterion_is_optional_when_read() -> None:
    text = PRELUDE + (
        "criterion online for person where leave is not missing max 10 = leave\n"
        "let bad for person = online + 1\n"
        "let good for person = 100 * (online ?? 0) / applicable_max(online)\n"
    )
    assert errors(text) == ["E0302"]


def test_enum_values_resolve_by_expected_type() -> None:
    text = (
        "enum rating ordered { low, good }\nenum mood { good, bad }\n"
        "subject s { id: text key  r: rating  m: mood }\n"
        "let a for s = r == good and m == good and good == r\n"
        "let b for s = case m { good: 1, bad: 2 }\n"
        "let c for s = r in {low, good}\n"
        "let d for s = rating.good\n"
    )
    assert errors(text) == []


def test_types_of_quota_expressions() -> None:
    for quota in (
        "1",
        "floor(15% * count(a))",
        "max(1, ceil(10% * count(group)))",
        "round(share(group, a) * 10)",
        "count(group, initiatives > 1)",
        "unit.quota_size",
    ):
        text = PRELUDE.replace("block: text", "block: text  quota_size: int") + (
            'award a "A" for person { when task >= good }\n'
            f'award b "B" for person {{ rank by score desc  quota {quota} within unit }}\n'
        )
        assert errors(text) == [], quota
    bad = PRELUDE + (
        'award a "A" for person { when task >= good }\n'
        'award b "B" for person { rank by score desc  quota round(1.5, 1) }\n'
    )
    assert errors(bad) == ["E0305"]


def test_let_types_are_inferred_in_any_order() -> None:
    text = PRELUDE + (
        'let grade for person = case { later > 1: "high", else: "low" }\n'
        "let later for person = initiatives * 2\n"
        'award a "A" for person { when grade == "high" }\n'
    )
    model = emurules.check(text)
    info = model.tables.subjects["person"]
    assert info.names["grade"].type == t.TEXT
    assert info.names["later"].type == t.INT


def test_the_model_types_every_expression() -> None:
    model = emurules.check(PRELUDE + "let share_done for team = share(members, task >= good)")
    decl = model.module.decls[-1]
    assert isinstance(decl, ast.LetDecl)
    assert model.type_of(decl.expr) == t.PERCENT


def test_aggregates_read_the_related_subject() -> None:
    text = PRELUDE + (
        "let a for team = all(members, task >= complete) and none(members, leave ?? 0 > 6)\n"
        "let b for team = count(members) + count(members, initiatives > 0)\n"
        "let c for team = (avg(members, initiatives) ?? 0) + (max(members, score) ?? 0)\n"
        "let d for team = any(members, mentor.task is not missing)\n"
    )
    assert errors(text) == []
    assert errors(PRELUDE + "let e for team = avg(members, initiatives) + 1") == ["E0302"]
    assert errors(PRELUDE + 'let f for team = all(members, block == "A")') == ["E0201"]


def test_history_functions_and_given_awards() -> None:
    text = PRELUDE + (
        'award national "N" for person given\n'
        'award a "A" for person {\n'
        "  when streak(national, before) >= 2 or held(national, last 3) >= 1\n"
        "  when held(a, last 2) == 0\n"
        "  when (past(task, 1) ?? incomplete) == excellent\n"
        "}\n"
        'award b "B" for person { when streak(a) >= 3 }\n'
    )
    assert errors(text) == []
    assert errors(PRELUDE + 'award n "N" for person given\nlet x for person = streak(n)') == [
        "E0216"
    ]


def test_dates_and_days() -> None:
    assert errors(PRELUDE + "let x for person = days(start, 2025-12-31) > 365") == []
    assert errors(PRELUDE + "let x for person = start < 3") == ["E0301"]


def test_weighted_and_its_warning() -> None:
    base = PRELUDE + ("criterion a for person max 40 = 10\ncriterion b for person max 60 = 20\n")
    assert codes(base + "let w for person = 100 * weighted(a: 0.4, b: 60%)").count("W0102") == 0
    assert "W0102" in codes(base + "let w for person = 100 * weighted(a: 0.4, b: 0.5)")


def test_every_error_of_a_file_is_reported() -> None:
    text = PRELUDE + (
        "let a for person = nope\nlet b for person = task + 1\nlet c for person = leave > 1\n"
        "let d for person = flor(1)\nlet e for persn = 1\n"
    )
    assert errors(text) == ["E0201", "E0301", "E0302", "E0206", "E0203"]


def test_a_reference_reaches_every_name_of_the_referenced_subject() -> None:
    text = PRELUDE + (
        'award flag "F" for team { when block == "A" }\n'
        "ranking league for team by score desc\n"
        'let x for person = unit.block == "A" and unit.flag and unit.league <= 3\n'
    )
    assert errors(text) == []
