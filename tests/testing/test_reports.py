"""What a run of checks says, so that a reviewer can trust it: how many generated
populations were tried (never more than asked; a failure names the one that first broke
the check), what a failed `check "label"` compared (its values, and the members an
aggregate counted), counterexamples keyed as simply as they go, and sentences that read
as English."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import emurules
from emurules.report import doc
from emurules.testing.outcome import CheckRun
from emurules.testing.properties import check_all
from emurules.testing.strategies import Population

SRC = Path(__file__).resolve().parents[2] / "src" / "emurules"


def _run(text: str, **options: Any) -> CheckRun:
    (run,) = check_all(emurules.compile(text), **{"max_examples": 25, **options})
    return run


def _lines(run: CheckRun) -> list[str]:
    return list(run.lines())


# ---- how many populations ----------------------------------------------------------------------
QUOTA = """
ruleset "q" { year 2025 }
subject unit { id: text key }
subject person { id: text key, unit: unit, points: int >= 0 }
award fighter "F" for person {
  when points >= 1
  rank by points desc
  quota floor(15% * count(group)) within unit
}
check "nobody is a fighter" for person: not fighter
"""

FIRST = re.compile(r"failed: broken by the (\d+)(st|nd|rd|th) generated population \(seed 0\)$")


@pytest.mark.parametrize("most", [25, 3])
def test_a_failure_names_the_generated_population_that_first_broke_the_check(most: int) -> None:
    """Populations evaluated while the counterexample was made smaller are not counted
    as tried: they are reported apart."""
    run = _run(QUOTA if most == 25 else QUOTA.replace("not fighter", "false"), max_examples=most)
    assert not run.passed
    found = FIRST.search(_lines(run)[0])
    assert found is not None, _lines(run)[0]
    assert int(found[1]) == run.populations
    assert 1 <= run.populations <= most
    assert run.shrinking > 0
    data = run.to_json()
    assert (data["populations"], data["shrinking"]) == (run.populations, run.shrinking)


def test_ordinals_read_as_english() -> None:
    from emurules.i18n import render
    from emurules.testing.outcome import ordinal

    said = [render(ordinal(n)) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)]
    assert said == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd",
                    "23rd", "101st", "111th"]  # fmt: skip


LOCAL = """
ruleset "l" { year 2025 }
subject unit { id: text key }
subject person { id: text key, unit: unit, points: int >= 0, late: bool = false }
award top "Top" for person { when points >= 1 rank by points desc quota 1 within unit }
check local within unit for person
"""


@pytest.mark.parametrize("most", [1, 2, 25])
def test_a_check_of_several_parts_never_tries_more_than_asked(most: int) -> None:
    """`local` searches once per field (three here), each with a share of the examples."""
    run = _run(LOCAL, max_examples=most)
    assert run.passed
    assert 1 <= run.populations <= most
    assert f"held on {run.populations} generated population" in _lines(run)[0]


# ---- what a failed check "label" compared ---------------------------------------------------
FIGHTERS = """
ruleset "f" { year 2025 }
subject unit { id: text key }
subject person { id: text key, unit: unit, points: int >= 0 }
relation members: unit -> person by unit
award worker "W" for person { when points >= 1 }
award fighter "F" for person {
  requires worker
  rank by points desc
  quota floor(15% * count(group)) within unit
}
check "fighters are at most 15% of the workers" for unit:
  count(members where fighter) <= floor(15% * count(members where worker))
"""

CONDITION = (
    '✗ check "fighters are at most 15% of the workers": count(members where fighter) <= '
    "floor(15% * count(members where worker))  (count(members where fighter) = 1, "
    "count(members where worker) = 1, floor(15% * count(members where worker)) = 0)"
)


def _read(lines: list[str], unit: str) -> list[str]:
    """The lines under `what the check read for unit U`, without their indentation."""
    head = f"  what the check read for unit {unit}:"
    assert head in lines, "\n".join(lines)
    start = lines.index(head) + 1
    found = []
    for line in lines[start:]:
        if not line.startswith("    "):
            break
        found.append(line.strip())
    return found


def test_a_failed_check_shows_the_values_it_compared_and_the_members_it_counted() -> None:
    run = _run(FIGHTERS, max_examples=100)
    assert not run.passed and run.counterexample is not None
    (unit,) = run.counterexample.breaking
    people = run.counterexample.population.data["person"]
    workers = [r["id"] for r in people if r.get("points", 0) >= 1]
    assert len(people) == 7 and len(workers) == 1
    read = _read(_lines(run), unit)
    assert read == [
        CONDITION,
        f"count(members where fighter): {workers[0]} (fighter = true)",
        f"count(members where worker): {workers[0]} (worker = true)",
    ]
    (shown,) = run.to_json()["counterexample"]["reads"]
    assert shown["key"] == unit and shown["lines"][0].strip() == CONDITION


def test_a_check_broken_by_the_data_shows_what_it_compared() -> None:
    rules = emurules.compile(FIGHTERS)
    people = [{"id": f"VP-0{n}", "unit": "VP", "points": 0} for n in range(1, 7)]
    people.append({"id": "VP-07", "unit": "VP", "points": 5})
    data = {"unit": [{"id": "VP"}, {"id": "KT"}], "person": people}
    _, real = check_all(rules, data=data, max_examples=1)
    assert real.on_data and not real.passed
    assert _read(list(real.lines()), "VP") == [
        CONDITION,
        "count(members where fighter): VP-07 (fighter = true)",
        "count(members where worker): VP-07 (worker = true)",
    ]


def test_many_members_are_cut_short_and_none_is_said() -> None:
    text = FIGHTERS.replace("<= floor(15% * count(members where worker))", "< count(members)")
    rules = emurules.compile(text.replace("where fighter", "where worker"))
    people = [{"id": f"P{n:02}", "unit": "U", "points": 1} for n in range(1, 15)]
    _, real = check_all(rules, data={"unit": [{"id": "U"}], "person": people}, max_examples=1)
    read = _read(list(real.lines()), "U")
    assert read[1] == (
        "count(members where worker): P01 (worker = true), P02 (worker = true), P03 (worker "
        "= true), P04 (worker = true), P05 (worker = true), P06 (worker = true), P07 (worker "
        "= true), P08 (worker = true), P09 (worker = true), P10 (worker = true) and 4 more"
    )
    assert read[2] == (
        "count(members): P01, P02, P03, P04, P05, P06, P07, P08, P09, P10 and 4 more"
    )
    nobody = emurules.compile(text.replace("< count(members)", "> 0"))
    _, real = check_all(nobody, data={"unit": [{"id": "U"}], "person": []}, max_examples=1)
    assert _read(list(real.lines()), "U")[1] == "count(members where fighter): none"


def test_only_evaluation_reaches_into_the_engine() -> None:
    for path in sorted((SRC / "testing").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name != "evaluation.py":
            assert "emurules.engine" not in text and "emurules.data" not in text, path.name


# ---- keys as simple as they go -------------------------------------------------------------
MEMBERS = """
ruleset "g" { year 2025 }
enum rating ordered { incomplete, complete, good, excellent }
subject unit { id: text key, task: rating }
subject person { id: text key, unit: unit, task: rating }
relation members: unit -> person by unit
award good_unit "G" for unit { when task >= good when all(members, task in {complete, good}) }
check monotone good_unit for unit in members.task
"""


def test_a_counterexample_is_keyed_u1_p1() -> None:
    """With seed 0 and 25 examples, the smallest population found is unit U1 and its one
    member P2; it reads U1 and P1."""
    run = _run(MEMBERS)
    example = run.counterexample
    assert example is not None and example.change is not None
    data = example.population.data
    assert [r["id"] for r in data["unit"]] == ["U1"]
    assert [(r["id"], r["unit"]) for r in data["person"]] == [("P1", "U1")]
    assert example.breaking == ("U1",) and example.change.member == ("person", "P1")
    assert any(line.strip().startswith("P1.task") for line in _lines(run))


def test_history_rows_and_int_keys_are_renamed_with_their_subjects() -> None:
    from emurules.testing.rename import simplest_keys

    rules = emurules.compile(
        'ruleset "h" { year 2025 }\n'
        "subject team { id: int key }\n"
        "subject person { id: int key, team: team, points: int >= 0 }\n"
        'award star "Star" for person { when points >= 1 when held(star, last 2) == 0 }\n'
    )
    population = Population(
        data={
            "team": [{"id": 7}],
            "person": [{"id": 9, "team": 7, "points": 1}, {"id": 4, "team": 7, "points": 2}],
        },
        history=[{"key": 4, "year": 2024, "award": "star"}],
    )
    renaming = simplest_keys(rules, population)
    renamed = renaming.population(population)
    assert renamed.data == {
        "team": [{"id": 1}],
        "person": [{"id": 1, "team": 1, "points": 1}, {"id": 2, "team": 1, "points": 2}],
    }
    assert renamed.history == [{"key": 2, "year": 2024, "award": "star", "kind": "person"}]
    assert renaming.text("person", "4") == "2"
    renamed.evaluate(rules)


def test_keys_stay_as_found_when_the_simplest_ones_would_not_break_the_check() -> None:
    keyed = _run(
        'ruleset "k" { year 2025 }\n'
        "subject person { id: text key, points: int >= 0 }\n"
        'check "P3 has no points" for person: id != "P3" or points == 0\n',
        max_examples=100,
    )
    assert keyed.counterexample is not None
    assert keyed.counterexample.breaking == ("P3",)
    assert [r["id"] for r in keyed.counterexample.population.data["person"]] == ["P3"]


# ---- wording -------------------------------------------------------------------------------------
IGNORES = """
ruleset "i" { year 2025 }
enum gender { female, male }
subject person { id: text key, gender: gender, points: int >= 0 }
score for person = points + (1 if gender == male else 0)
check ignores gender for person
"""


def test_an_edit_reads_as_english() -> None:
    lines = _lines(_run(IGNORES))
    edits = [line for line in lines if line.strip().startswith("changing ")]
    assert edits, lines
    assert re.fullmatch(
        r"  changing person P1's gender from (female|male) to (female|male) changes:", edits[0]
    ), edits[0]


DOC = """
ruleset "d" { year 2025 }
subject unit { id: text key, block: text }
subject person { id: text key, unit: unit, points: int >= 0 }
relation members: unit -> person by unit
award worker "W" for person { when points >= 1 }
award good_unit "G" for unit { when count(members where worker) >= 1 }
score for unit = count(members where not worker)
check monotone good_unit for unit in members.points
check monotone score for unit in members.points
check "few" for unit: count(members where points >= 2) <= 3
"""


def test_the_document_says_an_award_is_never_taken_away_and_reads_filters_naturally() -> None:
    text = doc.to_markdown(emurules.compile(DOC).plan)
    raising = ". For each unit, raising points of one of its members never"
    assert f"{raising} takes G away." in text
    assert f"{raising} lowers the score." in text
    assert "the number of members holding the title W is at least 1" in text
    assert "the number of members not holding the title W" in text
    assert "the number of members for which points is at least 2 is at most 3" in text
