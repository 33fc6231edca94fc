"""`--data` arguments -> one data file per subject kind, and the history file.

A folder is read by its file names only, and every name must be accounted for: a data
file named after no kind, two files for one kind or an old `.xls` file is refused, never
skipped, since a skipped file means people silently not assessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from emurules.data.common import CODES, FORMATS, nfc
from emurules.errors import DataError
from emurules.source import Diagnostic, Place
from emurules.suggest import suggest

HISTORY = "history"

OTHER_SPREADSHEETS = frozenset(("xls", "xlsm", "xlsb", "ods", "numbers"))
"""Spreadsheet formats that are not read; a folder holding one is refused."""


@attrs.frozen
class Inputs:
    """The data file of each subject kind, and the history file, if any."""

    files: dict[str, Path]
    history: Path | None


def argument_path(argument: str) -> Path:
    """The path a `--data` argument names (`KIND=PATH`, a file or a folder)."""
    kind, sep, rest = argument.partition("=")
    if sep and rest and nfc(kind).isidentifier():
        return Path(rest)
    return Path(argument)


@attrs.define
class _Finder:
    known: set[str]
    found: dict[str, list[Path]] = attrs.field(factory=dict)
    problems: list[Diagnostic] = attrs.field(factory=list)

    def problem(self, where: object, message: str, hint: str | None = None, *notes: str) -> None:
        self.problems.append(
            Diagnostic(
                code=CODES["inputs"],
                kind="inputs",
                message=message,
                hint=hint,
                notes=notes,
                place=Place(file=nfc(str(where))),
            )
        )

    def expected(self) -> str:
        names = ", ".join(sorted(self.known))
        formats = ", ".join(f".{f}" for f in FORMATS)
        return f"expected files named after a subject kind ({names}) or {HISTORY}, as {formats}"

    def unknown(self, stem: str) -> str:
        close = suggest(stem, [*self.known, HISTORY])
        kinds = ", ".join(sorted(self.known))
        return (f"{close} " if close else "") + f"the subject kinds are: {kinds}"

    def add(self, kind: str, path: Path) -> None:
        self.found.setdefault(kind, []).append(path)

    def argument(self, argument: str) -> None:
        path = argument_path(argument)
        if path != Path(argument):
            kind = nfc(argument.partition("=")[0])
            if kind != HISTORY and kind not in self.known:
                self.problem(argument, f"no subject kind '{kind}'", self.unknown(kind))
            elif not path.exists():
                self.problem(path, "no such data file")
            else:
                self.add(kind, path)
            return
        if not path.exists():
            self.problem(path, "no such data file or folder")
        elif path.is_dir():
            self.folder(path)
        else:
            stem = nfc(path.stem)
            if stem == HISTORY or stem in self.known:
                self.add(stem, path)
            else:
                self.problem(
                    path,
                    f"the file is named after no subject kind ('{stem}')",
                    f"{self.unknown(stem)}; or give it as KIND={path}",
                )

    def folder(self, folder: Path) -> None:
        try:
            entries = sorted(folder.iterdir())
        except OSError as error:
            self.problem(folder, f"cannot read the folder: {error.strerror or error}")
            return
        names = [nfc(e.name) for e in entries if not e.name.startswith((".", "~$"))]
        shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        notes = (self.expected(), f"found: {shown or 'nothing'}")
        before = (sum(len(paths) for paths in self.found.values()), len(self.problems))
        for entry in entries:
            name = nfc(entry.name)
            if name.startswith((".", "~$")) or entry.is_dir():
                continue
            stem, ext = nfc(entry.stem), entry.suffix.lower().lstrip(".")
            ours = stem == HISTORY or stem in self.known
            if ext in OTHER_SPREADSHEETS:
                self.problem(
                    entry,
                    f"a '.{ext}' spreadsheet cannot be read",
                    "open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8, "
                    "named after its subject kind",
                    *notes,
                )
            elif ext in FORMATS and ours:
                self.add(stem, entry)
            elif ext in FORMATS:
                self.problem(
                    entry,
                    f"the data file is named after no subject kind ('{stem}')",
                    self.unknown(stem),
                    *notes,
                )
            elif ours:
                self.problem(
                    entry,
                    f"a file named after '{stem}' whose format cannot be read ('{entry.suffix}')",
                    "save it as .csv, .json, .jsonl, .xlsx or .parquet, or move it out",
                    *notes,
                )
        if (sum(len(paths) for paths in self.found.values()), len(self.problems)) == before:
            self.problem(folder, "the folder holds no data file", None, *notes)

    def inputs(self) -> Inputs:
        for kind, paths in self.found.items():
            if len(paths) > 1:
                both = " and ".join(nfc(str(p)) for p in paths)
                self.problem(
                    paths[0], f"{len(paths)} files for '{kind}': {both}", "keep only one of them"
                )
        if self.problems:
            raise DataError(self.problems)
        files = {kind: paths[0] for kind, paths in self.found.items() if kind != HISTORY}
        history = self.found.get(HISTORY, [None])[0]
        return Inputs(files, history)


def find_inputs(paths: Iterable[str], kinds: Iterable[str]) -> Inputs:
    """Data files by subject kind, and a history file, from `--data` arguments.

    An argument is `KIND=PATH` (`history=PATH` for the history), a file named
    `<kind>.<format>`, or a folder holding such files (and `history.<format>`). File names
    are compared after NFC, so a name saved on a Mac (decomposed) is found. Raises
    DataError listing every problem: a missing path, a name that is no kind, two files for
    one kind, an unreadable spreadsheet format, no data file at all.
    """
    finder = _Finder({nfc(kind) for kind in kinds})
    arguments = list(paths)
    for argument in arguments:
        finder.argument(argument)
    if arguments and not finder.problems and not set(finder.found) - {HISTORY}:
        finder.problem(
            ", ".join(arguments),
            "no data file for any subject kind",
            "give at least one file named after a subject kind",
            finder.expected(),
        )
    return finder.inputs()
