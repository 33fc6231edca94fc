"""The national-dx-2025 example: its README runs as shown, its data is reproducible, each
cluster has one leader, and the Prime Minister's Certificate of Merit comes only in the
review years."""

from __future__ import annotations

from collections import Counter
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

HERE = ROOT / "examples" / "national-dx-2025"
CLUSTER = "Cụm, khối thi đua"


def read(name: str) -> list[dict[str, str]]:
    return worked.read(HERE, name)


@pytest.fixture(scope="module")
def rules() -> emurules.Rules:
    return emurules.load(HERE / "criteria.emu")


def evaluate(rules: emurules.Rules, year: int) -> emurules.Result:
    """The data assessed for `year`, with the history of the years before it."""
    history = [row for row in read("history") if int(row["year"]) < year]
    return rules.evaluate({"member": read("member")}, history=history, year=year)


@pytest.fixture(scope="module")
def review(rules: emurules.Rules) -> emurules.Result:
    return evaluate(rules, 2027)


def test_the_readme_commands_run_and_show_what_they_print(tmp_path: Path) -> None:
    ran = check_readme(HERE / "README.md", tmp_path)
    assert_page_shows(ROOT / "docs" / "how-to" / "national-dx-2025.md", ran)
    assert_the_usual_commands(ran, tmp_path)
    assert all("--year 2027" in c.line for c, _ in ran if c.line.split()[1] in ("rank", "explain"))


def test_the_generator_writes_the_data_again(tmp_path: Path) -> None:
    committed = {p.name: p.read_bytes() for p in sorted((HERE / "data").iterdir())}
    assert regenerated(HERE / "generate.py", tmp_path) == committed
    members = read("member")
    tiers = Counter(row["Loại đơn vị"] for row in members)
    assert tiers == {
        "Tỉnh, thành phố trực thuộc trung ương": 34,
        "Bộ, ngành, cơ quan trung ương": 28,
    }
    assert len({row[CLUSTER] for row in members}) == 7
    assert {row["year"] for row in read("history")} == {"2025", "2026"}


def test_one_leader_per_cluster(review: emurules.Result) -> None:
    cluster = {row["Mã đơn vị"]: row[CLUSTER] for row in read("member")}
    leaders = Counter(cluster[key] for key in review.recipients("cluster_leader"))
    assert leaders == Counter(set(cluster.values()))  # every cluster, once
    for key in review.recipients("cluster_leader"):  # the best qualified of its cluster
        rivals = [
            o.key
            for o in review.outcomes["cluster_leader"].values()
            if o.qualified and cluster[o.key] == cluster[key]
        ]
        assert review.subject(key).score == max(review.subject(k).score for k in rivals)
    # Bắc Ninh qualified but Hà Nội leads the cluster
    assert review.outcome("T12", "cluster_leader").qualified
    assert "T10" in review.recipients("cluster_leader")
    assert "T12" not in review.recipients("cluster_leader")


def test_the_phase_award_only_in_review_years(rules: emurules.Rules) -> None:
    given = {year: evaluate(rules, year).recipients("phase_award") for year in (2026, 2027, 2028)}
    assert given[2026] == () and given[2028] == ()
    assert len(given[2027]) == 9
    # in 2030 the same rule reads 2028-2030: outstanding years 2028 and 2029 give it again
    past = [
        {"key": k, "year": y, "award": "outstanding"} for k in ("B21", "T07") for y in (2028, 2029)
    ]
    data = {"member": read("member")}
    final = rules.evaluate(data, history=past, year=2030).recipients("phase_award")
    assert set(final) == {"B21", "T07"}
    for key in final:
        assert evaluate(rules, 2029).outcome(key, "phase_award").failed[0].id == "review"


def test_a_certificate_needs_three_outstanding_years(review: emurules.Result) -> None:
    outstanding = {
        (row["key"], row["year"]) for row in read("history") if row["award"] == "outstanding"
    }
    now = set(review.recipients("outstanding"))
    for key in review.recipients("phase_award"):
        assert key in now and {(key, "2025"), (key, "2026")} <= outstanding
    # Thái Nguyên leads its cluster in 2027 but was not outstanding in 2026
    assert "T08" in review.recipients("cluster_leader")
    assert [c.id for c in review.outcome("T08", "phase_award").failed] == ["streak"]
