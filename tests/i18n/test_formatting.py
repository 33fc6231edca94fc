"""Numbers, percentages and dates for the reader: English exactly as emurules always wrote
them, Vietnamese with a decimal comma, dots between thousands and day-first dates."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from emurules.i18n import message, render
from emurules.i18n.formatting import Shown, date, number, percent, shown, whole
from emurules.values import MISSING, show


def test_vietnamese_numbers_percents_and_dates() -> None:
    assert number(Decimal("73.33"), "vi") == "73,33"
    assert number(Decimal("12000"), "vi") == "12.000"
    assert number(Decimal("-1234567.5"), "vi") == "-1.234.567,5"
    assert percent(Decimal("0.642"), "vi") == "64,2%"
    assert percent(Decimal("0.642")) == "64.2%"
    assert date(datetime.date(2025, 12, 31), "vi") == "31/12/2025"
    assert date(datetime.date(2025, 12, 31)) == "2025-12-31"
    assert whole(12000, "vi") == "12.000" and whole(12000) == "12,000"


def test_vietnamese_words_for_values() -> None:
    assert shown(MISSING, "vi") == "thiếu"
    assert (shown(True, "vi"), shown(False, "vi")) == ("đúng", "sai")
    assert shown(("a", "b"), "vi") == "2 đối tượng"
    assert shown("DV01", "vi") == "DV01"
    assert shown(Decimal("1E-9"), "vi") == "≈0"


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=4, max_value=10**9),
        st.dates(),
        st.booleans(),
        st.just(MISSING),
        st.text(max_size=5),
    )
)
def test_english_is_written_as_it_always_was(value: object) -> None:
    assert shown(value) == show(value) == Shown(value).text("en")


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6
    )
)
def test_a_vietnamese_number_reads_back_as_the_same_number(value: Decimal) -> None:
    text = number(value, "vi")
    assert "," not in text or text.count(",") == 1
    assert Decimal(text.replace(".", "").replace(",", ".")) == value


def test_a_message_writes_its_values_when_read() -> None:
    line = message("explain.read", name="task_points", value=Shown(Decimal("73.33")))
    assert render(line) == "task_points = 73.33"
    assert render(line, "vi") == "task_points = 73,33"
    counted = message("core.errors", count=12000)
    assert (render(counted), render(counted, "vi")) == ("12,000 errors", "12.000 lỗi")
