"""The registry of built-in functions: every form is checked and evaluated through it, a
call that fits no form gets its diagnostic, and the reference page in docs/ is made from
it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest

import emurules
from emurules.builtins import AGGREGATES, BUILTINS, Form
from emurules.report import functions
from tests.helpers import ROOT

PRELUDE = """\
ruleset "Functions" { year 2025 }
subject team { id: text key }
subject person {
  id: text key
  unit: team
  n: int
  x: number
  d: date
  ok: bool = false
}
relation members: team -> person by unit
criterion c1 "C1" for person max 10 = n
criterion c2 "C2" for person where n > 1 max 20 = 10
score for person = n
award top "Top" for person { when n >= 2 }
"""
TEAMS = [{"id": "T1"}, {"id": "T2"}]
PEOPLE = [
    {"id": "P1", "unit": "T1", "n": 1, "x": "2.5", "d": "2025-01-01"},
    {"id": "P2", "unit": "T1", "n": 3, "x": "-4", "d": "2025-03-01"},
]
HISTORY = [
    {"key": "P1", "year": 2024, "award": "top"},
    {"key": "P2", "year": 2024, "award": "top"},
    {"key": "P2", "year": 2023, "award": "top"},
    {"key": "P2", "year": 2022, "award": "top"},
    {"key": "P1", "year": 2024, "name": "x", "value": "7"},
]
D = Decimal

# Every form of every function (by its signature), with calls and what they give: for
# people P1 and P2, or for teams T1 (both people) and T2 (no members).
CASES: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "min(a, b, ...)": [("person", "min(n, 2, x)", {"P1": 1, "P2": -4})],
    "min(rel, x)": [("team", "min(members, x) ?? 0", {"T1": -4, "T2": 0})],
    "max(a, b, ...)": [("person", "max(n, 2)", {"P1": 2, "P2": 3})],
    "max(rel, x)": [("team", "max(members, n) ?? -1", {"T1": 3, "T2": -1})],
    "cap(x, hi)": [("person", "cap(x, 2)", {"P1": 2, "P2": -4})],
    "abs(x)": [("person", "abs(x)", {"P1": D("2.5"), "P2": 4})],
    "floor(x)": [("person", "floor(x / 3)", {"P1": 0, "P2": -2})],
    "ceil(x)": [("person", "ceil(x / 3)", {"P1": 1, "P2": -1})],
    "round(x[, digits])": [
        ("person", "round(x / 3, 2)", {"P1": D("0.83"), "P2": D("-1.33")}),
        ("person", "round(x)", {"P1": 3, "P2": -4}),
    ],
    "days(a, b)": [("person", "days(d, 2025-12-31)", {"P1": 364, "P2": 305})],
    "count(rel)": [("team", "count(members)", {"T1": 2, "T2": 0})],
    "count(rel, cond)": [("team", "count(members, n > 1)", {"T1": 1, "T2": 0})],
    "share(rel, cond)": [("team", "share(members, n > 1)", {"T1": D("0.5"), "T2": 0})],
    "all(rel, cond)": [("team", "all(members, n > 0)", {"T1": True, "T2": True})],
    "any(rel, cond)": [("team", "any(members, n > 2)", {"T1": True, "T2": False})],
    "none(rel, cond)": [("team", "none(members, n > 2)", {"T1": False, "T2": True})],
    "sum(rel, x)": [("team", "sum(members, x)", {"T1": D("-1.5"), "T2": 0})],
    "avg(rel, x)": [("team", "avg(members, x) ?? 99", {"T1": D("-0.75"), "T2": 99})],
    "weighted(criterion: weight, ...)": [
        ("person", "weighted(c1: 0.5, c2: 50%)", {"P1": D("0.1"), "P2": D("0.4")})
    ],
    "applicable_max(criterion, ...)": [("person", "applicable_max(c1, c2)", {"P1": 10, "P2": 30})],
    "streak(A)": [("person", "streak(top)", {"P1": 0, "P2": 4})],
    "streak(A, before)": [("person", "streak(top, before)", {"P1": 1, "P2": 3})],
    "held(A, last N)": [("person", "held(top, last 2)", {"P1": 1, "P2": 2})],
    "past(x, N)": [("person", "past(x, 1) ?? 0", {"P1": 7, "P2": 0})],
    "qualified(A)": [("person", "qualified(top)", {"P1": False, "P2": True})],
    "cut(A)": [("person", "cut(top)", {"P1": False, "P2": False})],
}


def _signatures() -> list[str]:
    return [b.signature(f) for b in BUILTINS.values() for f in b.forms if not f.in_quota]


def _run(extra: str) -> emurules.Result:
    rules = emurules.compile(PRELUDE + extra, "functions.emu")
    return rules.evaluate({"team": TEAMS, "person": PEOPLE}, history=HISTORY)


def test_every_form_has_a_case() -> None:
    assert sorted(CASES) == sorted(_signatures())


@pytest.mark.parametrize("signature", sorted(CASES))
def test_every_form_is_checked_and_evaluated(signature: str) -> None:
    for kind, call, expected in CASES[signature]:
        result = _run(f'let v "V" for {kind} = {call}\n')
        found = {key: result.subject(key, kind).values["v"] for key in expected}
        assert found == expected, call


def test_a_quota_counts_recipients() -> None:
    result = _run(
        'award all "All" for person { when n >= 1 }\n'
        'award w "W" for person {\n  when n >= 1\n  rank by score desc\n'
        "  quota count(all) - 1 within unit\n}\n"
    )
    assert result.recipients("all") == ("P1", "P2")
    assert result.recipients("w") == ("P2",)


def _replace(monkeypatch: pytest.MonkeyPatch, name: str, form: int, **changes: Any) -> None:
    builtin = BUILTINS[name]
    forms = list(builtin.forms)
    forms[form] = attrs.evolve(forms[form], **changes)
    monkeypatch.setitem(BUILTINS, name, attrs.evolve(builtin, forms=tuple(forms)))


def test_the_engine_evaluates_what_the_registry_says(monkeypatch: pytest.MonkeyPatch) -> None:
    _replace(monkeypatch, "floor", 0, evaluate=lambda x: D(42))
    _replace(monkeypatch, "count", 1, evaluate=lambda values: D(len(values) * 10))
    result = _run('let v "V" for person = floor(x)\nlet w "W" for team = count(members, n > 0)\n')
    assert result.subject("P1", "person").values["v"] == 42
    assert result.subject("T1", "team").values["w"] == 20


def test_the_checker_reads_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    form = BUILTINS["abs"].forms[0]
    wider = attrs.evolve(form, params=(*form.params, attrs.evolve(form.params[0], name="y")))
    _replace(monkeypatch, "abs", 0, params=wider.params)
    with pytest.raises(emurules.CriteriaError, match=r"abs\(\.\.\.\) takes 2 arguments, not 1"):
        emurules.compile(PRELUDE + 'let v "V" for person = abs(x)\n')


def _arity_text(name: str, given: int) -> str:
    low, high = BUILTINS[name].arity
    if low == high:
        wanted = f"{low} argument{'s' if low != 1 else ''}"
    elif high is None:
        wanted = f"at least {low} arguments"
    else:
        wanted = f"{low} or {high} arguments"
    return f"{name}(...) takes {wanted}, not {given}"


def _wrong_arity() -> list[tuple[str, int]]:
    calls = []
    for name, builtin in BUILTINS.items():
        if name == "weighted":
            continue
        low, high = builtin.arity
        if low > 0:
            calls.append((name, low - 1))
        if high is not None:
            calls.append((name, high + 1))
    return calls


def _diagnostics(extra: str) -> list[tuple[str, str]]:
    with pytest.raises(emurules.CriteriaError) as raised:
        emurules.compile(PRELUDE + extra, "functions.emu")
    return [(d.code, str(d.message)) for d in raised.value.diagnostics if d.is_error]


@pytest.mark.parametrize(("name", "given"), _wrong_arity())
def test_a_call_with_a_wrong_number_of_arguments(name: str, given: int) -> None:
    call = f"{name}({', '.join(['1'] * given)})"
    assert _diagnostics(f'let v "V" for person = {call}\n') == [("E0303", _arity_text(name, given))]


WRONG = [
    ("person", "flor(x)", "E0206", "unknown function 'flor'"),
    ("person", "floor(x: 1)", "E0303", "floor(...) takes no named arguments"),
    ("person", "floor(d)", "E0301", "expected floor(...): a number; 'd' is date"),
    ("person", "days(d, 3)", "E0301", "expected days(...): a date; '3' is a whole number"),
    (
        "person",
        "round(x, n)",
        "E0303",
        "the digits of round(x, digits) are a whole number written out, like 2",
    ),
    ("person", "round(x, 19)", "E0314", "round(x, digits) takes between 0 and 18 digits, not 19"),
    ("person", "count(unit)", "E0209", "'unit' is a reference to team, not a relation"),
    (
        "team",
        "min(members, x, n)",
        "E0303",
        "min(...) over a relation takes the relation and one value of each member, not 3 arguments",
    ),
    ("team", "sum(members, d)", "E0301", "expected sum(...): a number; 'd' is date"),
    ("team", "all(members, n)", "E0301", "expected all(...): true/false; 'n' is a whole number"),
    (
        "person",
        "weighted(c1)",
        "E0303",
        "weighted(...) takes criterion: weight pairs, e.g. weighted(task: 0.6, digital: 0.4)",
    ),
    ("person", "weighted()", "E0303", "weighted(...) needs at least one criterion: weight"),
    ("person", "weighted(c1: n)", "E0303", "a weight is a number written out, like 0.3 or 30%"),
    ("person", "applicable_max(3)", "E0303", "applicable_max(...) takes names of criteria"),
    (
        "person",
        "applicable_max(n)",
        "E0303",
        "applicable_max(...) takes criteria; 'n' is field 'n'",
    ),
    ("person", "streak(n)", "E0207", "streak(...) reads an award, and person has no award 'n'"),
    (
        "person",
        "streak(top, 2)",
        "E0303",
        "the second argument of streak(...) can only be 'before'",
    ),
    (
        "person",
        "held(top, 2)",
        "E0303",
        "held(...) counts the last N years: write held(award, last N)",
    ),
    ("person", "held(top, last 0)", "E0303", "held(award, last N) needs N of at least 1"),
    (
        "person",
        "past(x, 0) ?? 0",
        "E0303",
        "past(x, N) needs N, the years back, as a whole number of at least 1",
    ),
    (
        "person",
        "past(x + 1, 1)",
        "E0303",
        "past(x, N) reads a name of the subject, not an expression",
    ),
]


@pytest.mark.parametrize(("kind", "call", "code", "text"), WRONG, ids=[w[1] for w in WRONG])
def test_an_argument_of_the_wrong_sort(kind: str, call: str, code: str, text: str) -> None:
    assert (code, text) in _diagnostics(f'let v "V" for {kind} = {call}\n')


def test_count_in_a_quota_names_an_award() -> None:
    found = _diagnostics(
        'award w "W" for person {\n  when n >= 1\n  rank by score desc\n  quota count(nope)\n}\n'
    )
    assert found == [
        (
            "E0207",
            "count(nope) in a quota counts an award's recipients, and person has no award 'nope'",
        )
    ]


def test_the_registry_describes_its_forms() -> None:
    assert {"count", "share", "all", "any", "none", "sum", "avg", "min", "max"} == AGGREGATES
    assert BUILTINS["min"].arity == (2, None) and BUILTINS["count"].arity == (1, 2)
    assert BUILTINS["round"].signature(BUILTINS["round"].forms[0]) == "round(x[, digits])"
    form: Form = BUILTINS["held"].form("held", 2)
    assert BUILTINS["held"].signature(form) == "held(A, last N)"
    with pytest.raises(LookupError):
        BUILTINS["abs"].form("over", 2)


def test_the_reference_page_is_made_from_the_registry() -> None:
    page = ROOT / "docs" / "reference" / "functions.md"
    assert page.read_text(encoding="utf-8") == functions.to_markdown(), (
        "docs/reference/functions.md differs from the registry: regenerate it with "
        "`emurules doc --functions -o docs/reference/functions.md`"
    )
    for signature in _signatures():
        assert f"| `{signature}` |" in page.read_text(encoding="utf-8")


PATHS = """
subject team { id: text key  size: int }
subject person { id: text key  unit: team }
relation members: team -> person by unit
"""


def test_a_path_to_a_value_is_a_value_argument_not_a_relation() -> None:
    """`min(unit.size, 3)` reads a number through a reference: the aggregate form is only
    chosen when the path ends at a relation, and looking does not report."""
    rules = emurules.compile(PATHS + 'criterion c "C" for person max 9 = min(unit.size, 3)')
    result = rules.evaluate(
        {"team": [{"id": "T", "size": 2}], "person": [{"id": "P", "unit": "T"}]}, year=2025
    )
    assert result.subject("P").values["c"] == 2


def test_a_wrong_path_in_a_call_is_reported_once() -> None:
    with pytest.raises(emurules.CriteriaError) as raised:
        emurules.compile(
            PATHS + 'criterion c "C" for person max 9 = count(unit.members.x)\n'
            'criterion d "D" for person max 9 = min(unit.nosuch, 3)'
        )
    codes = [d.code for d in raised.value.diagnostics if d.is_error]
    assert codes == ["E0301", "E0210"]
