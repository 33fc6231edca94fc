"""The line that says how many records `--skip-invalid` set aside counts records, not
the problems found in them."""

from __future__ import annotations

import emurules
from emurules.report.tables import set_aside

RULES = 'ruleset "r" { year 2025 }\nsubject p { id: text key\n  n: int >= 0\n  ok: bool }\n'


def test_one_record_with_two_problems_is_one_record() -> None:
    rows = [{"id": "A", "n": -1, "ok": "maybe"}, {"id": "B", "n": 2, "ok": True}]
    result = emurules.compile(RULES).evaluate({"p": rows}, skip_invalid=True)
    heading, lines = set_aside(result)
    assert len(lines) == 2
    assert heading.text("en").startswith("1 record set aside")
    assert heading.text("vi").startswith("1 bản ghi bị để riêng")
