"""A `pool`: one quota shared by awards of several kinds (docs/language.md, "Shared quotas
across kinds"). The example is the documentation's own; a plain-Python reference ranks the
pool independently."""

from __future__ import annotations

import importlib.util
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emurules
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module
from tests.helpers import ROOT, errors

LANGUAGE = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
EXAMPLE = next(b for b in re.findall(r"```emu\n(.*?)```", LANGUAGE, re.DOTALL) if "pool " in b)
RULES = 'ruleset "Typical examples" { emurules 1 year 2025 }\n' + EXAMPLE
AWARDS = {"body": "typical_body", "person": "typical_person"}
HAS = {name: importlib.util.find_spec(name) is not None for name in ("polars", "duckdb")}
ENGINES = ["row", *(["columnar"] if HAS["polars"] else []), *(["sql"] if all(HAS.values()) else [])]
THRESHOLD = {"body": 80, "person": 85}


def _evaluate(
    data: dict[str, list[dict[str, Any]]], rules: str = RULES, engine: str | None = None
) -> emurules.Result:
    return emurules.compile(rules, "pool.emu").evaluate(data, year=2025, engine=engine)


def _reference(data: dict[str, list[dict[str, Any]]], quota: int, include: bool) -> set[str]:
    """Who receives: every qualified subject of both kinds, best merit first, then key,
    then the award's place in the pool; ties at the cut-off all in with `include`."""
    order = list(AWARDS)
    entries = sorted(
        (-Decimal(str(r["merit"])), r["id"], order.index(kind))
        for kind, rows in data.items()
        for r in rows
        if Decimal(str(r["merit"])) >= THRESHOLD[kind]
    )
    end = min(quota, len(entries))
    if include:
        while 0 < end < len(entries) and entries[end][0] == entries[end - 1][0]:
            end += 1
    return {f"{AWARDS[order[e[2]]]}:{e[1]}" for e in entries[:end]}


def _received(result: emurules.Result) -> set[str]:
    return {f"{a}:{k}" for a in AWARDS.values() for k in result.recipients(a)}


def test_the_best_of_both_kinds_share_the_places() -> None:
    data = {
        "body": [{"id": "B1", "merit": 95}, {"id": "B2", "merit": 82}, {"id": "B3", "merit": 70}],
        "person": [{"id": "P1", "merit": 99}, {"id": "P2", "merit": 90}, {"id": "P3", "merit": 84}],
    }
    result = _evaluate(data)
    assert result.recipients("typical_person") == ("P1", "P2")  # P1 99, B1 95, P2 90
    assert result.recipients("typical_body") == ("B1",)
    outcome = result.outcome("B2", "typical_body")
    assert outcome.qualified and not outcome.received and outcome.rank == 4
    assert outcome.quota is not None and (outcome.quota.base, outcome.quota.quota) == (4, 3)
    assert not result.outcome("P3", "typical_person").qualified  # below the person's 85


def test_the_json_names_each_award_s_pool_and_is_valid() -> None:
    from tests.golden.results import validate_result  # the published schema

    data = {"body": [{"id": "B1", "merit": 95}], "person": [{"id": "P1", "merit": 99}]}
    found = _evaluate(data).to_json()
    assert {a["name"]: a.get("pool") for a in found["awards"]} == {
        "typical_body": "typical",
        "typical_person": "typical",
    }
    validate_result(found)


def test_a_tie_at_the_cut_off_across_kinds_lets_every_tied_subject_in() -> None:
    data = {
        "body": [{"id": "B1", "merit": 90}, {"id": "B2", "merit": 88}],
        "person": [{"id": "P1", "merit": 95}, {"id": "P2", "merit": 88}],
    }
    result = _evaluate(data)
    assert _received(result) == {
        "typical_person:P1",
        "typical_body:B1",
        "typical_body:B2",
        "typical_person:P2",
    }
    assert result.outcome("P2", "typical_person").quota.overshoot == 1  # type: ignore[union-attr]


def test_without_tie_include_the_key_breaks_a_tie_between_kinds() -> None:
    rules = RULES.replace("  on tie include\n", "")
    data = {
        "body": [{"id": "B1", "merit": 90}, {"id": "X9", "merit": 88}],
        "person": [{"id": "P1", "merit": 95}, {"id": "A1", "merit": 88}],
    }
    result = _evaluate(data, rules)
    assert _received(result) == {"typical_person:P1", "typical_body:B1", "typical_person:A1"}
    assert result.outcome("X9", "typical_body").rank == 4


@settings(max_examples=60, deadline=None)
@given(
    bodies=st.lists(st.integers(60, 100), max_size=12),
    people=st.lists(st.integers(60, 100), max_size=12),
    quota=st.integers(0, 8),
    include=st.booleans(),
    engine=st.sampled_from(ENGINES),
)
def test_the_pool_agrees_with_a_plain_python_reference(
    bodies: list[int], people: list[int], quota: int, include: bool, engine: str
) -> None:
    rules = RULES.replace("quota 3", f"quota {quota}")
    if not include:
        rules = rules.replace("  on tie include\n", "")
    data = {
        "body": [{"id": f"B{i:02}", "merit": m} for i, m in enumerate(bodies)],
        "person": [{"id": f"P{i:02}", "merit": m} for i, m in enumerate(people)],
    }
    assert _received(_evaluate(data, rules, engine)) == _reference(data, quota, include)


def test_explanations_name_the_shared_quota_and_the_rank_in_the_pool() -> None:
    data = {
        "body": [{"id": "B1", "merit": 95}, {"id": "B2", "merit": 82}],
        "person": [{"id": "P1", "merit": 99}, {"id": "P2", "merit": 90}],
    }
    text = "\n".join(_evaluate(data).explain("B2").lines(lang="en"))
    assert "Ranked 4th of 4 qualified" in text
    assert "Shared quota “Điển hình tiên tiến của Thành phố” of" in text and "3 places" in text


def test_what_reads_an_award_of_a_pool_sees_the_whole_pool_decided() -> None:
    rules = RULES + (
        'let pool_places "Places taken by people" for body = 0\n'
        'award honour "Honour" for person { requires typical_person }\n'
    )
    data = {
        "body": [{"id": "B1", "merit": 95}],
        "person": [{"id": "P1", "merit": 99}, {"id": "P2", "merit": 90}, {"id": "P3", "merit": 89}],
    }
    result = _evaluate(data, rules)
    assert result.recipients("honour") == result.recipients("typical_person") == ("P1", "P2")


def _pool_rules(pool: str, extra: str = "") -> str:
    body = EXAMPLE.split("pool typical")[0]
    return 'ruleset "t" { emurules 1 year 2025 }\n' + body + extra + pool


@pytest.mark.parametrize(
    ("pool", "extra"),
    [
        ("pool p { awards typical_body, typical_person }", ""),  # no quota
        ("pool p { awards typical_body  quota 2 }", ""),  # one award
        ("pool p { awards typical_body, typical_person quota 2 }\n"
         "pool q { awards typical_body, typical_person quota 2 }", ""),  # twice
        ("pool p { awards typical_body, gone quota 2 }", ""),
        ("pool p { awards typical_body, honour quota 2 }",
         'award honour "H" for person given\n'),
        ("pool p { awards typical_body, other quota 2 }",
         'award other "O" for person { rank by merit desc  quota 1 }\n'),
        ("pool p { awards typical_body, other quota 2 }",
         'award other "O" for person { when merit > 1 }\n'),
        ("pool p { awards typical_body, other quota 2 }",
         'award other "O" for person { rank by merit asc }\n'),
        ("pool p { awards typical_body, other quota 2 }",
         'award other "O" for person { rank by merit desc, merit desc }\n'),
        ("pool p { awards typical_body, other quota 2 }",
         'award other "O" for person { rank by (1% if merit > 0 else 2%) desc }\n'),
        ("pool p { awards typical_body, other quota 2 }",  # two of one kind
         'award other "O" for body { rank by merit desc }\n'),
        ("pool p { awards crew_award, other quota 2 }",  # reads a member through a let
         'subject crew { id: text key  merit: number  org: body }\n'
         "relation crews: body -> crew by org\n"
         'award crew_award "C" for crew { rank by merit desc }\n'
         'let good_crews "G" for body = count(crews where crew_award)\n'
         'award other "O" for body { when good_crews > 0  rank by merit desc }\n'),
    ],
)  # fmt: skip
def test_the_checker_refuses_a_pool_it_cannot_decide(pool: str, extra: str) -> None:
    found = errors(_pool_rules(pool, extra))
    assert found and set(found) <= {"E0315", "E0207"}, found  # never a cycle it made up


def test_an_award_name_is_one_title_across_kinds() -> None:
    text = (
        "subject body { id: text key }\nsubject person { id: text key }\n"
        'award typical "T" for body { when true }\naward typical "T" for person { when true }\n'
    )
    assert errors(text) == ["E0204"]


def test_pools_and_lineages_print_back_as_written() -> None:
    text = RULES + "lineage for body { held all  past max }\n"
    module = parse(text, "pool.emu")
    printed = format_module(module)
    assert "pool typical “" not in printed
    assert 'pool typical "Điển hình tiên tiến của Thành phố" {' in printed
    assert "  awards typical_body, typical_person\n  quota 3\n  on tie include\n}" in printed
    assert "lineage for body { held all  past max }" in printed
    assert format_module(parse(printed, "again.emu")) == printed


def test_a_clause_given_twice_is_named_with_its_block() -> None:
    from tests.helpers import diagnostics

    text = (
        "pool p { awards a, b  quota 2  quota 3 }\n"
        "lineage for c { held any  held all  past mean }\n"
    )
    said = [str(d.message) for d in diagnostics(text) if d.code == "E0105"]
    assert said == [
        "a pool has at most one 'quota' clause",
        "a lineage has at most one 'held' clause",
    ]
