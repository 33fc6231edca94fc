"""`emurules test`: run each file's examples and try to falsify its checks."""

from __future__ import annotations

import argparse
import copy
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
from emurules.cli.evaluate import check_outputs, read_data, report_data_errors
from emurules.data.readers import DataFile
from emurules.errors import DiagnosticError, UsageError
from emurules.i18n import message
from emurules.report.files import write_text
from emurules.testing.formats import json_text, junit_text, text_lines
from emurules.testing.run import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED, FileRun, run

FORMATS = ("table", "json", "junit")
BY_SUFFIX = {".txt": "table", ".json": "json", ".xml": "junit"}


def run_test(args: argparse.Namespace, out: TextIO) -> int:
    color, lang = use_color(args.color, out), language(args)
    fmt = output_format(args.output, args.format, BY_SUFFIX, "table")
    if args.seed < 0:
        raise UsageError(message("testrun.seed-negative", seed=str(args.seed)))
    if args.max_examples < 1:
        raise UsageError(message("testrun.max-examples-positive", value=str(args.max_examples)))
    inputs = [Path(file) for file in args.files]
    if args.history and not args.data:
        raise UsageError(message("testrun.history-needs-data"))
    if args.data:
        for file in args.files:  # every output is refused before anything is read
            check_outputs(_for_file(args, file), [args.output])
    target = check_output(args.output, inputs)
    runs: list[FileRun] = []
    status = EXIT_OK
    for file in args.files:
        rules = load_rules(file, out, color, lang)
        if rules is None:
            status = EXIT_FINDINGS
            continue
        data = history = None
        if args.data:
            per_file = _for_file(args, file)
            files: dict[str, DataFile] = {}
            try:
                read = read_data(per_file, rules, files)
            except DiagnosticError as error:
                report_data_errors(error.diagnostics, per_file, out, color, files)
                status = EXIT_FINDINGS
                continue
            data, history = read.data, read.history
        found = run(
            rules,
            data=data,
            history=history,
            year=args.year,
            seed=args.seed,
            max_examples=args.max_examples,
            file=file,
        )
        runs.append(found)
        if not found.passed:
            status = EXIT_FINDINGS
    if fmt == "json":
        text = json_text(runs)
    elif fmt == "junit":
        text = junit_text(runs, lang)
    else:
        text = "\n".join(text_lines(runs, lang)) + "\n" if runs else ""
    if target is not None:
        with writing(target):
            write_text(target, text)
    else:
        out.write(text)
    return status


def _for_file(args: argparse.Namespace, file: str) -> argparse.Namespace:
    """The arguments as `rank` reads them, for one criteria file."""
    one = copy.copy(args)
    one.file = file
    return one


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    test = commands.add_parser(
        "test",
        help="run the examples and try to falsify the checks of criteria files",
        description="Run every `example` of each criteria file and try to falsify every "
        "`check` with generated populations; a failed check shows a small counterexample. "
        'With --data, each `check "label" for KIND: ...` is also evaluated on that data.',
    )
    test.add_argument("files", metavar="FILE", nargs="+", help="criteria files")
    test.add_argument(
        "--data",
        action="append",
        metavar="PATH",
        help="real data, in the forms `rank` takes, on which to evaluate the checks; repeatable",
    )
    test.add_argument("--history", metavar="PATH", help="past titles and values of the data")
    test.add_argument(
        "--year",
        type=int,
        help="the year of the data (and of examples that state none); default: the ruleset's",
    )
    test.add_argument(
        "--locale",
        choices=("vi", "iso"),
        help="how text cells write numbers and dates (default: the ruleset's, else iso)",
    )
    test.add_argument(
        "--delimiter", choices=(",", ";", "tab"), help="the CSV delimiter (default: found)"
    )
    test.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"the seed of the generated populations (default {DEFAULT_SEED}): the same "
        "seed tries the same populations",
    )
    test.add_argument(
        "--max-examples",
        type=int,
        default=DEFAULT_MAX_EXAMPLES,
        metavar="N",
        help=f"populations tried per check (default {DEFAULT_MAX_EXAMPLES})",
    )
    test.add_argument(
        "--format", choices=FORMATS, help="table, json or junit (default: from -o, else table)"
    )
    test.add_argument("-o", "--output", metavar="OUT", help="write the report to OUT")
    test.set_defaults(run=run_test, year=None, skip_invalid=False, max_errors=20, errors_out=None)
    add_color(test)
    add_language(test)
