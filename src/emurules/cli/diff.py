"""`emurules diff OLD.emu NEW.emu --data DIR`: who gains and who loses a title if the
criteria change, on one population."""

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
    output_format,
    use_color,
    writing,
)
from emurules.cli.evaluate import (
    add_data_arguments,
    base_salary,
    check_outputs,
    read_data,
    report_data_errors,
)
from emurules.data.readers import DataFile
from emurules.errors import DiagnosticError, UsageError
from emurules.i18n import message
from emurules.report.files import write_text

FORMATS = ("table", "json", "md", "html")
BY_SUFFIX = {".txt": "table", ".json": "json", ".md": "md", ".markdown": "md",
             ".html": "html", ".htm": "html"}  # fmt: skip
EXIT_CHANGED = 1


def run_diff(args: argparse.Namespace, out: TextIO) -> int:
    from emurules.compare.diff import diff
    from emurules.compare.report import to_html, to_json, to_markdown, to_table

    args.file = args.new  # the data is read as the new version declares it
    color, lang = use_color(args.color, out), language(args)
    fmt = output_format(args.output, args.format, BY_SUFFIX, "table")
    if args.top < 0:
        raise UsageError(message("cli.at-least-zero", flag="--top"))
    check_outputs(args, [args.output])
    check_output(args.output, [Path(args.old)])  # the old criteria are an input too
    salary = base_salary(args.base_salary)
    old = load_rules(args.old, out, color, lang)
    new = load_rules(args.new, out, color, lang)
    if old is None or new is None:
        return EXIT_FINDINGS
    files: dict[str, DataFile] = {}
    try:
        read = read_data(args, new, files)
        if args.year is None and new.year is None and old.year is None:
            raise UsageError(message("cli.no-year"))
        found = diff(
            old,
            new,
            read.data,
            history=read.history,
            year=args.year,
            locale=args.locale,
            base_salary=salary,
            skip_invalid=args.skip_invalid,
            sources=read.sources,
        )
    except DiagnosticError as error:
        report_data_errors(error.diagnostics, args, out, color, files)
        return EXIT_FINDINGS
    if fmt == "json":
        import json

        text = json.dumps(to_json(found), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        text = to_markdown(found, lang, args.top)
    elif fmt == "html":
        text = to_html(found, lang, args.top)
    else:
        text = to_table(found, lang, args.top, color=color and args.output is None)
    if args.output is not None:
        with writing(Path(args.output)):
            write_text(Path(args.output), text)
    else:
        out.write(text)
    return EXIT_CHANGED if args.exit_code and found.changed else EXIT_OK


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "diff",
        help="who gains and who loses each title if the criteria change",
        description="Evaluate two versions of the criteria on one population and report, per "
        "title, who gains it and who loses it (with each side's reason), and the scores that "
        "change. Exit 0 whatever changed (with --exit-code: 1 when something changed), 1 when "
        "the criteria or the data have errors, 2 on a usage error.",
    )
    command.add_argument("old", metavar="OLD", help="the criteria in force")
    command.add_argument("new", metavar="NEW", help="the proposed criteria")
    add_data_arguments(command, criteria=False)
    command.add_argument(
        "--format", choices=FORMATS, help="table, json, md or html (default: from -o, else table)"
    )
    command.add_argument("-o", "--output", metavar="OUT", help="write the report to OUT")
    command.add_argument(
        "--top",
        type=int,
        default=20,
        metavar="N",
        help="list at most N subjects per title and N score changes (0: all; default 20)",
    )
    command.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when anything changed, as `git diff --exit-code` does",
    )
    command.set_defaults(run=run_diff)
    add_color(command)
    add_language(command)
