"""Records and history rows -> a validated Table, or every data error at once.

Each field is converted by its declared type (`cells`), under one locale; every text, key
and column title is NFC and trimmed first. One defect never cascades: a record whose key
is broken is left out of the reference checks, and a bad value is reported once.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from emurules.data import cells
from emurules.data.history import History, read_history
from emurules.data.records import LAYOUTS, REMEMBERED, KindReader
from emurules.data.records import Record as Record  # the engine reads it from here
from emurules.errors import DataError, UsageError
from emurules.i18n import Message, message
from emurules.i18n.formatting import Shown
from emurules.limits import LOCALES
from emurules.plan.ir import VType
from emurules.plan.schema import (
    PERCENT_HIGH,
    PERCENT_LOW,
    PERCENT_TEXT,
    Bound,
    FieldSchema,
    Schema,
    describe,
)
from emurules.source import Diagnostic, Place
from emurules.suggest import suggest
from emurules.values import MISSING, EnumValue, decimal_text

# Where a cell is (file, row, field): made into a Place only for a message, since most
# cells have none.
Where = tuple[str, int | None, str | None]

CODES = {
    "type": "D0101", "enum": "D0102", "constraint": "D0103", "required": "D0104",
    "duplicate_key": "D0105", "dangling_reference": "D0106", "unknown_award": "D0107",
    "history_year": "D0108", "unknown_field": "D0109", "unknown_kind": "D0110",
    "limit": "D0130", "locale": "D0131", "duplicate_field": "D0132",
    "nothing_assessed": "D0133",
}  # fmt: skip


@attrs.frozen
class Table:
    records: dict[str, tuple[Record, ...]]
    by_key: dict[str, dict[str, Record]]
    history: History
    skipped: tuple[Diagnostic, ...] = ()


class Validator:
    """One pass over the data: converts every cell and collects every problem found."""

    def __init__(
        self, schema: Schema, year: int, sources: Mapping[str, str], locale: str = "iso"
    ) -> None:
        self.sources = dict(sources)
        self.kinds_by_file = {file: kind for kind, file in self.sources.items()}
        self.schema = schema
        self.year = year
        self.locale = locale
        self.found: list[Diagnostic] = []
        # Each enum's values, made once and shared (they are immutable).
        self._enum_values: dict[str, dict[str, EnumValue]] = {}
        # (enum, a text that is none of its values) -> what to write instead
        self._enum_hints: dict[tuple[str, str], Message] = {}
        # Column titles (in order) already found to need no cleaning.
        self.plain_titles: dict[tuple[Any, ...], bool] = {}
        # (kind, column titles in order) -> the names they stand for, when some needed
        # cleaning or named a field by its label.
        self.renamed_titles: dict[tuple[str, tuple[Any, ...]], tuple[str, ...]] = {}
        # (kind, field) -> its column's title as a file wrote it, when not the field's name
        self.columns: dict[tuple[str, str], str] = {}
        self.bad_rows: set[tuple[str, int]] = set()

    def error(
        self, kind: str, text: Message, where: Place | Where, hint: Message | None = None
    ) -> None:
        place = where if isinstance(where, Place) else Place(file=where[0], row=where[1],
                                                              field=where[2])  # fmt: skip
        code = CODES[kind]
        self.found.append(Diagnostic(code=code, message=text, place=place, kind=kind, hint=hint))
        if place.row is not None:
            self.bad_rows.add((self.kinds_by_file.get(place.file, place.file), place.row))

    def titled(self, found: list[Diagnostic]) -> list[Diagnostic]:
        """Problems whose place names a column by the title its file gave it (a label)."""
        if not self.columns:
            return found
        kinds = self.kinds_by_file
        titled = []
        for diagnostic in found:
            place = diagnostic.place
            if place is not None and place.field is not None:
                kind = kinds.get(place.file, place.file)
                column = self.columns.get((kind, place.field))
                if column is not None:
                    place = attrs.evolve(place, column=column)
                    diagnostic = attrs.evolve(diagnostic, place=place)
            titled.append(diagnostic)
        return titled

    def keyed(self, start: int, key: str) -> None:
        """Name the subject's key in the places of the problems found since `start` (its
        row's): the key is known only once the row is read."""
        found = self.found
        for index in range(start, len(found)):
            place = found[index].place
            if place is not None and place.key is None:
                found[index] = attrs.evolve(found[index], place=attrs.evolve(place, key=key))

    def muted(self) -> Validator:
        """A copy that keeps what it finds to itself: for reading rows again."""
        muted = copy.copy(self)
        muted.found = []
        muted.bad_rows = set()
        return muted

    def file(self, kind: str) -> str:
        """How messages name the input of a kind: its file, or the kind for Python data."""
        return self.sources.get(kind, kind)

    # ---- single values ------------------------------------------------------------------
    def convert(
        self, raw: Any, declared: VType, place: Place | Where, field: FieldSchema | None
    ) -> Any:
        """A raw cell as a value of the declared type, or None after reporting why not."""
        kind = declared.kind
        found: Any
        if kind == "text":
            found = cells.text(raw)
        elif kind == "bool":
            found = cells.boolean(raw)
        elif kind == "date":
            found = cells.date(raw, self.locale)
        elif kind == "enum" and declared.name is not None:
            return self._enum(raw, declared.name, place)
        elif kind == "ref" and declared.name is not None:
            found = self._reference(raw, declared.name)
        elif kind in ("int", "number", "percent"):
            return self._number(raw, declared, place, field)
        else:
            wanted = message("data.not-of-type", value=cells.shown(raw), type=describe(declared))
            found = cells.Problem("type", wanted)
        if isinstance(found, cells.Problem):
            return self.problem(found, place)
        return found

    def problem(self, problem: cells.Problem, place: Place | Where) -> None:
        """Report a cell that is not a value; the result (None) stands for 'no value'."""
        self.error(problem.kind, problem.message, place, hint=problem.hint)

    def _reference(self, raw: Any, target: str) -> str | cells.Problem:
        if isinstance(raw, str):
            return cells.clean(raw)
        if isinstance(raw, int) and not isinstance(raw, bool):
            number = cells.number(raw, "int", self.locale)
            if isinstance(number, cells.Problem):
                return number
            return str(raw)
        return cells.Problem(
            "type", message("data.not-a-reference", value=cells.shown(raw), kind=target)
        )

    def enum_values(self, enum: str) -> dict[str, EnumValue]:
        """An enum's values by name and by label (NFC, trimmed), made once per validation
        and shared by every cell."""
        known = self._enum_values.get(enum)
        if known is None:
            values = self.schema.enums[enum]
            known = {name: EnumValue(enum, name, i) for i, name in enumerate(values)}
            for name, label in self.schema.enum_labels.get(enum, {}).items():
                known.setdefault(cells.clean(label), known[name])
            self._enum_values[enum] = known
        return known

    def _enum(self, raw: Any, enum: str, place: Place | Where) -> EnumValue | None:
        values = self.schema.enums[enum]
        text = cells.clean(raw) if isinstance(raw, str) else raw
        known = self.enum_values(enum)
        if isinstance(text, str) and text in known:
            return known[text]
        hint = self._enum_hints.get((enum, text)) if isinstance(text, str) else None
        if hint is None:
            close = suggest(text, values) if isinstance(text, str) else None
            hint = close or message("data.one-of", values=values)
            if isinstance(text, str) and len(self._enum_hints) < REMEMBERED:
                self._enum_hints[(enum, text)] = hint
        self.error(
            "enum",
            message("data.not-in-enum", value=cells.shown(text), enum=enum),
            place,
            hint=hint,
        )
        return None

    def _number(
        self, raw: Any, declared: VType, place: Place | Where, field: FieldSchema | None
    ) -> Any:
        found = cells.number(raw, declared.kind, self.locale)
        if isinstance(found, cells.Problem):
            return self.problem(found, place)
        value, percent_form = found
        low, high = _range(declared, field)
        if (low is not None and value < low[0]) or (low is not None and low[1] and value == low[0]):
            return self._out_of_range(raw, value, field, place, declared, percent_form)
        if (high is not None and value > high[0]) or (
            high is not None and high[1] and value == high[0]
        ):
            return self._out_of_range(raw, value, field, place, declared, percent_form)
        return value

    def _out_of_range(
        self,
        raw: Any,
        value: Decimal,
        field: FieldSchema | None,
        place: Place | Where,
        declared: VType,
        percent_form: bool,
    ) -> Any:
        hint = None
        if declared.kind == "percent" and not percent_form and not isinstance(raw, Decimal):
            written = cells.clean(raw) if isinstance(raw, str) else cells.shown(raw)
            hint = message("data.percent-is-a-fraction", written=written)
        if field is not None:
            text = message(
                "data.out-of-range",
                value=cells.shown(raw),
                name=field.label or field.name,
                rule=_rule(field, declared),
            )
        else:
            rule = PERCENT_TEXT if declared.kind == "percent" else ""
            text = message("data.value-out-of-range", value=cells.shown(raw), rule=rule)
        self.error("constraint", text, place, hint=hint)
        return None

    # ---- records ------------------------------------------------------------------------
    def records(
        self, data: Mapping[str, list[Mapping[str, Any]]], exclude: set[tuple[str, int]]
    ) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {kind: [] for kind in self.schema.kinds}
        for kind, rows in data.items():
            info = self.schema.kinds.get(kind)
            if info is None:
                self.error(
                    "unknown_kind",
                    message("data.unknown-kind", kind=kind),
                    Place(file=self.file(kind)),
                    hint=suggest(kind, self.schema.kinds),
                )
                continue
            read = KindReader(self, kind).record
            found = out[kind]
            for index, row in enumerate(rows, start=1):
                if exclude and (kind, index) in exclude:
                    continue
                record = read(index, row)
                if record is not None:
                    found.append(record)
        return out

    def titles(
        self, kind: str, index: int, row: Mapping[Any, Any]
    ) -> tuple[dict[str, Any], set[str]]:
        """The row by NFC, trimmed column titles, and the titles that became one: those are
        refused, since either value could be meant."""
        titles = tuple(row)
        if self.plain_titles.get(titles, False):
            return dict(row), set()
        renamed = self.renamed_titles.get((kind, titles))
        if renamed is not None:  # labels or untrimmed titles, already found to be distinct
            return dict(zip(renamed, row.values(), strict=True)), set()
        cleaned: dict[str, Any] = {}
        written: dict[str, str] = {}
        twice: set[str] = set()
        labels = info.titles if (info := self.schema.kinds.get(kind)) is not None else {}
        for title, raw in row.items():
            title = title if isinstance(title, str) else cells.shown(title)
            name = cells.clean(title)
            name = labels.get(name, name)
            if name in cleaned:
                if name not in twice:
                    self.error(
                        "duplicate_field",
                        message(
                            "data.same-column-twice",
                            first=repr(written[name]),
                            second=repr(title),
                            name=name,
                        ),
                        Place(file=self.file(kind), row=index, field=name),
                        hint=message("data.keep-one-column"),
                    )
                twice.add(name)
                continue
            cleaned[name] = raw
            written[name] = title
            if title != name:
                self.columns.setdefault((kind, name), title)
        if len(self.plain_titles) < LAYOUTS:  # rows of a file share their titles
            self.plain_titles[titles] = not twice and list(cleaned) == list(titles)
            if not twice and list(cleaned) != list(titles):
                self.renamed_titles[(kind, titles)] = tuple(cleaned)
        return cleaned, twice

    def keys_and_references(self, records: dict[str, list[Record]]) -> dict[str, dict[str, Record]]:
        by_key: dict[str, dict[str, Record]] = {}
        for kind, rows in records.items():
            seen: dict[str, Record] = {}
            key_name = self.schema.kinds[kind].key
            for record in rows:
                first = seen.setdefault(record.key, record)
                if first is not record:
                    self.error(
                        "duplicate_key",
                        message("data.duplicate-key", key=repr(record.key), row=str(first.row)),
                        Place(file=record.file, row=record.row, field=key_name, key=record.key),
                    )
            by_key[kind] = seen
        for kind, rows in records.items():
            refs = [
                (name, symbol.type.name, by_key.get(symbol.type.name, {}))
                for name, symbol in self.schema.kinds[kind].names.items()
                if symbol.sort == "field"
                and symbol.type is not None
                and symbol.type.kind == "ref"
                and symbol.type.name is not None
            ]
            if not refs:
                continue
            for record in rows:
                for name, target_kind, targets in refs:
                    target = record.values.get(name)
                    if target is None or target is MISSING or target in targets:
                        continue
                    self.error(
                        "dangling_reference",
                        message("data.no-such-key", kind=target_kind, key=repr(target)),
                        Place(file=record.file, row=record.row, field=name, key=record.key),
                        hint=suggest(target, targets),
                    )
        return by_key


def _range(declared: VType, field: FieldSchema | None) -> tuple[Bound | None, Bound | None]:
    """(bound, strict) below and above: the field's, or 0%..100% for a value of no field."""
    if field is not None:
        return field.low, field.high
    if declared.kind == "percent":
        return PERCENT_LOW, PERCENT_HIGH
    return None, None


def _rule(field: FieldSchema, declared: VType) -> Message | str:
    """A field's range in words ("at least 0", "from 0% to 100%"); as written for a date."""
    if declared.kind == "date" or (field.low is None and field.high is None):
        return field.constraint_text

    def bound(found: Bound) -> Shown | str:
        value = found[0]
        return f"{decimal_text(value * 100)}%" if declared.kind == "percent" else Shown(value)

    if field.low is not None and field.high is not None and not (field.low[1] or field.high[1]):
        return message("data.rule-from-to", low=bound(field.low), high=bound(field.high))
    low = high = None
    if field.low is not None:
        value = bound(field.low)
        low = (
            message("data.rule-above", value=value)
            if field.low[1]
            else message("data.rule-at-least", value=value)
        )
    if field.high is not None:
        value = bound(field.high)
        high = (
            message("data.rule-below", value=value)
            if field.high[1]
            else message("data.rule-at-most", value=value)
        )
    if low is not None and high is not None:
        return message("data.rule-both", low=low, high=high)
    return low or high or field.constraint_text


def locale_of(schema: Schema, locale: str | None = None) -> str:
    """The locale data is read with: the argument, else the ruleset's, else "iso"."""
    if locale is not None:
        if locale not in LOCALES:
            raise usage_error(
                message(
                    "data.unknown-locale",
                    locale=repr(locale),
                    locales=tuple(repr(name) for name in LOCALES),
                )
            )
        return locale
    return schema.locale


def usage_error(text: Message, hint: Message | None = None) -> UsageError:
    """A wrong argument, as an error that also carries it as a diagnostic (D0139)."""
    return UsageError(text, [Diagnostic(code="D0139", kind="usage", message=text, hint=hint)])


def _by_clean_name(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Keys NFC and trimmed, unless two would become one (then an unknown one is named)."""
    cleaned = {cells.clean(str(k)): v for k, v in mapping.items()}
    return cleaned if len(cleaned) == len(mapping) else dict(mapping)


def validate(
    schema: Schema,
    data: Mapping[str, Iterable[Mapping[str, Any]]],
    history: Iterable[Mapping[str, Any]] = (),
    *,
    year: int,
    locale: str | None = None,
    skip_invalid: bool = False,
    exclude: Iterable[tuple[str, int]] = (),
    sources: Mapping[str, str] | None = None,
) -> Table:
    """Validate every record and history row; raise DataError listing every problem.

    Text cells are read with `locale` (the ruleset's when None; see `locale_of`). With
    `skip_invalid`, records with problems are set aside (and listed in `Table.skipped`)
    instead, and the rest is validated again without them; if that sets aside every
    record, nobody would be assessed, so DataError lists the problems after all.
    `exclude` names rows, as (kind or "history", 1-based row), already set aside; rows
    keep their numbers in every message. `sources` names the file each kind (and
    "history") came from, for messages.
    """
    reading = locale_of(schema, locale)
    rows = _by_clean_name({kind: list(records) for kind, records in data.items()})
    history_rows = list(history)
    files = _by_clean_name(sources or {})
    excluded = set(exclude)
    skipped: list[Diagnostic] = []
    while True:
        validator = Validator(schema, year, files, reading)
        records = validator.records(rows, excluded)
        by_key = validator.keys_and_references(records)
        past = read_history(validator, history_rows, by_key, excluded)
        if not validator.found:
            emptied = [
                kind
                for kind, given in rows.items()
                if given and kind in records and not records[kind]
                and any(k == kind for k, _ in excluded)
            ]  # fmt: skip
            if emptied:
                raise DataError([*skipped, *(_nothing_assessed(kind) for kind in emptied)])
            return Table(
                records={k: tuple(v) for k, v in records.items()},
                by_key=by_key,
                history=past,
                skipped=tuple(skipped),
            )
        newly = validator.bad_rows - excluded
        if not skip_invalid or not newly:
            raise DataError([*skipped, *validator.titled(validator.found)])
        skipped.extend(validator.titled(validator.found))
        excluded |= newly


def _nothing_assessed(kind: str) -> Diagnostic:
    """Setting aside every record of a kind would publish empty titles for it as if nobody
    had qualified: refused, whatever other kinds remain."""
    return Diagnostic(
        code=CODES["nothing_assessed"],
        kind="nothing_assessed",
        message=message("data.nothing-assessed", kind=kind),
        hint=message("data.fix-and-run-again"),
    )
