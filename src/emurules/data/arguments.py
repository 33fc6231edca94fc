"""The arguments of `compile`, `load` and `Rules.evaluate`, checked before anything is
read: a wrong one is a `UsageError` naming it and what it accepts (a `UsageTypeError` when
it is of the wrong type), never a Python error from deep inside. The diagnostic's code of
an argument of `evaluate` is D0139 (a data argument), of the others A0101."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol, TypeAlias

from emurules.data import cells
from emurules.data.frames import Rows, rows_of
from emurules.data.inputs import HISTORY
from emurules.errors import UsageError, UsageTypeError, given, wrong_type
from emurules.i18n import message
from emurules.limits import LOCALES

CODE = "D0139"


class Frame(Protocol):
    """What a type checker sees of a pandas or Polars DataFrame or an Arrow table."""

    @property
    def shape(self) -> tuple[int, int]: ...


Records: TypeAlias = Iterable[Mapping[str, object]] | Frame
"""A kind's records, or the history rows: dicts, or a frame (one row per record)."""


def inputs(
    data: object,
    history: object,
    *,
    locale: object,
    skip_invalid: object,
    sources: object,
) -> tuple[dict[str, Rows], Rows]:
    """The records of each kind and the history rows, as lists of rows, once every
    argument is found to be of a type it may have."""
    if sources is not None and not (
        isinstance(sources, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in sources.items())
    ):
        raise wrong_type("sources", sources, message("api.accepts-sources"), CODE)
    if locale is not None and not isinstance(locale, str):
        wanted = tuple(repr(name) for name in LOCALES)
        text = message("data.unknown-locale", locale=given(locale), locales=wanted)
        raise UsageTypeError(text, code=CODE)
    if not isinstance(skip_invalid, bool):
        raise wrong_type("skip_invalid", skip_invalid, message("api.accepts-flag"), CODE)
    if not isinstance(data, Mapping):
        raise wrong_type("data", data, message("api.accepts-data"), CODE)
    files: Mapping[str, str] = sources or {}
    rows = {
        kind: rows_of(records, f"data[{kind!r}]", files.get(kind, str(kind)))
        for kind, records in data.items()
    }
    return rows, rows_of(history, HISTORY, files.get(HISTORY, HISTORY))


def assessment_year(year: object) -> int:
    """The assessment year, which history and `year` in the criteria are read against: a
    whole number (a numpy one too) from 1 to 9999."""
    year = cells.native(year)
    if year is None:
        raise UsageError(message("api.no-year"), hint=message("api.no-year-hint"), code=CODE)
    if isinstance(year, bool) or not isinstance(year, int):
        raise UsageTypeError(message("api.bad-year", year=cells.shown(year)), code=CODE)
    if not 1 <= year <= 9999:
        raise UsageError(message("api.bad-year", year=cells.shown(year)), code=CODE)
    return year


def criteria_text(text: object, name: object) -> tuple[str, str]:
    """The criteria text and the name its diagnostics give it, both of them text."""
    if not isinstance(text, str):
        raise wrong_type("text", text, message("api.accepts-criteria-text"))
    if not isinstance(name, str):
        raise wrong_type("name", name, message("api.accepts-criteria-name"))
    return text, name


def criteria_path(path: object) -> Path:
    """The path of a criteria file: a str or an os.PathLike, such as a pathlib.Path."""
    if not isinstance(path, str | os.PathLike):
        raise wrong_type("path", path, message("api.accepts-path"))
    return Path(path)
