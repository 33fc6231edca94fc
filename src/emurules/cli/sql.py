"""`emurules sql`: the SQL of a criteria file, for a database administrator to review and
run (`engine/sql`)."""

from __future__ import annotations

import argparse
from typing import TextIO

from emurules.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_color,
    add_language,
    language,
    load_rules,
    use_color,
)
from emurules.diagnostics import render_all
from emurules.errors import UsageError
from emurules.i18n import message, render
from emurules.plan.steps import Ranking
from emurules.provenance import emurules_version


def run_sql(args: argparse.Namespace, out: TextIO) -> int:
    try:  # sqlglot is an extra (`emurules[sql]`): other commands never need it
        from emurules.engine.sql import Unsupported, lower
    except ImportError:
        raise UsageError(message("sql.needs-extra")) from None

    color, lang = use_color(args.color, out), language(args)
    rules = load_rules(args.file, out, color, lang)
    if rules is None:
        return EXIT_FINDINGS
    scales = _numbers(args.scale or [], "--scale")
    digits = _numbers(args.digits or [], "--digits")
    refused: list[Unsupported] = []  # every step's refusal, all at once
    try:
        plan = lower(rules.plan, rules.schema, args.dialect, scales=scales, digits=digits,
                     year=args.year, refused=refused)  # fmt: skip
    except Unsupported as error:  # not a step's: the dialect
        refused.append(error)
    if refused:
        found = [d for error in refused for d in error.diagnostics]
        out.write(render_all(found, color=color, lang=lang) + "\n")
        return EXIT_FINDINGS
    title = rules.plan.title or args.file
    said = message("sql.header", title=title, dialect=args.dialect, version=emurules_version())
    lines = [said, message("sql.header-numbers")]
    lines.extend(
        message("sql.header-assumed", kind=a.kind, field=a.field, scale=a.scale, digits=a.digits)
        for a in plan.assumed
    )
    if not plan.assumed:
        lines.append(message("sql.header-none-assumed"))
    roles = {c.role for q in plan.queries for c in q.columns}
    if "failed" in roles:
        lines.append(message("sql.header-failed"))
    if "broken" in roles:
        lines.append(message("sql.header-broken"))
    if "place" in roles or "received" in roles:
        lines.append(message("sql.header-decided"))
    if any(isinstance(step, Ranking) for step in rules.plan.steps):
        lines.append(message("sql.header-league"))
    if plan.across:
        lines.append(message("sql.header-across"))
    if plan.history:
        lines.append(message("sql.header-history"))
    out.write("".join(f"-- {render(line, lang)}\n" for line in lines) + "\n")
    out.write(plan.text())
    return EXIT_OK


def _numbers(given: list[str], flag: str) -> dict[str, int]:
    """`field=N` or `kind.field=N`, each N a whole number from 0 to 18."""
    found: dict[str, int] = {}
    for item in given:
        name, _, number = item.partition("=")
        if not name or not number.isdigit() or int(number) > 18:
            raise UsageError(message("sql.bad-number-option", flag=flag, given=item))
        found[name.strip()] = int(number)
    return found


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sql = commands.add_parser(
        "sql",
        help="print the SQL that computes the criteria's values in a database",
        description="Print one SELECT per subject kind computing every criterion, let and "
        "score, and whether each subject qualifies for each award, with exact decimals as "
        "scaled integers. Exit 1 when the file has errors or uses what the SQL does not "
        "compute yet (named with its place).",
    )
    sql.add_argument("file", metavar="FILE")
    sql.add_argument("--dialect", choices=("duckdb", "postgres", "spark"), default="duckdb")
    sql.add_argument(
        "--scale",
        action="append",
        metavar="FIELD=N",
        help="places after the point of a number input column (default 6; repeatable)",
    )
    sql.add_argument(
        "--digits",
        action="append",
        metavar="FIELD=N",
        help="digits before the point of a number input column without a declared range "
        "(default 12; repeatable)",
    )
    sql.add_argument("--year", type=int, default=None, help="the assessment year")
    sql.set_defaults(run=run_sql)
    add_color(sql)
    add_language(sql)
