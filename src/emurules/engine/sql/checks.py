"""What the row validator refuses, checked in SQL on a database's tables (`tables.Layout`):
a key missing or used twice, a required field without a value, an enum text that names
no value, a number out of range or beyond the limits, a reference to no subject. Only
the bad rows are fetched (at most `MAX_LISTED` per table; a note counts the rest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import attrs
from sqlglot import exp

from emurules.data import cells
from emurules.data.validate import _rule
from emurules.engine.sql.connect import Database, DatabaseDialect
from emurules.engine.sql.tables import (
    THAT,
    THIS,
    ColumnLayout,
    Layout,
    TableLayout,
    cleaned,
    column_of,
    enum_words,
    key_order,
    problem,
    raw_text,
)
from emurules.engine.sql.text import text_type
from emurules.i18n import Message, message
from emurules.limits import MAX_FRACTION_DIGITS, MAX_WHOLE_DIGITS
from emurules.plan.schema import FieldSchema, Schema, describe
from emurules.source import Diagnostic, Place
from emurules.suggest import suggest

MAX_LISTED: Final = 1000
"""Bad rows fetched per table and check; beyond them, a note counts the rest."""

# ---- validation in SQL ------------------------------------------------------------------------


@attrs.frozen
class _Check:
    """A problem a row may have: where, its kind, its condition (on the raw columns) and
    the message for the raw value found."""

    field: str
    column: str | None
    kind: str
    condition: exp.Expr
    said: Callable[[Any], tuple[Message, Message | None]]


def validate(
    db: Database, layout: Layout, keys_unique: Callable[[str], bool] | None = None
) -> list[Diagnostic]:
    """Every problem the row validator would find in the tables, checked in SQL: a key
    missing or used twice, a required field without a value, an enum text that names no
    value, a number out of its field's range, beyond the limits (18 digits before the
    point, 18 after) or not whole for a whole-number field, a reference to no subject of
    its kind. Only the bad rows are fetched (at most MAX_LISTED per table; a note counts
    the rest). Each place names the table, the key and the column. `keys_unique(kind)`,
    when the caller has seen every key (in the answers it fetched), says that no key is
    used twice, and spares a grouping of the table."""
    found: list[Diagnostic] = []
    for table in layout.tables.values():
        if keys_unique is None or not keys_unique(table.kind):
            found.extend(_duplicates(db, layout, table))
        found.extend(_bad_rows(db, layout, table, _checks(layout, table)))
    return found


def flags(layout: Layout) -> dict[str, exp.Expr]:
    """Each table's condition that one of its rows has a problem `validate` reports (but
    a key used twice: the caller sees every key), on its raw columns: carried as `__bad`
    in the main query (`Layout.inputs(flags=)`), so that valid tables cost no scan here."""
    found: dict[str, exp.Expr] = {}
    for table in layout.tables.values():
        checks = _checks(layout, table)
        if checks:
            found[table.kind] = exp.or_(*(c.condition.copy() for c in checks))
    return found


def _key(layout: Layout, table: TableLayout, alias: str = THIS) -> exp.Expr:
    """A table's key as the records name it: a text, trimmed, blank as NULL."""
    key = table.columns[table.key]
    return cleaned(key, layout.dialect, alias) if key.sort == "text" else column_of(key, alias)


def _place(table: TableLayout, field: str | None, key: Any) -> Place:
    column = table.columns[field].column if field is not None else None
    titled = None if column is None or column == field else column
    return Place(file=table.table, field=field, key=None if key is None else str(key),
                 column=titled)  # fmt: skip


def _duplicates(db: Database, layout: Layout, table: TableLayout) -> list[Diagnostic]:
    key = exp.alias_(_key(layout, table), "k", quoted=True)
    inner = exp.select(key).from_(table.source()).subquery("keys")
    counted = exp.Count(this=exp.Star())
    k = exp.column("k", quoted=True)
    grouped = (
        exp.select(k.copy(), counted)
        .from_(inner)
        .where(k.copy().is_(exp.null()).not_())
        .group_by(k.copy())
        .having(exp.GT(this=counted.copy(), expression=exp.Literal.number(1)))
    )
    ordered: exp.Expr = k.copy()
    if db.dialect == "postgres" and table.columns[table.key].sort == "text":
        ordered = exp.Collate(this=ordered, expression=exp.to_identifier("C", quoted=True))
    listed = grouped.order_by(ordered).limit(MAX_LISTED + 1)
    rows = db.rows(listed.sql(dialect=db.dialect))
    found = [
        problem("duplicate_key",
                 message("database.duplicate-key", key=repr(str(k)), count=int(n)),
                 _place(table, table.key, k))
        for k, n in rows[:MAX_LISTED]
    ]  # fmt: skip
    if len(rows) > MAX_LISTED:
        total = exp.select(exp.Count(this=exp.Star())).from_(grouped.subquery("d"))
        (count,) = db.rows(total.sql(dialect=db.dialect))[0]
        found[-1] = _more(found[-1], table, int(count) - MAX_LISTED)
    return found


def _more(last: Diagnostic, table: TableLayout, count: int) -> Diagnostic:
    note = message("database.more-rows", table=table.table, count=count)
    return attrs.evolve(last, notes=(*last.notes, note))


def _checks(layout: Layout, table: TableLayout) -> list[_Check]:
    schema = layout.schema
    info = schema.kinds[table.kind]
    said_kind = info.label or info.name
    dialect = layout.dialect
    checks: list[_Check] = []
    for name, c in table.columns.items():
        if c.column is None:
            continue
        field = info.fields[name]
        title = field.label or name
        value: exp.Expr = cleaned(c, dialect) if c.sort in ("text", "enum") else column_of(c)
        if not field.optional and field.default is None:
            required = message("data.required", kind=said_kind, name=title)
            checks.append(_Check(name, c.column, "required", value.is_(exp.null()),
                                 _always(required)))  # fmt: skip
        if c.sort == "enum" and field.type.name is not None:
            checks.append(_enum_check(schema, field.type.name, c, value))
            checks = _unless_exact(checks, schema, field.type.name, c, dialect)
        if c.sort == "number":
            checks.extend(_number_checks(field, c))
        if field.type.kind == "ref" and field.type.name in layout.tables:
            checks.append(_reference(layout, layout.tables[field.type.name], c, value))
    return checks


def _unless_exact(
    checks: list[_Check], schema: Schema, enum: str, c: ColumnLayout, dialect: DatabaseDialect
) -> list[_Check]:
    """The column's checks, false at once for a cell spelled exactly as one of the enum's
    words (most cells): cleaning a text costs more than the lookup, as in `_enum`."""
    words = [exp.Literal.string(w) for w in enum_words(schema, enum)]
    exact = exp.In(this=raw_text(c, dialect), expressions=words)
    return [
        attrs.evolve(k, condition=exp.case().when(exact.copy(), exp.false()).else_(k.condition))
        if k.field == c.field
        else k
        for k in checks
    ]


def _enum_check(schema: Schema, enum: str, c: ColumnLayout, value: exp.Expr) -> _Check:
    values = schema.enums[enum]
    words = exp.Tuple(expressions=[exp.Literal.string(w) for w in enum_words(schema, enum)])
    unknown = exp.and_(value.is_(exp.null()).not_(), exp.In(this=value.copy(),
                       expressions=words.expressions).not_())  # fmt: skip

    def said(raw: Any) -> tuple[Message, Message | None]:
        text = cells.clean(raw) if isinstance(raw, str) else raw
        hint = suggest(text, values) if isinstance(text, str) else None
        found = message("data.not-in-enum", value=cells.shown(text), enum=enum)
        return found, hint or message("data.one-of", values=values)

    assert c.column is not None
    return _Check(c.field, c.column, "enum", unknown, said)


def _number_checks(field: FieldSchema, c: ColumnLayout) -> list[_Check]:
    raw = column_of(c)
    assert c.column is not None
    checks = []
    limit = message("data.number-limits", whole=MAX_WHOLE_DIGITS, fraction=MAX_FRACTION_DIGITS)
    if c.digits > MAX_WHOLE_DIGITS:
        beyond = exp.GTE(this=exp.Abs(this=raw.copy()),
                         expression=exp.Literal.number(10**MAX_WHOLE_DIGITS))  # fmt: skip
        reason = message("core.too-large", digits=MAX_WHOLE_DIGITS)
        checks.append(_Check(c.field, c.column, "limit", beyond, _beyond(reason, limit)))
    if c.places is None or c.places > c.scale:  # more places than presented: refused
        rounded = exp.Round(this=raw.copy(), decimals=exp.Literal.number(c.scale))
        odd = exp.NEQ(this=raw.copy(), expression=rounded)
        if field.type.kind == "int":
            wanted = describe(field.type)
            checks.append(_Check(c.field, c.column, "type", odd, _not_whole(wanted)))
        else:
            reason = message("core.too-precise", digits=MAX_FRACTION_DIGITS)
            checks.append(_Check(c.field, c.column, "limit", odd, _beyond(reason, limit)))
    parts: list[exp.Expr] = []
    if field.low is not None:
        bound, strict = field.low
        low = exp.Literal.number(format(bound, "f"))
        parts.append(exp.LTE(this=raw.copy(), expression=low) if strict
                     else exp.LT(this=raw.copy(), expression=low))  # fmt: skip
    if field.high is not None:
        bound, strict = field.high
        high = exp.Literal.number(format(bound, "f"))
        parts.append(exp.GTE(this=raw.copy(), expression=high) if strict
                     else exp.GT(this=raw.copy(), expression=high))  # fmt: skip
    if parts:
        rule = _rule(field, field.type)
        title = field.label or field.name
        outside = exp.or_(*parts)
        checks.append(_Check(c.field, c.column, "constraint", outside, _outside(title, rule)))
    return checks


Said = Callable[[Any], tuple[Message, Message | None]]
"""A problem's message and hint for the raw value found."""


def _always(said: Message) -> Said:
    def saying(_: Any) -> tuple[Message, Message | None]:
        return said, None

    return saying


def _beyond(reason: Message, hint: Message) -> Said:
    def saying(raw: Any) -> tuple[Message, Message | None]:
        return message("data.beyond-limits", value=cells.shown(raw), reason=reason), hint

    return saying


def _not_whole(wanted: Message) -> Said:
    def saying(raw: Any) -> tuple[Message, Message | None]:
        return message("data.not-of-type", value=cells.shown(raw), type=wanted), None

    return saying


def _outside(title: str, rule: Message | str) -> Said:
    def saying(raw: Any) -> tuple[Message, Message | None]:
        return message("data.out-of-range", value=cells.shown(raw), name=title, rule=rule), None

    return saying


def _reference(layout: Layout, target: TableLayout, c: ColumnLayout, value: exp.Expr) -> _Check:
    """A reference naming no subject of its kind (a key of the referenced table)."""
    there = exp.select(exp.Literal.number(1)).from_(target.source(THAT))
    there = there.where(exp.EQ(this=_key(layout, target, THAT), expression=value.copy()))
    dangling = exp.and_(value.is_(exp.null()).not_(), exp.Exists(this=there).not_())
    kind = target.kind

    def said(raw: Any) -> tuple[Message, Message | None]:
        text = cells.clean(raw) if isinstance(raw, str) else str(raw)
        return message("data.no-such-key", kind=kind, key=repr(text)), None

    assert c.column is not None
    return _Check(c.field, c.column, "dangling_reference", dangling, said)


def _bad_rows(
    db: Database, layout: Layout, table: TableLayout, checks: list[_Check]
) -> list[Diagnostic]:
    """The rows of a table where a check holds, each problem a diagnostic, in key order."""
    if not checks:
        return []
    columns = list(dict.fromkeys(c.field for c in checks))
    selected: list[exp.Expr] = [exp.alias_(_key(layout, table), "__key", quoted=True)]
    for index, field in enumerate(columns):
        c = table.columns[field]
        raw: exp.Expr = column_of(c)
        if c.family == "enum":
            raw = exp.cast(raw, text_type(layout.dialect))
        selected.append(exp.alias_(raw, f"__value_{index}", quoted=True))
    for index, check in enumerate(checks):
        selected.append(exp.alias_(check.condition.copy(), f"__check_{index}", quoted=True))
    where = exp.or_(*(check.condition.copy() for check in checks))
    base = exp.select(*selected).from_(table.source()).where(where)
    listed = base.order_by(key_order(table, layout.dialect)).limit(MAX_LISTED + 1)
    rows = db.rows(listed.sql(dialect=layout.dialect))
    position = {field: index for index, field in enumerate(columns)}
    found: list[Diagnostic] = []
    for row in rows[:MAX_LISTED]:
        key, values, flags = row[0], row[1 : 1 + len(columns)], row[1 + len(columns) :]
        for check, flag in zip(checks, flags, strict=True):
            if flag is not True:
                continue
            said, hint = check.said(values[position[check.field]])
            found.append(problem(check.kind, said, _place(table, check.field, key), hint))
    if len(rows) > MAX_LISTED and found:
        counted = exp.select(exp.Count(this=exp.Star())).from_(table.source()).where(where.copy())
        (count,) = db.rows(counted.sql(dialect=layout.dialect))[0]
        found[-1] = _more(found[-1], table, int(count) - MAX_LISTED)
    return found


__all__ = ["MAX_LISTED", "flags", "validate"]
