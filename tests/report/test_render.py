"""Diagnostics carry data text (column titles, keys, file names): rendered, it is inert."""

from __future__ import annotations

from emurules.diagnostics import render, render_all
from emurules.source import Diagnostic, Place, Source


def test_data_text_in_a_diagnostic_is_escaped() -> None:
    diagnostic = Diagnostic(
        code="D0101",
        message="unknown column '\x1b]8;;http://x\x07title\x1b]8;;\x07'",
        place=Place(file="cá\u202enhân.csv", row=2, field="\x1b[2J"),
        kind="type",
        notes=("the row reads 'x\u2028y'",),
        hint="did you mean '\x1b[31mred'?",
    )
    for color in (False, True):
        text = render_all([diagnostic], color=color)
        if not color:
            assert "\x1b" not in text
        assert "\x07" not in text and "\u202e" not in text and "\u2028" not in text
        assert "cá\\u202enhân.csv:row 2:\\x1b[2J" in text
        assert "\\x1b]8;;http://x\\x07title" in text and "'x\\u2028y'" in text
        assert "did you mean '\\x1b[31mred'?" in text


def test_the_caret_stays_under_the_span_after_an_escape() -> None:
    source = Source("t.emu", 'criterion c "a\x1bb" for s = bad\n')
    start = source.text.index("bad")
    diagnostic = Diagnostic(
        code="E0201", message="unknown name 'bad'", span=source.span(start, start + 3)
    )
    lines = render(diagnostic).split("\n")
    shown, caret = lines[2], lines[3]
    assert shown == '1 | criterion c "a\\x1bb" for s = bad'
    assert caret.index("^") == shown.index("bad") and caret.count("^") == 3


def test_a_plain_diagnostic_renders_as_before() -> None:
    source = Source("t.emu", "when\ttask >= god\n")
    start = source.text.index("god")
    diagnostic = Diagnostic(
        code="E0201",
        message="unknown name 'god'",
        span=source.span(start, start + 3),
        hint="did you mean 'good'?",
    )
    assert render(diagnostic) == (
        "t.emu:1:14: error[E0201]: unknown name 'god'\n"
        "  |\n"
        "1 | when task >= god\n"
        "  |              ^^^\n"
        "  = help: did you mean 'good'?"
    )
