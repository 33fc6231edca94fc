"""Office-ready tables: the workbook read back as a person's spreadsheet program reads it,
CSV and JSON kept for machines (names beside keys, never localised), `top`, and the HTML
report small and inert for thousands of people."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

import emurules
from emurules.report.export import BOM, to_csv, to_json, to_markdown
from emurules.report.html import to_html
from emurules.report.tables import award_lines
from tests.golden.results import validate_result
from tests.report.rank_cases import small_law_result
from tests.service.population import law_population, law_rules

HOSTILE = "</script><img src=x onerror=alert(1)>"
PEOPLE = """ruleset "r" { year 2025 }
subject person { id: text key  name: text "Họ và tên"  points: number }
score for person = points
award top "Giỏi" for person { when points > 0 }
"""


def hostile_result() -> emurules.Result:
    rules = emurules.compile(PEOPLE)
    people = [{"id": "A", "name": HOSTILE, "points": "3"},
              {"id": "=1+1", "name": "=HYPERLINK(\"x\")", "points": "-1"}]  # fmt: skip
    return rules.evaluate({"person": people})


def test_workbook_for_people(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from emurules.report.xlsx import write_xlsx

    path = tmp_path / "r.xlsx"
    write_xlsx(small_law_result(), path, "vi")
    book = openpyxl.load_workbook(path)
    names = book.sheetnames
    assert names[0] == "Tổng hợp" and names[-1] == "Nguồn gốc"
    assert "Chiến sĩ thi đua cơ sở" in names and "Bảng xếp hạng khối thi đua" in names
    assert len(names) == 9  # the summary, six titles, the league table, the provenance
    assert all(len(n) <= 31 for n in names) and len({n.casefold() for n in names}) == len(names)
    for sheet in book.worksheets[:-1]:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        widths = [d.width for d in sheet.column_dimensions.values()]
        assert widths and all(4 <= w <= 50 for w in widths)
    summary = book["Tổng hợp"]
    heads = [c.value for c in summary[1]]
    assert heads == ["Danh hiệu", "Tên danh hiệu", "Số được xét", "Số đạt tiêu chuẩn",
                     "Số được tặng", "Chỉ tiêu", "Tỷ lệ được tặng",
                     "Tổng tiền thưởng (đồng)"]  # fmt: skip
    fighter = [c.value for c in summary[3]]
    assert fighter[:6] == ["grassroots_fighter", "Chiến sĩ thi đua cơ sở", 73, 11, 6, 6]
    assert fighter[6] == pytest.approx(6 / 11) and summary[3][6].number_format == "0.0%"
    assert fighter[7] == 6 * 2_340_000 and summary[3][7].number_format == "#,##0"
    page = book["Chiến sĩ thi đua cơ sở"]
    heads = [c.value for c in page[1]]
    assert heads == ["Thứ hạng", "Mã", "Họ và tên", "Điểm", "Kết quả", "Nhóm", "Lý do",
                     "Tiền thưởng (đồng)"]  # fmt: skip
    first = page[2]
    assert [c.value for c in first[:5]] == [1, "DV01-014", "Ngô Trang", 83, "được tặng"]
    assert first[3].number_format == "0.00" and first[7].number_format == "#,##0"
    assert first[7].value == 2_340_000
    statuses = [page.cell(row=r, column=5).value for r in range(2, page.max_row + 1)]
    assert statuses == sorted(statuses, key=["được tặng", "ngoài chỉ tiêu", "không đạt"].index)
    assert page.column_dimensions["B"].width == len("DV01-014") + 3  # fitted to the keys


def test_workbook_sheet_names_are_valid_and_unique(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from emurules.report.xlsx import write_xlsx

    long = "Danh hiệu có một cái tên dài hơn ba mươi mốt ký tự"
    rules = emurules.compile(
        'ruleset "r" { year 2025 }\nsubject s { id: text key  p: number }\n'
        f'award a "{long}" for s {{ when p > 0 }}\n'
        f'award b "{long}" for s {{ when p > 1 }}\n'
        'award c "a/b: c?" for s { when p > 2 }\n'
        'award d "Tổng hợp" for s { when p > 3 }\n'
    )
    path = tmp_path / "r.xlsx"
    write_xlsx(rules.evaluate({"s": [{"id": "K", "p": "5"}]}), path, "vi")
    names = openpyxl.load_workbook(path).sheetnames
    assert names == ["Tổng hợp", "a", "b", "c", "Tổng hợp (2)", "Nguồn gốc"]


def test_workbook_cells_are_never_formulas(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from emurules.report.xlsx import write_xlsx

    path = tmp_path / "r.xlsx"
    write_xlsx(hostile_result(), path)
    page = openpyxl.load_workbook(path)["Giỏi"]
    cells = {c.value: c for row in page.iter_rows(min_row=2) for c in row}
    assert cells["=1+1"].data_type == "s" and cells["=1+1"].quotePrefix
    assert cells['=HYPERLINK("x")'].data_type == "s" and HOSTILE in cells


def test_csv_is_for_machines() -> None:
    text = to_csv(small_law_result())
    assert text.startswith(BOM) and not text.startswith(BOM * 2)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert list(rows[0])[:5] == ["award", "kind", "key", "name", "score"]
    unit = next(r for r in rows if r["award"] == "advanced_collective" and r["key"] == "DV02")
    assert unit["name"] == "Đơn vị 2 (Khối Kinh tế)" and unit["score"] == "71.25"
    # DV02 also carries the flag, whose reward replaces this one's
    assert unit["amount"] == "0" and unit["received"] == "True"
    outside = [r for r in rows if r["received"] == "False"]
    assert outside and all(r["amount"] == "" for r in outside)
    (named,) = [r for r in csv.DictReader(io.StringIO(to_csv(hostile_result())[1:]))
                if r["key"] == "'=1+1"]  # fmt: skip
    assert named["name"] == '\'=HYPERLINK("x")'


def test_csv_top_lists_each_awards_best_first() -> None:
    result = small_law_result()
    rows = list(csv.DictReader(io.StringIO(to_csv(result, top=3)[1:])))
    assert len(rows) == 3 * len(result.awards)
    fighters = [r["key"] for r in rows if r["award"] == "grassroots_fighter"]
    best = award_lines(result, "grassroots_fighter", everyone=True, top=3)
    assert fighters == [line.key for line in best] == ["DV02-013", "DV01-014", "DV02-004"]


def test_json_has_names_and_amounts_and_fits_the_schema() -> None:
    data = json.loads(to_json(small_law_result()))
    validate_result(data)
    person = next(s for s in data["subjects"] if s["key"] == "DV01-014")
    assert list(person)[:3] == ["kind", "key", "name"] and person["name"] == "Ngô Trang"
    fighter = next(a for a in data["awards"] if a["name"] == "grassroots_fighter")
    got = next(o for o in fighter["outcomes"] if o["key"] == "DV01-014")
    assert got["name"] == "Ngô Trang" and got["amount"] == "2340000"
    missed = next(o for o in fighter["outcomes"] if not o["received"])
    assert "amount" not in missed
    rules = emurules.compile('ruleset "r" { year 2025 }\nsubject s { id: text key }\n')
    bare = json.loads(to_json(rules.evaluate({"s": [{"id": "K"}]})))
    assert "name" not in bare["subjects"][0]  # a kind without a display field


def test_markdown_top_shows_the_best_first() -> None:
    text = to_markdown(small_law_result(), "en", top=2)
    section = text.split("## Chiến sĩ thi đua cơ sở (grassroots_fighter)")[1].split("##")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert [r.split(" | ")[1] for r in rows[1:]] == ["DV02-013", "DV01-014"]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_html_escapes_a_hostile_name() -> None:
    page = to_html(hostile_result())
    assert HOSTILE not in page and "<img" not in page
    parser = Tags()
    parser.feed(page)
    assert parser.tags.count("script") == 2 and "img" not in parser.tags
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page  # the row
    assert "\\u003c/script\\u003e\\u003cimg" in page  # the explanation data
    assert "Content-Security-Policy" in page and "img-src 'none'" in page


def test_html_for_2000_people_is_under_2_mb() -> None:
    data, history = law_population(2000)
    result = law_rules().evaluate(data, history=history, year=2025)
    page = to_html(result, "vi")
    size = len(page.encode("utf-8"))
    assert size < 2_000_000, size
    assert page.count("<details data-s=") == 3 * 2000 + 3 * len(data["collective"])
    assert "<pre>" not in page  # explanations are data, drawn when a row is opened
