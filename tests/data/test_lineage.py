"""Lineage: a merged or renamed unit keeps its predecessors' history (docs/language.md,
"Merged and renamed units"). The criteria are the documentation's own example."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

import emurules
from emurules.errors import DataError
from tests.helpers import ROOT, errors

LANGUAGE = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
EXAMPLE = next(b for b in re.findall(r"```emu\n(.*?)```", LANGUAGE, re.DOTALL) if "lineage" in b)
RULES = 'ruleset "Communes" { emurules 1 year 2025 }\n' + EXAMPLE
COMMUNES = [{"id": "BA_DINH", "dx_index": 85}, {"id": "TAY_HO", "dx_index": 90}]


def _formed(key: str, *predecessors: str, year: int = 2025) -> list[dict[str, Any]]:
    return [{"key": key, "year": year, "predecessor": p} for p in predecessors]


def _award(key: str, year: int, award: str = "leading") -> dict[str, Any]:
    return {"key": key, "year": year, "award": award}


def _value(key: str, year: int, value: Any, name: str = "dx_index") -> dict[str, Any]:
    return {"key": key, "year": year, "name": name, "value": value}


def _evaluate(history: list[dict[str, Any]], rules: str = RULES) -> emurules.Result:
    return emurules.compile(rules, "communes.emu").evaluate(
        {"commune": COMMUNES}, history=history, year=2025
    )


HISTORY = [
    *_formed("BA_DINH", "DIEN_BIEN", "QUAN_THANH"),
    _award("DIEN_BIEN", 2024),
    _award("QUAN_THANH", 2023),
    _award("DIEN_BIEN", 2022),
    _value("DIEN_BIEN", 2024, 82),
    _value("QUAN_THANH", 2024, 71),
    _award("TAY_HO", 2024),
    _award("TAY_HO", 2023),
    _value("TAY_HO", 2024, 79),
]


def test_a_merged_unit_reads_any_predecessor_s_awards_and_the_mean_of_their_values() -> None:
    result = _evaluate(HISTORY)
    ba_dinh = result.subject("BA_DINH")
    # 2025 itself, then 2024 (Điện Biên), 2023 (Quán Thánh), 2022 (Điện Biên): a streak of 4
    assert result.outcome("BA_DINH", "sustained").received
    checks = {c.id: dict(c.values) for c in result.outcome("BA_DINH", "sustained").checks}
    assert checks["when1"]["streak(leading)"] == Decimal(4)
    assert checks["when2"]["past(dx_index, 1)"] == Decimal("76.5")  # (82 + 71) / 2
    assert ba_dinh.values["leading"] is True
    assert result.outcome("TAY_HO", "sustained").received  # its own: streak 3, 79 >= 75


def test_all_needs_every_predecessor_and_min_max_sum_combine_as_named() -> None:
    expected = {"mean": "76.5", "min": "71", "max": "82", "sum": "153"}
    for rule, value in expected.items():
        rules = RULES.replace("held any  past mean", f"held all  past {rule}")
        outcome = _evaluate(HISTORY, rules).outcome("BA_DINH", "sustained")
        read = {c.id: dict(c.values) for c in outcome.checks}
        assert read["when1"]["streak(leading)"] == Decimal(1)  # never both in one year
        assert read["when2"]["past(dx_index, 1)"] == Decimal(value), rule


def test_a_value_one_predecessor_lacks_is_missing() -> None:
    history = [r for r in HISTORY if r != _value("QUAN_THANH", 2024, 71)]
    outcome = _evaluate(history).outcome("BA_DINH", "sustained")
    assert {c.id: dict(c.values) for c in outcome.checks}["when2"] == {
        "past(dx_index, 1)": emurules.MISSING
    }


def test_a_chain_of_merges_reads_back_through_every_step() -> None:
    history = [
        *_formed("BA_DINH", "DIEN_BIEN_MOI"),  # renamed in 2025
        *_formed("DIEN_BIEN_MOI", "DIEN_BIEN", "QUAN_THANH", year=2024),  # merged in 2024
        _award("DIEN_BIEN_MOI", 2024),
        _award("QUAN_THANH", 2023),
        _award("DIEN_BIEN", 2022),
    ]
    outcome = _evaluate(history).outcome("BA_DINH", "sustained")
    assert {c.id: dict(c.values) for c in outcome.checks}["when1"] == {
        "streak(leading)": Decimal(4)
    }


def test_the_explanation_says_whose_history_was_read() -> None:
    lines = list(_evaluate(HISTORY).explain("BA_DINH").lines(lang="en"))
    text = "\n".join(lines)
    assert "Formed in 2025 from DIEN_BIEN; QUAN_THANH: its history before 2025 is theirs" in text
    assert "2024: “Dẫn đầu chuyển đổi số” held by DIEN_BIEN" in text
    assert "2023: “Dẫn đầu chuyển đổi số” held by QUAN_THANH" in text
    assert "DIEN_BIEN = 82, QUAN_THANH = 71" in text
    vi = "\n".join(_evaluate(HISTORY).explain("BA_DINH").lines(lang="vi"))
    assert "Thành lập năm 2025 từ DIEN_BIEN; QUAN_THANH" in vi


@pytest.mark.parametrize(
    ("history", "code", "column"),
    [
        ([*_formed("BA_DINH", "A"), *_formed("BA_DINH", "B", year=2024)], "D0108", "year"),
        ([*_formed("BA_DINH", "A", year=2026)], "D0108", "year"),
        ([*_formed("BA_DINH", "A"), _award("BA_DINH", 2024)], "D0108", "year"),
        ([*_formed("NOWHERE", "A")], "D0106", "key"),
        ([*_formed("BA_DINH", "BA_DINH")], "D0106", "predecessor"),
        ([*_formed("BA_DINH", "A"), *_formed("A", "BA_DINH", year=2024)], "D0106", "predecessor"),
    ],
)
def test_a_wrong_lineage_is_refused_at_its_cell(
    history: list[dict[str, Any]], code: str, column: str
) -> None:
    with pytest.raises(DataError) as caught:
        _evaluate(history)
    found = [(d.code, d.place.field if d.place else None) for d in caught.value.diagnostics]
    assert (code, column) in found, found


def test_predecessors_of_a_kind_without_a_lineage_are_refused() -> None:
    rules = RULES.replace("lineage for commune { held any  past mean }\n", "")
    with pytest.raises(DataError) as caught:
        _evaluate(HISTORY, rules)
    found = {d.code: d for d in caught.value.diagnostics}
    assert sorted(found) == ["D0106", "D0109"]  # the predecessor row, and BA_DINH's record
    assert "lineage for commune" in str(found["D0109"].hint)
    assert found["D0106"].place is not None and found["D0106"].place.key == "BA_DINH"


def test_the_checker_asks_for_both_rules_and_a_past_it_can_combine() -> None:
    base = (
        "enum level ordered { low, high }\nsubject c { id: text key  n: int  l: level  t: text }\n"
    )
    lineage = "lineage for c { held any past mean }\n"
    assert errors(base + "lineage for c { held any }\n") == ["E0316"]
    assert errors(base + lineage + "lineage for c { held any past min }\n") == ["E0204"]
    with_past = base + lineage + 'let p "P" for c = past(l, 1) ?? level.low\n'
    assert errors(with_past) == ["E0316"]
    assert errors(with_past.replace("past mean", "past max")) == []
    text_past = base + 'lineage for c { held any past min }\nlet p "P" for c = past(t, 1) ?? ""\n'
    assert errors(text_past) == ["E0316"]
    # a mean of whole numbers is a number: a whole-number context refuses it
    mean = base + 'lineage for c { held any past mean }\nlet p "P" for c = past(n, 1) ?? 0\n'
    assert errors(mean) == []
    data = {"c": [{"id": "C", "n": 1, "l": "low", "t": "x"}]}
    result = emurules.compile('ruleset "m" { year 2025 }\n' + mean).evaluate(data)
    assert result.to_json()["types"]["c"]["p"] == "number"


def test_a_merged_unit_whose_lineage_is_refused_is_set_aside_not_half_assessed() -> None:
    history = [*_formed("BA_DINH", "DIEN_BIEN"), *_formed("BA_DINH", "QUAN_THANH", year=2024)]
    history += HISTORY[2:]
    rules = emurules.compile(RULES, "communes.emu")
    result = rules.evaluate({"commune": COMMUNES}, history=history, year=2025, skip_invalid=True)
    assert [key for (_, key) in result.subjects] == ["TAY_HO"]
    assert any(d.place is not None and d.place.key == "BA_DINH" for d in result.skipped)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ({"key": "BA_DINH", "year": 2025, "predecessor": 1.5}, "predecessor"),
        ({"key": "BA_DINH", "year": 2025, "predecessor": True}, "predecessor"),
        ({"key": 2.5, "year": 2025, "predecessor": "A"}, "key"),
        ({"key": "BA_DINH", "year": 2025, "predecessor": "A", "award": "leading"}, "award"),
        ({"key": "BA_DINH", "year": 2025, "predecessor": "A", "name": "dx_index"}, "name"),
    ],
)
def test_a_predecessor_row_is_only_that_and_of_keys(row: dict[str, Any], column: str) -> None:
    with pytest.raises(DataError) as caught:
        _evaluate([row])
    places = [(d.place.row, d.place.field) for d in caught.value.diagnostics if d.place]
    assert (1, column) in places, places


def test_a_key_two_kinds_share_needs_the_kind_column() -> None:
    rules = RULES + (
        "subject body { id: text key }\n"
        'award star "S" for body { when streak(star, before) >= 1 }\n'
        "lineage for body { held any  past max }\n"
    )
    data = {"commune": COMMUNES, "body": [{"id": "BA_DINH"}]}
    compiled = emurules.compile(rules, "both.emu")
    history = [{"key": "BA_DINH", "year": 2025, "predecessor": "OLD"},
               {"key": "OLD", "year": 2024, "award": "star"}]  # fmt: skip
    with pytest.raises(DataError) as caught:
        compiled.evaluate(data, history=history, year=2025)
    assert ("D0104", "kind") in [
        (d.code, d.place.field) for d in caught.value.diagnostics if d.place
    ]
    history[0]["kind"] = "body"
    result = compiled.evaluate(data, history=history, year=2025)
    assert result.recipients("star") == ("BA_DINH",)
    assert not result.outcome("BA_DINH", "sustained").received  # the commune inherits nothing


def test_values_a_rule_cannot_combine_are_left_missing_not_a_crash() -> None:
    rules = RULES.replace(
        'subject commune "Xã, phường" { id: text key  dx_index: number }',
        "enum level { low, high }\n"
        'subject commune "Xã, phường" { id: text key  dx_index: number  level: level = low }',
    )
    history = [*HISTORY, {"key": "DIEN_BIEN", "year": 2024, "name": "level", "value": "high"},
               {"key": "QUAN_THANH", "year": 2024, "name": "level", "value": "low"}]  # fmt: skip
    result = _evaluate(history, rules)
    assert result.outcome("BA_DINH", "sustained").received


def test_an_example_states_predecessors_and_the_file_s_own_test_reads_them() -> None:
    example = """\
example "a merged ward keeps its predecessors' record" {
  commune { id: "BA_DINH", dx_index: 85 }
  history {
    BA_DINH 2025 from DIEN_BIEN, BA_DINH 2025 from QUAN_THANH,
    DIEN_BIEN 2024 leading, QUAN_THANH 2023 leading, DIEN_BIEN 2022 leading,
    DIEN_BIEN 2024 dx_index 82, QUAN_THANH 2024 dx_index 71
  }
  expect BA_DINH sustained
}
"""
    from emurules.testing.examples import run_examples

    runs = run_examples(emurules.compile(RULES + example, "communes.emu"))
    assert [run.passed for run in runs] == [True]
    shorter = example.replace("DIEN_BIEN 2022 leading,", "")  # still 3 years: 2025, 2024, 2023
    assert [r.passed for r in run_examples(emurules.compile(RULES + shorter))] == [True]
    broken = example.replace("QUAN_THANH 2023 leading, DIEN_BIEN 2022 leading,", "")
    assert [r.passed for r in run_examples(emurules.compile(RULES + broken))] == [False]
    without = RULES.replace("lineage for commune { held any  past mean }\n", "")
    assert errors(without + example) == ["E0316", "E0316"]
    assert "E0213" in errors(RULES + example + 'example "x" { expect DIEN_BIEN leading }\n')
