"""Reward amounts: `reward` per award (a multiple of the base salary), `base_salary` and
`round rewards ... to N` in the header, `Result.reward/amount/fund`, `--base-salary`."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import emurules
from emurules.cli.evaluate import base_salary
from emurules.errors import UsageError, UsageTypeError
from emurules.plan.rewards import Rewards, Rounding
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module
from tests.helpers import ROOT, diagnostics

RULES = """\
ruleset "r" {
  year 2025
  base_salary 2340000
  round rewards up to 10000
}
subject p { id: text key
  ok: bool }
award a "A" for p {
  when ok
  reward 0.3
}
award b "B" for p {
  when ok
}
award c "C" for p {
  when ok
  reward 1.5
}
"""
PEOPLE = {"p": [{"id": "P1", "ok": True}, {"id": "P2", "ok": False}, {"id": "P3", "ok": True}]}


def test_rounding_up_to_the_ten_thousand_as_decree_91_says() -> None:
    """Decree 91/2017 Art. 68(2)'s own example and the issue's."""
    up = Rewards(rounding=Rounding(mode="up", step=10000))
    assert up.amount(Decimal("0.8"), Decimal(1390000)) == 1120000
    assert up.amount(Decimal("0.3"), Decimal(2340000)) == 710000
    assert up.amount(Decimal("1.0"), Decimal(2340000)) == 2340000  # already a multiple
    assert Rewards().amount(Decimal("0.3"), Decimal(2340000)) == 702000


@pytest.mark.parametrize(
    ("mode", "expected"), [("up", 710000), ("down", 700000), ("nearest", 700000)]
)
def test_rounding_modes(mode: str, expected: int) -> None:
    rewards = Rewards(rounding=Rounding(mode=mode, step=10000))  # type: ignore[arg-type]
    assert rewards.amount(Decimal("0.3"), Decimal(2340000)) == expected


@given(
    st.decimals(min_value=0, max_value=20, places=2),
    st.integers(min_value=1, max_value=10**8),
    st.sampled_from([1, 1000, 10000, 100000]),
)
def test_a_rounded_amount_is_a_multiple_of_the_step_within_one_step(
    multiple: Decimal, base: int, step: int
) -> None:
    exact = multiple * base
    for mode in ("up", "down", "nearest"):
        amount = Rewards(rounding=Rounding(mode=mode, step=step)).amount(multiple, Decimal(base))
        assert amount % step == 0
        assert abs(amount - exact) < step
        assert (mode != "up" or amount >= exact) and (mode != "down" or amount <= exact)


def test_rewards_are_on_the_plan_and_survive_a_pickle() -> None:
    rules = emurules.compile(RULES)
    assert [a.reward for a in rules.plan.awards()] == [Decimal("0.3"), None, Decimal("1.5")]
    assert rules.plan.rewards == Rewards(
        base_salary=2340000, rounding=Rounding(mode="up", step=10000)
    )
    assert ("base_salary", "2340000") not in rules.plan.settings
    assert pickle.loads(pickle.dumps(rules)).plan.rewards == rules.plan.rewards


def test_the_printer_writes_what_the_parser_reads() -> None:
    text = format_module(parse(RULES))
    assert "  round rewards up to 10000\n" in text and "  reward 0.3\n" in text
    assert format_module(parse(text)) == text


def test_result_amounts_funds_and_the_callers_base_salary() -> None:
    result = emurules.compile(RULES).evaluate(PEOPLE)
    assert result.base_salary == 2340000
    assert result.reward("a") == Decimal("0.3") and result.reward("b") is None
    assert result.amount("P1", "a") == 710000
    assert result.amount("P2", "a") is None  # did not receive it
    assert result.amount("P1", "b") is None  # no reward
    assert result.fund("a") == 1420000 and result.fund("c") == 2 * 3510000
    assert result.fund("b") is None
    other = emurules.compile(RULES).evaluate(PEOPLE, base_salary=1390000)
    assert other.base_salary == 1390000 and other.amount("P3", "a") == 420000
    with pytest.raises(emurules.UnknownNameError):
        result.amount("P1", "nope")


def test_without_a_base_salary_there_are_no_amounts() -> None:
    rules = emurules.compile(RULES.replace("  base_salary 2340000\n", ""))
    result = rules.evaluate(PEOPLE)
    assert result.base_salary is None and result.reward("a") == Decimal("0.3")
    assert result.amount("P1", "a") is None and result.fund("a") is None


@pytest.mark.parametrize("value", [0, -5, Decimal("NaN"), Decimal("-1")])
def test_a_base_salary_must_be_above_zero(value: object) -> None:
    with pytest.raises(UsageError, match="above zero"):
        emurules.compile(RULES).evaluate(PEOPLE, base_salary=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [2340000.0, "2340000", True])
def test_a_base_salary_is_an_int_or_a_decimal(value: object) -> None:
    with pytest.raises(UsageTypeError, match="not a float"):
        emurules.compile(RULES).evaluate(PEOPLE, base_salary=value)  # type: ignore[arg-type]


def test_zero_base_salary_or_step_is_a_checker_error() -> None:
    text = RULES.replace("2340000", "0").replace("to 10000", "to 0")
    found = [(d.code, d.span.line if d.span else None) for d in diagnostics(text)]
    assert found == [("E0107", 3), ("E0107", 4)]


def test_a_second_reward_clause_is_an_error() -> None:
    found = diagnostics(RULES.replace("  reward 0.3\n", "  reward 0.3\n  reward 0.4\n"))
    assert [(d.code, d.span.line if d.span else None) for d in found] == [("E0105", 11)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2340000", 2340000), ("2.340.000", 2340000), ("2,340,000", 2340000), ("1 390 000", 1390000)],
)
def test_the_command_line_reads_an_amount_as_an_office_writes_it(text: str, expected: int) -> None:
    assert base_salary(text) == expected


@pytest.mark.parametrize("text", ["0", "2.34", "2,340.000", "-1", "2340000đ", "", "1.5e6"])
def test_the_command_line_refuses_other_amounts(text: str) -> None:
    with pytest.raises(UsageError, match="--base-salary"):
        base_salary(text)


def test_rank_base_salary_flag_reaches_the_result() -> None:
    law = ROOT / "examples" / "law-2022"
    command = [sys.executable, "-m", "emurules", "rank", str(law / "criteria.emu")]
    command += ["--data", str(law / "data"), "--format", "json", "--base-salary", "abc"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "--base-salary 'abc'" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_the_published_criteria_state_rewards_in_both_languages() -> None:
    from emurules.report.doc import to_markdown

    rules = emurules.compile(RULES)
    vi = to_markdown(rules.plan, "vi", schema=rules.schema)
    assert "- Tiền thưởng tính theo mức lương cơ sở 2.340.000 đồng." in vi
    assert "- Tiền thưởng được làm tròn lên thành bội số của 10.000 đồng." in vi
    assert vi.count("Tiền thưởng: 0,3 lần mức lương cơ sở") == 1
    assert vi.count("Tiền thưởng: 1,5 lần mức lương cơ sở") == 1
    en = to_markdown(rules.plan, "en", schema=rules.schema)
    assert "Reward: 0.3 times the base salary for each recipient." in en
    assert "rounded up to a multiple of 10000 dong" in en


def test_amounts_never_depend_on_the_callers_decimal_context() -> None:
    import decimal

    rewards = Rewards(rounding=Rounding(mode="nearest", step=10000))
    expected = rewards.amount(Decimal("0.8"), Decimal(2345678))
    result = emurules.compile(RULES).evaluate(PEOPLE, base_salary=1234567)
    funds = (result.fund("a"), result.fund("c"))
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        assert rewards.amount(Decimal("0.8"), Decimal(2345678)) == expected == 1880000
        assert (result.fund("a"), result.fund("c")) == funds == (760000, 3720000)


def test_without_a_rounding_rule_amounts_are_whole_dong() -> None:
    """The đồng has no smaller unit: 0.3 × 1,390,001 = 417,000.3 is paid as 417,000, and
    the fund is the sum of what is paid."""
    assert Rewards().amount(Decimal("0.3"), Decimal(1390001)) == 417000
    assert Rewards().amount(Decimal("0.5"), Decimal(1390001)) == 695001  # 695,000.5
    result = emurules.compile(RULES.replace("  round rewards up to 10000\n", "")).evaluate(
        PEOPLE, base_salary=1390001
    )
    assert result.amount("P1", "a") == 417000 and result.fund("a") == 834000


REPLACING = RULES.replace("  reward 1.5\n", "  requires a\n  reward 1.5 replaces a\n")


def test_a_higher_titles_reward_replaces_the_lower_ones() -> None:
    """P1 and P3 receive both a and c; for one achievement only c's reward is paid."""
    result = emurules.compile(REPLACING).evaluate(PEOPLE)
    assert result.amount("P1", "a") == 0 and result.replaced_by("P1", "a") == "c"
    assert result.amount("P1", "c") == 3510000 and result.replaced_by("P1", "c") is None
    assert result.fund("a") == 0 and result.fund("c") == 2 * 3510000
    text = format_module(parse(REPLACING))
    assert "  reward 1.5 replaces a\n" in text and format_module(parse(text)) == text


def test_replacing_an_unknown_title_or_in_a_cycle_is_an_error() -> None:
    unknown = diagnostics(REPLACING.replace("replaces a", "replaces nope"))
    assert [d.code for d in unknown] == ["E0207"]
    itself = diagnostics(REPLACING.replace("replaces a", "replaces c"))
    assert [d.code for d in itself] == ["E0207"]
    cycle = REPLACING.replace("  when ok\n  reward 0.3\n", "  when ok\n  reward 0.3 replaces c\n")
    found = diagnostics(cycle)
    assert [d.code for d in found] == ["E0401"]
    assert "a -> c -> a" in found[0].message.text("en")


def test_law_2022_pays_the_highest_title_only() -> None:
    import csv

    law = ROOT / "examples" / "law-2022"

    def rows(name: str) -> list[dict[str, str]]:
        with (law / "data" / f"{name}.csv").open(encoding="utf-8-sig") as file:
            return list(csv.DictReader(file))

    rules = emurules.load(law / "criteria.emu")
    data = {"collective": rows("collective"), "individual": rows("individual")}
    result = rules.evaluate(data, history=rows("history"))
    fighters = set(result.recipients("grassroots_fighter"))
    for key in result.recipients("advanced_worker"):
        assert result.amount(key, "advanced_worker") == (0 if key in fighters else 710000)
    total = sum(result.fund(a.name) or 0 for a in result.awards)
    assert total == 264310000  # 287,450,000 if every title were paid


def test_json_and_reports_say_the_base_salary_and_each_titles_reward_and_fund() -> None:
    from emurules.report.export import to_json, to_markdown

    result = emurules.compile(REPLACING).evaluate(PEOPLE, base_salary=1390000)
    data = result.to_json()
    assert data["base_salary"] == "1390000" and list(data)[4] == "base_salary"
    awards = {a["name"]: a for a in data["awards"]}
    assert (awards["a"]["reward"], awards["a"]["fund"]) == ("0.3", "0")
    assert (awards["c"]["reward"], awards["c"]["fund"]) == ("1.5", "4180000")  # 2 × 2,090,000
    assert "reward" not in awards["b"] and "fund" not in awards["b"]
    assert to_json(result) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert "mức lương cơ sở 1.390.000 đồng" in to_markdown(result, "vi")
    unpaid = emurules.compile(REPLACING.replace("  base_salary 2340000\n", "")).evaluate(PEOPLE)
    assert "base_salary" not in unpaid.to_json()
    assert "fund" not in unpaid.to_json()["awards"][0]


def test_a_base_salary_in_the_thousands_is_warned_about() -> None:
    law = ROOT / "examples" / "law-2022"
    command = [sys.executable, "-m", "emurules", "rank", str(law / "criteria.emu")]
    command += ["--lang", "en", "--data", str(law / "data"), "--format", "csv"]
    command += ["--base-salary", "2.340"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "warning: --base-salary 2.340 is 2340 dong" in done.stderr
    command[-1] = "2.340.000"
    assert "--base-salary" not in subprocess.run(command, capture_output=True, text=True).stderr
