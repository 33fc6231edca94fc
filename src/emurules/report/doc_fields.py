"""The input data in the published document: per subject kind, every field by its label,
what it holds, what a blank cell counts as, and its allowed range.

A criterion that reads "Hình thức kỷ luật là Không bị kỷ luật" is only fair if the reader
knows that a blank cell counts as "Không bị kỷ luật": the document says so for every
field, so no rule depends on something the published text leaves out.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from emurules.i18n import Message, message, render
from emurules.i18n.formatting import date, number, percent
from emurules.names import describe_type
from emurules.plan.schema import Bound, FieldSchema, KindSchema, Schema
from emurules.report.doc_model import Block, Heading, Table
from emurules.report.words import Names
from emurules.values import EnumValue


def fields(schema: Schema | None, names: Names, lang: str) -> list[Block]:
    """A table per subject kind; nothing without the schema."""
    if schema is None:
        return []
    blocks: list[Block] = []
    for kind in schema.kinds.values():
        blocks.append(Heading(3, names.kind(kind.name)))
        head = (
            render(message("doc.field-column-name"), lang),
            render(message("doc.field-column-type"), lang),
            render(message("doc.field-column-blank"), lang),
            render(message("doc.field-column-range"), lang),
        )
        rows = tuple(_row(kind, field, names, lang) for field in kind.fields.values())
        blocks.append(Table(head, rows))
    return blocks


def _row(kind: KindSchema, field: FieldSchema, names: Names, lang: str) -> tuple[str, ...]:
    name = render(names.name(kind.name, field.name), lang)
    holds = render(field_type(field, names), lang)
    blank = render(_blank(kind, field, names, lang), lang)
    return (name, holds, blank, field_range(field, lang))


def field_type(field: FieldSchema, names: Names) -> Message | str:
    """What a field holds, in words: an enum's values by their labels, a reference's kind."""
    vtype = field.type
    if vtype.kind == "enum" and vtype.name is not None:
        enum = names.schema.enums.get(vtype.name, ()) if names.schema is not None else ()
        values = tuple(names.value(vtype.name, value) for value in enum)
        return message("doc.field-one-of", values=values) if values else vtype.name
    if vtype.kind == "ref" and vtype.name is not None:
        return message("doc.field-code-of", kind=names.kind(vtype.name))
    return describe_type(vtype.kind, vtype.name, False)


def _blank(kind: KindSchema, field: FieldSchema, names: Names, lang: str) -> Message:
    if field.key or field.name == kind.key:
        return message("doc.field-key")
    if field.default is not None:
        return message("doc.field-default", value=_value(field, field.default, names, lang))
    if field.optional:
        return message("doc.field-may-be-blank")
    return message("doc.field-required")


def _value(field: FieldSchema, value: object, names: Names, lang: str) -> str:
    if isinstance(value, EnumValue):
        return names.value(value.enum, value.name)
    if isinstance(value, bool):
        return render(message("words.yes") if value else message("words.no"), lang)
    if isinstance(value, Decimal):
        return percent(value, lang) if field.type.kind == "percent" else number(value, lang)
    if isinstance(value, datetime.date):
        return date(value, lang)
    return str(value)


def field_range(field: FieldSchema, lang: str) -> str:
    """A field's allowed values in words (\"từ 0 đến 12\"); empty without bounds."""
    low, high = field.low, field.high
    if low is None and high is None:
        return ""

    def shown(bound: Bound) -> str:
        return _value(field, bound[0], Names(), lang)

    if low is not None and high is not None:
        return render(message("doc.field-between", low=shown(low), high=shown(high)), lang)
    if low is not None:
        if low[1]:
            return render(message("doc.field-above", value=shown(low)), lang)
        return render(message("doc.field-at-least", value=shown(low)), lang)
    assert high is not None
    if high[1]:
        return render(message("doc.field-below", value=shown(high)), lang)
    return render(message("doc.field-at-most", value=shown(high)), lang)
