"""The terminal report: a table per award and a summary, drawn by rich.

Data text (keys, groups, labels, messages) goes in as `rich.text.Text` after `printable`, never
into markup: a key `[bold]x` or `[/]` reads as typed, and an escape sequence in a cell is shown
as `\\x1b`, never sent to the terminal.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from emurules.i18n import DEFAULT, message, render
from emurules.report.safe import printable
from emurules.report.tables import (
    AWARD_COLUMNS,
    STATUS,
    SUMMARY,
    SUMMARY_COLUMNS,
    award_lines,
    award_title,
    provenance,
    set_aside,
    summary,
    tie_warning,
    title,
    words,
)
from emurules.result import Result

STYLE = {"received": "green", "cut": "yellow", "not qualified": "dim"}
JUSTIFY = ("right", "left", "right", "left", "left", "left")


def _text(text: str, style: str = "") -> Text:
    return Text(printable(text), style=style)


def print_result(
    result: Result,
    console: Console,
    *,
    everyone: bool = False,
    top: int = 0,
    lang: str = DEFAULT,
) -> None:
    """Every award's table (at most `top` rows each when top > 0), a summary, warnings."""
    console.print(_text(render(title(result), lang), "bold"))
    console.print(_text(render(provenance(result), lang), "dim"), soft_wrap=True)
    for award in result.awards:
        heading = render(award_title(award.name, award.label), lang)
        table = Table(title=_text(heading), title_justify="left")
        for column, justify in zip(AWARD_COLUMNS, JUSTIFY, strict=True):
            table.add_column(render(column, lang), justify=justify)  # type: ignore[arg-type]
        lines = award_lines(result, award.name, everyone=everyone, lang=lang)
        shown = lines[:top] if top > 0 else lines
        for line in shown:
            table.add_row(
                _text(line.rank),
                _text(line.key),
                _text(line.score),
                _text(render(STATUS[line.status], lang), STYLE[line.status]),
                _text(line.group),
                _text(words(line.detail, lang)),
            )
        if len(shown) < len(lines):
            table.caption = Text(render(message("core.more", count=len(lines) - len(shown)), lang))
        console.print(table)
    totals = Table(title=render(SUMMARY, lang), title_justify="left")
    for i, column in enumerate(SUMMARY_COLUMNS):
        totals.add_column(render(column, lang), justify="left" if i == 0 else "right")
    for row in summary(result, lang):
        totals.add_row(_text(f"{row['label']} ({row['award']})"), str(row["assessed"]),
                       str(row["qualified"]), str(row["received"]))  # fmt: skip
    console.print(totals)
    for row in summary(result, lang):
        for group in row["ties"]:
            warning = render(tie_warning(row["award"], group), lang)
            console.print(
                Text.assemble(
                    (render(message("report.warning"), lang), "yellow"), " " + printable(warning)
                )
            )
    if result.skipped:
        said, problems = set_aside(result)
        console.print(_text(render(said, lang), "yellow"))
        for problem in problems:
            console.print(_text("  " + render(problem, lang)), soft_wrap=True)


def table_text(
    result: Result,
    *,
    everyone: bool = False,
    top: int = 0,
    width: int = 120,
    color: bool = False,
    lang: str = DEFAULT,
) -> str:
    """The terminal report as a string, for `-o FILE` (written with `files.write_text`)."""
    out = io.StringIO()
    console = Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        emoji=False,
        highlight=False,
        width=width,
    )
    print_result(result, console, everyone=everyone, top=top, lang=lang)
    return out.getvalue()
