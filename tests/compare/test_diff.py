"""`emurules.compare.diff`: two versions of the criteria on one population."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emurules
from emurules.compare.diff import diff
from emurules.compare.report import reason, to_html, to_json, to_markdown, to_table

OLD = """\
ruleset "Thi đua" { version "1" year 2025 base_salary 1000000 }
subject person "Cá nhân" {
  id: text key
  name: text "Họ và tên"
  unit: text
  initiatives: int >= 0 = 0
  hours: number >= 0 = 0
}
criterion ideas "Sáng kiến" for person max 60 = 20 * initiatives
criterion learning "Bồi dưỡng" for person max 40 = min(hours, 40)
score for person = ideas + learning
award worker "Lao động tiên tiến" for person {
  when active: initiatives >= 1 "có sáng kiến"
  reward 0.3
}
award fighter "Chiến sĩ thi đua" for person {
  requires worker
  rank by score desc
  quota 1 within unit
  reward 1.0
}
"""
# The new version: learning counts half, and a new field lets training alone qualify.
NEW = (
    OLD.replace('version "1"', 'version "2"')
    .replace("= min(hours, 40)", "= min(hours, 40) / 2")
    .replace("  hours: number >= 0 = 0\n", "  hours: number >= 0 = 0\n  certified: bool = false\n")
    .replace(
        'when active: initiatives >= 1 "có sáng kiến"',
        'when active: initiatives >= 1 or certified "có sáng kiến hoặc chứng chỉ"',
    )
)
PEOPLE = [
    {"id": "A", "name": "An", "unit": "U1", "initiatives": 1, "hours": 40, "certified": False},
    {"id": "B", "name": "Bình", "unit": "U1", "initiatives": 2, "hours": 0, "certified": False},
    {"id": "C", "name": "Chi", "unit": "U2", "initiatives": 0, "hours": 10, "certified": True},
]


def run(old: str = OLD, new: str = NEW, people: list[dict[str, object]] = PEOPLE) -> object:
    return diff(emurules.compile(old), emurules.compile(new), {"person": people})


def test_who_gains_and_who_loses_with_each_sides_reason() -> None:
    found = diff(emurules.compile(OLD), emurules.compile(NEW), {"person": PEOPLE})
    worker, fighter = found.awards
    assert (worker.before, worker.after) == (2, 3)
    assert [c.key for c in worker.gained] == ["C"] and worker.lost == ()
    gained = worker.gained[0]
    assert gained.name == "Chi"
    assert reason(gained.before).text("vi") == "không đạt: có sáng kiến"
    assert reason(gained.after).text("en") == "received"
    # A (60 + 40 = 100) led B (40); now A has 20 + 20 = 40 and B 40: the key decides
    assert [c.key for c in fighter.lost] == [] and [c.key for c in fighter.gained] == ["C"]
    assert (worker.fund_before, worker.fund_after) == (Decimal(600000), Decimal(900000))
    assert found.changed
    assert [(s.key, s.before, s.after) for s in found.scores] == [
        ("A", Decimal(60), Decimal(40)),
        ("C", Decimal(10), Decimal(5)),
    ]
    assert found.ignored_old.columns == {"person": ("certified",)}
    assert found.ignored_new.empty


def test_a_title_lost_to_the_quota_says_so() -> None:
    people = [dict(p) for p in PEOPLE]
    people[1]["hours"] = 10  # B: 40 + 10 = 50 < A: 20 + 40 = 60; after, 45 > 20 + 20 = 40
    found = diff(emurules.compile(OLD), emurules.compile(NEW), {"person": people})
    fighter = found.awards[1]
    assert [c.key for c in fighter.lost] == ["A"] and [c.key for c in fighter.gained][:1] == ["B"]
    lost = fighter.lost[0]
    assert reason(lost.before).text("en") == "received, ranked 1"
    assert reason(lost.after).text("vi") == "đạt tiêu chuẩn, ngoài chỉ tiêu (xếp thứ 2)"


def test_swapping_the_versions_swaps_gains_and_losses() -> None:
    there = diff(emurules.compile(OLD), emurules.compile(NEW), {"person": PEOPLE})
    back = diff(emurules.compile(NEW), emurules.compile(OLD), {"person": PEOPLE})
    for a, b in zip(there.awards, back.awards, strict=True):
        assert [c.key for c in a.gained] == [c.key for c in b.lost]
        assert [c.key for c in a.lost] == [c.key for c in b.gained]
    assert {(s.key, s.delta) for s in there.scores} == {(s.key, -s.delta) for s in back.scores}  # type: ignore[operator]


people_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "unit": st.sampled_from(["U1", "U2"]),
            "initiatives": st.integers(0, 4),
            "hours": st.integers(0, 60),
            "certified": st.booleans(),
        }
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(people_strategy)
def test_a_version_compared_with_itself_changes_nothing(people: list[dict[str, object]]) -> None:
    rows = [{"id": f"P{i}", "name": f"N{i}", **p} for i, p in enumerate(people)]
    rules = emurules.compile(NEW)
    found = diff(rules, rules, {"person": rows})
    assert not found.changed and found.scores == ()
    assert all(not a.gained and not a.lost and a.before == a.after for a in found.awards)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(people_strategy)
def test_recipients_after_are_recipients_before_plus_gained_minus_lost(
    people: list[dict[str, object]],
) -> None:
    rows = [{"id": f"P{i}", "name": f"N{i}", **p} for i, p in enumerate(people)]
    found = diff(emurules.compile(OLD), emurules.compile(NEW), {"person": rows})
    for award in found.awards:
        before = set(found.old_result.recipients(award.name))
        after = set(found.new_result.recipients(award.name))
        assert after == (before | {c.key for c in award.gained}) - {c.key for c in award.lost}
        assert award.after - award.before == len(award.gained) - len(award.lost)


def test_a_title_only_one_version_has() -> None:
    new = NEW + 'award star "Ngôi sao" for person {\n  when initiatives >= 2\n}\n'
    found = diff(emurules.compile(OLD), emurules.compile(new), {"person": PEOPLE})
    star = found.awards[-1]
    assert (star.name, star.side, star.before, star.after) == ("star", "new", 0, 1)
    assert [c.key for c in star.gained] == ["B"]
    assert reason(star.gained[0].before).text("en") == "not assessed"
    assert "only in the new version" in to_markdown(found, "en")


def test_histogram_rows() -> None:
    found = diff(emurules.compile(OLD), emurules.compile(NEW), {"person": PEOPLE})
    assert found.histogram("person") == [
        (Decimal(-20), Decimal(-20), 1),
        (Decimal(-5), Decimal(-5), 1),
    ]
    assert found.histogram("nobody") == []


def test_reports_in_both_languages_and_json(tmp_path: Path) -> None:
    found = diff(emurules.compile(OLD), emurules.compile(NEW), {"person": PEOPLE})
    vi = to_markdown(found, "vi")
    assert vi.startswith("# Những thay đổi giữa hai phiên bản bộ tiêu chí\n")
    assert "| + | C | Chi | không đạt: có sáng kiến | được tặng |" in vi
    assert "Bản cũ không đọc: person: certified" in vi
    en = to_table(found, "en")
    assert "who gains it and who loses it" in en and "Chi" in en
    data = json.loads(json.dumps(to_json(found)))
    assert data["schema"] == "emurules.diff/1" and data["changed"] is True
    assert data["old"]["version"] == "1" and data["new"]["version"] == "2"
    assert data["awards"][0]["gained"][0]["before"]["failed"] == ["active"]
    assert data["awards"][0]["fund_after"] == "900000"
    assert data["scores"][0] == {
        "kind": "person", "key": "A", "name": "An", "before": "60", "after": "40", "change": "-20"
    }  # fmt: skip


def test_html_escapes_what_the_data_says() -> None:
    people = [dict(p) for p in PEOPLE]
    people[2]["name"] = "</td><script>alert(1)</script>"
    page = to_html(diff(emurules.compile(OLD), emurules.compile(NEW), {"person": people}), "en")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_nothing_changed_says_so(lang: str) -> None:
    rules = emurules.compile(OLD)
    rows = [{k: v for k, v in p.items() if k != "certified"} for p in PEOPLE]
    text = to_markdown(diff(rules, rules, {"person": rows}), lang)
    assert ("Nothing changes" if lang == "en" else "Không có thay đổi") in text


def test_a_changed_reward_is_a_change() -> None:
    people = [{k: v for k, v in p.items() if k != "certified"} for p in PEOPLE]
    richer = emurules.compile(OLD.replace("reward 0.3", "reward 0.5"))
    found = diff(emurules.compile(OLD), richer, {"person": people})
    worker = found.awards[0]
    assert not worker.gained and not worker.lost and found.scores == ()
    assert (worker.fund_before, worker.fund_after) == (600000, 1000000)
    assert found.changed and "Nothing changes" not in to_markdown(found, "en")


@pytest.mark.parametrize("blank", [None, ""])  # from JSON, from a CSV file
def test_a_version_without_lineage_ignores_the_predecessor_rows_and_says_so(
    blank: str | None,
) -> None:
    old = (
        'ruleset "c" { year 2025 }\nsubject commune { id: text key  n: number }\n'
        'award good "G" for commune { when streak(good, before) >= 1 or n > 5 }\n'
    )
    new = old + "lineage for commune { held any  past mean }\n"
    history = [
        {"key": "X", "year": 2025, "award": blank, "name": blank, "predecessor": "A"},
        {"key": "A", "year": 2024, "award": "good", "name": blank, "predecessor": blank},
    ]
    found = diff(
        emurules.compile(old), emurules.compile(new), {"commune": [{"id": "X", "n": 1}]},
        history=history,
    )  # fmt: skip
    assert found.ignored_old.history == ("predecessor",)
    assert found.ignored_new.empty
    assert [c.key for c in found.awards[0].gained] == ["X"]
