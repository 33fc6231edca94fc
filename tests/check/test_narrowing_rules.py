"""Narrowing through data rules: a value a `require` guarantees under a condition needs no
guard where the scope's condition implies it (docs/language.md, "Guarantees of data
rules"), and evaluation on data that passed the rules never meets it missing."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emurules
from emurules.i18n import render
from emurules.values import MISSING
from tests.helpers import ROOT, diagnostics, errors

KINDS = """\
enum level { province, city, district }
subject region { id: text key }
subject unit {
  id: text key
  region: region
  tier: level
  size: int = 0
  big: bool = false
  digital_economy: percent?
  exports: number?
  mentor: unit?
}
relation units: region -> unit by region
"""
RULE = (
    'require "provinces report the digital economy" for unit:\n'
    "  tier == province implies digital_economy is not missing\n"
)


def _errors(body: str, rules: str = RULE) -> list[str]:
    return errors(KINDS + rules + body)


def test_the_example_of_the_language_reference_checks() -> None:
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```emu\n(.*?)```", text, re.DOTALL) if "Kinh tế số" in b)
    assert errors(block) == []
    assert errors(block.replace("require", "check")) == ["E0302"]  # a check guarantees nothing


@pytest.mark.parametrize(
    "body",
    [
        "criterion c for unit where tier == province max 20 = 20 * digital_economy",
        "criterion c for unit where province == tier max 20 = 20 * digital_economy",
        "criterion c for unit where tier == level.province max 20 = 20 * digital_economy",
        "bonus c for unit where tier == province and size > 10 max 20 = 20 * digital_economy",
        "penalty c for unit where tier in {province} = 20 * digital_economy",
        "let c for unit = 20 * digital_economy if tier == province else 0",
        "let c for unit = tier == province and digital_economy > 50%",
        "let c for unit = tier == province implies digital_economy > 50%",
        "let c for unit = case { tier == province: 20 * digital_economy, else: 0 }",
        "let c for unit = 0 if not (tier == province) else 20 * digital_economy",
        "let c for unit = tier == city or tier == province and digital_economy > 50%",
        "let c for region = avg(units where tier == province, digital_economy) ?? 0%",
        "criterion c for unit where tier == province = 1 if big else 20 * digital_economy",
    ],
)
def test_a_scope_that_implies_the_rule_s_condition_needs_no_guard(body: str) -> None:
    assert _errors(body) == []
    assert _errors(body, rules="") == ["E0302"]


@pytest.mark.parametrize(
    "body",
    [
        "criterion c for unit where tier in {province, city} = 20 * digital_economy",
        "criterion c for unit where tier != city = 20 * digital_economy",
        "criterion c for unit where tier == city = 20 * digital_economy",
        "criterion c for unit where tier == province or size > 3 = 20 * digital_economy",
        "let c for unit = 0 if tier == province else 20 * digital_economy",
        "let c for unit = 0 if tier != province else 20 * digital_economy",
        "let c for unit = tier == province or digital_economy > 50%",
        "let c for unit = tier != province or digital_economy > 50%",
        "let c for unit = 20 * digital_economy",
        "let c for region = avg(units, digital_economy) ?? 0%",
        "criterion c for unit where tier == province = 20 * (mentor.digital_economy ?? 0%)"
        " + exports",
    ],
)
def test_a_scope_that_does_not_imply_it_still_needs_one(body: str) -> None:
    assert _errors(body) == ["E0302"]


@pytest.mark.parametrize(
    ("rule", "body"),
    [
        ("digital_economy is not missing", "let c for unit = 20 * digital_economy"),
        ("not (digital_economy is missing)", "let c for unit = 20 * digital_economy"),
        (
            "digital_economy is not missing and exports is not missing",
            "let c for unit = digital_economy * exports",
        ),
        (
            "tier == province implies (digital_economy is not missing and exports is not missing)",
            "criterion c for unit where tier == province = digital_economy * exports",
        ),
        (
            "(tier == city implies exports is not missing) and digital_economy is not missing",
            "criterion c for unit where tier == city = digital_economy * exports",
        ),
        (
            "tier in {province, city} implies digital_economy is not missing",
            "criterion c for unit where tier == city = 20 * digital_economy",
        ),
        (
            "tier == province or tier == city implies digital_economy is not missing",
            "criterion c for unit where tier == city = 20 * digital_economy",
        ),
        (
            "tier == province and big implies digital_economy is not missing",
            "criterion c for unit where tier == province = 20 * digital_economy if big else 0",
        ),
        (
            "not big implies digital_economy is not missing",
            "let c for unit = 0 if big else 20 * digital_economy",
        ),
        ("mentor is not missing", "let c for unit = 20 * mentor.digital_economy ?? 0"),
        ("mentor is not missing", "let c for unit = mentor.size"),
    ],
)
def test_the_forms_of_a_guarantee(rule: str, body: str) -> None:
    assert _errors(body, f'require "r" for unit: {rule}\n') == []


@pytest.mark.parametrize(
    ("rule", "body"),
    [
        ("size > 10 implies exports is not missing",
         "criterion c for unit where size > 20 = 2 * exports"),
        ("tier == province or exports is not missing", "let c for unit = 2 * exports"),
        ("exports is not missing or big", "let c for unit = 2 * exports"),
        ("tier == province and big implies exports is not missing",
         "criterion c for unit where tier == province = 2 * exports"),
        ("exports is missing implies big", "let c for unit = 2 * exports"),
    ],
)  # fmt: skip
def test_nothing_cleverer_is_inferred(rule: str, body: str) -> None:
    assert _errors(body, f'require "r" for unit: {rule}\n') == ["E0302"]


def test_a_rule_guarantees_only_its_own_kind() -> None:
    rules = 'require "r" for region: id != "" \nrequire "s" for unit: exports is not missing\n'
    text = "subject other { id: text key  exports: number? }\nlet c for other = 2 * exports\n"
    assert _errors(text, rules) == ["E0302"]


def test_an_award_s_later_conditions_and_rank_keys_know_the_earlier_ones() -> None:
    award = """award a "A" for unit {
  when tier == province
  when digital_economy >= 50%
  rank by digital_economy desc
  quota 1 within region
}
"""
    assert _errors(award) == []
    assert _errors(award, rules="") == ["E0302", "E0302"]
    swapped = award.replace("when tier == province\n  when digital_economy >= 50%",
                            "when digital_economy >= 50%\n  when tier == province")  # fmt: skip
    assert _errors(swapped) == ["E0302"]
    any_of = award.replace("when tier == province", 'when any { p: tier == province "p" }')
    assert _errors(any_of) == ["E0302", "E0302"]
    own = award.replace("when tier == province", "when exports is not missing").replace(
        "digital_economy", "exports"
    )
    assert _errors(own, rules="") == []


def test_the_error_names_the_rule_and_the_condition_the_scope_needs() -> None:
    body = "criterion c for unit where tier in {province, city} = 20 * digital_economy"
    (found,) = [d for d in diagnostics(KINDS + RULE + body) if d.is_error]
    assert found.hint is not None
    hint = render(found.hint, "en")
    assert '"provinces report the digital economy"' in hint
    assert "'tier == province'" in hint
    assert "digital_economy ?? 0" in hint
    vi = render(found.hint, "vi")
    assert "quy tắc dữ liệu" in vi and "'tier == province'" in vi
    (plain,) = [d for d in diagnostics(KINDS + "let c for unit = 20 * exports") if d.is_error]
    assert plain.hint is not None and "data rule" not in render(plain.hint, "en")


# ---- evaluation: the rules are checked first, so a guaranteed value is never missing --

EVALUATED = KINDS.replace("relation units: region -> unit by region\n", "") + (
    RULE + 'criterion economy "Kinh tế số" for unit where tier == province max 20 =\n'
    "  20 * digital_economy\n"
    "score for unit = economy ?? 0\n"
)
ROWS = st.lists(
    st.tuples(
        st.sampled_from(["province", "city", "district"]),
        st.none() | st.decimals(min_value=0, max_value=1, places=2),
    ),
    min_size=1,
    max_size=8,
)


def _data(rows: list[tuple[str, Decimal | None]]) -> dict[str, list[dict[str, Any]]]:
    units = []
    for i, (tier, share) in enumerate(rows):
        unit: dict[str, Any] = {"id": f"U{i}", "region": "R", "tier": tier}
        if share is not None:
            unit["digital_economy"] = share
        units.append(unit)
    return {"region": [{"id": "R"}], "unit": units}


@settings(max_examples=60, deadline=None)
@given(ROWS)
def test_a_guaranteed_value_is_never_missing_where_the_rule_applies(
    rows: list[tuple[str, Decimal | None]],
) -> None:
    rules = emurules.compile(EVALUATED, "narrowing.emu")
    broken = {
        f"U{i}" for i, (tier, share) in enumerate(rows) if tier == "province" and share is None
    }
    if broken:
        with pytest.raises(emurules.DataError) as refused:
            rules.evaluate(_data(rows), year=2025)
        found = refused.value.diagnostics
        assert {d.code for d in found} == {"D0103"}
        assert len(found) == len(broken)
        return
    result = rules.evaluate(_data(rows), year=2025)
    for i, (tier, share) in enumerate(rows):
        value = result.subject(f"U{i}", "unit").values["economy"]
        if tier == "province":
            assert share is not None and value == min(Decimal(20), 20 * share)
        else:
            assert value is MISSING


def test_data_breaking_the_rule_is_refused_or_skipped_never_evaluated() -> None:
    rules = emurules.compile(EVALUATED, "narrowing.emu")
    data = _data([("province", Decimal("0.5")), ("province", None), ("city", None)])
    with pytest.raises(emurules.DataError) as refused:
        rules.evaluate(data, year=2025)
    (problem,) = refused.value.diagnostics
    assert problem.code == "D0103"
    assert "provinces report the digital economy" in render(problem.message, "en")
    kept = rules.evaluate(data, year=2025, skip_invalid=True)
    assert {key for (kind, key) in kept.subjects if kind == "unit"} == {"U0", "U2"}
    assert kept.subject("U0", "unit").values["economy"] == 10
