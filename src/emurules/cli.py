"""The command line: argument parsing and wiring to the library; no logic of its own."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TextIO

from emurules import __version__
from emurules.check.model import check_module
from emurules.check.scope import suggest
from emurules.data.readers import find_inputs, read_file
from emurules.diagnostics import render_all, summary
from emurules.errors import DiagnosticError
from emurules.result import Explanation, Result
from emurules.rules import Rules
from emurules.source import Diagnostic, Source, normalise
from emurules.syntax.parse import parse_source
from emurules.syntax.printer import format_module

FORMATS = ("table", "json", "csv", "md", "html", "xlsx")

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command line that cannot run (a missing file, say): exit code 2."""


def _read(path: str) -> Source:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{path} is not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
    return Source(path, normalise(text))


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and "NO_COLOR" not in os.environ


def _diagnose(source: Source) -> list[Diagnostic]:
    module, diagnostics = parse_source(source)
    if module is None:
        return diagnostics
    return check_module(module)[1]


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    color = _use_color(args.color, out)
    found: list[Diagnostic] = []
    sources = [_read(path) for path in args.files]
    for source in sources:
        diagnostics = _diagnose(source)
        found.extend(diagnostics)
        if diagnostics:
            limit = None if args.max_diagnostics == 0 else args.max_diagnostics
            out.write(render_all(diagnostics, color=color, limit=limit) + "\n\n")
    errors = [d for d in found if d.is_error or args.strict]
    files = f"{len(sources)} file{'s' if len(sources) != 1 else ''}"
    if not found:
        out.write(f"{files} checked: no problems\n")
    else:
        out.write(f"{files} checked: {summary(found)}\n")
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_fmt(args: argparse.Namespace, out: TextIO) -> int:
    color = _use_color(args.color, out)
    status = EXIT_OK
    for path in args.files:
        source = _read(path)
        module, diagnostics = parse_source(source)
        if module is None:
            out.write(render_all(diagnostics, color=color) + "\n\n")
            status = EXIT_FINDINGS
            continue
        formatted = format_module(module)
        original = Path(path).read_text(encoding="utf-8")
        if formatted == original:
            continue
        if args.check or args.diff:
            status = EXIT_FINDINGS
            if args.diff:
                out.writelines(
                    difflib.unified_diff(
                        original.splitlines(keepends=True),
                        formatted.splitlines(keepends=True),
                        fromfile=path,
                        tofile=f"{path} (formatted)",
                    )
                )
            else:
                out.write(f"would reformat {path}\n")
        else:
            Path(path).write_text(formatted, encoding="utf-8")
            out.write(f"reformatted {path}\n")
    return status


def _progress(message: str) -> AbstractContextManager[object]:
    """A spinner on the terminal's stderr while evaluating; nothing when not a terminal, so
    machine-readable output is never touched."""
    if not sys.stderr.isatty():
        return nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(message)


def _unknown(what: str, value: str, candidates: list[str]) -> UsageError:
    hint = suggest(value, candidates)
    return UsageError(f"no {what} {value!r}" + (f"; {hint}" if hint else ""))


def _rules(path: str, out: TextIO, color: bool) -> Rules | None:
    """The checked criteria, or None after printing why not."""
    source = _read(path)
    module, diagnostics = parse_source(source)
    model = None
    if module is not None:
        model, diagnostics = check_module(module)
    errors = [d for d in diagnostics if d.is_error]
    if model is None or errors:
        out.write(render_all(diagnostics, color=color) + "\n")
        out.write(f"{path}: {summary(diagnostics)}\n")
        return None
    return Rules(model)


def _evaluate(args: argparse.Namespace, out: TextIO, color: bool) -> Result | None:
    rules = _rules(args.file, out, color)
    if rules is None:
        return None
    inputs, history_path = find_inputs(args.data, rules.model.tables.subjects)
    if args.history:
        history_path = Path(args.history)
    for path in [*inputs.values(), *([history_path] if history_path else [])]:
        if not path.exists():
            raise UsageError(f"no such data file or directory: {path}")
    if not inputs:
        raise UsageError("no data: pass --data DIR, --data KIND=FILE or --data <kind>.csv")
    try:
        files = {kind: read_file(path) for kind, path in inputs.items()}
        if history_path:
            files["history"] = read_file(history_path)
        sources = {kind: file.name for kind, file in files.items()}
        history = files.pop("history").records if history_path else []
        data = {kind: file.records for kind, file in files.items()}
        with _progress(f"evaluating {sum(len(rows) for rows in data.values())} records"):
            return rules.evaluate(
                data,
                history=history,
                year=args.year,
                skip_invalid=args.skip_invalid,
                sources=sources,
            )
    except DiagnosticError as error:
        out.write(render_all(error.diagnostics, color=color, limit=None) + "\n")
        out.write(f"{len(error.diagnostics)} problem(s) in the data; nothing was evaluated\n")
        return None


def cmd_rank(args: argparse.Namespace, out: TextIO) -> int:
    from emurules.report import export

    color = _use_color(args.color, out)
    if args.format == "xlsx" and not args.output:
        raise UsageError("--format xlsx writes a workbook: give its name with -o OUT.xlsx")
    result = _evaluate(args, out, color)
    if result is None:
        return EXIT_FINDINGS
    if args.format == "xlsx":
        from emurules.report.xlsx import write_xlsx

        write_xlsx(result, Path(args.output))
        return EXIT_OK
    if args.format == "table":
        from rich.console import Console

        target = open(args.output, "w", encoding="utf-8") if args.output else out  # noqa: SIM115
        try:
            console = Console(
                file=target,
                force_terminal=color and not args.output,
                no_color=not color or bool(args.output),
                emoji=False,
                highlight=False,
                width=None if target.isatty() else 120,
            )
            from emurules.report.text import print_result

            print_result(result, console, everyone=args.all, top=args.top)
        finally:
            if args.output:
                target.close()
        return EXIT_OK
    from emurules.report.html import to_html

    writers = {"json": export.to_json, "csv": export.to_csv, "md": export.to_markdown,
               "html": to_html}  # fmt: skip
    text = writers[args.format](result)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    color = _use_color(args.color, out)
    result = _evaluate(args, out, color)
    if result is None:
        return EXIT_FINDINGS
    if args.key not in {key for _, key in result.subjects}:
        raise _unknown("subject has the key", args.key, [k for _, k in result.subjects])
    try:
        tree = result.explain(args.key)
    except KeyError as error:  # a key used by two kinds
        raise UsageError(str(error.args[0])) from None
    if args.award:
        names = [a.name for a in result.awards]
        if args.award not in names:
            raise _unknown("award is named", args.award, names)
        chosen = [c for c in tree.children if c.topic == args.award]
        tree = Explanation(tree.text, tuple(chosen))
    out.write(str(tree) + "\n")
    return EXIT_OK


def cmd_doc(args: argparse.Namespace, out: TextIO) -> int:
    from emurules.report import doc

    rules = _rules(args.file, out, _use_color(args.color, out))
    if rules is None:
        return EXIT_FINDINGS
    text = (doc.to_html if args.format == "html" else doc.to_markdown)(rules.model)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="emurules",
        description="Check, format and run emulation-movement criteria files.",
    )
    parser.add_argument("--version", action="version", version=f"emurules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check criteria files and report every problem",
        description="Parse and check criteria files. Exit 0 when clean (warnings allowed), "
        "1 when a file has errors, 2 on a usage error.",
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--max-diagnostics",
        type=int,
        default=20,
        metavar="N",
        help="show at most N problems per file, then '... and N more' (0: all; default 20)",
    )
    check.set_defaults(run=cmd_check)

    fmt = commands.add_parser(
        "fmt",
        help="rewrite criteria files in the canonical layout",
        description="Rewrite criteria files in the canonical layout, keeping comments.",
    )
    fmt.add_argument("files", nargs="+", metavar="FILE")
    mode = fmt.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file would change"
    )
    mode.add_argument("--diff", action="store_true", help="change nothing; print a diff")
    fmt.set_defaults(run=cmd_fmt)

    rank = commands.add_parser(
        "rank",
        help="evaluate data files and print who receives each title",
        description="Evaluate the criteria on data files. Exit 0 when done, 1 when the "
        "criteria or the data have errors (all printed; nothing written), 2 on a usage error.",
    )
    explain = commands.add_parser(
        "explain",
        help="explain one subject's values and titles",
        description="Evaluate the criteria and print the explanation of one subject.",
    )
    for command in (rank, explain):
        command.add_argument("file", metavar="FILE", help="the criteria file")
        command.add_argument(
            "--data",
            action="append",
            required=True,
            metavar="PATH",
            help="a directory of <kind>.csv|json|jsonl|xlsx files (and history.*), a file "
            "named <kind>.<format>, or KIND=PATH; repeatable",
        )
        command.add_argument("--history", metavar="PATH", help="past titles and values")
        command.add_argument(
            "--year", type=int, help="the assessment year (default: the ruleset's)"
        )
        command.add_argument(
            "--skip-invalid",
            action="store_true",
            help="set invalid records aside (and list them) instead of stopping",
        )
    rank.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (default), json, csv, md, html, or xlsx (needs -o)",
    )
    rank.add_argument("-o", "--output", metavar="OUT", help="write the report to OUT")
    rank.add_argument(
        "--all", action="store_true", help="list subjects that did not qualify too (table format)"
    )
    rank.add_argument(
        "--top",
        type=int,
        default=0,
        metavar="N",
        help="show at most N subjects per award (table format; 0: all)",
    )
    rank.set_defaults(run=cmd_rank)
    explain.add_argument("key", metavar="KEY", help="the subject's key")
    explain.add_argument("--award", metavar="A", help="explain only this award")
    explain.set_defaults(run=cmd_explain)

    document = commands.add_parser(
        "doc",
        help="render the criteria as a document to publish",
        description="Render a criteria file as a document: each award's conditions in plain "
        "words, each criterion's points, quotas and the fairness checks.",
    )
    document.add_argument("file", metavar="FILE")
    document.add_argument("--format", choices=("md", "html"), default="md")
    document.add_argument("-o", "--output", metavar="OUT", help="write the document to OUT")
    document.set_defaults(run=cmd_doc)

    for command in (check, fmt, rank, explain, document):
        command.add_argument(
            "--color",
            choices=("auto", "always", "never"),
            default="auto",
            help="colour the output (default: auto, when writing to a terminal)",
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "max_diagnostics", 0) < 0:
        parser.error("--max-diagnostics takes 0 or more")
    try:
        result: int = args.run(args, sys.stdout)
    except UsageError as error:
        print(f"emurules: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return result


if __name__ == "__main__":
    sys.exit(main())
