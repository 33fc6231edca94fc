"""The province-dx-collectives-individuals example: its README runs as shown, its data is
reproducible, and the ranking keeps the quotas and the members' rules."""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

import emurules
from tests.examples import worked
from tests.examples.worked import (
    assert_page_shows,
    assert_the_usual_commands,
    check_readme,
    regenerated,
    unrecorded,
)
from tests.helpers import ROOT

__all__ = ["unrecorded"]  # the fixture: this module records no golden results

HERE = ROOT / "examples" / "province-dx-collectives-individuals"
EXCELLENT = "Hoàn thành xuất sắc nhiệm vụ"


def read(name: str) -> list[dict[str, str]]:
    return worked.read(HERE, name)


@pytest.fixture(scope="module")
def result() -> emurules.Result:
    rules = emurules.load(HERE / "criteria.emu")
    data = {"collective": read("collective"), "individual": read("individual")}
    return rules.evaluate(data, history=read("history"))


@pytest.fixture(scope="module")
def members() -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read("individual"):
        found[row["Tập thể"]].append(row)
    return found


def test_the_readme_commands_run_and_show_what_they_print(tmp_path: Path) -> None:
    ran = check_readme(HERE / "README.md", tmp_path)
    assert_page_shows(ROOT / "docs" / "how-to" / "province-dx.md", ran)
    assert_the_usual_commands(ran, tmp_path)


def test_the_generator_writes_the_data_again(tmp_path: Path) -> None:
    committed = {p.name: p.read_bytes() for p in sorted((HERE / "data").iterdir())}
    assert regenerated(HERE / "generate.py", tmp_path) == committed
    assert all(len(data) < 300_000 for data in committed.values())
    assert len(read("collective")) == 25 and 550 <= len(read("individual")) <= 650


def test_the_fighter_quota_of_each_collective(result: emurules.Result) -> None:
    advanced = set(result.recipients("advanced_worker"))
    given: dict[str, int] = defaultdict(int)
    for key in result.recipients("grassroots_fighter"):
        given[key.split("-")[0]] += 1
    for unit, count in given.items():
        workers = sum(1 for key in advanced if key.startswith(f"{unit}-"))
        assert count <= math.floor(Decimal("0.15") * workers), unit
    assert len(result.recipients("provincial_flag")) == 1


def test_a_provincial_fighter_has_three_grassroots_years(result: emurules.Result) -> None:
    past = {(r["key"], r["year"]) for r in read("history") if r["award"] == "grassroots_fighter"}
    fighters = set(result.recipients("grassroots_fighter"))
    provincial = result.recipients("provincial_fighter")
    assert provincial
    for key in provincial:
        assert key in fighters and {(key, "2023"), (key, "2024")} <= past


def test_an_excellent_collective_follows_its_members(
    result: emurules.Result, members: dict[str, list[dict[str, str]]]
) -> None:
    advanced = set(result.recipients("advanced_worker"))
    fighters = set(result.recipients("grassroots_fighter"))
    for unit in read("collective"):
        rows = members[unit["Mã tập thể"]]
        share = Decimal(sum(r["Mã cá nhân"] in advanced for r in rows)) / len(rows)
        expected = (
            unit["Mức độ hoàn thành nhiệm vụ"] == EXCELLENT
            and all(r["Mức độ hoàn thành nhiệm vụ"] != "Không hoàn thành nhiệm vụ" for r in rows)
            and share >= Decimal("0.7")
            and any(r["Mã cá nhân"] in fighters for r in rows)
        )
        assert result.outcome(unit["Mã tập thể"], "excellent_collective").received == expected
    # TT19 has the best score, but one member did not complete their tasks
    assert [c.id for c in result.outcome("TT19", "excellent_collective").failed] == ["when2"]
    assert "TT19" not in result.recipients("provincial_flag")


def test_the_flag_needs_every_record_digitised(result: emurules.Result) -> None:
    digitised = {
        r["Mã tập thể"]: r["Tỷ lệ hồ sơ thủ tục hành chính được số hóa"] for r in read("collective")
    }
    for key in result.recipients("provincial_flag"):
        assert digitised[key] in ("", "100%")
