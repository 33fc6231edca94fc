"""What every command shares: exit codes, reading criteria, checking outputs before writing."""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from emurules.check.model import check_module
from emurules.diagnostics import render_all, summary
from emurules.errors import UsageError
from emurules.rules import Rules
from emurules.source import Diagnostic, Source, normalise
from emurules.suggest import suggest
from emurules.syntax.parse import parse_source

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


def read_source(path: str) -> Source:
    """A criteria file as NFC text; a usage error for a file that cannot be read as text."""
    file = Path(path)
    try:
        mode = file.stat().st_mode
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        raise UsageError(f"cannot read {path}: not a regular file")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{path} is not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
    return Source(path, normalise(text))


def use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and "NO_COLOR" not in os.environ


def diagnose(source: Source) -> list[Diagnostic]:
    module, diagnostics = parse_source(source)
    if module is None:
        return diagnostics
    return check_module(module)[1]


def unknown(what: str, value: str, candidates: list[str]) -> UsageError:
    hint = suggest(value, candidates)
    return UsageError(f"no {what} {value!r}" + (f"; {hint}" if hint else ""))


def load_rules(path: str, out: TextIO, color: bool) -> Rules | None:
    """The checked criteria, or None after printing why not."""
    source = read_source(path)
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
            known = ", ".join(sorted(by_suffix))
            raise UsageError(
                f"cannot tell the format of {output!r} from its extension; name it "
                f"with one of {known}, or pass --format"
            )
        return implied
    if implied is not None and implied != chosen:
        raise UsageError(
            f"--format {chosen} does not fit {output!r}, whose extension means {implied}"
        )
    return chosen


def check_output(output: str | None, inputs: list[Path], flag: str = "-o") -> Path | None:
    """The path a report goes to, after making sure writing it can succeed and harms nothing:
    its folder exists, it is not a folder, and it is none of the inputs."""
    if output is None:
        return None
    path = Path(output)
    if path.is_dir():
        raise UsageError(f"{flag} {output}: this is a folder; name a file to write")
    if path.exists() and not path.is_file():
        raise UsageError(f"{flag} {output}: not a regular file (a device or a pipe)")
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"{flag} {output}: the folder {str(folder)!r} does not exist")
    for source in inputs:
        if _same_file(path, source):
            raise UsageError(
                f"{flag} {output} would overwrite the input {str(source)!r}; "
                "write the report to another file"
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
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


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
