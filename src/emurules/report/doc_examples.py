"""The criteria file's examples in the published document: each example's subjects as a
small table (labels as headers, enum values by their labels) and what its author expects,
in sentences ("An được tặng danh hiệu Lao động tiên tiến")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from emurules.i18n import message, render
from emurules.i18n.formatting import date, number, percent
from emurules.plan.examples import Example, Expectation, Written
from emurules.plan.steps import Award, Plan
from emurules.report.doc_model import Block, Heading, Items, Paragraph, Table
from emurules.report.words import Names, Text, compare, words
from emurules.values import EnumValue


def examples(plan: Plan, names: Names, lang: str) -> list[Block]:
    """The blocks of every example, numbered in the order of the file."""
    blocks: list[Block] = []
    for index, example in enumerate(plan.examples, start=1):
        blocks += _Example(plan, names, lang, example).blocks(index)
    return blocks


class _Example:
    def __init__(self, plan: Plan, names: Names, lang: str, example: Example) -> None:
        self.plan, self.names, self.lang, self.example = plan, names, lang, example

    def text(self, text: Text) -> str:
        return render(text, self.lang)

    def blocks(self, index: int) -> list[Block]:
        example = self.example
        found: list[Block] = [Heading(3, f"{index}. {example.label}")]
        if example.year is not None:
            found.append(Paragraph(self.text(message("doc.example-year", year=str(example.year)))))
        kinds = list(dict.fromkeys(r.kind for r in example.records))
        for kind in kinds:
            found.append(
                Paragraph(self.text(message("doc.example-subjects", kind=self.names.kind(kind))))
            )
            found.append(self._table(kind))
        if example.history:
            found.append(Paragraph(self.text(message("doc.example-history"))))
            found.append(Items(tuple(self._history(i) for i in range(len(example.history)))))
        if example.expectations:
            found.append(Paragraph(self.text(message("doc.example-expected"))))
            expected = (self.text(self._expect(e)) for e in example.expectations)
            found.append(Items(tuple(said[:1].upper() + said[1:] for said in expected)))
        return found

    def _table(self, kind: str) -> Table:
        records = self.example.records_of(kind)
        fields = list(dict.fromkeys(name for r in records for name, _ in r.fields))
        head = tuple(self.text(self.names.name(kind, f)) for f in fields)
        rows = tuple(
            tuple(
                self._value(kind, f, dict(r.fields).get(f, self._default(kind, f))) for f in fields
            )
            for r in records
        )
        numeric = tuple(
            all(isinstance(dict(r.fields).get(f), Decimal) for r in records if f in dict(r.fields))
            for f in fields
        )
        return Table(head, rows, numeric)

    def _value(self, kind: str, field: str, value: Written | None, as_percent: bool = False) -> str:
        """A value as the reader writes it: an enum value by its label, a share as a
        percentage, numbers and dates in the language's way."""
        vtype = self.names.field_type(kind, field)
        if value is None:
            return ""
        if isinstance(value, EnumValue):
            return self.names.value(value.enum, value.name)
        if isinstance(value, str) and vtype is not None and vtype.kind == "enum" and vtype.name:
            return self.names.value(vtype.name, value)
        if isinstance(value, Decimal):
            if as_percent or (vtype is not None and vtype.kind == "percent"):
                return percent(value, self.lang)
            return number(value, self.lang)
        if isinstance(value, bool):
            return self.text(message("words.yes") if value else message("words.no"))
        if isinstance(value, datetime.date):
            return date(value, self.lang)
        return value

    def _default(self, kind: str, field: str) -> Written | None:
        """What a record that leaves the field out holds: its default (else nothing)."""
        schema = self.names.schema
        info = schema.kinds.get(kind) if schema is not None else None
        found = info.fields.get(field) if info is not None else None
        return found.default if found is not None else None

    def who(self, kind: str, key: str) -> str:
        """A subject by its display name in the example (its key when it has none)."""
        schema = self.names.schema
        info = schema.kinds.get(kind) if schema is not None else None
        if info is None or info.display is None:
            return key
        for record in self.example.records_of(kind):
            fields = dict(record.fields)
            if fields.get(info.key) == key:
                shown_name = fields.get(info.display)
                return shown_name if isinstance(shown_name, str) and shown_name else key
        return key

    def _kind_of(self, key: str, seen: frozenset[str] = frozenset()) -> str:
        """A key's kind: its record's, else (a unit that no longer exists) that of the unit
        formed from it."""
        schema = self.names.schema
        for record in self.example.records:
            info = schema.kinds.get(record.kind) if schema is not None else None
            if info is not None and dict(record.fields).get(info.key) == key:
                return record.kind
        successor = next((r.key for r in self.example.history if r.predecessor == key), None)
        if successor is None or successor in seen | {key}:
            return ""
        return self._kind_of(successor, seen | {key})

    def _history(self, index: int) -> str:
        row = self.example.history[index]
        kind = self._kind_of(row.key)
        if row.predecessor is not None:
            formed = message(
                "doc.example-formed",
                subject=self.who(kind, row.key),
                year=str(row.year),
                predecessor=row.predecessor,
            )
            return self.text(formed)
        subject = self.who(kind, row.key)
        name = self.names.name(kind, row.name)
        if row.value is None:
            said = message("doc.example-held", subject=subject, award=name, year=str(row.year))
        else:
            value = self._value(kind, row.name, row.value)
            said = message(
                "doc.example-had", subject=subject, name=name, year=str(row.year), value=value
            )
        return self.text(said)

    def _expect(self, expected: Expectation) -> Text:
        kind, names = expected.kind, self.names
        subject = self.who(kind, expected.key)
        name = names.name(kind, expected.name)
        award = names.is_award(kind, expected.name)
        match expected.mode:
            case "true" if award:
                return message("doc.expect-receives", subject=subject, award=name)
            case "true":
                return message("doc.expect-true", subject=subject, name=name)
            case "false" if award and expected.because:
                failed = tuple(self._condition(expected, c) for c in expected.because)
                return message(
                    "doc.expect-refused-because", subject=subject, award=name, conditions=failed
                )
            case "false" if award:
                return message("doc.expect-refused", subject=subject, award=name)
            case "false":
                return message("doc.expect-false", subject=subject, name=name)
            case "cut":
                return message("doc.expect-cut", subject=subject, award=name)
        value = message("words.of", name=name, owner=subject)
        if expected.mode == "missing":
            return message("doc.is-missing", value=value)
        if expected.mode == "present":
            return message("doc.is-given", value=value)
        shown_value = self._value(kind, expected.name, expected.value, expected.percent)
        return compare(expected.op or "==", value, shown_value)

    def _condition(self, expected: Expectation, id: str) -> Text:
        """A condition of the award the expectation names, by its label (else in words)."""
        for step in self.plan.written:
            if isinstance(step, Award) and (step.kind, step.name) == (expected.kind, expected.name):
                for condition in step.conditions:
                    if condition.id != id:
                        continue
                    if condition.label:
                        return condition.label
                    if condition.requires is not None:
                        required = self.names.name(step.kind, condition.requires)
                        return message("doc.requires", award=required)
                    if condition.expr is not None:
                        return words(condition.expr, self.names, step.kind)
        return id
