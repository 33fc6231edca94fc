"""`emurules N` in the header: the version of the criteria language a file is written in."""

from __future__ import annotations

from emurules.limits import LANGUAGE_VERSION
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module
from tests.helpers import diagnostics

HEADER = 'ruleset "x" {\n  emurules VERSION\n  year 2025\n}\nsubject s {\n  id: text key\n}\n'


def test_the_version_this_emurules_reads_passes_and_prints_back() -> None:
    text = HEADER.replace("VERSION", str(LANGUAGE_VERSION))
    assert diagnostics(text) == []
    assert format_module(parse(text)) == text


def test_another_version_is_refused_where_it_is_written() -> None:
    found = diagnostics(HEADER.replace("VERSION", str(LANGUAGE_VERSION + 1)))
    assert [(d.code, d.span.line if d.span else 0) for d in found] == [("E0107", 2)]
    assert "version 2 of the emurules language" in found[0].message.text("en")
    assert "phiên bản 2 của ngôn ngữ emurules" in found[0].message.text("vi")
