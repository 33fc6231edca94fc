"""The checked model -> the `Schema` data is validated against.

The only reader of the checker's tables for data: defaults become ready values, field
constraints become (bound, strict) pairs and the text messages quote, printed here once.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from emurules.check import types as t
from emurules.check.functions import literal_number
from emurules.check.labels import clean
from emurules.check.model import Model
from emurules.check.scope import SubjectInfo, Symbol, Tables
from emurules.limits import DEFAULT_LOCALE
from emurules.plan.ir import VType
from emurules.plan.schema import (
    PERCENT_HIGH,
    PERCENT_LOW,
    PERCENT_TEXT,
    Bound,
    Default,
    FieldSchema,
    KindSchema,
    NameInfo,
    Schema,
)
from emurules.syntax import ast
from emurules.syntax.printer import Printer
from emurules.values import EnumValue


def lower_schema(model: Model) -> Schema:
    tables = model.tables
    return Schema(
        kinds={kind: _kind(tables, kind, info) for kind, info in tables.subjects.items()},
        enums={name: tuple(v.text for v in decl.values) for name, decl in tables.enums.items()},
        locale=_locale(tables),
        enum_labels={
            name: _value_labels(decl) for name, decl in tables.enums.items() if decl.labels
        },
    )


def _value_labels(decl: ast.EnumDecl) -> dict[str, str]:
    return {v.text: label for v, label in zip(decl.values, decl.labels, strict=True) if label}


def vtype(declared: t.Type) -> VType:
    return VType(declared.kind, declared.name, declared.optional)


def _locale(tables: Tables) -> str:
    ruleset = tables.ruleset
    for setting in ruleset.settings if ruleset is not None else ():
        if setting.key == "locale":
            return str(setting.value)
    return DEFAULT_LOCALE


def _kind(tables: Tables, kind: str, info: SubjectInfo) -> KindSchema:
    assert info.key is not None, f"a checked subject kind has a key: {kind}"
    fields = {}
    for field in info.decl.fields:
        declared = info.names[field.name.text].type or t.UNKNOWN
        fields[field.name.text] = _field(tables, field, declared)
    decl = info.decl
    return KindSchema(
        name=kind,
        key=info.key.name.text,
        fields=fields,
        names={name: _name(symbol) for name, symbol in info.names.items()},
        label=decl.label,
        display=_display(decl, fields),
        titles={clean(f.label): f.name for f in fields.values() if f.label and clean(f.label)},
        lineage=_lineage(tables, kind),
    )


def _lineage(tables: Tables, kind: str) -> tuple[str, str] | None:
    decl = tables.lineages.get(kind)
    if decl is None or decl.held is None or decl.past is None:
        return None
    return (decl.held, decl.past)


def _display(decl: ast.SubjectDecl, fields: dict[str, FieldSchema]) -> str | None:
    """The field named `display`, else `name` when it is a text field."""
    if decl.display is not None:
        return decl.display.text
    name = fields.get("name")
    return "name" if name is not None and name.type.kind == "text" else None


def _name(symbol: Symbol) -> NameInfo:
    decl = symbol.decl
    return NameInfo(
        name=symbol.name,
        sort=symbol.kind,
        type=vtype(symbol.type) if symbol.type is not None else None,
        given=isinstance(decl, ast.AwardDecl) and decl.given,
        label=decl.label if isinstance(decl, ast.Field | ast.RelationDecl) else None,
    )


def _field(tables: Tables, field: ast.Field, declared: t.Type) -> FieldSchema:
    low, high = _range(declared, field)
    return FieldSchema(
        name=field.name.text,
        type=vtype(declared.required()),
        optional=declared.optional,
        key=field.key,
        default=_default(tables, field, declared) if field.default is not None else None,
        low=low,
        high=high,
        constraint_text=_constraint_text(field, declared),
        label=field.label,
    )


def _range(declared: t.Type, field: ast.Field) -> tuple[Bound | None, Bound | None]:
    """(bound, strict) below and above, from the field's constraint or 0%..100%."""
    low: Bound | None = None
    high: Bound | None = None
    constraint = field.constraint
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
        low = low or PERCENT_LOW
        high = high or PERCENT_HIGH
    return low, high


def _constraint_text(field: ast.Field, declared: t.Type) -> str:
    """The allowed range as messages print it: the constraint as written, else 0%..100%
    for a percentage, else nothing."""
    if field.constraint is None:
        return PERCENT_TEXT if declared.kind == "percent" else ""
    bare = attrs.evolve(field, key=False, default=None, label=None)
    text = Printer(ast.Module(decls=())).field(bare)
    return text.split(" ", 2)[2] if text.count(" ") >= 2 else text


def _default(tables: Tables, field: ast.Field, declared: t.Type) -> Default:
    node = field.default
    match node:
        case ast.Name(name=name) if declared.kind == "enum" and declared.name:
            values = [v.text for v in tables.enums[declared.name].values]
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


def _signed(node: ast.Expr) -> Decimal | None:
    if isinstance(node, ast.Neg):
        inner = literal_number(node.operand)
        return -inner if inner is not None else None
    return literal_number(node)
