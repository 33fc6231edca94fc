"""The command line: argument parsing and wiring to the library, one module per command.

`main` owns the exit codes: 0 done, 1 findings (problems in the criteria or the data), 2 a
command line that cannot run, 70 an internal error (a bug: one line asking to report it; the
traceback only with `--debug`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from types import FrameType

from emurules import __version__
from emurules.cli import check, diff, doc, rank, serve, sql, template, test
from emurules.cli.common import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, language
from emurules.diagnostics import render_all
from emurules.errors import DiagnosticError, UnknownNameError, UsageError
from emurules.i18n import message, render
from emurules.report.safe import printable

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="emurules",
        description="Check, format and run emulation-movement criteria files.",
    )
    parser.add_argument("--version", action="version", version=f"emurules {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check.add_commands(commands)
    rank.add_commands(commands)
    diff.add_commands(commands)
    doc.add_commands(commands)
    test.add_commands(commands)
    serve.add_commands(commands)
    template.add_commands(commands)
    sql.add_commands(commands)
    return parser


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM unwinds like an exception, so a report being written is removed, not left
    half-written."""
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.lang = language(args)
    if getattr(args, "output", None) == "-":  # `-o -`: the standard output, as usual
        args.output = None
    if getattr(args, "max_diagnostics", 0) < 0:
        parser.error("--max-diagnostics takes 0 or more")
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(args)
    finally:  # a program that calls main() keeps its own handling of SIGTERM
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        result: int = args.run(args, sys.stdout)
    except UsageError as error:
        said = message("cli.error", problem=error.message)
        print(printable(render(said, args.lang)), file=sys.stderr)
        # the places the refusal names (an engine's), and what it lists without one
        placed = [d for d in error.diagnostics if d.span is not None or d.message != error.message]
        if placed:
            print(render_all(placed, lang=args.lang), file=sys.stderr)
        return EXIT_USAGE
    except UnknownNameError as error:  # its text, never KeyError's quoted repr of it
        said = message("cli.error", problem=error.text(args.lang))
        print(printable(render(said, args.lang)), file=sys.stderr)
        return EXIT_USAGE
    except DiagnosticError as error:
        sys.stdout.write(render_all(error.diagnostics, lang=args.lang) + "\n")
        return EXIT_FINDINGS
    except BrokenPipeError:  # the reader stopped reading (`| head`): not an error of ours
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:  # a path the system refuses (too long, no permission...)
        reason = error.strerror or str(error)
        problem = (
            message("cli.os-error", path=str(error.filename), reason=reason)
            if error.filename
            else reason
        )
        said = message("cli.error", problem=problem)
        print(printable(render(said, args.lang)), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(render(message("cli.interrupted"), args.lang), file=sys.stderr)
        return 130
    except Exception as error:  # a bug in emurules, never a user's mistake
        # in plain English, not from the catalogue: the bug may be in the catalogue
        if args.debug:
            traceback.print_exc()
        print(
            f"emurules: internal error ({type(error).__name__}): this is a bug in emurules; "
            "please report it with the command you ran (add --debug to see the details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return result
