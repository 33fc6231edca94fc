"""`emurules rank` and `emurules explain`: evaluate data files and report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TextIO

import attrs

from emurules.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_color,
    add_language,
    language,
    output_format,
    unknown,
    use_color,
    writing,
)
from emurules.cli.evaluate import add_data_arguments, evaluate, report_data_errors
from emurules.errors import UsageError
from emurules.i18n import default_language, message, render
from emurules.report.export import write_csv, write_json
from emurules.report.files import atomic_path, write_text
from emurules.report.safe import printable
from emurules.report.tables import set_aside, summary, tie_warnings
from emurules.result import Explanation, Result
from emurules.rules import Rules
from emurules.source import Place, normalise

FORMATS = ("table", "json", "csv", "md", "html", "xlsx", "docx")
# Machine formats are written record by record, never as one string.
STREAMED: dict[str, Callable[[Result, TextIO], None]] = {"json": write_json, "csv": write_csv}
BY_SUFFIX = {".txt": "table", ".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md",
             ".html": "html", ".htm": "html", ".xlsx": "xlsx", ".docx": "docx"}  # fmt: skip


def run_rank(args: argparse.Namespace, out: TextIO) -> int:
    color, lang = use_color(args.color, out), language(args)
    fmt = output_format(args.output, args.format, BY_SUFFIX, "table")
    if fmt == "xlsx" and not args.output:
        raise UsageError(message("cli.xlsx-needs-output"))
    if fmt == "docx":
        _need_docx(args)
    if args.top < 0:
        raise UsageError(message("cli.at-least-zero", flag="--top"))
    if args.top and fmt == "json":
        raise UsageError(message("cli.top-not-for-json"))
    vet = None if args.no_examples else partial(examples_pass, args=args, out=out)
    evaluation = evaluate(args, out, color, outputs=[args.output], vet=vet)
    if evaluation is None:
        return EXIT_FINDINGS
    result = evaluation.result
    if fmt != "table":  # the table says these; a file (a decision to sign) may not
        _caveats(result, lang)
    target = Path(args.output) if args.output else None
    if fmt == "xlsx":
        from emurules.report.xlsx import write_xlsx

        assert target is not None
        with writing(target):
            write_xlsx(result, target, lang, top=args.top)
        return EXIT_OK
    if fmt == "docx":
        from emurules.report.decision import write_decision

        assert target is not None
        chosen = args.lang or default_language(evaluation.rules.language)
        with writing(target):
            write_decision(result, evaluation.rules, target, chosen)
        return EXIT_OK
    if fmt in STREAMED:
        write: Callable[[Result, TextIO], None] = STREAMED[fmt]
        if args.top:  # csv only: json refuses --top above
            write = partial(write_csv, top=args.top)
        if target is None:
            write(result, out)
            return EXIT_OK
        with (
            writing(target),
            atomic_path(target) as temporary,
            temporary.open("w", encoding="utf-8", newline="") as file,
        ):
            write(result, file)
        return EXIT_OK
    text = _table(result, args, color and target is None, out) if fmt == "table" else None
    if text is None:
        text = _document(result, fmt, lang, args.top)
    if target is not None:
        with writing(target):
            write_text(target, text)
    else:
        out.write(text)
    return EXIT_OK


def _caveats(result: Result, lang: str) -> None:
    """What whoever signs must know and a report file may not show: records set aside (not
    assessed), and ties at a cut-off that the subjects' keys decided."""
    if result.skipped:
        heading, lines = set_aside(result)
        print(printable(render(heading, lang)), file=sys.stderr)
        for line in lines:
            print(printable("  " + render(line, lang)), file=sys.stderr)
    for row in summary(result, lang):
        for said in tie_warnings(row):
            warning = render(said, lang)
            print(
                printable(render(message("report.warning"), lang) + " " + warning), file=sys.stderr
            )


def _need_docx(args: argparse.Namespace) -> None:
    """The draft decision is a file, written with python-docx (the `docx` extra): both are
    checked before anything is read."""
    if not args.output:
        raise UsageError(message("decision.needs-output"))
    try:
        import docx  # noqa: F401
    except ImportError:
        raise UsageError(message("decision.needs-extra")) from None


def examples_pass(rules: Rules, args: argparse.Namespace, out: TextIO) -> bool:
    """Run the file's examples: a file whose own examples fail must not decide anyone's
    title. Each failing example is named with the first thing that failed in it."""
    from emurules.testing.examples import run_examples

    if args.year is None and rules.year is None:  # asked for before the examples fail on it
        raise UsageError(message("cli.no-year"))
    lang = language(args)
    failed = [run for run in run_examples(rules, year=args.year) if not run.passed]
    for run in failed:
        lines = [render(run.heading(), lang), *("  " + line for line in run.first_failure(lang))]
        if run.span is not None:
            lines[0] = f"{run.span}: {lines[0]}"
        out.write(printable("\n".join(lines), newlines=True) + "\n")
    if failed:
        out.write(
            render(message("examples.rank-stopped", count=len(failed), path=args.file), lang) + "\n"
        )
    return not failed


def _table(result: Result, args: argparse.Namespace, color: bool, out: TextIO) -> str:
    from rich.console import Console

    from emurules.report.text import table_text

    on_terminal = out.isatty() and args.output is None
    width = Console(file=out).width if on_terminal else 120
    return table_text(
        result, everyone=args.all, top=args.top, width=width, color=color, lang=language(args)
    )


def _document(result: Result, fmt: str, lang: str, top: int = 0) -> str:
    from emurules.report import export
    from emurules.report.html import to_html

    writers = {"md": export.to_markdown, "html": to_html}
    return writers[fmt](result, lang, top=top)


def run_explain(args: argparse.Namespace, out: TextIO) -> int:
    from emurules.cli.whatif import parse_sets

    color = use_color(args.color, out)
    changes = parse_sets(args.set or [])
    evaluation = evaluate(args, out, color)
    if evaluation is None:
        return EXIT_FINDINGS
    result = evaluation.result
    args.key, args.award = normalise(args.key), args.award and normalise(args.award)
    if args.key not in {key for _, key in result.subjects}:
        keys = [k for _, k in result.subjects]
        raise unknown(message("cli.no-subject-key"), args.key, keys)
    kinds = tuple(k for k, key in result.subjects if key == args.key)
    if len(kinds) > 1:
        raise UsageError(message("cli.key-of-kinds", key=repr(args.key), kinds=kinds))
    lines: list[str] = []
    if changes:
        from emurules.cli.whatif import summary
        from emurules.errors import DiagnosticError

        try:
            change = result.what_if(args.key, changes, kinds[0])
        except DiagnosticError as error:  # the value of a --set: said as such, not as a cell
            said = [attrs.evolve(d, place=Place(file="--set", field=d.place.field))
                    if d.place is not None else d for d in error.diagnostics]  # fmt: skip
            report_data_errors(said, args, out, color, {})
            return EXIT_FINDINGS
        lines = [*summary(change, result, evaluation.rules.plan, language(args)), ""]
        lines.append(render(message("whatif.after-heading"), language(args)))
        result = change.result
    tree = result.explain(args.key, kinds[0])
    if args.award:
        awards = {a.name: a for a in result.awards}
        if args.award not in awards:
            raise unknown(message("cli.no-award-named"), args.award, list(awards))
        kind = next(k for k, key in result.subjects if key == args.key)
        if awards[args.award].kind != kind:
            raise UsageError(
                message(
                    "cli.award-of-other-kind",
                    award=repr(args.award),
                    award_kind=awards[args.award].kind,
                    key=repr(args.key),
                    kind=kind,
                )
            )
        chosen = [c for c in tree.children if c.topic in (args.award, LINEAGE)]
        tree = Explanation(tree.text, tuple(chosen))
    text = "\n".join([*lines, *tree.lines(lang=language(args))])
    out.write(printable(text, newlines=True) + "\n")
    return EXIT_OK


# whose history a merged subject read, said whatever award is asked (not an identifier)
LINEAGE = "(lineage)"


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rank = commands.add_parser(
        "rank",
        help="evaluate data files and print who receives each title",
        description="Evaluate the criteria on data files. Exit 0 when done, 1 when the "
        "criteria or the data have errors (all counted, the first --max-errors printed; "
        "nothing written), 2 on a usage error.",
    )
    add_data_arguments(rank)
    rank.add_argument(
        "--format",
        choices=FORMATS,
        help="table, json, csv, md, html, xlsx or docx (a draft decision); default: from the "
        "extension of -o, else table",
    )
    rank.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write the report to OUT (atomically; never onto an input)",
    )
    rank.add_argument(
        "--all", action="store_true", help="list subjects that did not qualify too (table format)"
    )
    rank.add_argument(
        "--no-examples",
        action="store_true",
        help="rank even when the criteria file's own examples fail (they run first)",
    )
    rank.add_argument(
        "--top",
        type=int,
        default=0,
        metavar="N",
        help="show only the N best of each award, best first: recipients, then by score "
        "(every format but json; 0: all)",
    )
    rank.set_defaults(run=run_rank)
    add_color(rank)
    add_language(rank)

    explain = commands.add_parser(
        "explain",
        help="explain one subject's values and titles",
        description="Evaluate the criteria and print the explanation of one subject.",
    )
    add_data_arguments(explain)
    explain.add_argument("key", metavar="KEY", help="the subject's key")
    explain.add_argument("--award", metavar="A", help="explain only this award")
    explain.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="what if the subject's FIELD were VALUE (read as a data cell is; repeatable): "
        "what changes for it and for everyone the change moves, then the explanation after",
    )
    explain.set_defaults(run=run_explain)
    add_color(explain)
    add_language(explain)
