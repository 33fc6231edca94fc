"""The checked model's `example` blocks -> `Example` values (see plan/examples.py).

Values are lowered as every literal of the criteria is, then folded (`-5` is a literal
negated), so an example's `15%` or `-2.5` is the value the engines would compute.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import localcontext

from emurules.arithmetic import EXACT
from emurules.check.model import Model
from emurules.plan import ir
from emurules.plan.examples import (
    Example,
    ExampleRecord,
    Expectation,
    HistoryRow,
    Written,
)
from emurules.plan.passes import fold_node
from emurules.syntax import ast
from emurules.syntax.ast_examples import with_predecessors
from emurules.values import EnumValue

Lower = Callable[[ast.Expr, str], ir.Node]


def lower_examples(model: Model, lower: Lower) -> tuple[Example, ...]:
    """Every example of the file, in its order; `lower` lowers an expression of a kind."""
    return tuple(
        _example(decl, model, lower)
        for decl in model.module.decls
        if isinstance(decl, ast.ExampleDecl)
    )


def _value(node: ast.Expr, kind: str, lower: Lower) -> Written:
    with localcontext(EXACT):
        found = fold_node(lower(node, kind))
    assert isinstance(found, ir.Const), f"an example value is a literal: {node!r}"
    value = found.value
    assert isinstance(value, Written)
    return value


def _plain(value: Written) -> Written:
    """A value as data gives it: an enum value by its name."""
    return value.name if isinstance(value, EnumValue) else value


def _key(node: ast.Expr) -> str | None:
    match node:
        case ast.TextLit(value=value):
            return value
        case ast.IntLit(value=value):
            return str(value)
        case _:
            return None


def _example(decl: ast.ExampleDecl, model: Model, lower: Lower) -> Example:
    records: list[ExampleRecord] = []
    kinds: dict[str, str] = {}
    year: int | None = None
    for item in decl.items:
        match item:
            case ast.Record(kind=kind_ident, fields=fields):
                kind = kind_ident.text
                info = model.tables.subjects[kind]
                key_field = info.key.name.text if info.key is not None else None
                for field in fields:
                    key = _key(field.value) if field.name.text == key_field else None
                    if key is not None:
                        kinds.setdefault(key, kind)
                records.append(
                    ExampleRecord(
                        kind=kind,
                        fields=tuple(
                            (f.name.text, _plain(_value(f.value, kind, lower))) for f in fields
                        ),
                        span=item.span,
                        spans=tuple(f.value.span for f in fields),
                    )
                )
            case ast.ExampleYear(year=written):
                year = written
            case _:
                pass
    kinds = with_predecessors(decl, kinds)
    history: list[HistoryRow] = []
    expectations: list[Expectation] = []
    for item in decl.items:
        match item:
            case ast.History(entries=entries):
                for entry in entries:
                    if entry.predecessor is not None or entry.name is None:
                        history.append(
                            HistoryRow(
                                key=entry.key.value,
                                year=entry.year,
                                name="",
                                predecessor=None
                                if entry.predecessor is None
                                else entry.predecessor.value,
                                span=entry.span,
                            )
                        )
                        continue
                    kind = kinds[entry.key.value]
                    value = entry.value
                    history.append(
                        HistoryRow(
                            key=entry.key.value,
                            year=entry.year,
                            name=entry.name.text,
                            value=None if value is None else _plain(_value(value, kind, lower)),
                            span=entry.span,
                        )
                    )
            case ast.Expect():
                expectations.append(_expect(item, kinds[item.key.value], lower))
            case _:
                pass
    return Example(
        label=decl.label,
        year=year,
        records=tuple(records),
        history=tuple(history),
        expectations=tuple(expectations),
        span=decl.span,
    )


def _expect(item: ast.Expect, kind: str, lower: Lower) -> Expectation:
    value = None if item.value is None else _value(item.value, kind, lower)
    text = " ".join(item.span.text.split()) if item.span is not None else ""
    return Expectation(
        key=item.key.value,
        kind=kind,
        mode=item.mode,
        name=item.name.text,
        because=tuple(reason.text for reason in item.because),
        op=item.op,
        value=value,
        percent=isinstance(item.value, ast.PercentLit),
        text=text,
        span=item.span,
    )
