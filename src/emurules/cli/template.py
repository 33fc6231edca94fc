"""`emurules template`: the input workbook an office fills in."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from emurules.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_color,
    add_language,
    check_output,
    language,
    load_rules,
    use_color,
    writing,
)
from emurules.errors import UsageError
from emurules.i18n import message


def run_template(args: argparse.Namespace, out: TextIO) -> int:
    lang = language(args)
    if not args.output:
        raise UsageError(message("cli.xlsx-needs-output"))
    target = check_output(args.output, [Path(args.file)])
    assert target is not None
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise UsageError(message("data.needs-extra", format="xlsx", extra="xlsx")) from None
    rules = load_rules(args.file, out, use_color(args.color, out), lang)
    if rules is None:
        return EXIT_FINDINGS
    from emurules.report.template import write_template

    with writing(target):
        write_template(rules.schema, target, lang)
    return EXIT_OK


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    template = commands.add_parser(
        "template",
        help="write the input workbook to fill in",
        description="Write an .xlsx workbook to fill in: a sheet per subject kind and a "
        "history sheet, columns titled with the labels, drop-down lists, each column's "
        "range and default in its note, and a guide sheet with examples.",
    )
    template.add_argument("file", metavar="FILE", help="the criteria file")
    template.add_argument("-o", "--output", metavar="OUT.xlsx", help="the workbook to write")
    template.set_defaults(run=run_template)
    add_color(template)
    add_language(template)
