"""What every command shares: exit codes, reading criteria, checking outputs before writing."""

from __future__ import annotations

import argparse
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from emurules.check.model import check_module
from emurules.diagnostics import render_all, summary
from emurules.errors import UsageError
from emurules.i18n import LANGUAGES, Message, default_language, message, render
from emurules.rules import Rules
from emurules.source import Diagnostic, Source, normalise
from emurules.suggest import suggest
from emurules.syntax import ast
from emurules.syntax.parse import parse_source

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


def read_source(path: str) -> Source:
    """A criteria file as NFC text; a usage error for a file that cannot be read as text."""
    file = Path(path)
    try:
        mode = file.stat().st_mode
    except OSError as error:
        raise UsageError(_cannot_read(path, error)) from None
    if not stat.S_ISREG(mode):
        raise UsageError(message("cli.not-a-regular-file", path=path))
    try:
        data = file.read_bytes()
    except OSError as error:
        raise UsageError(_cannot_read(path, error)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(message("cli.not-utf8", path=path, byte=error.start)) from None
    return Source(path, normalise(text))


def _cannot_read(path: str, error: OSError) -> Message:
    return message("cli.cannot-read", path=path, reason=error.strerror or str(error))


def use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and "NO_COLOR" not in os.environ


def diagnose(source: Source) -> list[Diagnostic]:
    module, diagnostics = parse_source(source)
    if module is None:
        return diagnostics
    return check_module(module)[1]


def unknown(what: Message, value: str, candidates: list[str]) -> UsageError:
    hint = suggest(value, candidates)
    if hint:
        return UsageError(message("cli.unknown-hint", what=what, value=repr(value), hint=hint))
    return UsageError(message("cli.unknown", what=what, value=repr(value)))


def load_rules(path: str, out: TextIO, color: bool, lang: str = "en") -> Rules | None:
    """The checked criteria, or None after printing why not (in `lang`)."""
    source = read_source(path)
    module, diagnostics = parse_source(source)
    model = None
    if module is not None:
        model, diagnostics = check_module(module)
    errors = [d for d in diagnostics if d.is_error]
    if model is None or errors:
        out.write(render_all(diagnostics, color=color, lang=lang) + "\n")
        said = message("cli.file-summary", path=path, summary=summary(diagnostics, lang))
        out.write(render(said, lang))
        out.write("\n")
        return None
    return Rules(model)


def output_format(
    output: str | None, chosen: str | None, by_suffix: dict[str, str], default: str
) -> str:
    """The report format: `--format`, else the output's extension, else the default.

    A format that contradicts the extension (`--format csv -o x.xlsx`) is refused rather than
    writing a file that its extension misnames.
    """
    if output is None:
        return chosen or default
    suffix = Path(output).suffix.lower()
    implied = by_suffix.get(suffix)
    if chosen is None:
        if implied is None:
            known = tuple(sorted(by_suffix))
            raise UsageError(message("cli.unknown-extension", output=repr(output), known=known))
        return implied
    if implied is not None and implied != chosen:
        raise UsageError(
            message("cli.format-misfits", chosen=chosen, output=repr(output), implied=implied)
        )
    return chosen


def check_output(output: str | None, inputs: list[Path], flag: str = "-o") -> Path | None:
    """The path a report goes to, after making sure writing it can succeed and harms nothing:
    its folder exists, it is not a folder, and it is none of the inputs."""
    if output is None:
        return None
    path = Path(output)
    if path.is_dir():
        raise UsageError(message("cli.output-is-folder", flag=flag, output=output))
    if path.exists() and not path.is_file():
        raise UsageError(message("cli.output-not-regular", flag=flag, output=output))
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(
            message("cli.output-no-folder", flag=flag, output=output, folder=repr(str(folder)))
        )
    for source in inputs:
        if _same_file(path, source):
            raise UsageError(
                message("cli.output-is-input", flag=flag, output=output, input=repr(str(source)))
            )
    return path


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Name the file in the error when a report cannot be written (a full disk, no
    permission); the previous report stays intact, since reports are written atomically."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(message("cli.cannot-write", path=str(path), reason=reason)) from None


def add_language(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="the language of messages and reports (default: the criteria file's "
        "`language`, else from the locale: LC_ALL, LC_MESSAGES or LANG starting with vi, "
        "else en)",
    )


def language(args: argparse.Namespace) -> str:
    """The language a command speaks: `--lang`, else the criteria's own `language` (the
    one all the files it reads agree on), else the locale's (see `default_language`)."""
    chosen: str | None = getattr(args, "lang", None)
    if chosen is not None:
        return chosen
    files = getattr(args, "files", None) or [
        getattr(args, name, None) for name in ("file", "old", "new")
    ]
    written = {ruleset_language(f) for f in files if isinstance(f, str)}
    return default_language(written.pop() if len(written) == 1 else None)


_LANGUAGE_LINE = re.compile(r"^[ \t]*language[ \t]+(vi|en)\b", re.MULTILINE)


def ruleset_language(path: str) -> str | None:
    """The `language` a criteria file's header states; None when it states none or cannot
    be read or parsed (its errors are then reported in the locale's language)."""
    try:
        source = read_source(path)
    except (UsageError, OSError):
        return None
    module, _ = parse_source(source)
    if module is None:  # a syntax error: the header's line, if it reads as one
        line = _LANGUAGE_LINE.search(source.text)
        return line.group(1) if line else None
    for decl in module.decls:
        if isinstance(decl, ast.Ruleset):
            found = [s.value for s in decl.settings if s.key == "language"]
            return str(found[0]) if found else None
    return None


def add_color(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output (default: auto, when writing to a terminal)",
    )
    command.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of an internal error",
    )
