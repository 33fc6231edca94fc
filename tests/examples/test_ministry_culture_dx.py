"""The ministry-culture-dx example: its README runs as shown, its data is reproducible,
and the ranking keeps the plan's quotas and the members' rule."""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

import emurules
from tests.examples import worked
from tests.examples.worked import assert_page_shows, check_readme, regenerated, unrecorded
from tests.helpers import ROOT

__all__ = ["unrecorded"]  # the fixture: this module records no golden results

HERE = ROOT / "examples" / "ministry-culture-dx"


def read(name: str) -> list[dict[str, str]]:
    return worked.read(HERE, name)


@pytest.fixture(scope="module")
def result() -> emurules.Result:
    rules = emurules.load(HERE / "criteria.emu")
    return rules.evaluate({"unit": read("unit"), "staff": read("staff")})


def test_the_readme_commands_run_and_show_what_they_print(tmp_path: Path) -> None:
    ran = check_readme(HERE / "README.md", tmp_path)
    assert_page_shows(ROOT / "docs" / "how-to" / "ministry-culture-dx.md", ran)
    assert [c.line.split()[1] for c, _ in ran] == [
        "check",
        "rank",
        "explain",
        "test",
        "doc",
        "rank",
    ]
    assert [c.excerpt is not None for c, _ in ran] == [True] * 5 + [False]
    assert (tmp_path / "decision.docx").stat().st_size > 0


def test_the_generator_writes_the_data_again(tmp_path: Path) -> None:
    committed = {p.name: p.read_bytes() for p in sorted((HERE / "data").iterdir())}
    assert regenerated(HERE / "generate.py", tmp_path) == committed
    assert all(len(data) < 300_000 for data in committed.values())
    assert len(read("unit")) == 40 and 1_900 <= len(read("staff")) <= 2_100


def test_the_bang_khen_quota_of_each_unit(result: emurules.Result) -> None:
    staff = defaultdict(int)
    for row in read("staff"):
        staff[row["Đơn vị công tác"]] += 1
    given = defaultdict(list)
    for key in result.recipients("minister_merit"):
        given[key.split("-")[0]].append(key)
    for unit, keys in given.items():
        assert len(keys) <= max(1, math.floor(Decimal("0.03") * staff[unit])), unit
    cut = [o for o in result.outcomes["minister_merit"].values() if o.qualified and not o.received]
    assert cut, "the quota cuts someone: the example shows it"
    for outcome in cut:  # whoever is cut scores no more than the unit's recipients
        unit = outcome.key.split("-")[0]
        lowest = min(result.subject(k).score for k in given[unit])
        assert result.subject(outcome.key).score <= lowest


def test_a_flag_needs_every_member_through_the_programme(result: emurules.Result) -> None:
    skilled: dict[str, list[bool]] = defaultdict(list)
    for row in read("staff"):
        skilled[row["Đơn vị công tác"]].append(
            row["Hoàn thành chương trình Bình dân học vụ số"] == "có"
        )
    blocks = {row["Mã đơn vị"]: row["Khối thi đua"] for row in read("unit")}
    flags = result.recipients("ministry_flag")
    assert len({blocks[key] for key in flags}) == len(flags) == 3  # one per block
    assert all(all(skilled[key]) for key in flags)
    # BVH34 has the score and the task, but five of its staff have not completed it
    assert [c.id for c in result.outcome("BVH34", "ministry_flag").failed] == [
        "everyone",
        "digitised",
    ]
    assert skilled["BVH34"].count(False) == 5
    # BVH02 has the best score of its block but digitised too few records: BVH06 flies it
    assert [c.id for c in result.outcome("BVH02", "ministry_flag").failed] == ["digitised"]
    assert result.subject("BVH02").score > result.subject("BVH06").score
    assert "BVH06" in flags


def test_an_advanced_collective_follows_its_members(result: emurules.Result) -> None:
    advanced = set(result.recipients("advanced_worker"))
    members: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read("staff"):
        members[row["Đơn vị công tác"]].append(row)
    good = {"Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ"}
    for unit in read("unit"):
        rows = members[unit["Mã đơn vị"]]
        share = Decimal(sum(r["Mã cán bộ"] in advanced for r in rows)) / len(rows)
        expected = (
            unit["Mức độ hoàn thành nhiệm vụ"] in good
            and share > Decimal("0.5")
            and not any(r["Hình thức kỷ luật"] == "Cảnh cáo" for r in rows)
        )
        assert result.outcome(unit["Mã đơn vị"], "advanced_collective").received == expected
