"""The stable JSON result, `emurules.result/1`: every number the rules compute is a string in
canonical form (a rounded score with exactly its digits), counts and positions are integers,
passed and failed conditions and explanations are data, and the JSON Schema shipped in the
package accepts every output and refuses what breaks it."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from typing import Any

import pytest

import emurules
from emurules.report.export import to_json, write_json
from emurules.result_json import schema_path
from emurules.values import MISSING, EnumValue, decimal_text, json_value
from tests.golden.results import validate_result

CRITERIA = """\
ruleset "Stable" { year 2025  round 2  version "2025.3" }
enum rating ordered { low, mid, high }
subject person { id: text key  unit: text  p: number  n: int = 0  r: rating = low
                 d: date = 2025-01-01  bonus: number? }
criterion base "Base" for person max 50 = p
let third "A third" for person = p / 3
let big "Big" for person = p * 1000000000000
let tiny "Tiny" for person = p / 100000000
let flag "Flag" for person = n > 1
let opt "Optional" for person = bonus
score for person = base + n / 3
award top "Top" for person {
  when score >= 10 "scores ten"
  when any { many: n >= 2, rated: r >= mid } "busy"
  rank by score desc, n desc
  quota 1 within unit
}
"""
RULES = emurules.compile(CRITERIA, "stable.emu")
PEOPLE = [
    {"id": "A", "unit": "U1", "p": "30", "n": 2, "r": "high"},
    {"id": "B", "unit": "U1", "p": "12.5", "n": 1, "r": "mid", "bonus": "0.50"},
    {"id": "C", "unit": "U2", "p": "3", "n": 0},
    {"id": "D", "unit": "U2", "p": "-0.0001", "n": 5},
]


def result() -> emurules.Result:
    return RULES.evaluate({"person": PEOPLE})


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (Decimal("69.85"), None, "69.85"),
        (Decimal("69.850"), None, "69.85"),
        (Decimal("100"), None, "100"),
        (Decimal("1E+2"), None, "100"),
        (Decimal("1.000000000000000000"), None, "1"),
        (Decimal("-0.000"), None, "0"),
        (Decimal("1E-20"), None, "0.00000000000000000001"),
        (Decimal("12345678901234567890.5"), None, "12345678901234567890.5"),
        (Decimal("86.7"), 2, "86.70"),
        (Decimal("86"), 2, "86.00"),
        (Decimal("2.675"), 2, "2.68"),
        (Decimal("-0.001"), 2, "0.00"),
        (Decimal("5"), 0, "5"),
    ],
)
def test_a_decimal_has_one_canonical_text(value: Decimal, digits: int | None, text: str) -> None:
    assert decimal_text(value, digits) == text
    assert json_value(value, digits) == text


def test_every_value_kind_has_one_json_form() -> None:
    import datetime

    assert json_value(True) is True
    assert json_value("x") == "x"
    assert json_value(EnumValue("rating", "mid", 1)) == "mid"
    assert json_value(datetime.date(2025, 1, 2)) == "2025-01-02"
    assert json_value(("K1", "K2")) == ["K1", "K2"]
    assert json_value(MISSING) is None and json_value(None) is None


def _kinds(data: Any) -> dict[str, set[str]]:
    """Each JSON path (list positions dropped) -> the JSON types found there."""
    found: dict[str, set[str]] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}/{k}")
        elif isinstance(value, list):
            for v in value:
                walk(v, f"{path}[]")
        elif value is not None:
            found.setdefault(path, set()).add(type(value).__name__)

    walk(data, "")
    return found


def test_a_number_is_never_a_json_number_one_time_and_a_string_the_next() -> None:
    data = json.loads(json.dumps(result().to_json()))
    kinds = _kinds(data)
    for name in ("base", "third", "big", "tiny", "score", "opt"):
        assert kinds[f"/subjects[]/values/{name}"] == {"str"}, name
    assert kinds["/subjects[]/score"] == {"str"}
    assert kinds["/awards[]/outcomes[]/failed[]/parts[]/values/n"] == {"int"}  # an int field
    assert kinds["/awards[]/outcomes[]/rank"] == {"int"}
    assert kinds["/awards[]/outcomes[]/quota/base"] == {"int"}
    assert kinds["/awards[]/outcomes[]/quota/quota"] == {"int"}
    assert kinds["/year"] == kinds["/provenance/year"] == {"int"}
    assert not any("float" in found for found in kinds.values())


def test_numbers_are_canonical_and_the_rounded_score_has_its_digits() -> None:
    data = result().to_json()
    subjects = {s["key"]: s for s in data["subjects"]}
    a, d = subjects["A"], subjects["D"]
    assert a["score"] == a["values"]["score"] == "30.67"  # 30 + 2/3, round 2
    assert subjects["C"]["score"] == "3.00"
    assert d["score"] == "1.67"  # -0.0001 -> base 0 (max 50 clamps at 0), + 5/3
    assert a["values"]["third"] == "10"
    assert a["values"]["big"] == "30000000000000"
    assert d["values"]["tiny"] == "-0.000000000001"
    assert subjects["B"]["values"]["opt"] == "0.5" and a["values"]["opt"] is None
    assert a["values"]["flag"] is True
    assert data["types"]["person"] == {
        "base": "number", "third": "number", "big": "number", "tiny": "number",
        "flag": "bool", "opt": "number", "score": "number", "top": "bool",
    }  # fmt: skip
    (award,) = data["awards"]
    outcome = {o["key"]: o for o in award["outcomes"]}["A"]
    assert outcome["quota"] is not None
    assert outcome["quota"]["cutoff"] == ["30.67", "2"]  # the score keeps its digits
    scores = outcome["passed"][0]
    assert scores["values"] == {"score": "30.67"}


def test_passed_and_failed_conditions_are_data() -> None:
    data = result().to_json()
    outcomes = {o["key"]: o for o in data["awards"][0]["outcomes"]}
    a, c = outcomes["A"], outcomes["C"]
    assert [x["id"] for x in a["passed"]] == ["when1", "when2"] and a["failed"] == []
    assert [x["id"] for x in c["failed"]] == ["when1", "when2"] and c["passed"] == []
    busy = c["failed"][1]
    assert busy["holds"] is False and busy["label"] == "busy" and busy["values"] == {}
    assert [(p["id"], p["holds"], p["values"]) for p in busy["parts"]] == [
        ("many", False, {"n": 0}),
        ("rated", False, {"r": "low"}),
    ]
    assert c["failed"][0] == {
        "id": "when1", "label": "scores ten", "text": "score >= 10", "holds": False,
        "values": {"score": "3.00"}, "parts": [],
    }  # fmt: skip


def test_explanations_are_a_tree_of_lines() -> None:
    made = result()
    data = made.to_json(explanations=True)
    for subject in data["subjects"]:
        tree = subject["explanation"]
        lines: list[str] = []

        def walk(node: Any, depth: int, lines: list[str] = lines) -> None:
            lines.append("  " * depth + node["text"])
            for child in node["children"]:
                walk(child, depth + 1)

        walk(tree, 0)
        assert "\n".join(lines) == str(made.explain(subject["key"]))
    first = data["subjects"][0]["explanation"]
    assert first["id"] == "explain.subject" and first["topic"] is None
    assert any(child["topic"] == "top" for child in first["children"])
    assert "explanation" not in made.to_json()["subjects"][0]


def test_the_stream_writes_exactly_the_json() -> None:
    made = result()
    for explanations in (False, True):
        data = made.to_json(explanations=explanations)
        expected = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        assert to_json(made, explanations=explanations) == expected
        out = io.StringIO()
        write_json(made, out, explanations=explanations)
        assert out.getvalue() == expected


def test_rows_hold_the_same_texts() -> None:
    rows = result().to_rows()
    assert {r["key"]: r["score"] for r in rows} == {
        "A": "30.67", "B": "12.83", "C": "3.00", "D": "1.67"
    }  # fmt: skip
    assert {r["key"]: r["group"] for r in rows}["A"] == "U1"


def _schema() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return found


def test_the_schema_is_shipped_and_is_draft_2020_12() -> None:
    import jsonschema

    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "emurules.result/1"
    assert schema["properties"]["schema"] == {"const": "emurules.result/1"}
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema_path().parent.name == "schema" and schema_path().parent.parent.name == "emurules"


def test_the_schema_accepts_every_output_and_refuses_what_breaks_it() -> None:
    data = json.loads(json.dumps(result().to_json(explanations=True)))
    validate_result(data)
    broken = []
    for path, value in (
        (("subjects", 0, "score"), 30.67),  # a float
        (("subjects", 0, "score"), "3.0E+1"),  # an exponent
        (("subjects", 0, "score"), "-0"),  # a signed zero
        (("awards", 0, "outcomes", 0, "rank"), "1"),  # a position as text
        (("provenance", "sha256"), "abc"),
        (("provenance", "evaluated"), "2025-06-01 08:30"),  # no offset
        (("awards", 0, "outcomes", 0, "surprise"), 1),  # a field the format lacks
    ):
        changed = copy.deepcopy(data)
        *parents, last = path
        target = changed
        for step in parents:
            target = target[step]
        target[last] = value
        with pytest.raises(AssertionError, match=r"emurules\.result/1"):
            validate_result(changed)
        broken.append(path)
    assert len(broken) == 7


def test_every_to_json_a_test_makes_is_validated() -> None:
    """tests/conftest.py switches the hook on: a to_json() that breaks the schema fails
    the test that made it."""
    made = result()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(emurules.Result, "to_json_head", _broken_head(made.to_json_head))
        with pytest.raises(AssertionError, match=r"emurules\.result/1"):
            made.to_json()


def _broken_head(original: Any) -> Any:
    def head(self: emurules.Result) -> Any:
        return {**original(), "year": "2025"}

    return head
