"""`--data` arguments -> one data file per subject kind, and the history file.

A folder is read by its file names only, and every name must be accounted for: a data
file named after no kind, two files for one kind or an old `.xls` file is refused, never
skipped, since a skipped file means people silently not assessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from emurules.data.common import CODES, FORMATS, all_of, nfc
from emurules.errors import DataError
from emurules.i18n import Message, message
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

    def problem(
        self, where: object, text: Message, hint: Message | None = None, *notes: Message
    ) -> None:
        self.problems.append(
            Diagnostic(
                code=CODES["inputs"],
                kind="inputs",
                message=text,
                hint=hint,
                notes=notes,
                place=Place(file=nfc(str(where))),
            )
        )

    def expected(self) -> Message:
        formats = tuple(f".{f}" for f in FORMATS)
        return message(
            "data.expected-files", kinds=tuple(sorted(self.known)), history=HISTORY, formats=formats
        )

    def unknown(self, stem: str) -> Message:
        close = suggest(stem, [*self.known, HISTORY])
        kinds = tuple(sorted(self.known))
        if close:
            return message("data.did-you-mean-a-kind", suggestion=close, kinds=kinds)
        return message("data.the-kinds-are", kinds=kinds)

    def add(self, kind: str, path: Path) -> None:
        self.found.setdefault(kind, []).append(path)

    def argument(self, argument: str) -> None:
        path = argument_path(argument)
        if path != Path(argument):
            kind = nfc(argument.partition("=")[0])
            if kind != HISTORY and kind not in self.known:
                self.problem(argument, message("data.no-kind-named", kind=kind), self.unknown(kind))
            elif not path.exists():
                self.problem(path, message("data.no-such-file"))
            else:
                self.add(kind, path)
            return
        if not path.exists():
            self.problem(path, message("data.no-such-file-or-folder"))
        elif path.is_dir():
            self.folder(path)
        else:
            stem = nfc(path.stem)
            if stem == HISTORY or stem in self.known:
                self.add(stem, path)
            elif held := self.workbook_kinds(path):
                for kind in held:  # one workbook, a sheet per kind (`emurules template`)
                    self.add(kind, path)
            else:
                self.problem(
                    path,
                    message("data.file-named-after-no-kind", stem=stem),
                    message("data.or-give-it-as", reason=self.unknown(stem), path=str(path)),
                )

    def workbook_kinds(self, path: Path) -> list[str]:
        """The kinds (and history) a workbook has a visible sheet for, when `path` is an
        .xlsx file: such a workbook gives every kind it holds (nothing when it cannot be
        opened here: reading it will say why)."""
        if path.suffix.lower() != ".xlsx":
            return []
        from emurules.data.xlsxfile import sheet_titles

        titles = {t.casefold() for t in sheet_titles(path)}
        return [k for k in (*sorted(self.known), HISTORY) if k.casefold() in titles]

    def folder(self, folder: Path) -> None:
        try:
            entries = sorted(folder.iterdir())
        except OSError as error:
            reason = str(error.strerror or error)
            self.problem(folder, message("data.cannot-read-folder", reason=reason))
            return
        names = [nfc(e.name) for e in entries if not e.name.startswith((".", "~$"))]
        if not names:
            shown = message("data.found-nothing")
        elif len(names) > 12:
            shown = message("data.found-many", names=tuple(names[:12]), more=len(names) - 12)
        else:
            shown = message("data.found", names=tuple(names))
        notes = (self.expected(), shown)
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
                    message("data.spreadsheet-not-read", ext=ext),
                    message("data.save-named-after-its-kind"),
                    *notes,
                )
            elif ext in FORMATS and ours:
                self.add(stem, entry)
            elif ext in FORMATS:
                self.problem(
                    entry,
                    message("data.data-file-named-after-no-kind", stem=stem),
                    self.unknown(stem),
                    *notes,
                )
            elif ours:
                self.problem(
                    entry,
                    message("data.format-not-read", stem=stem, suffix=entry.suffix),
                    message("data.save-in-a-format-read"),
                    *notes,
                )
        if (sum(len(paths) for paths in self.found.values()), len(self.problems)) == before:
            self.problem(folder, message("data.no-data-file-in-folder"), None, *notes)

    def inputs(self) -> Inputs:
        for kind, paths in self.found.items():
            if len(paths) > 1:
                both = all_of([nfc(str(p)) for p in paths])
                self.problem(
                    paths[0],
                    message("data.files-for-one-kind", files=len(paths), kind=kind, paths=both),
                    message("data.keep-only-one"),
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
            message("data.no-data-file"),
            message("data.give-a-file-per-kind"),
            finder.expected(),
        )
    return finder.inputs()
