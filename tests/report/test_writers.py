"""Nothing in a cell acts on the reader: hostile keys, groups and labels in every report."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

import emurules
from emurules.report import doc, export
from emurules.report.html import to_html
from emurules.report.safe import FORMULA_START
from emurules.report.text import print_result
from tests.report.hostile import GROUPS, KEYS, LABEL, hostile_result

RESULT = hostile_result()
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def test_csv_text_cells_never_start_like_a_formula() -> None:
    rows = list(csv.DictReader(io.StringIO(export.to_csv(RESULT))))
    assert len(rows) == len(KEYS)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_START) or (
                column in ("score",) and NUMBER.fullmatch(cell)
            ), (column, cell)
    keys = {row["key"] for row in rows}
    assert "'" + KEYS[0] in keys and "'+1" in keys and "'-2" in keys and "'@SUM(A1)" in keys
    assert {"[bold]x", "a|b\nc", "\x1b[31mred"} <= keys  # only a formula start is changed
    assert {row["group"] for row in rows} == {"'" + g for g in GROUPS}
    scores = {row["key"]: row["score"] for row in rows}
    assert scores["'-2"] == "-2.5" and scores["'+1"] == "-1.5"


def test_csv_numbers_stay_numbers() -> None:
    rules = emurules.compile(
        'ruleset "r" { year 2025 }\n'
        "subject s { id: text key  g: int  p: number }\n"
        "score for s = p\n"
        'award a "A" for s { when p < 0  rank by score desc  quota 1 within g }\n'
    )
    result = rules.evaluate({"s": [{"id": "K", "g": "-4", "p": "-2.5"}]}, year=2025)
    (row,) = csv.DictReader(io.StringIO(export.to_csv(result)))
    assert (row["score"], row["group"], row["rank"]) == ("-2.5", "-4", "1")


def test_xlsx_cells_are_strings_never_formulas(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from emurules.report.xlsx import write_xlsx

    out = tmp_path / "r.xlsx"
    write_xlsx(RESULT, out)
    book = openpyxl.load_workbook(out)
    page = book["top"]
    cells = [c for row in page.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for s in book.worksheets for r in s.iter_rows() for c in r)
    keys = {page.cell(row=r, column=2).value for r in range(2, page.max_row + 1)}
    assert {KEYS[0], "+1", "-2", "@SUM(A1)", "[bold]x"} <= keys  # exactly as typed
    assert "\\x1b[31mred" in keys and "nul\\x00bell\\x07" in keys  # escaped, not refused
    formula_like = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula_like and all(c.data_type == "s" and c.quotePrefix for c in formula_like)
    scores = [page.cell(row=r, column=3).value for r in range(2, page.max_row + 1)]
    assert all(isinstance(s, float) and s < 0 for s in scores)
    summary = book["Summary"]
    assert summary["B2"].value == LABEL.replace("\x1b", "\\x1b").replace("\r", "\\r")


def test_xlsx_score_with_many_decimals(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from emurules.report.xlsx import write_xlsx

    rules = emurules.compile(
        'ruleset "r" { year 2025 }\nsubject s { id: text key  p: number }\n'
        'score for s = p / 3\naward a "A" for s { when p > 0 }\n'
    )
    result = rules.evaluate({"s": [{"id": "K", "p": "1"}]}, year=2025)
    write_xlsx(result, tmp_path / "r.xlsx")
    score = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[1]["C2"].value
    assert score == pytest.approx(1 / 3)


def hostile_console(color: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    console = Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=200,
        emoji=False,
        highlight=False,
    )
    return console, out


def test_terminal_table_shows_data_literally() -> None:
    console, out = hostile_console(color=False)
    print_result(RESULT, console, everyone=True)
    text = out.getvalue()
    assert "\x1b" not in text and "\u202e" not in text and "\u2028" not in text
    assert "\x00" not in text and "\x07" not in text
    for shown in ("[bold]x", "[/]", "[link=https://x]l", "\\x1b[31mred", "a|b\\nc", "x\\u2028y",
                  "rtl\\u202eevil", "nul\\x00bell\\x07", "[bold]Top|x\\x1b[31m\\u2028[/]\\rz",
                  "=1+1 [bold]R|x\\x1b[2J"):  # fmt: skip
        assert shown in text, shown


def test_terminal_table_in_colour_sends_only_rich_styles() -> None:
    console, out = hostile_console(color=True)
    print_result(RESULT, console, everyone=True)
    text = out.getvalue()
    assert "\\x1b[31mred" in text
    # every escape sequence is a colour set by the report (SGR), none comes from the data
    assert re.sub(r"\x1b\[[0-9;]*m", "", text).count("\x1b") == 0
    assert "\x1b[31mred" not in text and "\x1b[2J" not in text
    assert "\x1b]8;" not in text  # no hyperlink from [link=...]


def test_table_text_for_a_file() -> None:
    from emurules.report.text import table_text

    text = table_text(RESULT, everyone=True)
    assert "\x1b" not in text and "[bold]x" in text


def test_markdown_cells_stay_in_their_row() -> None:
    text = export.to_markdown(RESULT)
    assert "\x1b" not in text and "\u2028" not in text and "\r" not in text
    table = [line for line in text.split("\n") if line.startswith("| ") and "---" not in line]
    widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table[1:]}
    assert len(table) == 3 + len(KEYS) and widths == {5, 7}
    assert "\\[bold\\]x" in text and "a\\|b\\nc" in text and "x\\u2028y" in text


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(v or "" for _, v in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_escapes_everything() -> None:
    page = to_html(RESULT)
    parser = Collect()
    parser.feed(page)
    assert parser.tags.count("script") == 2  # the report's data and its own script
    assert "a" not in parser.tags and "b" not in parser.tags
    assert "\x1b" not in page and "\u202e" not in page
    text = "".join(parser.text)
    assert '=HYPERLINK("http://x","click")' in text and "[link=https://x]l" in text


HOSTILE_DOC = """
ruleset "Title|x\u2028y </script><script>alert(1)</script>" { year 2025 }
enum rating ordered { low, mid, high }
subject s { id: text key  t: rating  code: text = "" }
criterion c "Points | for\rtask" for s = case code {
  "a|b": 1,
  "</td><script>": 2,
  else: 0
}
score for s = c
award a "Award\u2029[x]|" for s { when t >= mid "Good|task" }
"""


def test_document_tables_keep_their_shape() -> None:
    rules = emurules.compile(HOSTILE_DOC)
    text = doc.to_markdown(rules.plan)
    assert "\u2028" not in text and "\u2029" not in text and "\r" not in text
    rows = [line for line in text.split("\n") if line.startswith("|")]
    assert len(rows) == 5
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 3 for row in rows)
    assert '| "a\\|b" | 1 |' in text
    assert "Points | for\\rtask" in text and "Award\\u2029[x]|" in text


def test_document_html_escapes_and_keeps_cells_whole() -> None:
    page = doc.to_html(emurules.compile(HOSTILE_DOC).plan)
    parser = Collect()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "<td>&quot;a|b&quot;</td>" in page
    assert "&lt;/td&gt;&lt;script&gt;" in page
