"""`printable` and the cell functions: what every writer uses to show data text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from emurules.report.safe import defuse_formula, markdown_text, printable, xlsx_text


def test_printable_escapes_what_acts_on_a_terminal() -> None:
    assert printable("\x1b[31mred") == "\\x1b[31mred"
    assert printable("a\nb\rc\td\x7f\x85") == "a\\nb\\rc\\td\\x7f\\x85"
    assert printable("x\u2028y\u2029z") == "x\\u2028y\\u2029z"
    assert printable("rtl\u202eevil\u2066\u2069") == "rtl\\u202eevil\\u2066\\u2069"
    assert printable("tag\U000e0041") == "tag\\U000e0041"
    assert printable("lone \ud800") == "lone \\ud800"


def test_printable_keeps_vietnamese_and_paths() -> None:
    for text in (
        "Nguyễn Thị Hồng Nhung",
        "Cờ thi đua",
        "C:\\data\\cá_nhân.csv",
        "a  b",
        "x\u00a0y",
    ):
        assert printable(text) == text


def test_printable_can_keep_line_breaks() -> None:
    assert printable("a\nb\x1b", newlines=True) == "a\nb\\x1b"


@given(st.text())
def test_printable_output_has_no_hidden_character(text: str) -> None:
    shown = printable(text)
    assert all(unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Zl", "Zp"} for c in shown)


def test_defuse_formula() -> None:
    for text in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert defuse_formula(text) == "'" + text
    for text in ("DV02", "a=b", "", " =x"):
        assert defuse_formula(text) == text


def test_xlsx_text_escapes_what_xml_cannot_hold() -> None:
    assert xlsx_text("a\x00b\x1bc\x0bd\r\tok\nok") == "a\\x00b\\x1bc\\x0bd\\r\tok\nok"


def test_markdown_text_stays_in_its_cell() -> None:
    assert markdown_text("a|b\nc") == "a\\|b\\nc"
    assert markdown_text("x\u2028y\r") == "x\\u2028y\\r"
    assert markdown_text("[click](http://x) <b>*em*</b>") == (
        "\\[click\\](http://x) \\<b\\>\\*em\\*\\</b\\>"
    )
    assert markdown_text("emulation_flag") == "emulation_flag"
    assert markdown_text("_em_") == "\\_em\\_"
