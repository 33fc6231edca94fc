"""Evaluating criteria on data files for `rank` and `explain`: the inputs they share, the
way data errors are shown (the first N, then counts by kind and field) and written out."""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import attrs

from emurules.cli.common import check_output, language, load_rules, writing
from emurules.data.readers import DataFile, Inputs, argument_path, find_inputs, read_file
from emurules.diagnostics import render_all
from emurules.engine.registry import ENGINES
from emurules.errors import DiagnosticError, UsageError
from emurules.i18n import Message, message, render
from emurules.i18n.formatting import Shown
from emurules.report.files import write_text
from emurules.report.safe import defuse_formula, printable
from emurules.result import Result
from emurules.rules import Rules
from emurules.source import Diagnostic

_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?%?")
ERROR_COLUMNS = ("file", "row", "column", "value", "code", "problem", "hint")


@attrs.frozen
class Evaluation:
    """What `rank` and `explain` work from: the rules, the paths read and the result."""

    rules: Rules
    inputs: list[Path]
    result: Result


def add_data_arguments(command: argparse.ArgumentParser, criteria: bool = True) -> None:
    """The data options every evaluating command shares (and its criteria FILE, unless the
    command names its criteria files itself)."""
    if criteria:
        command.add_argument("file", metavar="FILE", help="the criteria file")
    command.add_argument(
        "--data",
        action="append",
        required=True,
        metavar="PATH",
        help="a directory of <kind>.csv|json|jsonl|xlsx|parquet files (and history.*), a "
        "file named <kind>.<format>, or KIND=PATH; repeatable",
    )
    command.add_argument("--history", metavar="PATH", help="past titles and values")
    command.add_argument("--year", type=int, help="the assessment year (default: the ruleset's)")
    command.add_argument(
        "--locale",
        choices=("vi", "iso"),
        help="how text cells write numbers and dates: vi (64,2 and 31/12/2025) or iso "
        "(64.2 and 2025-12-31); default: the ruleset's locale, else iso",
    )
    command.add_argument(
        "--delimiter",
        choices=(",", ";", "tab"),
        help="the CSV delimiter (default: found from the header line)",
    )
    command.add_argument(
        "--skip-invalid",
        action="store_true",
        help="set invalid records aside (and list them) instead of stopping",
    )
    command.add_argument(
        "--max-errors",
        type=int,
        default=20,
        metavar="N",
        help="show at most N data errors, then counts by kind and field (0: all; default 20)",
    )
    command.add_argument(
        "--base-salary",
        metavar="VND",
        help="the base salary in dong that rewards are multiples of, e.g. 2340000 or "
        "2.340.000 (default: the ruleset's base_salary)",
    )
    command.add_argument(
        "--engine",
        choices=tuple(ENGINES),
        help="the engine that evaluates: row (the reference), columnar (Polars, for large "
        "populations) or sql (DuckDB); default: chosen by the rules and the size of the data",
    )
    command.add_argument(
        "--errors-out",
        metavar="FILE.csv",
        help="write every data error to a CSV table (file, row, column, value, problem, hint)",
    )


def progress(message: str) -> AbstractContextManager[object]:
    """A spinner on the terminal's stderr while evaluating; nothing when not a terminal, so
    machine-readable output is never touched."""
    if not sys.stderr.isatty():
        return nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(message)


def check_outputs(args: argparse.Namespace, outputs: Sequence[str | None]) -> None:
    """Refuse, before anything is read, an output that would harm an input: one that names
    the criteria, a data or history file, or lies inside a data folder (where the next run
    would take it for data)."""
    if args.max_errors < 0:
        raise UsageError(message("cli.at-least-zero", flag="--max-errors"))
    arguments = [*args.data, *([args.history] if args.history else [])]
    paths = [argument_path(a) for a in arguments]
    for path in paths:
        if not path.exists():
            raise UsageError(message("cli.no-data-path", path=str(path)))
    if args.errors_out is not None and Path(args.errors_out).suffix.lower() != ".csv":
        raise UsageError(message("cli.errors-out-csv", output=args.errors_out))
    inputs = [Path(args.file), *paths]
    inputs += [child for p in paths if p.is_dir() for child in p.iterdir()]
    folders = [p.resolve() for p in paths if p.is_dir()]
    for output, flag in ((args.errors_out, "--errors-out"), *((o, "-o") for o in outputs)):
        target = check_output(output, inputs, flag)
        if target is not None and target.resolve().parent in folders:
            raise UsageError(message("cli.output-in-data-folder", flag=flag, output=output))


_MONEY = re.compile(r"\d+|\d{1,3}(?:([.,_ ])\d{3})(?:\1\d{3})*")


# A base salary is millions of dong (2,340,000 since 1 July 2024); below this, a warning.
LOW_SALARY = Decimal(100_000)


def base_salary(text: str | None) -> Decimal | None:
    """`--base-salary` as an office writes it: digits, with one kind of thousands
    separator if any (2340000, 2.340.000, 2,340,000); zero is refused."""
    if text is None:
        return None
    written = text.strip()
    if not _MONEY.fullmatch(written) or not written.strip("0.,_ "):
        raise UsageError(message("cli.bad-base-salary", value=repr(text)))
    return Decimal(re.sub(r"\D", "", written))


def input_paths(args: argparse.Namespace, rules: Rules) -> tuple[Inputs, list[Path]]:
    """The data files named on the command line, and every path the command reads."""
    inputs = find_inputs(args.data, rules.model.tables.subjects)
    if args.history:
        if inputs.history is not None:
            raise UsageError(
                message("cli.two-histories", data=str(inputs.history), history=args.history)
            )
        inputs = attrs.evolve(inputs, history=Path(args.history))
    files = [*inputs.files.values(), *([inputs.history] if inputs.history else [])]
    if not inputs.files:
        raise UsageError(message("cli.no-data"))
    read_by = {r.member: r for r in rules.plan.relations if r.owner in inputs.files}
    for member, relation in read_by.items():
        if member not in inputs.files:
            raise UsageError(
                message(
                    "cli.no-member-data",
                    member=member,
                    owner=relation.owner,
                    relation=relation.name,
                )
            )
    return inputs, [Path(args.file), *files]


def evaluate(
    args: argparse.Namespace,
    out: TextIO,
    color: bool,
    outputs: Sequence[str | None] = (),
    vet: Callable[[Rules], bool] | None = None,
) -> Evaluation | None:
    """Read the criteria and the data and evaluate; None after printing why it could not.

    The outputs the command will write are checked first, so that a run that cannot write
    its report (or would overwrite an input) stops before any work; so does `vet` (it
    prints why) when it refuses the criteria before any data is read.
    """
    check_outputs(args, outputs)
    salary = base_salary(args.base_salary)
    lang = language(args)
    if salary is not None and salary < LOW_SALARY:  # 2.340 read as dong, not thousands
        said = message("cli.low-base-salary", value=args.base_salary, amount=Shown(salary))
        print(printable(render(said, lang)), file=sys.stderr)
    rules = load_rules(args.file, out, color, lang)
    if rules is None or (vet is not None and not vet(rules)):
        return None
    files: dict[str, DataFile] = {}
    try:
        read = read_data(args, rules, files)
        if args.year is None and rules.year is None:
            raise UsageError(message("cli.no-year"))
        records = sum(len(rows) for rows in read.data.values())
        with progress(render(message("cli.evaluating", count=records), lang)):
            result = rules.evaluate(
                read.data,
                history=read.history,
                year=args.year,
                skip_invalid=args.skip_invalid,
                sources=read.sources,
                locale=args.locale,
                base_salary=salary,
                engine=getattr(args, "engine", None),
            )
    except DiagnosticError as error:
        report_data_errors(error.diagnostics, args, out, color, files)
        return None
    return Evaluation(rules, read.paths, result)


@attrs.frozen
class Data:
    """The data files of a command line, read: records by kind, history rows, the file
    each kind was read from (for messages) and every path read."""

    data: dict[str, list[dict[str, Any]]]
    history: list[dict[str, Any]]
    sources: dict[str, str]
    paths: list[Path]


def read_data(args: argparse.Namespace, rules: Rules, files: dict[str, DataFile]) -> Data:
    """Read every data file named by `--data` and `--history` into `files` (so that data
    errors can show their cells); raise DiagnosticError with every file's problems."""
    inputs, paths = input_paths(args, rules)
    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    found: list[Diagnostic] = []
    for kind, path in [*inputs.files.items(), *_history(inputs)]:
        try:
            files[kind] = read_file(path, kind=kind, delimiter=delimiter)
        except DiagnosticError as error:
            found.extend(error.diagnostics)
    if found:
        raise DiagnosticError(found)
    for kind, path in [*inputs.files.items(), *_history(inputs)]:
        if files[kind].sheet is not None:
            said = message("cli.read-sheet", path=str(path), sheet=repr(files[kind].sheet))
            print(printable(render(said, language(args))), file=sys.stderr)
    return Data(
        data={kind: file.records for kind, file in files.items() if kind != "history"},
        history=files["history"].records if "history" in files else [],
        sources={kind: file.name for kind, file in files.items()},
        paths=paths,
    )


def _history(inputs: Inputs) -> list[tuple[str, Path]]:
    return [("history", inputs.history)] if inputs.history is not None else []


def report_data_errors(
    diagnostics: Sequence[Diagnostic],
    args: argparse.Namespace,
    out: TextIO,
    color: bool,
    files: dict[str, DataFile],
) -> None:
    """The first `--max-errors` problems, then what the rest are, and the whole list as a
    table with `--errors-out`."""
    lang = language(args)
    limit = None if args.max_errors == 0 else args.max_errors
    shown = diagnostics if limit is None else diagnostics[:limit]
    out.write(render_all(shown, color=color, limit=None, lang=lang) + "\n")
    rest = diagnostics[len(shown) :]
    if rest:
        out.write(render(message("cli.more-problems", count=len(rest), kinds=_counts(rest)), lang))
        out.write("\n")
    if args.errors_out:
        with writing(Path(args.errors_out)):
            write_text(Path(args.errors_out), errors_table(diagnostics, files, lang), bom=True)
        out.write(render(message("cli.errors-listed", output=args.errors_out), lang) + "\n")
    out.write(render(message("cli.data-problems", count=len(diagnostics)), lang) + "\n")


def _counts(diagnostics: Iterable[Diagnostic]) -> tuple[Message, ...]:
    """What the problems not shown are: the five commonest kinds (and fields), the others."""
    groups = Counter(
        (d.kind or d.code, d.place.field if d.place is not None else None) for d in diagnostics
    )
    parts = []
    for (kind, field), count in groups.most_common(5):
        parts.append(
            message("cli.problems-of-kind-on", count=count, kind=kind, field=repr(field))
            if field
            else message("cli.problems-of-kind", count=count, kind=kind)
        )
    if len(groups) > 5:
        others = sum(c for _, c in groups.most_common()[5:])
        parts.append(message("cli.problems-others", count=others))
    return tuple(parts)


def errors_table(
    diagnostics: Iterable[Diagnostic], files: dict[str, DataFile], lang: str = "en"
) -> str:
    """Every problem as a CSV row an office can sort and fix in a spreadsheet; its columns
    keep their stable names, the words of each problem are in `lang`."""
    by_name = {file.name: file for file in files.values()}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ERROR_COLUMNS)
    for d in diagnostics:
        place = d.place
        column = (place.column or place.field) if place else None
        value = _cell_value(by_name, place.file, place.row, column) if place else None
        cells: list[Any] = [
            place.file if place else "",
            place.row if place and place.row is not None else "",
            (place.column or place.field) if place and place.field is not None else "",
            "" if value is None else str(value),
            d.code,
            render(d.message, lang),
            render(d.hint, lang) if d.hint else "",
        ]
        writer.writerow([_safe(c) for c in cells])
    return buffer.getvalue()


def _cell_value(
    files: dict[str, DataFile], name: str, row: int | None, field: str | None
) -> object | None:
    file = files.get(name)
    if file is None or row is None or field is None or not 1 <= row <= len(file.records):
        return None
    return file.records[row - 1].get(field)


def _safe(cell: object) -> object:
    """A cell as a spreadsheet should show it: numbers as numbers, text never a formula."""
    if isinstance(cell, int) or _NUMBER.fullmatch(str(cell)):
        return cell
    return defuse_formula(str(cell))
