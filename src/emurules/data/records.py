"""The records of one subject kind -> validated `Record`s, fast when the data is valid.

A population can have millions of cells, nearly all of them already what their field
wants. So each field gets a reader, made once per validation, that recognises such a cell
in a few operations (a clean text, an enum value's name, a number text or a date seen
before, a true/false word) and hands anything else to `Validator.convert`, which reads it
the full way and reports why it is not a value. Both ways give the same value; errors are
made only by the full way, so they are the same, in the same order, whichever way a cell
went.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from emurules.data import cells
from emurules.i18n import Message, message
from emurules.plan.schema import FieldSchema
from emurules.source import Place
from emurules.suggest import suggest
from emurules.values import MISSING

if TYPE_CHECKING:
    from emurules.data.validate import Validator

Read = Callable[[Any, int], Any]
"""A field's reader: (the raw cell, its 1-based row) -> the value, or None after an error."""

REMEMBERED = 4096
"""Distinct number and date cells remembered per field: a column repeats a few texts."""

LAYOUTS = 256
"""Distinct lists of column titles remembered per kind: the rows of a file share one."""


@attrs.frozen
class Record:
    """One validated subject: its kind, key, every field's value and where it came from
    (its file, or its kind for data given in Python, and its 1-based row)."""

    kind: str
    key: str
    values: dict[str, Any]
    file: str
    row: int

    @property
    def place(self) -> Place:
        return Place(file=self.file, row=self.row, key=self.key)


class KindReader:
    """Reads the records of one kind for a validator: one reader per field, and the column
    titles each list of titles was found to need no cleaning (with its unknown names)."""

    def __init__(self, v: Validator, kind: str) -> None:
        info = v.schema.kinds[kind]
        self.v = v
        self.kind = kind
        self.key = info.key
        self.fields = info.fields
        self.file = v.file(kind)
        self.readers = tuple(
            (name, _reader(v, kind, self.file, field)) for name, field in info.fields.items()
        )
        # titles (in order) that need no cleaning -> those that name no field
        self.layouts: dict[tuple[Any, ...], tuple[str, ...]] = {}
        # a title that names no field -> its "did you mean"
        self.hints: dict[str, Message | None] = {}

    def record(self, index: int, row: Any) -> Record | None:
        """The record of a row, or None when its key has no value; every problem found is
        reported (the record is kept for the reference checks when its key is sound)."""
        if type(row) is not dict and not isinstance(row, Mapping):
            self.v.error(
                "type",
                message("data.record-not-a-mapping", kind=self.kind),
                Place(file=self.file, row=index),
            )
            return None
        start = len(self.v.found)
        titles = tuple(row)
        unknown = self.layouts.get(titles)
        twice: set[str] = set()
        if unknown is None:
            row, twice = self.v.titles(self.kind, index, row)
            unknown = tuple(name for name in row if name not in self.fields)
            if not twice and tuple(row) == titles and len(self.layouts) < LAYOUTS:
                self.layouts[titles] = unknown
        for name in unknown:
            self.v.error(
                "unknown_field",
                message("data.unknown-field", kind=self.kind, name=name),
                Place(file=self.file, row=index, field=name),
                hint=self.hint(name),
            )
        get = row.get
        if twice:  # a column that became two: neither value is taken
            values = {
                name: None if name in twice else read(get(name), index)
                for name, read in self.readers
            }
        else:
            values = {name: read(get(name), index) for name, read in self.readers}
        key = values[self.key]
        if key is None or key is MISSING:
            return None
        if len(self.v.found) > start:
            self.v.keyed(start, str(key))
        return Record(self.kind, str(key), values, self.file, index)

    def hint(self, name: str) -> Message | None:
        """'Did you mean' for a title that names no field: searched once per title."""
        if name in self.hints:
            return self.hints[name]
        found = suggest(name, self.fields)
        if len(self.hints) < REMEMBERED:
            self.hints[name] = found
        return found


def _reader(v: Validator, kind: str, file: str, field: FieldSchema) -> Read:
    """The reader of one field: a shortcut for cells that are already values, if its type
    has one, before the full way."""
    name = field.name
    title = field.label or name  # what a file titles its column (said in messages)
    said = (info.label if (info := v.schema.kinds.get(kind)) is not None else None) or kind
    declared = field.type
    default = field.default
    optional = field.optional

    def full(raw: Any, row: int) -> Any:
        raw = cells.native(raw)
        if raw is None or (isinstance(raw, str) and not cells.clean(raw)):
            if default is not None:
                return default
            if optional:
                return MISSING
            v.error("required", message("data.required", kind=said, name=title), (file, row, name))
            return None
        return v.convert(raw, declared, (file, row, name), field)

    match declared.kind:
        case "text" | "ref":
            return _text(full)
        case "enum" if declared.name is not None:
            return _words(full, v.enum_values(declared.name))
        case "bool":
            return _boolean(full)
        case "int" | "number" | "percent":
            return _remembered(full, None)
        case "date":
            return _remembered(full, datetime.date)
        case _:
            return full


def _text(full: Read) -> Read:
    """A text or a key: NFC and trimmed (an ASCII text needs only the trimming)."""

    def read(raw: Any, row: int) -> Any:
        if type(raw) is str:
            value = raw.strip() if raw.isascii() else cells.clean(raw)
            if value:
                return value
        return full(raw, row)

    return read


def _words(full: Read, words: Mapping[str, Any]) -> Read:
    """A cell that is exactly one of `words` (already clean) reads as its value."""
    known = {word: value for word, value in words.items() if cells.clean(word) == word}

    def read(raw: Any, row: int) -> Any:
        if type(raw) is str:
            found = known.get(raw)
            if found is not None:
                return found
        return full(raw, row)

    return read


def _boolean(full: Read) -> Read:
    words = dict.fromkeys(cells.TRUE_WORDS, True) | dict.fromkeys(cells.FALSE_WORDS, False)
    known = {word: value for word, value in words.items() if cells.clean(word).lower() == word}

    def read(raw: Any, row: int) -> Any:
        if type(raw) is str:
            found = known.get(raw)
            if found is not None:
                return found
        elif type(raw) is bool:
            return raw
        return full(raw, row)

    return read


def _remembered(full: Read, ready: type | None) -> Read:
    """Number and date cells: a text or whole number read once is remembered (with its
    value after the field's range check), so a column's repeated cells are looked up.
    Only values are remembered: a bad cell goes the full way every time, to be reported
    where it stands. A cell of type `ready` (a date, not a datetime) is a value as it is."""
    seen: dict[Any, Any] = {}

    def read(raw: Any, row: int) -> Any:
        kind = type(raw)
        if kind is str or kind is int:
            found = seen.get(raw)
            if found is not None:
                return found
            value = full(raw, row)
            if value is not None and len(seen) < REMEMBERED:
                seen[raw] = value
            return value
        if kind is ready:
            return raw
        return full(raw, row)

    return read
