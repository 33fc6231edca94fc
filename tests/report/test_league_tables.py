"""League tables (`ranking`) in every report: a block's score sheet is often nothing else."""

from __future__ import annotations

import pytest

import emurules
from emurules.errors import UnknownNameError
from emurules.report.export import to_markdown
from emurules.report.html import to_html
from emurules.report.text import table_text

SHEET = """\
ruleset "Chấm điểm khối thi đua" { year 2025 language vi }
subject unit "Đơn vị" display name {
  id: text "Mã" key
  name: text "Tên đơn vị"
  block: text "Khối"
  points: number "Điểm tự chấm" in 0..100
}
score for unit = points
ranking table "Bảng xếp hạng khối" for unit by score desc within block shared
"""
UNITS = [
    {"id": "A", "name": "Sở A", "block": "K1", "points": 80},
    {"id": "B", "name": "Sở B", "block": "K1", "points": 90},
    {"id": "C", "name": "Sở C", "block": "K1", "points": 80},
    {"id": "D", "name": "Sở D", "block": "K2", "points": 70},
]


def _result() -> emurules.Result:
    return emurules.compile(SHEET).evaluate({"unit": UNITS})


def test_the_league_lists_every_subject_group_by_group_with_shared_ranks() -> None:
    result = _result()
    assert [r.name for r in result.rankings] == ["table"]
    assert result.league("table") == (
        ("B", 1, "K1"),
        ("A", 2, "K1"),
        ("C", 2, "K1"),
        ("D", 1, "K2"),
    )
    with pytest.raises(UnknownNameError) as caught:
        result.league("tabel")
    assert caught.value.suggestion == "table"


def test_a_score_sheet_alone_shows_its_league_and_no_empty_summary() -> None:
    result = _result()
    text = table_text(result, lang="vi")
    assert "Bảng xếp hạng khối (table)" in text and "Sở B" in text and "Tổng hợp" not in text
    markdown = to_markdown(result, "vi")
    assert "| 1 | B | Sở B | 90 | K1 |" in markdown and "Danh hiệu" not in markdown
    page = to_html(result, "vi")
    assert 'id="ranking-table"' in page and 'id="summary"' not in page


def test_top_keeps_each_group_s_first_places() -> None:
    markdown = to_markdown(_result(), "vi", top=1)
    assert "| 1 | B |" in markdown and "| 1 | D |" in markdown and "| 2 | A |" not in markdown
