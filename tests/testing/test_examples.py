"""Running `example` blocks: each expectation mode holds on a sound example and fails, with
what was expected and what was found, on a broken one; records that break validation or
an evaluation that fails make the example fail with their diagnostics."""

from __future__ import annotations

import json
import pickle

import pytest

import emurules
from emurules.testing import ExampleRun, run_examples

CRITERIA = """\
ruleset "t" { year 2025  round 2 }
enum rating ordered { incomplete, complete, good, excellent }
subject unit { id: text key }
subject person {
  id: text key
  unit: unit
  task: rating
  initiatives: int >= 0 = 0
  online: percent?
  since: date = 2020-01-01
}
relation members: unit -> person by unit
criterion task_points "Task" for person max 40 =
  case task { excellent: 40, good: 25, complete: 10, else: 0 }
criterion online_points "Online" for person where online is not missing max 10 =
  10 * (online ?? 0%)
score for person = task_points + 10 * initiatives + (online_points ?? 0)
let ratio "Ratio" for person = score / 3
let share_online "Share" for person = online ?? 0%
let senior "Senior" for person = since < 2015-01-01
award worker "Worker" for person {
  when good: task >= good "good"
  when initiative: initiatives >= 1 "an initiative"
}
award fighter "Fighter" for person {
  requires worker
  when ambitious: initiatives >= 1 "an initiative"
  rank by score desc
  quota 1 within unit
}
award veteran "Veteran" for person {
  when streak(fighter) >= 2 "two years"
}
"""

RECORDS = """\
  unit { id: "U1" }
  person { id: "P1", unit: "U1", task: excellent, initiatives: 2 }
  person { id: "P2", unit: "U1", task: good, initiatives: 1, online: 50% }
  person { id: "P3", unit: "U1", task: complete, since: 2010-05-01 }
  history { P1 2024 fighter, P1 2023 fighter, P2 2024 task good }
"""

# Every mode, each expectation true of the records above.
SOUND = [
    "expect P1 fighter",
    "expect P1 veteran",
    "expect P2 cut fighter",
    "expect P3 not worker",
    "expect P3 not worker because good, initiative",
    "expect P3 senior",
    "expect P1 not senior",
    "expect P1 score == 60",
    "expect P2 ratio == 13.33",
    "expect P2 ratio < 14",
    "expect P2 ratio != 13.3",
    "expect P2 share_online == 50%",
    "expect P2 task >= good",
    "expect P1 initiatives >= 2",
    "expect P3 initiatives == 0",
    "expect P1 online_points is missing",
    "expect P2 online_points is not missing",
    "expect P1 online is missing",
]


def example(*expectations: str, records: str = RECORDS, label: str = "e") -> str:
    lines = "".join(f"  {e}\n" for e in expectations)
    return f'example "{label}" {{\n{records}{lines}}}\n'


def runs(*expectations: str, records: str = RECORDS) -> tuple[ExampleRun, ...]:
    rules = emurules.compile(CRITERIA + example(*expectations, records=records), "t.emu")
    return run_examples(rules)


def test_every_mode_holds_on_a_sound_example() -> None:
    (run,) = runs(*SOUND)
    assert run.passed, "\n".join(run.lines())
    assert run.failures == () and run.error == ()
    assert run.label == "e" and run.span is not None and run.span.line == CRITERIA.count("\n") + 1
    assert list(run.lines()) == [f't.emu:{run.span.line}:1: example "e" passed']


NOT_WORKER = "not qualified (failed: good, initiative)"
CUT = "qualified but outside the quota"
CUT_2 = "qualified, ranked 2, but outside the quota"
# (mode, a broken expectation, what its failure says after "expect ...: ")
BROKEN = [
    ("true", "expect P3 worker", f"expected received, found {NOT_WORKER}"),
    ("true", "expect P2 fighter", f"expected received, found {CUT_2}"),
    ("true-value", "expect P1 senior", "expected true, found false"),
    ("false", "expect P1 not fighter", "expected not received, found received"),
    ("false-value", "expect P3 not senior", "expected false, found true"),
    (
        "because",
        "expect P3 not worker because good",
        f"expected not qualified (failed: good), found {NOT_WORKER}",
    ),
    ("cut", "expect P1 cut fighter", f"expected {CUT}, found received"),
    (
        "cut",
        "expect P3 cut fighter",
        f"expected {CUT}, found not qualified (failed: requires:worker, ambitious)",
    ),
    ("compare", "expect P1 score == 61", "expected == 61, found 60"),
    ("compare", "expect P2 ratio >= 14", "expected >= 14, found 13.33"),
    ("compare", "expect P2 share_online == 40%", "expected == 40%, found 50%"),
    ("compare", "expect P2 task > good", "expected > good, found good"),
    ("compare", "expect P1 online_points == 0", "expected == 0, found missing"),
    ("missing", "expect P2 online_points is missing", "expected missing, found 5"),
    ("present", "expect P1 online_points is not missing", "expected a value, found missing"),
]


@pytest.mark.parametrize(("mode", "line", "says"), BROKEN)
def test_a_broken_expectation_fails_saying_expected_and_found(
    mode: str, line: str, says: str
) -> None:
    (run,) = runs(*SOUND, line)
    assert not run.passed, mode
    (failure,) = run.failures
    assert failure.span is not None and failure.span.text == line
    assert str(failure.message) == f"{line}: {says}"
    key = line.split()[1]
    assert failure.key == key and failure.name in line
    assert failure.explanation is not None
    assert str(failure.explanation).startswith(f"person {key}")
    text = list(run.lines())
    assert text[0].endswith('example "e" failed')
    assert text[1] == f"  t.emu:{failure.span.line}:3: {line}: {says}"
    assert text[2] == f"    person {key}"  # the explanation, indented beneath
    assert all(t.startswith("      ") for t in text[3:])


def test_failures_are_listed_in_the_order_written_and_as_json() -> None:
    (run,) = runs("expect P1 score == 1", "expect P2 fighter", "expect P1 fighter")
    assert [f.key for f in run.failures] == ["P1", "P2"]
    found = run.to_json()
    json.dumps(found)
    assert found["label"] == "e" and found["passed"] is False
    assert found["file"] == "t.emu" and found["column"] == 1
    assert isinstance(found["seconds"], float) and found["errors"] == []
    first = found["failures"][0]
    assert first["expected"] == "== 1" and first["actual"] == "60"
    assert first["message"] == "expect P1 score == 1: expected == 1, found 60"
    assert first["line"] == run.failures[0].span.line and first["column"] == 3  # type: ignore[union-attr]
    assert first["explanation"][0] == "person P1"


def test_because_names_exactly_the_failing_conditions() -> None:
    (run,) = runs(
        "expect P3 not worker because initiative, good",
        "expect P2 not fighter because ambitious",
    )
    (failure,) = run.failures
    assert failure.key == "P2"
    assert str(failure.actual) == CUT_2


def test_numbers_are_compared_rounded_to_the_rulesets_digits() -> None:
    (run,) = runs(
        "expect P2 ratio == 13.333", "expect P2 ratio <= 13.33", "expect P2 ratio > 13.32"
    )
    assert run.passed, "\n".join(run.lines())
    unrounded = CRITERIA.replace("  round 2", "")
    rules = emurules.compile(unrounded + example("expect P2 ratio == 13.33"), "t.emu")
    (run,) = run_examples(rules)
    assert not run.passed
    assert run.failures[0].actual == "≈13.3333"  # as explanations show it


def test_records_that_break_validation_fail_with_their_data_diagnostics() -> None:
    records = """\
  unit { id: "U1" }
  person { id: "P1", unit: "U1", task: excellent, initiatives: -1 }
  person { id: "P2", unit: "U2", task: good }
"""
    (run,) = runs("expect P1 worker", records=records)
    assert not run.passed and run.failures == ()
    assert [(d.code, d.kind) for d in run.error] == [
        ("D0103", "constraint"),
        ("D0106", "dangling_reference"),
    ]
    first, second = run.error
    assert first.span is not None and first.span.text == "-1"
    assert second.span is not None and second.span.text == '"U2"'
    assert str(first.message) == "-1 is outside the range of initiatives (at least 0)"
    text = list(run.lines())
    assert text[1] == "  its records do not pass validation:"
    assert text[2].startswith(f"    t.emu:{first.span.line}:{first.span.column}: error[D0103]")
    assert run.first_failure()[0].endswith("-1 is outside the range of initiatives (at least 0)")
    errors = run.to_json()["errors"]
    assert errors[0]["code"] == "D0103" and errors[0]["line"] == first.span.line


def test_a_history_row_that_breaks_validation_points_at_its_entry() -> None:
    records = """\
  year 2024
  unit { id: "U1" }
  person { id: "P1", unit: "U1", task: excellent }
  history { P1 2024 fighter }
"""
    (run,) = runs("expect P1 worker", records=records)
    (problem,) = run.error
    assert problem.kind == "history_year"
    assert problem.span is not None and problem.span.text == "P1 2024 fighter"


def test_an_evaluation_that_fails_makes_the_example_fail() -> None:
    criteria = CRITERIA + 'let per "Per" for person = 10 / initiatives\n'
    rules = emurules.compile(criteria + example("expect P3 per == 1"), "t.emu")
    (run,) = run_examples(rules)
    assert not run.passed
    assert [d.code for d in run.error] == ["V0101"]
    assert list(run.lines())[1] == "  it could not be evaluated:"


def test_an_example_without_a_year_in_a_ruleset_without_one() -> None:
    criteria = CRITERIA.replace("year 2025  ", "")
    records = RECORDS.replace(
        "  history { P1 2024 fighter, P1 2023 fighter, P2 2024 task good }\n", ""
    )
    (run,) = run_examples(emurules.compile(criteria + example(records=records), "t.emu"))
    (problem,) = run.error
    assert "no assessment year" in str(problem.message)
    assert problem.span is not None and problem.span.line == criteria.count("\n") + 1
    (run,) = run_examples(
        emurules.compile(criteria + example(records="  year 2025\n" + records), "t.emu")
    )
    assert run.passed


def test_an_example_year_and_history_are_used() -> None:
    records = RECORDS.replace('unit { id: "U1" }', 'year 2026\n  unit { id: "U1" }')
    (run,) = runs("expect P1 not veteran because when1", records=records)
    assert run.passed, "\n".join(run.lines())  # 2024 and 2023 are no streak up to 2026


def test_examples_run_in_the_order_of_the_file_and_survive_pickling() -> None:
    text = (
        CRITERIA
        + example("expect P1 fighter", label="a")
        + example("expect P1 not fighter", label="b")
    )
    rules = emurules.compile(text, "t.emu")
    copy = pickle.loads(pickle.dumps(rules))
    assert copy.plan.examples == rules.plan.examples
    assert pickle.loads(pickle.dumps(rules.plan)).examples == rules.plan.examples
    assert [(r.label, r.passed) for r in run_examples(copy)] == [("a", True), ("b", False)]


def test_lowered_examples_are_data_evaluate_takes() -> None:
    rules = emurules.compile(CRITERIA + example(*SOUND), "t.emu")
    (lowered,) = rules.plan.examples
    data = lowered.data()
    assert data["person"][1] == {
        "id": "P2",
        "unit": "U1",
        "task": "good",
        "initiatives": 1,
        "online": pytest.approx(0.5),
    }
    assert lowered.history_rows() == [
        {"key": "P1", "year": 2024, "award": "fighter"},
        {"key": "P1", "year": 2023, "award": "fighter"},
        {"key": "P2", "year": 2024, "name": "task", "value": "good"},
    ]
    result = rules.evaluate(data, history=lowered.history_rows())
    assert result.recipients("fighter") == ("P1",)
