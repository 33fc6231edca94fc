"""Tables that already live in a database, read by the SQL engine where they are.

A database holds one table per subject kind (named after the kind, or as the caller maps
it), whose columns have their natural types: a number as DECIMAL/NUMERIC(p, s) or an
integer type (a percentage as its fraction: 0.5 for 50%), an enum as the text of a
value's name (or label; a DuckDB ENUM or a PostgreSQL enum type too), a text as
TEXT/VARCHAR, a true/false as BOOLEAN, a date as DATE. A DOUBLE or REAL column holds
numbers inexactly and is refused. Columns no field names are left alone.

- `inspect` reads the columns of each kind's table (information_schema), maps each field
  to its column, and gives each number its scale (the declared one; measured with
  `scale()` for a PostgreSQL NUMERIC without one; at most 18 places) and its digits
  before the point (measured, within the declared type). Every problem (a missing table,
  a missing column of a required field, a column of the wrong type) is raised at once.
- `Layout.inputs` presents each table in the SQL engine's input format (`lower`): numbers
  as scaled integers, enums as indexes, texts trimmed (blank is missing), a field's
  default where its column is empty or absent, and `__row`, the record's place in the
  order of the key (`COLLATE "C"` in PostgreSQL, so both databases order alike).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, Literal

import attrs
from sqlglot import exp

from emurules.data import cells
from emurules.data.common import CODES as FILE_CODES
from emurules.data.inputs import HISTORY
from emurules.data.validate import CODES
from emurules.engine.sql.connect import Database, DatabaseDialect
from emurules.engine.sql.lower import BAD, ROW, SqlPlan, lower
from emurules.engine.sql.scaled import Sort, digits_of, integer_type, scaled, sort_of
from emurules.engine.sql.split import reads_history
from emurules.engine.sql.text import clean_text, text_type
from emurules.errors import DataError
from emurules.i18n import Message, message
from emurules.limits import MAX_FRACTION_DIGITS
from emurules.plan.schema import FieldSchema, KindSchema, Schema
from emurules.plan.steps import Plan
from emurules.source import Diagnostic, Place
from emurules.suggest import suggest
from emurules.values import EnumValue

Family = Literal["integer", "decimal", "inexact", "text", "enum", "bool", "date", "other"]

THIS: Final = "__this"  # the alias of a kind's table in the SQL made here
CLEAN: Final = "__clean_"  # a text column cleaned once (`_once`)
THAT: Final = "__that"  # the alias of a referenced kind's table

# Digits before the point of the integer types (DuckDB and PostgreSQL names, upper case).
_INTEGERS: Final = {
    "TINYINT": 3, "SMALLINT": 5, "INTEGER": 10, "BIGINT": 19, "HUGEINT": 39,
    "UTINYINT": 3, "USMALLINT": 5, "UINTEGER": 10, "UBIGINT": 20, "UHUGEINT": 39,
    "INT": 10, "INT2": 5, "INT4": 10, "INT8": 19,
}  # fmt: skip
_INEXACT: Final = ("DOUBLE", "FLOAT", "REAL", "DOUBLE PRECISION", "FLOAT4", "FLOAT8")
_TEXTS: Final = ("VARCHAR", "TEXT", "CHARACTER VARYING", "CHARACTER", "CHAR", "BPCHAR", "STRING")
_ACCEPTS: Final[dict[Sort, tuple[Family, ...]]] = {
    "number": ("integer", "decimal"),
    "text": ("text", "enum"),
    "enum": ("text", "enum"),
    "bool": ("bool",),
    "date": ("date",),
}
_WANTED: Final[dict[Sort, str]] = {
    "number": "DECIMAL(p, s), NUMERIC(p, s), INTEGER, BIGINT",
    "text": "TEXT, VARCHAR",
    "enum": "TEXT, VARCHAR",
    "bool": "BOOLEAN",
    "date": "DATE",
}
# ---- the tables' layout ---------------------------------------------------------------------


@attrs.frozen
class ColumnLayout:
    """Where a field is in its kind's table: its column (None: absent, so every record
    has the field's default, or none), the column's type as the database names it and
    its family; for a number, the scale it is presented with (and planned with), its
    digits before the point (measured, within the declared type) and the places the
    column holds (declared; None for a NUMERIC without a declared scale)."""

    field: str
    column: str | None
    type: str
    family: Family
    sort: Sort
    scale: int = 0
    digits: int = 1
    places: int | None = 0


@attrs.frozen
class TableLayout:
    """A kind's table: as the caller named it (`table`, how messages name it), where it
    was found (`path`: catalog, schema and name), the key field and every field's
    column, in declaration order."""

    kind: str
    table: str
    path: tuple[str, ...]
    key: str
    columns: dict[str, ColumnLayout]

    def source(self, alias: str = THIS) -> exp.Table:
        path: list[str | None] = [None, None, *self.path]
        catalog, db, name = path[-3:]
        assert name is not None
        return exp.table_(
            name, db=db, catalog=catalog, quoted=True, alias=exp.to_identifier(alias, quoted=True)
        )


@attrs.frozen(eq=False)
class Layout:
    """Every kind's table in a database, as `inspect` found it."""

    dialect: DatabaseDialect
    schema: Schema
    tables: dict[str, TableLayout]
    history: tuple[str, tuple[str, ...]] | None = None  # the history table: as named, found

    def history_sql(self) -> str | None:
        """The query of the history table's rows, if the rules read one."""
        if self.history is None:
            return None
        path: list[str | None] = [None, None, *self.history[1]]
        catalog, db, name = path[-3:]
        assert name is not None
        table = exp.table_(name, db=db, catalog=catalog, quoted=True)
        return exp.select(exp.Star()).from_(table).sql(dialect=self.dialect)

    @property
    def scales(self) -> dict[str, int]:
        """Each number input's scale by "kind.field", for `lower(scales=...)`."""
        return {f"{k}.{c.field}": c.scale for k, t in self.tables.items()
                for c in t.columns.values() if c.sort == "number"}  # fmt: skip

    @property
    def digits(self) -> dict[str, int]:
        """Each number input's digits before the point, for `lower(digits=...)`."""
        return {f"{k}.{c.field}": c.digits for k, t in self.tables.items()
                for c in t.columns.values() if c.sort == "number"}  # fmt: skip

    def inputs(
        self, *, numbered: bool = True, flags: Mapping[str, exp.Expr] | None = None
    ) -> dict[str, exp.Expr]:
        """Each kind's table presented as the SQL engine's input (`lower(tables=...)`):
        a subquery aliased as the kind, with a column per field, `__row` (all 0 unless
        `numbered`: a caller that sorts the answers by key itself spares the database a
        sort of the whole table) and `__bad`, the kind's condition in `flags` (on the
        table's raw columns, `checks.flags`) or false: the validation then costs no scan
        of its own unless a row is flagged."""
        return {
            kind: _inputs(self, table, numbered, (flags or {}).get(kind))
            for kind, table in self.tables.items()
        }

    def lower(self, plan: Plan, *, year: int | None = None) -> SqlPlan:
        """The SQL of `plan` reading these tables, with their scales and digits."""
        return lower(plan, self.schema, self.dialect, scales=self.scales, digits=self.digits,
                     year=year, tables=self.inputs())  # fmt: skip


@attrs.frozen
class _Found:
    """A column as information_schema describes it."""

    name: str
    type: str
    precision: int | None
    scale: int | None
    enum: bool = False  # a PostgreSQL enum type


def inspect(
    db: Database, schema: Schema, plan: Plan, tables: Mapping[str, str] | None = None
) -> Layout:
    """The layout of every kind's table in `db` (the plan's kinds; a table named after its
    kind unless `tables` maps it: `{kind: "table"}`, or `"schema.table"`), and of the
    history table when the rules read the history (`"history"`, unless `tables` maps
    "history" to another; a history table named so must exist). Raises one DataError
    listing every missing table, missing column of a required field and column of a
    wrong type."""
    named = dict(tables or {})
    history = named.pop(HISTORY, None) if HISTORY not in schema.kinds else None
    problems: list[Diagnostic] = []
    for kind, table in named.items():
        if kind not in schema.kinds:
            said = message("data.unknown-kind", kind=kind)
            problems.append(problem("unknown_kind", said, Place(file=table),
                                     suggest(kind, schema.kinds)))  # fmt: skip
    kinds = [kind for kind in plan.kinds if kind in schema.kinds]
    wanted = {kind: _path(named.get(kind, kind)) for kind in kinds}
    past = history if history is not None else HISTORY if reads_history(plan) else None
    found = _catalogue(db, [*wanted.values(), *([_path(past)] if past is not None else [])])
    past_found = found.get(_path(past)) if past is not None else None
    if history is not None and past_found is None:
        said = message("database.no-history-table", table=history)
        problems.append(problem("inputs", said, Place(file=history)))
    layouts: dict[str, TableLayout] = {}
    for kind in kinds:
        info = schema.kinds[kind]
        table = named.get(kind, kind)
        hit = found.get(wanted[kind])
        if hit is None:
            said = message("database.no-table", table=table, kind=info.label or kind)
            hint = message("database.name-the-table", kind=kind)
            problems.append(problem("inputs", said, Place(file=table), hint))
            continue
        path, columns = hit
        mapped = {}
        for field in info.fields.values():
            got = _field(db, info, table, field, columns, problems)
            if got is not None:
                mapped[field.name] = got
        layouts[kind] = TableLayout(kind, table, path, info.key, mapped)
    if problems:
        raise DataError(problems)
    for kind, layout in layouts.items():
        layouts[kind] = _measured(db, layout, schema.kinds[kind])
    kept = None if past is None or past_found is None else (past, past_found[0])
    return Layout(db.dialect, schema, layouts, kept)


def _path(table: str) -> tuple[str, ...]:
    return tuple(table.split("."))


def _catalogue(
    db: Database, paths: list[tuple[str, ...]]
) -> dict[tuple[str, ...], tuple[tuple[str, ...], list[_Found]]]:
    """Each table path asked for -> where it was found and its columns, in order. An
    unqualified name is looked up where the database would find it (DuckDB: the current
    database's schema, then temporary tables; PostgreSQL: the search path), exactly,
    else ignoring case when that names one table."""
    names = sorted({p[-1].lower() for p in paths})
    if not names:
        return {}
    listed = exp.Tuple(expressions=[exp.Literal.string(n) for n in names])
    udt = "udt_name" if db.dialect == "postgres" else "NULL"
    sql = (
        "SELECT table_catalog, table_schema, table_name, column_name, data_type, "
        f"numeric_precision, numeric_scale, {udt} FROM information_schema.columns "
        f"WHERE lower(table_name) IN {listed.sql(dialect=db.dialect)} "
        "ORDER BY table_catalog, table_schema, table_name, ordinal_position"
    )
    enums: set[str] = set()
    if db.dialect == "postgres":
        (searched,) = db.rows("SELECT current_schemas(true)")[0]
        order = list(searched)
        enums = {r[0] for r in db.rows("SELECT typname FROM pg_type WHERE typtype = 'e'")}
    else:
        database, current = db.rows("SELECT current_database(), current_schema()")[0]
        order = [(database, current), ("temp", "main")]
    tables: dict[tuple[str, str, str], list[_Found]] = {}
    for catalog, db_schema, name, column, kind, precision, places, udt_name in db.rows(sql):
        found = _Found(column, str(kind).upper(), precision, places, udt_name in enums)
        tables.setdefault((catalog, db_schema, name), []).append(found)
    # PostgreSQL reads only its current database: a table is named by schema and name.
    result: dict[tuple[str, ...], tuple[tuple[str, ...], list[_Found]]] = {}
    for path in paths:
        for exact in (True, False):
            hits = [t for t in tables if _matches(t, path, exact)]
            if len(path) == 1:
                ranked = [t for t in hits if _rank(t, order) is not None]
                hits = sorted(ranked, key=lambda t: _rank(t, order) or 0)[:1]
            if len(hits) == 1:
                where = hits[0][1:] if db.dialect == "postgres" else hits[0]
                result[path] = (where, tables[hits[0]])
                break
    return result


def _matches(table: tuple[str, str, str], path: tuple[str, ...], exact: bool) -> bool:
    tail = table[-len(path) :]
    return tail == path if exact else [p.lower() for p in tail] == [p.lower() for p in path]


def _rank(table: tuple[str, str, str], order: Sequence[Any]) -> int | None:
    """Where an unqualified name finds a table: its place in the search order."""
    for index, place in enumerate(order):
        if place == table[1] or place == table[:2]:
            return index
    return None


def _family(found: _Found) -> Family:
    kind = found.type
    if kind in _INTEGERS:
        return "integer"
    if kind.startswith(("DECIMAL", "NUMERIC")):
        return "decimal"
    if kind in _INEXACT:
        return "inexact"
    if kind in _TEXTS or kind.startswith("VARCHAR"):
        return "text"
    if kind.startswith("ENUM") or (kind == "USER-DEFINED" and found.enum):
        return "enum"
    if kind in ("BOOLEAN", "BOOL"):
        return "bool"
    if kind == "DATE":
        return "date"
    return "other"


def _field(
    db: Database,
    info: KindSchema,
    table: str,
    field: FieldSchema,
    columns: list[_Found],
    problems: list[Diagnostic],
) -> ColumnLayout | None:
    """A field's column, or None after a problem (reported in `problems`)."""
    sort = sort_of(field.type) or "text"
    column = _column(field, columns)
    if column is None:
        if field.optional or field.default is not None:
            scale = _places(field.default) if sort == "number" else 0
            digits = _whole(field.default) if sort == "number" else 1
            return ColumnLayout(field.name, None, "", "other", sort, scale, digits)
        said = message("database.no-column", table=table, column=field.name,
                       name=field.label or field.name, kind=info.label or info.name)  # fmt: skip
        hint = suggest(field.name, [c.name for c in columns]) or message(
            "database.columns", columns=tuple(c.name for c in columns)
        )
        problems.append(problem("required", said, Place(file=table, field=field.name), hint))
        return None
    family = _family(column)
    accepted = _ACCEPTS[sort]
    if field.type.kind == "ref" or field.key:  # a key or reference held as a number
        accepted = (*accepted, "integer")
    place = Place(file=table, field=field.name, column=_titled(column.name, field))
    if family not in accepted:
        if family == "inexact" and sort == "number":
            said = message("database.inexact", table=table, column=column.name,
                           type=column.type, name=field.label or field.name)  # fmt: skip
            problems.append(problem("type", said, place, message("database.store-as-decimal")))
            return None
        said = message("database.wrong-type", table=table, column=column.name, type=column.type,
                       name=field.label or field.name, wanted=_WANTED[sort])  # fmt: skip
        problems.append(problem("type", said, place))
        return None
    if sort != "number":
        return ColumnLayout(field.name, column.name, column.type, family, sort)
    places: int | None = 0
    digits = _INTEGERS.get(column.type, 0)
    if family == "decimal":
        places = column.scale if column.precision is not None else None
        if column.precision is not None and column.scale is not None:
            digits = column.precision - column.scale
    scale = min(max(places or 0, _places(field.default)), MAX_FRACTION_DIGITS)
    if field.type.kind == "int":
        scale = 0
    return ColumnLayout(field.name, column.name, column.type, family, sort, scale, digits, places)


def _column(field: FieldSchema, columns: list[_Found]) -> _Found | None:
    """The column of a field: named after it, else after its label, else after it in
    another case when only one is."""
    for name in (field.name, field.label):
        hit = next((c for c in columns if name is not None and c.name == name), None)
        if hit is not None:
            return hit
    hits = [c for c in columns if c.name.lower() == field.name.lower()]
    return hits[0] if len(hits) == 1 else None


def _titled(column: str, field: FieldSchema) -> str | None:
    return None if column == field.name else column


def _places(value: object) -> int:
    return max(scaled(value)[1], 0) if isinstance(value, Decimal) else 0


def _whole(value: object) -> int:
    return max(digits_of(int(abs(value))), 1) if isinstance(value, Decimal) else 1


def problem(kind: str, said: Message, place: Place, hint: Message | None = None) -> Diagnostic:
    code = CODES.get(kind) or FILE_CODES[kind]
    return Diagnostic(code=code, message=said, place=place, kind=kind, hint=hint)


def _measured(db: Database, table: TableLayout, info: KindSchema) -> TableLayout:
    """The table with each number's digits before the point measured (the largest
    magnitude; at most what the type declares), and the scale of a NUMERIC without a
    declared one (the most places a value has, at most 18): one scan of the table."""
    numbers = [c for c in table.columns.values() if c.sort == "number" and c.column is not None]
    if not numbers:
        return table
    parts: list[exp.Expr] = []
    for c in numbers:
        parts.append(exp.Max(this=exp.Abs(this=column_of(c))))
        if c.places is None:
            parts.append(exp.Max(this=exp.Anonymous(this="SCALE", expressions=[column_of(c)])))
    (row,) = db.rows(exp.select(*parts).from_(table.source()).sql(dialect=db.dialect))
    values = iter(row)
    columns = dict(table.columns)
    for c in numbers:
        largest = next(values)
        field = info.fields[c.field]
        digits = max(_whole(Decimal(largest)) if largest is not None else 1, _whole(field.default))
        if c.digits:
            digits = min(digits, max(c.digits, 1))
        scale = c.scale
        if c.places is None:
            found = next(values)
            if field.type.kind != "int":
                places = max(int(found or 0), _places(field.default))
                scale = min(places, MAX_FRACTION_DIGITS)
        columns[c.field] = attrs.evolve(c, scale=scale, digits=digits)
    return attrs.evolve(table, columns=columns)


# ---- the tables presented as the SQL's input -------------------------------------------------


def column_of(c: ColumnLayout, alias: str = THIS) -> exp.Column:
    assert c.column is not None
    return exp.column(c.column, table=alias, quoted=True)


def raw_text(c: ColumnLayout, dialect: DatabaseDialect, alias: str = THIS) -> exp.Expr:
    """A column as text, not cleaned: an enum or integer column cast to text."""
    raw: exp.Expr = column_of(c, alias)
    if c.family in ("enum", "integer"):
        raw = exp.cast(raw, text_type(dialect))
    return raw


def cleaned(c: ColumnLayout, dialect: DatabaseDialect, alias: str = THIS) -> exp.Expr:
    """A text column as the row validator reads a text cell (`text.clean_text`); an enum
    or integer column as its text."""
    return clean_text(raw_text(c, dialect, alias), dialect)


def _number(c: ColumnLayout, dialect: DatabaseDialect, alias: str = THIS) -> exp.Expr:
    """A number column as the integer `value * 10**scale`: exact for every value the
    validation accepts (one with more places than the scale is refused there)."""
    raw: exp.Expr = column_of(c, alias)
    factor = exp.Literal.number(10**c.scale)
    integer = integer_type(dialect)
    if c.family == "integer":
        held = exp.cast(raw, integer)
        return held if c.scale == 0 else exp.Mul(this=held, expression=factor)
    if dialect == "postgres":  # NUMERIC is exact at any size: scaled, then rounded
        shifted = raw if c.scale == 0 else exp.Mul(this=raw, expression=factor)
        return exp.Round(this=shifted)
    # DuckDB keeps a DECIMAL's width and scale in a product: widened to 38 first, whole
    # part and fraction scaled apart when the value and its scaled fraction do not fit.
    places = c.places or 0
    wide = exp.cast(raw, exp.DataType.build(f"DECIMAL(38, {places})"))
    if c.digits + c.scale + places <= 38:
        return exp.cast(exp.Mul(this=wide, expression=factor), integer)
    whole = exp.Trunc(this=raw.copy())
    part = exp.cast(exp.Sub(this=raw.copy(), expression=whole.copy()),
                    exp.DataType.build(f"DECIMAL(38, {max(places, c.scale)})"))  # fmt: skip
    return exp.Add(
        this=exp.Mul(this=exp.cast(whole, integer), expression=factor.copy()),
        expression=exp.cast(exp.Mul(this=part, expression=factor.copy()), integer.copy()),
    )


def _enum(c: ColumnLayout, schema: Schema, enum: str, dialect: DatabaseDialect) -> exp.Expr:
    """An enum column as its value's index: by name, or by label. A cell spelled exactly
    as a word is read without cleaning (most cells: cleaning costs more than the lookup)."""
    words = enum_words(schema, enum)
    raw = raw_text(c, dialect)
    case = exp.case(cleaned(c, dialect))
    exact = exp.case(raw)
    for word, index in words.items():
        case = case.when(exp.Literal.string(word), exp.Literal.number(index))
        exact = exact.when(exp.Literal.string(word), exp.Literal.number(index))
    return exact.else_(case)


def enum_words(schema: Schema, enum: str) -> dict[str, int]:
    """An enum's names and labels (NFC, trimmed) -> the value's index, as the row
    validator reads them."""
    words = {name: i for i, name in enumerate(schema.enums[enum])}
    for name, label in schema.enum_labels.get(enum, {}).items():
        words.setdefault(cells.clean(label), words[name])
    return words


def _default(field: FieldSchema, c: ColumnLayout, dialect: DatabaseDialect) -> exp.Expr | None:
    value = field.default
    if value is None:
        return None
    if isinstance(value, EnumValue):
        return exp.Literal.number(value.index)
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, Decimal):
        number, scale = scaled(value)
        number *= 10 ** max(c.scale - scale, 0)
        literal = exp.Literal.number(abs(number))
        found: exp.Expr = exp.cast(literal, integer_type(dialect))
        return exp.Neg(this=found) if number < 0 else found
    if isinstance(value, datetime.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("DATE"))
    return exp.Literal.string(str(value))


def _null(sort: Sort, dialect: DatabaseDialect) -> exp.Expr:
    types = {"number": integer_type(dialect), "enum": exp.DataType.build("INT"),
             "bool": exp.DataType.build("BOOLEAN"), "date": exp.DataType.build("DATE"),
             "text": text_type(dialect)}  # fmt: skip
    return exp.cast(exp.null(), types[sort])


def _presented(
    c: ColumnLayout, field: FieldSchema, schema: Schema, dialect: DatabaseDialect
) -> exp.Expr:
    """A field as the SQL engine reads it: its column converted, else its default."""
    default = _default(field, c, dialect)
    if c.column is None:
        return default if default is not None else _null(c.sort, dialect)
    value: exp.Expr
    if c.sort == "number":
        value = _number(c, dialect)
    elif c.sort == "enum" and field.type.name is not None:
        value = _enum(c, schema, field.type.name, dialect)
    elif c.sort == "text":
        value = cleaned(c, dialect)
    else:
        value = column_of(c)
    if default is None:
        return value
    return exp.Coalesce(this=value, expressions=[default])


def key_order(table: TableLayout, dialect: DatabaseDialect) -> exp.Expr:
    """The key a table's records are ordered by: a text key trimmed, and in PostgreSQL
    by its bytes (`COLLATE "C"`), as DuckDB orders it, whatever the database's locale."""
    key = table.columns[table.key]
    if key.family != "text":
        return column_of(key)
    trimmed = cleaned(key, dialect)  # as the records name it
    if dialect == "duckdb":
        return trimmed
    return exp.Collate(this=trimmed, expression=exp.to_identifier("C", quoted=True))


def _inputs(
    layout: Layout, table: TableLayout, numbered: bool = True, flag: exp.Expr | None = None
) -> exp.Expr:
    info = layout.schema.kinds[table.kind]
    outputs: list[exp.Expr] = [
        exp.alias_(_presented(c, info.fields[name], layout.schema, layout.dialect), name,
                   quoted=True)
        for name, c in table.columns.items()
    ]  # fmt: skip
    number = exp.Window(
        this=exp.RowNumber(),
        order=exp.Order(expressions=[exp.Ordered(this=key_order(table, layout.dialect))]),
    )
    row = exp.Sub(this=number, expression=exp.Literal.number(1))
    outputs.append(exp.alias_(row if numbered else exp.Literal.number(0), ROW, quoted=True))
    outputs.append(exp.alias_(flag.copy() if flag is not None else exp.false(), BAD, quoted=True))
    return _once(table, outputs, layout.dialect).subquery(
        exp.to_identifier(table.kind, quoted=True)
    )


def _once(table: TableLayout, outputs: list[exp.Expr], dialect: DatabaseDialect) -> exp.Select:
    """`SELECT outputs FROM` the table, each text column cleaned once: the presented value,
    the row number and the `__bad` flag each read a cleaned text, and a database does not
    share the work of equal expressions (at 10M rows, the flag alone cost 2.5 s when it
    cleaned the texts again). The cleaned texts are computed in a subquery under the
    table's alias, and the expressions read them there."""
    found: dict[exp.Expr, exp.Expr] = {}
    for c in table.columns.values():
        if c.column is not None and c.sort == "text":  # an enum's: only for an odd cell
            name = f"{CLEAN}{len(found)}"
            found.setdefault(cleaned(c, dialect), exp.column(name, table=THIS, quoted=True))
    if not found:
        return exp.select(*outputs).from_(table.source())

    def shared(node: exp.Expr) -> exp.Expr:
        return found.get(node, node).copy() if node in found else node

    inner = exp.select(
        exp.Column(this=exp.Star(), table=exp.to_identifier(THIS, quoted=True)),
        *(exp.alias_(clean, ref.name, quoted=True) for clean, ref in found.items()),
    ).from_(table.source())
    read = [o.transform(shared) for o in outputs]
    return exp.select(*read).from_(inner.subquery(exp.to_identifier(THIS, quoted=True)))


__all__ = ["ColumnLayout", "Layout", "TableLayout", "inspect"]
