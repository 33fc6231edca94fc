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

from emurules.report.safe import printable
from emurules.report.tables import award_lines, summary
from emurules.result import Result

STYLE = {"received": "green", "cut": "yellow", "not qualified": "dim"}
COLUMNS = (("rank", "right"), ("key", "left"), ("score", "right"), ("outcome", "left"),
           ("group", "left"), ("why", "left"))  # fmt: skip


def _text(text: str, style: str = "") -> Text:
    return Text(printable(text), style=style)


def print_result(result: Result, console: Console, *, everyone: bool = False, top: int = 0) -> None:
    """Every award's table (at most `top` rows each when top > 0), a summary, warnings."""
    console.print(_text(f"{result.ruleset or 'emurules'}, {result.year}", "bold"))
    for award in result.awards:
        table = Table(
            title=_text(f"{award.label or award.name} ({award.name})"), title_justify="left"
        )
        for column, justify in COLUMNS:
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        lines = award_lines(result, award.name, everyone=everyone)
        shown = lines[:top] if top > 0 else lines
        for line in shown:
            table.add_row(
                _text(line.rank),
                _text(line.key),
                _text(line.score),
                _text(line.status, STYLE[line.status]),
                _text(line.group),
                _text(line.detail),
            )
        if len(shown) < len(lines):
            table.caption = Text(f"... and {len(lines) - len(shown)} more")
        console.print(table)
    totals = Table(title="Summary", title_justify="left")
    for column in ("award", "assessed", "qualified", "received"):
        totals.add_column(column, justify="left" if column == "award" else "right")
    for row in summary(result):
        totals.add_row(_text(f"{row['label']} ({row['award']})"), str(row["assessed"]),
                       str(row["qualified"]), str(row["received"]))  # fmt: skip
    console.print(totals)
    for row in summary(result):
        for group in row["ties"]:
            console.print(
                Text.assemble(
                    ("warning:", "yellow"),
                    printable(
                        f" {row['award']}: a tie at the cut-off in group {group}; "
                        "'on tie include' would award every tied subject"
                    ),
                )
            )
    if result.skipped:
        console.print(
            _text(f"{len(result.skipped)} record(s) set aside (--skip-invalid):", "yellow")
        )
        for problem in result.skipped:
            console.print(
                _text(f"  {problem.place}: {problem.kind}: {problem.message}"), soft_wrap=True
            )


def table_text(
    result: Result, *, everyone: bool = False, top: int = 0, width: int = 120, color: bool = False
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
    print_result(result, console, everyone=everyone, top=top)
    return out.getvalue()
