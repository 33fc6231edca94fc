"""The rank reports people read (table, Markdown, HTML) in each language, exactly as the
golden files under golden/rank/<lang>/ say. After an intended change of wording or layout
(or of examples/law-2022) run `pytest tests/report/test_rank_golden.py --update-golden`
and read the diff."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from emurules.report.export import to_markdown
from emurules.report.html import to_html
from emurules.report.text import table_text
from emurules.result import Result
from tests.report.rank_cases import small_law_result

GOLDEN = Path(__file__).parent / "golden" / "rank"


def _table(result: Result, lang: str) -> str:
    return table_text(result, everyone=True, width=160, lang=lang)


WRITERS: dict[str, tuple[str, Callable[[Result, str], str]]] = {
    "table": ("report.txt", _table),
    "md": ("report.md", to_markdown),
    "html": ("report.html", to_html),
}


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("fmt", list(WRITERS))
def test_golden(fmt: str, lang: str, update_golden: bool) -> None:
    name, write = WRITERS[fmt]
    text = write(small_law_result(), lang)
    path = GOLDEN / lang / name
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file; run with --update-golden: {path}"
    assert text == path.read_text(encoding="utf-8")


def test_vietnamese_headers_names_and_numbers() -> None:
    text = to_markdown(small_law_result(), "vi")
    heads = "| Thứ hạng | Mã | Họ và tên | Điểm | Kết quả | Nhóm | Lý do | Tiền thưởng (đồng) |"
    cut = (
        "| 3 | DV02-017 | Đặng Hùng | 75 | ngoài chỉ tiêu | Đơn vị 2 (Khối Kinh tế) (DV02) "
        "| đã đủ chỉ tiêu 2 suất |  |"
    )
    assert heads in text and cut in text
    assert "| Mã | Tên đơn vị | Điểm | Kết quả | Tiền thưởng (đồng) |" in text
    assert "| DV02 | Đơn vị 2 (Khối Kinh tế) | 71,25 | được tặng | 0 |" in text
    assert "| Danh hiệu | Số được xét | Số đạt tiêu chuẩn | Số được tặng | Tổng tiền" in text


def test_english_keeps_the_decimal_point() -> None:
    text = to_markdown(small_law_result(), "en")
    assert "| DV02 | Đơn vị 2 (Khối Kinh tế) | 71.25 | received | 0 |" in text
