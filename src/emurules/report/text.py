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
    SUMMARY,
    award_columns,
    award_lines,
    award_title,
    league_columns,
    league_lines,
    lines_count,
    provenance,
    set_aside,
    summary,
    summary_columns,
    summary_text,
    tie_warnings,
    title,
)
from emurules.result import Result

STYLE = {"received": "green", "cut": "yellow", "not qualified": "dim"}


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
    """Every award's table (only its `top` best when top > 0), a summary, warnings."""
    console.print(_text(render(title(result), lang), "bold"))
    console.print(_text(render(provenance(result), lang), "dim"), soft_wrap=True)
    for award in result.awards:
        heading = render(award_title(award.name, award.label), lang)
        table = Table(title=_text(heading), title_justify="left")
        lines = award_lines(result, award.name, everyone=everyone, lang=lang, top=top)
        columns = award_columns(result, award, lines, lang)
        for column in columns:
            table.add_column(_text(column.heading), justify="right" if column.numeric else "left")
        for line in lines:
            table.add_row(
                *(
                    _text(line.text(c.id, lang), STYLE[line.status] if c.id == "status" else "")
                    for c in columns
                )
            )
        more = lines_count(result, award.name, everyone=everyone) - len(lines)
        if more > 0:
            table.caption = Text(render(message("core.more", count=more), lang))
        console.print(table)
    for ranking in result.rankings:
        heading = render(award_title(ranking.name, ranking.label), lang)
        table = Table(title=_text(heading), title_justify="left")
        lines = league_lines(result, ranking, lang, top)
        columns = league_columns(result, ranking, lines, lang)
        for column in columns:
            table.add_column(_text(column.heading), justify="right" if column.numeric else "left")
        for line in lines:
            table.add_row(*(_text(line.text(c.id, lang)) for c in columns))
        console.print(table)
    rows = summary(result, lang)
    if rows:  # a score sheet with league tables only has no titles to sum up
        totals = Table(title=render(SUMMARY, lang), title_justify="left")
        named = summary_columns(rows, lang)
        for column in named:
            totals.add_column(column.heading, justify="right" if column.numeric else "left")
        for row in rows:
            totals.add_row(*(_text(summary_text(row, c.id, lang)) for c in named))
        console.print(totals)
    for row in rows:
        for said in tie_warnings(row):
            warning = render(said, lang)
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
