"""The terminal report: a table per award and a summary, drawn by rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from emurules.report.tables import award_lines, summary
from emurules.result import Result

STYLE = {"received": "green", "cut": "yellow", "not qualified": "dim"}
COLUMNS = (("rank", "right"), ("key", "left"), ("score", "right"), ("outcome", "left"),
           ("group", "left"), ("why", "left"))  # fmt: skip


def print_result(result: Result, console: Console, *, everyone: bool = False, top: int = 0) -> None:
    """Every award's table (at most `top` rows each when top > 0), a summary, warnings."""
    console.print(f"[bold]{result.ruleset or 'emurules'}, {result.year}[/bold]")
    for award in result.awards:
        table = Table(title=f"{award.label or award.name} ({award.name})", title_justify="left")
        for column, justify in COLUMNS:
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        lines = award_lines(result, award.name, everyone=everyone)
        shown = lines[:top] if top > 0 else lines
        for line in shown:
            status = f"[{STYLE[line.status]}]{line.status}[/]"
            table.add_row(line.rank, line.key, line.score, status, line.group, line.detail)
        if len(shown) < len(lines):
            table.caption = f"... and {len(lines) - len(shown)} more"
        console.print(table)
    totals = Table(title="Summary", title_justify="left")
    for column in ("award", "assessed", "qualified", "received"):
        totals.add_column(column, justify="left" if column == "award" else "right")
    for row in summary(result):
        totals.add_row(f"{row['label']} ({row['award']})", str(row["assessed"]),
                       str(row["qualified"]), str(row["received"]))  # fmt: skip
    console.print(totals)
    for row in summary(result):
        for group in row["ties"]:
            console.print(
                f"[yellow]warning:[/] {row['award']}: a tie at the cut-off in group {group}; "
                "'on tie include' would award every tied subject"
            )
    if result.skipped:
        console.print(f"[yellow]{len(result.skipped)} record(s) set aside (--skip-invalid):[/]")
        for problem in result.skipped:
            console.print(
                f"  {problem.place}: {problem.kind}: {problem.message}",
                markup=False,
                soft_wrap=True,
            )
