"""The row engine on filtered relations, `qualified(A)` / `cut(A)` and relations by a shared
value: values on small populations computed by hand, explanations, the published words,
and a property tying `count(r where c)` and `min(r where c, x)` to the members."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import emurules
from emurules.plan import ir
from emurules.report.doc import to_markdown
from emurules.values import MISSING

D = Decimal

RULES = """\
ruleset "Filters" { year 2025 }
enum rating ordered { incomplete, complete, good, excellent }
subject team { id: text key  block: text  size: int = 0 }
subject person {
  id: text key
  unit: team
  task: rating
  score: int
  initiatives: int = 0
  leave: number?
  fighter: bool = false
}
relation members: team -> person by unit
relation peers: team -> team by block
relation colleagues: person -> person by unit

let fighters "Fighters" for team = count(members where fighter)
let weakest "Weakest fighter" for team = min(members where fighter, score) ?? -1
let best "Best good member" for team = max(members where task >= good, score) ?? -1
let initiatives "Initiatives of good members" for team =
  sum(members where task >= good, initiatives)
let fighters_good "Fighters are good" for team = all(members where fighter, task >= good)
let some_lazy "A lazy fighter" for team = any(members where fighter, initiatives == 0)
let no_lazy "No lazy good member" for team = none(members where task >= good, initiatives == 0)
let fighter_share "Good among fighters" for team = share(members where fighter, task >= good)
let leave "Average leave taken" for team =
  avg(members where leave is not missing, leave) ?? -1
let block_size "Teams in the block" for team = count(peers)
let block_fighters "Fighters in the block" for team = sum(peers, fighters)
let fighting_peers "Teams of the block with a fighter" for team = count(peers where fighters > 0)
let unit_fighters "Fighters of my unit" for person = count(unit.members where fighter)
let mates "Colleagues, me included" for person = count(colleagues)
"""
TEAMS = [
    {"id": "T1", "block": "A"},
    {"id": "T2", "block": "A"},
    {"id": "T3", "block": "B"},
]
PEOPLE = [
    {"id": "P1", "unit": "T1", "task": "excellent", "score": 9, "initiatives": 2, "fighter": True},
    {"id": "P2", "unit": "T1", "task": "good", "score": 4, "fighter": True, "leave": 2},
    {"id": "P3", "unit": "T1", "task": "complete", "score": 7, "initiatives": 5, "leave": 5},
    {"id": "P4", "unit": "T2", "task": "good", "score": 6, "initiatives": 1},
    {"id": "P5", "unit": "T2", "task": "incomplete", "score": 1, "fighter": True},
]


def _values(rules: str, data: dict[str, list[dict[str, Any]]], kind: str) -> dict[str, Any]:
    result = emurules.compile(rules, "filters.emu").evaluate(data, year=2025)
    return {key: s.values for (k, key), s in result.subjects.items() if k == kind}


def test_aggregates_over_filtered_relations() -> None:
    teams = _values(RULES, {"team": TEAMS, "person": PEOPLE}, "team")
    # T1: P1 (excellent, fighter), P2 (good, fighter), P3 (complete)
    # T2: P4 (good), P5 (incomplete, fighter); T3: no member
    expected = {
        "fighters": {"T1": 2, "T2": 1, "T3": 0},
        "weakest": {"T1": 4, "T2": 1, "T3": -1},
        "best": {"T1": 9, "T2": 6, "T3": -1},
        "initiatives": {"T1": 2, "T2": 1, "T3": 0},
        "fighters_good": {"T1": True, "T2": False, "T3": True},
        "some_lazy": {"T1": True, "T2": True, "T3": False},
        "no_lazy": {"T1": False, "T2": True, "T3": True},
        "fighter_share": {"T1": 1, "T2": 0, "T3": 0},
        "leave": {"T1": D("3.5"), "T2": -1, "T3": -1},
    }
    for name, by_team in expected.items():
        assert {key: teams[key][name] for key in by_team} == by_team, name


def test_a_relation_by_a_shared_value_holds_every_subject_of_the_value() -> None:
    teams = _values(RULES, {"team": TEAMS, "person": PEOPLE}, "team")
    assert {k: v["block_size"] for k, v in teams.items()} == {"T1": 2, "T2": 2, "T3": 1}
    assert {k: v["block_fighters"] for k, v in teams.items()} == {"T1": 3, "T2": 3, "T3": 0}
    assert {k: v["fighting_peers"] for k, v in teams.items()} == {"T1": 2, "T2": 2, "T3": 0}
    people = _values(RULES, {"team": TEAMS, "person": PEOPLE}, "person")
    assert {k: v["mates"] for k, v in people.items()} == {
        "P1": 3, "P2": 3, "P3": 3, "P4": 2, "P5": 2
    }  # fmt: skip
    assert {k: v["unit_fighters"] for k, v in people.items()} == {
        "P1": 2, "P2": 2, "P3": 2, "P4": 1, "P5": 1
    }  # fmt: skip


def test_a_relation_by_an_enum_or_a_number_groups_alike() -> None:
    rules = (
        "enum zone { north, south }\n"
        "subject office { id: text key  zone: zone  floor: int  flag: bool = false }\n"
        "relation same_zone: office -> office by zone\n"
        "relation same_floor: office -> office by floor\n"
        'let z "Z" for office = count(same_zone where flag)\n'
        'let f "F" for office = count(same_floor)\n'
    )
    data = {
        "office": [
            {"id": "O1", "zone": "north", "floor": 1, "flag": True},
            {"id": "O2", "zone": "north", "floor": 2},
            {"id": "O3", "zone": "south", "floor": 1.0, "flag": True},
            {"id": "O4", "zone": "south", "floor": 3, "flag": True},
        ]
    }
    offices = _values(rules, data, "office")
    assert {k: (v["z"], v["f"]) for k, v in offices.items()} == {
        "O1": (1, 2), "O2": (1, 1), "O3": (2, 2), "O4": (2, 1)
    }  # fmt: skip


def test_a_check_can_speak_of_a_block() -> None:
    rules = RULES + (
        'award flag "Flag" for team {\n  when fighters > 0\n  rank by fighters desc\n'
        "  quota 1 within block\n}\n"
        'let one_flag "At most one flag per block" for team = count(peers where flag) <= 1\n'
        'let flags "Flags in the block" for team = count(peers where flag)\n'
    )
    teams = _values(rules, {"team": TEAMS, "person": PEOPLE}, "team")
    assert {k: (v["flag"], v["flags"], v["one_flag"]) for k, v in teams.items()} == {
        "T1": (True, 1, True), "T2": (False, 1, True), "T3": (False, 0, True)
    }  # fmt: skip


DECIDED = (
    RULES
    + """\
award star "Star" for person {
  when task >= good
  rank by score desc
  quota 1 within unit
}
let q "Qualified" for person = qualified(star)
let c "Cut" for person = cut(star)
award runner "Runner-up" for person { when cut(star) "cut by the quota" }
let cut_members "Cut members" for team = count(members where cut(star))
award praised "Praised" for team {
  when fighters >= 1
  rank by fighters desc
  quota count(group where fighters > 1)
}
"""
)


def test_qualified_and_cut_read_the_decision() -> None:
    result = emurules.compile(DECIDED, "decided.emu").evaluate({"team": TEAMS, "person": PEOPLE})
    people = {key: s.values for (k, key), s in result.subjects.items() if k == "person"}
    # star: T1 qualifies P1 (9) and P2 (4), gives it to P1; T2 qualifies and gives P4
    assert {k: (v["star"], v["q"], v["c"], v["runner"]) for k, v in people.items()} == {
        "P1": (True, True, False, False),
        "P2": (False, True, True, True),
        "P3": (False, False, False, False),
        "P4": (True, True, False, False),
        "P5": (False, False, False, False),
    }
    teams = {key: s.values for (k, key), s in result.subjects.items() if k == "team"}
    assert {k: v["cut_members"] for k, v in teams.items()} == {"T1": 1, "T2": 0, "T3": 0}
    # praised: T1 (2 fighters) and T2 (1) qualify; the quota counts the teams with more
    # than one fighter, T1 alone: 1
    assert result.recipients("praised") == ("T1",)


def test_explanations_show_what_a_filter_and_a_decision_gave() -> None:
    rules = DECIDED + (
        'award strong "Strong" for team {\n'
        "  when count(members where fighter and task >= good) >= 2\n}\n"
    )
    result = emurules.compile(rules, "decided.emu").evaluate({"team": TEAMS, "person": PEOPLE})
    team = str(result.explain("T1", "team"))
    assert (
        "✓ count(members where fighter and task >= good) >= 2: met "
        "(count(members where fighter and task >= good): 2) [when1]"
    ) in team
    person = str(result.explain("P2", "person"))
    assert "✓ cut by the quota: met (cut(star): true) [when1]" in person


def test_the_document_phrases_a_filter_and_a_decision() -> None:
    rules = emurules.compile(
        DECIDED + 'check "cut means qualified" for person: cut(star) implies qualified(star)\n'
        'check "a fighter per block" for team: count(peers where fighters > 0) >= 1\n'
    )
    text = to_markdown(rules.plan)
    assert "meets every condition of Star but is left out by its quota" in text
    assert "the number of peers for which Fighters is more than 0 is at least 1" in text
    assert "meets every condition of Star" in text.split("cut means qualified")[1]


def test_the_filter_is_lowered_as_the_aggregate_members() -> None:
    plan = emurules.compile(RULES).plan
    let = next(s for s in plan.steps if s.name == "weakest")
    assert isinstance(let.expr, ir.Coalesce)
    aggregate = let.expr.operands[0]
    assert isinstance(aggregate, ir.Aggregate)
    assert isinstance(aggregate.members, ir.Filter)
    assert aggregate.members.member == "person"
    assert aggregate.members.text == "members where fighter"
    relations = {r.name: r for r in plan.relations}
    assert (relations["members"].by, relations["peers"].by) == (None, "block")


# ---- the property: a filter keeps exactly the members its condition holds for ------------

PROPERTY = """\
subject team { id: text key }
subject person { id: text key  unit: team  c: bool  x: int }
relation members: team -> person by unit
let n "N" for team = count(members where c)
let low "Low" for team = min(members where c, x)
let high "High" for team = max(members where not c, x)
let every "Every" for team = all(members where c, x > 0)
let bare "Bare" for team = min(members, x)
"""
PROPERTY_RULES = emurules.compile(PROPERTY)
KEYS = ("T1", "T2", "T3")
EMPTY = "T4"  # a team without members

members = st.lists(st.tuples(st.sampled_from(KEYS), st.booleans(), st.integers(-5, 5)), max_size=12)


@settings(max_examples=25, derandomize=True, deadline=None)
@given(members)
def test_a_filter_keeps_the_members_its_condition_holds_for(
    people: list[tuple[str, bool, int]],
) -> None:
    data = {
        "team": [{"id": key} for key in (*KEYS, EMPTY)],
        "person": [
            {"id": f"P{i}", "unit": unit, "c": c, "x": x} for i, (unit, c, x) in enumerate(people)
        ],
    }
    result = PROPERTY_RULES.evaluate(data, year=2025)
    empty = result.subject(EMPTY, "team").values
    assert (empty["n"], empty["low"], empty["bare"]) == (0, MISSING, MISSING)
    for key in KEYS:
        values = result.subject(key, "team").values
        kept = [x for unit, c, x in people if unit == key and c]
        left = [x for unit, c, x in people if unit == key and not c]
        assert values["n"] == len(kept)
        assert values["low"] == (min(kept) if kept else empty["bare"])  # as over no member
        assert values["high"] == (max(left) if left else MISSING)
        assert values["every"] is all(x > 0 for x in kept)
