"""The command line: argument parsing and wiring to the library; no logic of its own."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from emurules import __version__
from emurules.check.model import check_module
from emurules.diagnostics import render_all, summary
from emurules.source import Diagnostic, Source, normalise
from emurules.syntax.parse import parse_source
from emurules.syntax.printer import format_module

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

    for command in (check, fmt):
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
