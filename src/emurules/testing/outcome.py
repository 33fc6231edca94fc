"""How a check went, for people (`lines`) and for programs (`to_json`).

A failed check carries what a reviewer needs to act on it: the smallest population found
that breaks it, as one small table per subject kind (the fields left to their default are
not shown), the subjects that break it with their explanations, and for `monotone` the
two states side by side, for `order_independent` the two orders and what moved.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Collection, Iterator
from decimal import Decimal
from typing import Any

import attrs

from emurules.i18n import DEFAULT, Message, message, render
from emurules.plan.schema import FieldSchema, Schema
from emurules.result import Explanation
from emurules.source import Span
from emurules.testing.strategies import Population
from emurules.values import MISSING, EnumValue, plain, show

INDENT = "  "


@attrs.frozen(kw_only=True)
class Table:
    """Rows of one subject kind (or of the history) as text, one column per field."""

    title: str | Message
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def lines(self) -> Iterator[str]:
        """The rows as aligned text: a header line, then one line per row."""
        widths = [
            max(_width(cell) for cell in column)
            for column in zip(self.columns, *self.rows, strict=True)
        ]
        for row in (self.columns, *self.rows):
            cells = [c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)]
            yield "  ".join(cells).rstrip()

    def to_json(self) -> dict[str, Any]:
        return {
            "title": render(self.title),
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
        }


@attrs.frozen(kw_only=True)
class Moved:
    """A value or an outcome of a subject that differs between two states (`first`,
    `second`: two orders, before and after a change, two twins)."""

    kind: str
    key: str
    name: str
    first: Any
    second: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "name": self.name,
            "first": _json(self.first),
            "second": _json(self.second),
        }


@attrs.frozen(kw_only=True)
class Change:
    """`monotone`: a field moved from `before` to `after` (a field of the subject, of one
    of its members: `member`, or an award held in an earlier year: `year`), and what the
    subject's checked name (`target`) was in each state."""

    kind: str
    key: str
    field: str
    before: Any
    after: Any
    target: str
    award: bool
    was: Any
    became: Any
    percent: bool = False  # the field is a percent (shown as one)
    member: tuple[str, str] | None = None  # (kind, key) of the member whose field moved
    year: int | None = None  # the earlier year in which the award `field` was held

    def message(self) -> Message:
        before, after = cell(self.before, self.percent), cell(self.after, self.percent)
        was, became = cell(self.was), cell(self.became)
        kind, key, target = self.kind, self.key, self.target
        if self.year is not None:
            if self.award:
                return message(
                    "testing.history-award-lost",
                    kind=kind,
                    key=key,
                    held=self.field,
                    year=str(self.year),
                    award=target,
                )
            return message(
                "testing.history-value-lowered",
                kind=kind,
                key=key,
                held=self.field,
                year=str(self.year),
                name=target,
                was=was,
                became=became,
            )
        if self.member is not None:
            member_kind, member = self.member
            if self.award:
                return message(
                    "testing.member-award-lost",
                    kind=kind,
                    key=key,
                    member_kind=member_kind,
                    member=member,
                    field=self.field,
                    before=before,
                    after=after,
                    award=target,
                )
            return message(
                "testing.member-value-lowered",
                kind=kind,
                key=key,
                member_kind=member_kind,
                member=member,
                field=self.field,
                before=before,
                after=after,
                name=target,
                was=was,
                became=became,
            )
        if self.award:
            return message(
                "testing.award-lost",
                kind=kind,
                key=key,
                field=self.field,
                before=before,
                after=after,
                award=target,
            )
        return message("testing.value-lowered", kind=kind, key=key, field=self.field,
                       before=before, after=after, name=target, was=was, became=became)  # fmt: skip

    def lines(self, lang: str) -> Iterator[str]:
        yield render(self.message(), lang)
        side = Table(
            title="",
            columns=(self.key, render(message("testing.before"), lang),
                     render(message("testing.after"), lang)),
            rows=(
                (self._moved_name(),
                 cell(self.before, self.percent), cell(self.after, self.percent)),
                (self.target, cell(self.was), cell(self.became)),
            ),
        )  # fmt: skip
        for line in side.lines():
            yield INDENT + line

    def _moved_name(self) -> str:
        if self.year is not None:
            return f"{self.field} {self.year}"
        if self.member is not None:
            return f"{self.member[1]}.{self.field}"
        return self.field

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "change",
            "kind": self.kind,
            "key": self.key,
            "field": self.field,
            "before": plain(self.before),
            "after": plain(self.after),
            "target": self.target,
            "award": self.award,
            "was": plain(self.was),
            "became": plain(self.became),
            "member": None if self.member is None else list(self.member),
            "year": self.year,
        }


@attrs.frozen(kw_only=True)
class Reorder:
    """`order_independent`: the records of each kind in two orders, and what moved."""

    first: tuple[tuple[str, tuple[str, ...]], ...]
    second: tuple[tuple[str, tuple[str, ...]], ...]
    moved: tuple[Moved, ...]

    def lines(self, lang: str) -> Iterator[str]:
        yield render(message("testing.first-order", orders=_orders(self.first)), lang)
        yield render(message("testing.second-order", orders=_orders(self.second)), lang)
        for m in self.moved:
            text = message("testing.moved", kind=m.kind, key=m.key, name=m.name,
                           first=_arg(m.first), second=_arg(m.second))  # fmt: skip
            yield INDENT + render(text, lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "reorder",
            "first": {kind: list(keys) for kind, keys in self.first},
            "second": {kind: list(keys) for kind, keys in self.second},
            "moved": [m.to_json() for m in self.moved],
        }


@attrs.frozen(kw_only=True)
class Edit:
    """`ignores`, `local`: fields of one subject changed (name, before, after), and what
    moved for other subjects (or for any subject)."""

    kind: str
    key: str
    fields: tuple[tuple[str, Any, Any], ...]
    moved: tuple[Moved, ...]

    def lines(self, lang: str) -> Iterator[str]:
        changes = tuple(
            message("testing.field-changed", field=name, before=cell(a), after=cell(b))
            for name, a, b in self.fields
        )
        yield render(message("testing.edited", kind=self.kind, key=self.key, changes=changes), lang)
        for m in self.moved:
            text = message("testing.changed", kind=m.kind, key=m.key, name=m.name,
                           first=_arg(m.first), second=_arg(m.second))  # fmt: skip
            yield INDENT + render(text, lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "edit",
            "kind": self.kind,
            "key": self.key,
            "fields": [
                {"field": name, "before": plain(a), "after": plain(b)} for name, a, b in self.fields
            ],
            "moved": [m.to_json() for m in self.moved],
        }


@attrs.frozen(kw_only=True)
class Twins:
    """`equal_treatment`: two subjects equal in fields, members and history, and what
    differs between them (`first` is the value of `key`, `second` of `twin`)."""

    kind: str
    key: str
    twin: str
    moved: tuple[Moved, ...]

    def lines(self, lang: str) -> Iterator[str]:
        yield render(message("testing.twins", kind=self.kind, key=self.key, twin=self.twin), lang)
        for m in self.moved:
            text = message("testing.twins-differ", name=m.name, key=self.key, twin=self.twin,
                           first=_arg(m.first), second=_arg(m.second))  # fmt: skip
            yield INDENT + render(text, lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "twins",
            "kind": self.kind,
            "key": self.key,
            "twin": self.twin,
            "moved": [m.to_json() for m in self.moved],
        }


Detail = Change | Reorder | Edit | Twins


@attrs.frozen(kw_only=True)
class Explained:
    """A subject's explanation, in one state (`state`: which, when there are two)."""

    kind: str
    key: str
    explanation: Explanation
    state: Message | None = None


@attrs.frozen(kw_only=True)
class Counterexample:
    """The smallest population found that breaks a check (or the real data's subjects
    that break it), as tables, and why."""

    population: Population
    tables: tuple[Table, ...]
    breaking: tuple[str, ...]
    explanations: tuple[Explained, ...] = ()
    detail: Detail | None = None
    reads: tuple[Explained, ...] = ()  # `check "label"`: what it read for each subject

    @property
    def change(self) -> Change | None:
        return self.detail if isinstance(self.detail, Change) else None

    @property
    def reorder(self) -> Reorder | None:
        return self.detail if isinstance(self.detail, Reorder) else None

    def lines(self, lang: str) -> Iterator[str]:
        for table in self.tables:
            yield render(message("testing.table", title=table.title), lang)
            for line in table.lines():
                yield INDENT + line
        if self.breaking:
            yield render(message("testing.breaking", keys=", ".join(self.breaking)), lang)
        for read in self.reads:
            yield render(message("testing.check-read", kind=read.kind, key=read.key), lang)
            yield from read.explanation.lines(1, lang)
        if self.detail is not None:
            yield from self.detail.lines(lang)
        for explained in self.explanations:
            if explained.state is None:
                head = message("testing.explanation", kind=explained.kind, key=explained.key)
            else:
                head = message(
                    "testing.explanation-in",
                    kind=explained.kind,
                    key=explained.key,
                    state=explained.state,
                )
            yield render(head, lang)
            yield from explained.explanation.lines(1, lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.population.year,
            "data": {k: [_plain_row(r) for r in rows] for k, rows in self.population.data.items()},
            "history": [_plain_row(r) for r in self.population.history],
            "tables": [t.to_json() for t in self.tables],
            "breaking": list(self.breaking),
            "reads": [
                {"kind": r.kind, "key": r.key, "lines": list(r.explanation.lines())}
                for r in self.reads
            ],
            "explanations": [
                {
                    "kind": e.kind,
                    "key": e.key,
                    "state": None if e.state is None else render(e.state),
                    "lines": list(e.explanation.lines()),
                }
                for e in self.explanations
            ],
            "detail": None if self.detail is None else self.detail.to_json(),
        }


@attrs.frozen(kw_only=True)
class CheckRun:
    """How one check went. `form` is the check's form (`check`, `monotone`,
    `order_independent`); `populations` how many generated populations were tried (for a
    failure, up to and including the first that broke the check; one, the real data,
    when `on_data`), and `shrinking` how many more were evaluated while the
    counterexample was made smaller; `error` says why no population could be tried."""

    label: str
    form: str
    span: Span | None
    passed: bool
    seconds: float
    populations: int
    seed: int | None
    on_data: bool = False
    counterexample: Counterexample | None = None
    error: Message | None = None
    shrinking: int = 0

    @property
    def name(self) -> str:
        """How the check is named in text: its label quoted, or its form as written."""
        return f'"{self.label}"' if self.form == "check" else self.label

    def heading(self) -> Message:
        name = self.name
        if self.on_data:
            if self.passed:
                return message("testing.data-passed", name=name)
            return message("testing.data-failed", name=name)
        seed = "-" if self.seed is None else str(self.seed)
        if self.passed:
            return message("testing.passed", name=name, count=self.populations, seed=seed)
        if self.error is not None:
            return message("testing.not-tried", name=name, seed=seed)
        return message("testing.failed", name=name, place=ordinal(self.populations), seed=seed)

    def lines(self, lang: str = DEFAULT) -> Iterator[str]:
        """The outcome in one line; for a failure, the counterexample beneath it."""
        yield _at(self.span) + render(self.heading(), lang)
        if self.error is not None:
            yield INDENT + render(self.error, lang)
        if self.counterexample is not None:
            for line in self.counterexample.lines(lang):
                yield INDENT + line

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "form": self.form,
            **_where(self.span),
            "passed": self.passed,
            "seconds": round(self.seconds, 6),
            "populations": self.populations,
            "shrinking": self.shrinking,
            "seed": self.seed,
            "on_data": self.on_data,
            "error": None if self.error is None else render(self.error),
            "counterexample": None
            if self.counterexample is None
            else self.counterexample.to_json(),
        }


def ordinal(n: int) -> Message:
    """1st, 2nd, 3rd, 4th: the categories of English ordinals (CLDR's one, two, few,
    other), which a catalogue may word alike."""
    if not 10 <= n % 100 <= 20:
        if n % 10 == 1:
            return message("testing.ordinal-one", n=n)
        if n % 10 == 2:
            return message("testing.ordinal-two", n=n)
        if n % 10 == 3:
            return message("testing.ordinal-few", n=n)
    return message("testing.ordinal-other", n=n)


# ---- cells --------------------------------------------------------------------------------
def cell(value: Any, percent: bool = False, lang: str = DEFAULT) -> str:
    """A value as a table shows it (a percent field as `70%`, a missing one as `—`)."""
    if value is MISSING or value is None:
        return "—"
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, bool):
        return show(value)
    if percent and isinstance(value, Decimal | int):
        return show(Decimal(value) * 100) + "%"
    if isinstance(value, Decimal | EnumValue | datetime.date):
        return show(value)
    return str(value)


def tables(
    schema: Schema, population: Population, only: Collection[tuple[str, str]] | None = None
) -> tuple[Table, ...]:
    """A table per kind with records (only the subjects `only` names, as (kind, key)
    with the key as text, when given) and one of the history: the key, then each field
    that some row gives a value (a field left to its default in every row is not shown)."""
    found = []
    for kind, rows in population.data.items():
        info = schema.kinds[kind]
        chosen = [r for r in rows if only is None or (kind, str(r[info.key])) in only]
        if not chosen:
            continue
        fields = [info.fields[info.key]] + [
            f
            for f in info.fields.values()
            if f.name != info.key and any(f.name in r for r in chosen)
        ]
        found.append(
            Table(
                title=kind,
                columns=tuple(f.name for f in fields),
                rows=tuple(tuple(_field_cell(f, r) for f in fields) for r in chosen),
            )
        )
    history = [
        r for r in population.history
        if only is None or any(str(r.get("key")) == key for _, key in only)
    ]  # fmt: skip
    if history:
        columns = [c for c in ("kind", "key", "year", "award", "name", "value")
                   if any(c in r for r in history)]  # fmt: skip
        rows_ = tuple(tuple(cell(r[c]) if c in r else "" for c in columns) for r in history)
        found.append(Table(title=message("testing.history"), columns=tuple(columns), rows=rows_))
    return tuple(found)


def _field_cell(field: FieldSchema, row: dict[str, Any]) -> str:
    value = row.get(field.name, MISSING if field.default is None else field.default)
    return cell(value, percent=field.type.kind == "percent")


def _orders(orders: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    return "; ".join(f"{kind}: {', '.join(keys)}" for kind, keys in orders)


def _arg(value: Any) -> str | Message:
    """A value as a message's argument: a message stays one (it is read in the reader's
    language)."""
    return value if isinstance(value, Message) else cell(value)


def _json(value: Any) -> Any:
    return render(value) if isinstance(value, Message) else plain(value)


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    return {name: plain(Decimal(v) if type(v) is int else v) for name, v in row.items()}


def _width(text: str) -> int:
    """Columns a text takes in a terminal: wide characters take two, combining ones none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _at(span: Span | None) -> str:
    return f"{span}: " if span is not None else ""


def _where(span: Span | None) -> dict[str, Any]:
    if span is None:
        return {"file": None, "line": None, "column": None}
    return {"file": span.source.name, "line": span.line, "column": span.column}
