"""`emurules check` and `emurules fmt`: criteria files only, no data."""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path
from typing import TextIO

from emurules.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_color,
    add_language,
    diagnose,
    language,
    read_source,
    use_color,
    writing,
)
from emurules.diagnostics import render_all, summary
from emurules.i18n import message, render
from emurules.report.files import write_text
from emurules.source import Diagnostic
from emurules.syntax.parse import parse_source
from emurules.syntax.printer import format_module


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    color, lang = use_color(args.color, out), language(args)
    found: list[Diagnostic] = []
    sources = [read_source(path) for path in args.files]
    for source in sources:
        diagnostics = diagnose(source)
        found.extend(diagnostics)
        if diagnostics:
            limit = None if args.max_diagnostics == 0 else args.max_diagnostics
            out.write(render_all(diagnostics, color=color, limit=limit, lang=lang) + "\n\n")
    errors = [d for d in found if d.is_error or args.strict]
    files = len(sources)
    if not found:
        out.write(render(message("cli.checked-clean", count=files), lang) + "\n")
    else:
        said = message("cli.checked", count=files, summary=summary(found, lang))
        out.write(render(said, lang) + "\n")
    return EXIT_FINDINGS if errors else EXIT_OK


def run_fmt(args: argparse.Namespace, out: TextIO) -> int:
    color, lang = use_color(args.color, out), language(args)
    status = EXIT_OK
    for path in args.files:
        source = read_source(path)
        module, diagnostics = parse_source(source)
        if module is None:
            out.write(render_all(diagnostics, color=color, lang=lang) + "\n\n")
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
                out.write(render(message("cli.would-reformat", path=path), lang) + "\n")
        else:
            with writing(Path(path)):
                write_text(Path(path), formatted)
            out.write(render(message("cli.reformatted", path=path), lang) + "\n")
    return status


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    check.set_defaults(run=run_check)
    add_color(check)
    add_language(check)

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
    fmt.set_defaults(run=run_fmt)
    add_color(fmt)
    add_language(fmt)
