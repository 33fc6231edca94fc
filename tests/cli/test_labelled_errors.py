"""Data errors in an office's own words: the column as its file titles it, the range in
words, the kind of subject by its label, the kind of problem in the reader's language; the
error table gives each bad cell's value."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.cli.test_cli import run

CRITERIA = """\
ruleset "Chấm điểm" { year 2025 language vi }
subject unit "Đơn vị" {
  id: text "Mã" key
  points: number "Điểm tự chấm" in 0..100
  share: percent "Tỷ lệ số hóa" >= 50% = 100%
}
score for unit = points
"""


def test_a_labelled_file_is_answered_in_its_own_words(tmp_path: Path) -> None:
    (tmp_path / "c.emu").write_text(CRITERIA, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    rows = "Mã,Điểm tự chấm,Tỷ lệ số hóa\nA,-5,80%\nB,abc,40%\n,70,90%\n"
    (data / "unit.csv").write_text(rows, encoding="utf-8")
    errors = tmp_path / "loi.csv"
    shown = run("rank", str(tmp_path / "c.emu"), "--data", str(data), "--errors-out",
                str(errors), lang=None)  # fmt: skip
    assert shown.returncode == 1
    text = shown.stdout
    assert (
        "unit.csv:row 1:Điểm tự chấm: lỗi[D0103] ngoài phạm vi: "
        "'-5' nằm ngoài phạm vi của Điểm tự chấm (từ 0 đến 100)" in text
    )
    assert (
        "unit.csv:row 2:Tỷ lệ số hóa: lỗi[D0103] ngoài phạm vi:" in text
        and "(từ 50% đến 100%)" in text
    )
    assert "unit.csv:row 3:Mã: lỗi[D0104] thiếu: Đơn vị cần có giá trị cho 'Mã'" in text
    with errors.open(encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    assert [(r["row"], r["column"], r["value"]) for r in table] == [
        ("1", "Điểm tự chấm", "-5"),
        ("2", "Điểm tự chấm", "abc"),
        ("2", "Tỷ lệ số hóa", "40%"),
        ("3", "Mã", ""),
    ]
