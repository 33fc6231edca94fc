"""Records and history rows -> a validated Table, or every data error at once.

Each field is converted by its declared type; one defect never cascades: a record whose
key is broken is left out of the reference checks, and a bad value is reported once.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from emurules.check import types as t
from emurules.check.model import Model
from emurules.check.scope import Symbol, suggest
from emurules.errors import DataError
from emurules.source import Diagnostic, Place
from emurules.syntax import ast
from emurules.values import MISSING, EnumValue

_PERCENT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*$")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


@attrs.frozen
class Record:
    """One validated subject: its kind, key, every field's value and where it came from."""

    kind: str
    key: str
    values: dict[str, Any]
    place: Place


@attrs.define
class History:
    """Past awards and past values, by (kind, key)."""

    awards: dict[tuple[str, str], dict[int, set[str]]] = attrs.field(factory=dict)
    values: dict[tuple[str, str, str, int], Any] = attrs.field(factory=dict)

    def received(self, kind: str, key: str, award: str, year: int) -> bool:
        return award in self.awards.get((kind, key), {}).get(year, set())


@attrs.frozen
class Table:
    records: dict[str, tuple[Record, ...]]
    by_key: dict[str, dict[str, Record]]
    history: History
    skipped: tuple[Diagnostic, ...] = ()


class _Validator:
    def __init__(self, model: Model, year: int, sources: Mapping[str, str]) -> None:
        self.sources = dict(sources)
        self.kinds_by_file = {file: kind for kind, file in self.sources.items()}
        self.model = model
        self.tables = model.tables
        self.year = year
        self.found: list[Diagnostic] = []
        self.bad_rows: set[tuple[str, int]] = set()

    def error(self, kind: str, message: str, place: Place, hint: str | None = None) -> None:
        code = {
            "type": "D0101", "enum": "D0102", "constraint": "D0103", "required": "D0104",
            "duplicate_key": "D0105", "dangling_reference": "D0106", "unknown_award": "D0107",
            "history_year": "D0108", "unknown_field": "D0109", "unknown_kind": "D0110",
        }[kind]  # fmt: skip
        self.found.append(Diagnostic(code=code, message=message, place=place, kind=kind, hint=hint))
        if place.row is not None:
            self.bad_rows.add((self.kinds_by_file.get(place.file, place.file), place.row))

    def file(self, kind: str) -> str:
        """How messages name the input of a kind: its file, or the kind for Python data."""
        return self.sources.get(kind, kind)

    # ---- single values ------------------------------------------------------------------
    def convert(self, raw: Any, declared: t.Type, place: Place, field: ast.Field | None) -> Any:
        """A raw cell as a value of the declared type, or None after reporting why not."""
        kind = declared.kind
        text = raw.strip() if isinstance(raw, str) else raw
        if kind == "text":
            if isinstance(text, str):
                return text
            return self._type(raw, "text", place)
        if kind == "bool":
            if isinstance(text, bool):
                return text
            if isinstance(text, str) and text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE
            return self._type(raw, "true or false", place)
        if kind == "date":
            if isinstance(text, datetime.date):
                return text
            try:
                return datetime.date.fromisoformat(str(text))
            except ValueError:
                return self._type(raw, "a date (YYYY-MM-DD)", place)
        if kind == "enum" and declared.name is not None:
            return self._enum(text, declared.name, place)
        if kind == "ref" and declared.name is not None:
            if isinstance(text, bool) or not isinstance(text, str | int):
                return self._type(raw, f"the key of a {declared.name}", place)
            return str(text)
        if kind in ("int", "number", "percent"):
            return self._number(text, raw, declared, place, field)
        return self._type(raw, str(declared), place)

    def _type(self, raw: Any, wanted: str, place: Place) -> Any:
        """Report a value of the wrong type; the result (None) stands for 'no value'."""
        self.error("type", f"{raw!r} is not {wanted}", place)
        return None

    def _enum(self, text: Any, enum: str, place: Place) -> EnumValue | None:
        values = [v.text for v in self.tables.enums[enum].values]
        if isinstance(text, str) and text in values:
            return EnumValue(enum, text, values.index(text))
        hint = suggest(str(text), values) or f"one of: {', '.join(values)}"
        self.error("enum", f"{text!r} is not a value of {enum}", place, hint=hint)
        return None

    def _number(
        self, text: Any, raw: Any, declared: t.Type, place: Place, field: ast.Field | None
    ) -> Any:
        wanted = {"int": "a whole number", "number": "a number", "percent": "a percentage"}
        value: Decimal | None = None
        percent_form = False
        if isinstance(text, bool):
            return self._type(raw, wanted[declared.kind], place)
        if isinstance(text, int | Decimal):
            value = Decimal(text)
        elif isinstance(text, float):
            value = Decimal(repr(text))
        elif isinstance(text, str):
            match = _PERCENT.match(text) if declared.kind == "percent" else None
            try:
                if match:
                    value = Decimal(match.group(1)) / 100
                    percent_form = True
                else:
                    value = Decimal(text.replace(" ", ""))
            except InvalidOperation:
                value = None
        if value is None or not value.is_finite():
            return self._type(raw, wanted[declared.kind], place)
        if declared.kind == "int" and value != value.to_integral_value():
            return self._type(raw, wanted["int"], place)
        low, high = self._range(declared, field)
        if (low is not None and value < low[0]) or (low is not None and low[1] and value == low[0]):
            return self._out_of_range(raw, value, field, place, declared, percent_form)
        if (high is not None and value > high[0]) or (
            high is not None and high[1] and value == high[0]
        ):
            return self._out_of_range(raw, value, field, place, declared, percent_form)
        return value

    def _range(
        self, declared: t.Type, field: ast.Field | None
    ) -> tuple[tuple[Decimal, bool] | None, tuple[Decimal, bool] | None]:
        """(bound, strict) below and above, from the field's constraint or 0%..100%."""
        low: tuple[Decimal, bool] | None = None
        high: tuple[Decimal, bool] | None = None
        constraint = field.constraint if field is not None else None
        if isinstance(constraint, ast.FieldRange):
            lo, hi = _signed(constraint.low), _signed(constraint.high)
            low = (lo, False) if lo is not None else None
            high = (hi, False) if hi is not None else None
        elif isinstance(constraint, ast.Bound):
            bound = _signed(constraint.value)
            if bound is not None:
                if constraint.op in (">", ">="):
                    low = (bound, constraint.op == ">")
                else:
                    high = (bound, constraint.op == "<")
        if declared.kind == "percent" and not isinstance(constraint, ast.FieldRange):
            low = low or (Decimal(0), False)
            high = high or (Decimal(1), False)
        return low, high

    def _out_of_range(
        self,
        raw: Any,
        value: Decimal,
        field: ast.Field | None,
        place: Place,
        declared: t.Type,
        percent_form: bool,
    ) -> Any:
        name = field.name.text if field is not None else "the value"
        rule = "0%..100%" if declared.kind == "percent" else ""
        if field is not None and field.constraint is not None:
            from emurules.syntax.printer import Printer

            text = Printer(ast.Module(decls=())).field(attrs.evolve(field, key=False, default=None))
            rule = text.split(" ", 2)[2] if text.count(" ") >= 2 else text
        hint = None
        if declared.kind == "percent" and not percent_form and not isinstance(raw, Decimal):
            hint = f"a percentage is a fraction (0.85) or written with % ('{raw}%')"
        self.error(
            "constraint", f"{raw!r} is outside the range of {name} ({rule})", place, hint=hint
        )
        return None

    # ---- records ------------------------------------------------------------------------
    def records(
        self, data: Mapping[str, list[Mapping[str, Any]]], exclude: set[tuple[str, int]]
    ) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {kind: [] for kind in self.tables.subjects}
        for kind, rows in data.items():
            info = self.tables.subjects.get(kind)
            if info is None:
                self.error(
                    "unknown_kind",
                    f"the criteria declare no subject kind '{kind}'",
                    Place(file=self.file(kind)),
                    hint=suggest(kind, self.tables.subjects),
                )
                continue
            for index, row in enumerate(rows, start=1):
                if (kind, index) in exclude:
                    continue
                record = self.record(kind, index, row)
                if record is not None:
                    out[kind].append(record)
        return out

    def record(self, kind: str, index: int, row: Mapping[str, Any]) -> Record | None:
        info = self.tables.subjects[kind]
        fields = {f.name.text: f for f in info.decl.fields}
        if not isinstance(row, Mapping):
            self.error(
                "type",
                f"a {kind} record must be a mapping of field names to values",
                Place(file=self.file(kind), row=index),
            )
            return None
        values: dict[str, Any] = {}
        for name in row:
            if name not in fields:
                self.error(
                    "unknown_field",
                    f"{kind} has no field '{name}'",
                    Place(file=self.file(kind), row=index, field=str(name)),
                    hint=suggest(str(name), fields),
                )
        for name, field in fields.items():
            place = Place(file=self.file(kind), row=index, field=name)
            symbol: Symbol = info.names[name]
            declared = symbol.type or t.UNKNOWN
            raw = row.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if field.default is not None:
                    values[name] = self.default(field, declared)
                elif declared.optional:
                    values[name] = MISSING
                else:
                    self.error("required", f"{kind} needs a value for '{name}'", place)
                continue
            values[name] = self.convert(raw, declared.required(), place, field)
        key_field = info.key
        if key_field is None:
            return None
        key = values.get(key_field.name.text)
        if key is None or key is MISSING:
            return None
        return Record(
            kind=kind, key=str(key), values=values, place=Place(file=self.file(kind), row=index)
        )

    def default(self, field: ast.Field, declared: t.Type) -> Any:
        node = field.default
        match node:
            case ast.Name(name=name) if declared.kind == "enum" and declared.name:
                values = [v.text for v in self.tables.enums[declared.name].values]
                return EnumValue(declared.name, name, values.index(name))
            case ast.TextLit(value=value):
                return value
            case ast.BoolLit(value=value):
                return value
            case ast.DateLit(value=value):
                return value
            case _:
                assert node is not None
                number = _signed(node)
                assert number is not None, f"default {node!r}"
                return number

    def keys_and_references(self, records: dict[str, list[Record]]) -> dict[str, dict[str, Record]]:
        by_key: dict[str, dict[str, Record]] = {}
        for kind, rows in records.items():
            seen: dict[str, Record] = {}
            key_name = self.tables.subjects[kind].key
            for record in rows:
                if record.key in seen:
                    first = seen[record.key].place.row
                    self.error(
                        "duplicate_key",
                        f"the key {record.key!r} is used by row {first} too",
                        attrs.evolve(record.place, field=key_name.name.text if key_name else None),
                    )
                    continue
                seen[record.key] = record
            by_key[kind] = seen
        for kind, rows in records.items():
            info = self.tables.subjects[kind]
            for record in rows:
                for name, symbol in info.names.items():
                    if symbol.kind != "field" or symbol.type is None or symbol.type.kind != "ref":
                        continue
                    target = record.values.get(name)
                    if target is None or target is MISSING or symbol.type.name is None:
                        continue
                    if target not in by_key.get(symbol.type.name, {}):
                        self.error(
                            "dangling_reference",
                            f"no {symbol.type.name} has the key {target!r}",
                            attrs.evolve(record.place, field=name),
                            hint=suggest(target, by_key.get(symbol.type.name, {})),
                        )
        return by_key

    # ---- history ------------------------------------------------------------------------
    def history(
        self,
        rows: list[Mapping[str, Any]],
        by_key: dict[str, dict[str, Record]],
        exclude: set[tuple[str, int]],
    ) -> History:
        history = History()
        seen: dict[tuple[str, str, int, str], int] = {}
        for index, row in enumerate(rows, start=1):
            if ("history", index) in exclude:
                continue
            place = Place(file=self.file("history"), row=index)
            key = row.get("key")
            if key is None or str(key).strip() == "":
                self.error(
                    "required", "a history row needs a key", attrs.evolve(place, field="key")
                )
                continue
            key = str(key).strip()
            kinds = [k for k, keys in by_key.items() if key in keys]
            kind_cell = row.get("kind")
            if kind_cell:
                kinds = [k for k in kinds if k == kind_cell]
            if not kinds:
                self.error(
                    "dangling_reference",
                    f"no subject has the key {key!r}",
                    attrs.evolve(place, field="key"),
                )
                continue
            if len(kinds) > 1:
                self.error(
                    "required",
                    f"the key {key!r} is used by {' and '.join(kinds)}; add a 'kind' column",
                    attrs.evolve(place, field="kind"),
                )
                continue
            kind = kinds[0]
            try:
                year = int(str(row.get("year", "")).strip())
            except ValueError:
                self._type(row.get("year"), "a year", attrs.evolve(place, field="year"))
                continue
            if year >= self.year:
                self.error(
                    "history_year",
                    f"history year {year} is not before the assessment year {self.year}",
                    attrs.evolve(place, field="year"),
                )
                continue
            info = self.tables.subjects[kind]
            award = row.get("award")
            name = award if award not in (None, "") else row.get("name")
            field_name = "award" if award not in (None, "") else "name"
            symbol = info.names.get(str(name)) if name else None
            if award not in (None, ""):
                if symbol is None or symbol.kind != "award":
                    owner = [
                        k
                        for k, i in self.tables.subjects.items()
                        if (s := i.names.get(str(award))) is not None and s.kind == "award"
                    ]
                    message = (
                        f"'{award}' is an award of {owner[0]}, not of {kind}"
                        if owner
                        else f"{kind} has no award '{award}'"
                    )
                    awards = info.names_of("award")
                    self.error(
                        "unknown_award",
                        message,
                        attrs.evolve(place, field="award"),
                        hint=suggest(str(award), awards),
                    )
                    continue
            elif symbol is None or symbol.kind in ("relation", "year", "ranking", "award"):
                self.error(
                    "unknown_field",
                    f"{kind} has no field, criterion, let or score '{name}'",
                    attrs.evolve(place, field="name"),
                    hint=suggest(str(name or ""), info.names),
                )
                continue
            marker = (kind, key, year, str(name))
            if marker in seen:
                self.error(
                    "duplicate_key",
                    f"row {seen[marker]} already gives {name} of {key!r} for {year}",
                    attrs.evolve(place, field=field_name),
                )
                continue
            seen[marker] = index
            if award not in (None, ""):
                history.awards.setdefault((kind, key), {}).setdefault(year, set()).add(str(award))
            else:
                declared = symbol.type if symbol.type is not None else t.NUMBER
                value = self.convert(
                    row.get("value"), declared.required(), attrs.evolve(place, field="value"), None
                )
                if value is not None:
                    history.values[(kind, key, str(name), year)] = value
        return history


def _signed(node: ast.Expr) -> Decimal | None:
    from emurules.check.functions import literal_number

    if isinstance(node, ast.Neg):
        inner = literal_number(node.operand)
        return -inner if inner is not None else None
    return literal_number(node)


def validate(
    model: Model,
    data: Mapping[str, Iterable[Mapping[str, Any]]],
    history: Iterable[Mapping[str, Any]] = (),
    *,
    year: int,
    skip_invalid: bool = False,
    exclude: Iterable[tuple[str, int]] = (),
    sources: Mapping[str, str] | None = None,
) -> Table:
    """Validate every record and history row; raise DataError listing every problem.

    With `skip_invalid`, records with problems are set aside (and listed in
    `Table.skipped`) instead, and the rest is validated again without them. `exclude`
    names rows, as (kind or "history", 1-based row), already set aside; rows keep their
    numbers in every message. `sources` names the file each kind (and "history") came
    from, for messages.
    """
    rows = {kind: list(records) for kind, records in data.items()}
    history_rows = list(history)
    excluded = set(exclude)
    skipped: list[Diagnostic] = []
    while True:
        validator = _Validator(model, year, sources or {})
        records = validator.records(rows, excluded)
        by_key = validator.keys_and_references(records)
        past = validator.history(history_rows, by_key, excluded)
        if not validator.found:
            return Table(
                records={k: tuple(v) for k, v in records.items()},
                by_key=by_key,
                history=past,
                skipped=tuple(skipped),
            )
        newly = validator.bad_rows - excluded
        if not skip_invalid or not newly:
            raise DataError(validator.found)
        skipped.extend(validator.found)
        excluded |= newly
