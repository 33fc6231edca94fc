"""The IR passes (plan/passes.py): each on small trees, on compiled criteria, and a property
that evaluating with and without them gives the same result, word for word."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

import emurules
from emurules.plan import ir, passes
from emurules.plan.steps import Let
from emurules.values import EnumValue

NUMBER = ir.VType("number")
BOOL = ir.VType("bool")
RATING = ir.VType("enum", "rating")


def num(value: str) -> ir.Const:
    return ir.Const(value=Decimal(value), type=NUMBER)


def flag(value: bool) -> ir.Const:
    return ir.Const(value=value, type=BOOL)


def read(name: str, kind: str = "number") -> ir.Read:
    return ir.Read(name=name, computed=False, type=ir.VType(kind))  # type: ignore[arg-type]


X, Y, B = read("x"), read("y"), read("b", "bool")


def binary(op: str, left: ir.Node, right: ir.Node) -> ir.Binary:
    return ir.Binary(op=op, left=left, right=right, text="t", type=NUMBER)  # type: ignore[arg-type]


def logic(op: str, *operands: ir.Node) -> ir.Logic:
    return ir.Logic(op=op, operands=operands, type=BOOL)  # type: ignore[arg-type]


# ---- constant folding ----------------------------------------------------------------------
def test_arithmetic_on_literals_is_exact() -> None:
    fold = passes.fold_node
    assert fold(binary("*", num("0.15"), num("20"))) == num("3.00")
    assert fold(binary("-", num("1.5"), num("2"))) == num("-0.5")
    assert fold(binary("/", num("2"), num("3"))) == num("0.666666666666666667")
    assert fold(binary("/", num("-2"), num("3"))) == num("-0.666666666666666667")
    assert fold(binary("/", num("1"), num("4"))) == num("0.25")
    assert fold(ir.Neg(operand=num("2.50"), type=NUMBER)) == num("-2.50")
    big = "999999999999999999.999999999999999999"
    assert fold(binary("*", num(big), num(big))).value == Decimal(big) * Decimal(big)  # type: ignore[union-attr]


def test_a_folded_value_is_a_decimal_never_a_float() -> None:
    folded = passes.fold_node(binary("/", num("1"), num("3")))
    assert isinstance(folded, ir.Const) and type(folded.value) is Decimal


def test_a_division_by_zero_is_left_for_the_engine_to_report() -> None:
    node = binary("/", num("1"), num("0"))
    assert passes.fold_node(node) is node


def test_sums_flatten_and_their_literals_add_up() -> None:
    inner = ir.Sum(operands=(num("2"), Y), type=NUMBER)
    node = ir.Sum(operands=(X, num("1.5"), inner), type=NUMBER)
    assert passes.fold_node(node) == ir.Sum(operands=(X, num("3.5"), Y), type=NUMBER)
    assert passes.fold_node(ir.Sum(operands=(num("1"), num("2.0")), type=NUMBER)) == num("3.0")
    unchanged = ir.Sum(operands=(X, num("1")), type=NUMBER)
    assert passes.fold_node(unchanged) is unchanged


def test_comparisons_on_literals() -> None:
    good = ir.Const(value=EnumValue("rating", "good", 2), type=RATING)
    complete = ir.Const(value=EnumValue("rating", "complete", 1), type=RATING)
    compare = ir.Compare(op=">=", left=good, right=complete, type=BOOL)
    assert passes.fold_node(compare) == flag(True)
    assert passes.fold_node(ir.Compare(op="<", left=num("2"), right=num("1.5"), type=BOOL)) == flag(
        False
    )
    in_set = ir.InSet(operand=num("2"), items=(num("1"), num("2.0")), negated=False, type=BOOL)
    assert passes.fold_node(in_set) == flag(True)
    in_range = ir.InRange(operand=num("5"), low=num("1"), high=num("4"), negated=True, type=BOOL)
    assert passes.fold_node(in_range) == flag(True)


def test_logic_keeps_what_is_evaluated_before_a_literal_decides() -> None:
    fold = passes.fold_node
    assert fold(logic("and", flag(True), B)) == logic("and", B)
    assert fold(logic("and", flag(False), B)) == flag(False)
    assert fold(logic("and", B, flag(False), X)) == logic("and", B, flag(False))
    assert fold(logic("or", flag(False), B, logic("or", B, flag(True)))) == logic(
        "or", B, B, flag(True)
    )
    assert fold(logic("and", flag(True), flag(True))) == flag(True)
    assert fold(logic("implies", flag(False), B)) == flag(True)
    assert fold(logic("implies", flag(True), B)) == logic("and", B)
    kept = logic("implies", B, flag(True))
    assert fold(kept) is kept
    assert fold(ir.Not(operand=flag(False), type=BOOL)) == flag(True)
    assert fold(ir.IsMissing(operand=num("1"), negated=True, type=BOOL)) == flag(True)


def test_choices_on_literals() -> None:
    fold = passes.fold_node
    assert fold(ir.Coalesce(operands=(num("1"), X), type=NUMBER)) == num("1")
    assert fold(ir.Coalesce(operands=(X, num("0"), Y), type=NUMBER)) == ir.Coalesce(
        operands=(X, num("0")), type=NUMBER
    )
    branches = ir.Branches(
        branches=((flag(False), X), (B, Y), (flag(True), num("2")), (B, X)),
        default=num("3"),
        type=NUMBER,
    )
    assert fold(branches) == ir.Branches(branches=((B, Y),), default=num("2"), type=NUMBER)
    assert fold(ir.Branches(branches=((flag(False), X),), default=num("3"), type=NUMBER)) == num(
        "3"
    )
    match = ir.Match(
        subject=num("2"), arms=((num("1"), X), (num("2"), num("7"))), default=Y, type=NUMBER
    )
    assert fold(match) == num("7")


def test_calls_stay_as_written() -> None:
    call = ir.Function(name="min", args=(num("1"), num("2")), text="min(1, 2)", type=NUMBER)
    assert passes.fold_node(call) is call


def test_folding_compiled_criteria_shows_literals() -> None:
    rules = emurules.compile(
        "subject s { id: text key  x: number }\n"
        "let a for s = 1 + 2 * 3 + x + 4\n"
        "let b for s = x if 2 < 1 else 10 / 4\n"
        'award w "W" for s { when a > 0 and true }\n'
    )
    steps = {s.name: s for s in rules.plan.steps}
    assert steps["a"].expr == ir.Sum(  # type: ignore[union-attr]
        operands=(ir.Const(value=Decimal(11), type=ir.VType("int")), read("x")), type=NUMBER
    )
    assert steps["b"].expr == num("2.5")  # type: ignore[union-attr]
    (condition,) = steps["w"].conditions  # type: ignore[union-attr]
    assert isinstance(condition.expr, ir.Logic) and len(condition.expr.operands) == 1
    assert condition.text == "a > 0 and true"
    assert rules.plan.declared[0] is rules.plan.steps[0]


# ---- sharing reference paths ---------------------------------------------------------------
SHARED = """
subject team { id: text key  block: text  size: int  lead: text }
subject person { id: text key  unit: team  x: number = 1 }
relation members: team -> person by unit
let a "A" for person = x + unit.size
let b "B" for person = unit.size * 2
let c "C" for person = unit.lead
let s "S" for team = sum(members, unit.size + x)
award w "W" for person {
  when unit.size > 1
  rank by unit.size desc
  within unit.block
}
"""
DATA = {
    "team": [
        {"id": "T1", "block": "A", "size": 2, "lead": "L"},
        {"id": "T2", "block": "B", "size": 3, "lead": "M"},
    ],
    "person": [{"id": "P1", "unit": "T1"}, {"id": "P2", "unit": "T2", "x": 5}],
}


def unoptimised(text: str) -> emurules.Rules:
    with mock.patch.object(passes, "optimise", lambda plan: plan):
        return emurules.compile(text)


def test_a_path_read_by_several_steps_is_computed_once() -> None:
    rules = emurules.compile(SHARED)
    added = [s for s in rules.plan.steps if s not in rules.plan.declared]
    assert [(s.kind, s.name) for s in added] == [("person", "unit.size")]
    (let,) = added
    assert isinstance(let, Let) and isinstance(let.expr, ir.Path)
    steps = {s.name: s for s in rules.plan.steps}
    assert rules.plan.steps.index(let) < rules.plan.steps.index(steps["a"])
    shared = ir.Read(name="unit.size", computed=True, type=ir.VType("int"))
    assert steps["b"].expr.left == shared  # type: ignore[union-attr]
    award = steps["w"]
    assert award.rank_by[0].expr == shared  # type: ignore[union-attr]
    assert isinstance(award.conditions[0].expr.left, ir.Path)  # type: ignore[union-attr]
    assert isinstance(steps["c"].expr, ir.Path)  # read once: not shared
    assert isinstance(award.within, ir.Path)  # type: ignore[union-attr]
    assert [s.name for s in rules.plan.declared] == ["a", "b", "c", "s", "w"]


def test_sharing_changes_no_result_and_no_explanation() -> None:
    result = emurules.compile(SHARED).evaluate(DATA, year=2025)
    plain = unoptimised(SHARED).evaluate(DATA, year=2025)
    assert result.to_json() == plain.to_json()
    assert "unit.size" not in result.subject("P1").values
    for kind, key in plain.subjects:
        assert str(result.explain(key, kind)) == str(plain.explain(key, kind))


def test_paths_in_an_aggregate_are_shared_for_its_members() -> None:
    text = SHARED.replace('let a "A" for person = x + unit.size\n', "")
    text = text.replace("rank by unit.size desc", "rank by x desc")
    rules = emurules.compile(text)
    added = [(s.kind, s.name) for s in rules.plan.steps if s not in rules.plan.declared]
    assert added == [("person", "unit.size")]
    result, plain = rules.evaluate(DATA, year=2025), unoptimised(text).evaluate(DATA, year=2025)
    assert result.to_json() == plain.to_json()


# ---- the property --------------------------------------------------------------------------
PRELUDE = """ruleset "p" { year 2025 round 2 }
enum rating ordered { incomplete, complete, good, excellent }
subject team { id: text key  block: text  size: int = 3  bonus: number = 0 }
subject person {
  id: text key  unit: team  task: rating  x: number = 0  n: int = 0  flag: bool = false
  opt: number?
}
relation members: team -> person by unit
"""
LEAVES = ["x", "n", "unit.size", "unit.bonus", "(opt ?? 1)", "0", "1", "2.5", "3"]
CONDITIONS = ["flag", "true", "false", "task >= good", "good > complete", "opt is missing",
              'unit.block == "A"', "n in {1, 2}", "x in 1..5", "2 in 1..3"]  # fmt: skip


def shaped(template: str, *parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text made by filling `template`'s {} with a draw of each part."""
    return st.tuples(*parts).map(lambda drawn: template.format(*drawn))


def numbers(depth: int) -> st.SearchStrategy[str]:
    """Number expressions with literals to fold, paths to share and divisions (by zero
    too, which must be reported the same way)."""
    leaf = st.sampled_from(LEAVES)
    if depth == 0:
        return leaf
    sub, test = numbers(depth - 1), conditions(depth - 1)
    return st.one_of(
        leaf,
        shaped("({} {} {})", sub, st.sampled_from(["+", "-", "*"]), sub),
        shaped("({} / {})", sub, st.sampled_from(["2", "3", "0.5", "0", "n"])),
        shaped("(-{})", sub),
        shaped("({} if {} else {})", sub, test, sub),
        shaped("(case {{ {}: {}, else: {} }})", test, sub, sub),
        shaped("(case task {{ excellent: {}, good: {}, else: 1 }})", sub, sub),
        shaped("({} + ({} + {}))", sub, sub, sub),
    )


def conditions(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(CONDITIONS)
    if depth == 0:
        return leaf
    sub, number = conditions(depth - 1), numbers(depth - 1)
    return st.one_of(
        leaf,
        shaped("({} {} {})", sub, st.sampled_from(["and", "or", "implies"]), sub),
        shaped("(not {})", sub),
        shaped("({} {} {})", number, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), number),
    )


RANK_KEYS = ["score", "v", "unit.size", "x + unit.size"]


@st.composite
def criteria(draw: st.DrawFn) -> str:
    number, test = numbers(3), conditions(3)
    lines = [
        PRELUDE,
        f'criterion c1 "C1" for person max 10 = {draw(number)}',
        f'criterion c2 "C2" for person where {draw(test)} max 5 = {draw(number)}',
        f'let v "V" for person = {draw(number)}',
        f'let b "B" for person = {draw(test)}',
        'score for person = c1 + (c2 ?? 0)',
        'award a "A" for person {',
        f"  when {draw(test)}",
        f"  when any {{ p1: {draw(test)}, p2: {draw(test)} }}",
        f"  rank by {draw(st.sampled_from(RANK_KEYS))} desc, n asc",
        f"  quota {draw(st.sampled_from(['1', '2', 'floor(50% * count(group))']))}",
        f"  within {draw(st.sampled_from(['unit', 'unit.block']))}",
        "}",
        'award t "T" for team { when share(members, a) >= 30% }',
        f'ranking r "R" for person by {draw(number)} desc within unit.block shared',
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


people = st.lists(
    st.fixed_dictionaries(
        {
            "unit": st.sampled_from(["T1", "T2", "T3"]),
            "task": st.sampled_from(["incomplete", "complete", "good", "excellent"]),
            "x": st.sampled_from([0, 1, 2.5, 3, 7]),
            "n": st.integers(0, 3),
            "flag": st.booleans(),
        },
        optional={"opt": st.sampled_from([0, 1, 2])},
    ),
    max_size=8,
)
TEAMS = [
    {"id": "T1", "block": "A", "size": 2, "bonus": 1.5},
    {"id": "T2", "block": "A", "size": 0},
    {"id": "T3", "block": "B", "size": 4, "bonus": 2},
]


def outcome(rules: emurules.Rules, data: dict[str, Any]) -> object:
    """Everything an evaluation shows: its JSON and explanations, or its diagnostics."""
    try:
        result = rules.evaluate(data, year=2025)
    except emurules.EvaluationError as error:
        return str(error)
    explained = [str(result.explain(key, kind)) for kind, key in result.subjects]
    return result.to_json(), explained


@settings(max_examples=60)
@given(criteria(), people)
def test_evaluation_with_and_without_the_passes_is_identical(
    text: str, found: list[dict[str, Any]]
) -> None:
    try:
        rules = emurules.compile(text)
    except emurules.CriteriaError:
        return
    data = {"team": TEAMS, "person": [{"id": f"P{i}", **p} for i, p in enumerate(found)]}
    assert outcome(rules, data) == outcome(unoptimised(text), data)
