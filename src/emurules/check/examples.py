"""Checks of `example` blocks: records, history entries and expectations name real things."""

from __future__ import annotations

from emurules.check import types as t
from emurules.check.pools import lineage_hint
from emurules.check.scope import Report, Symbol, Tables
from emurules.check.typecheck import Ctx, Typer
from emurules.i18n import message
from emurules.suggest import suggest
from emurules.syntax import ast
from emurules.syntax.ast_examples import with_predecessors
from emurules.syntax.syntax_errors import quoted


def _key_text(node: ast.Expr) -> str | None:
    match node:
        case ast.TextLit(value=value):
            return value
        case ast.IntLit(value=value):
            return str(value)
        case _:
            return None


def condition_ids(award: ast.AwardDecl) -> list[str]:
    """The ids explanations give an award's conditions: named ones, else when1, when2..."""
    ids = []
    for position, condition in enumerate(award.conditions, start=1):
        ids.append(condition.id.text if condition.id is not None else f"when{position}")
        if isinstance(condition.body, ast.AnyOf):
            ids.extend(part.id.text for part in condition.body.parts)
    return ids


def check_example(decl: ast.ExampleDecl, tables: Tables, typer: Typer, report: Report) -> None:
    keys: dict[str, str] = {}
    for item in decl.items:
        if isinstance(item, ast.Record):
            _record(item, tables, typer, report, keys)

    past = with_predecessors(decl, keys)  # history may name units that no longer exist

    def subject_symbol(
        key: ast.SubjectKey, name: ast.Ident, known: dict[str, str] = keys
    ) -> Symbol | None:
        kind = known.get(key.value)
        if kind is None:
            report(
                "E0213",
                message("check.no-example-key", key=key.value),
                key.span,
                hint=suggest(key.value, known),
            )
            return None
        symbol = tables.subjects[kind].names.get(name.text)
        if symbol is None or symbol.kind in ("relation", "year"):
            report(
                "E0201",
                message("check.unknown-name", name=name.text, subject=kind),
                name.span,
                hint=suggest(name.text, tables.subjects[kind].names),
            )
            return None
        return symbol

    for item in decl.items:
        match item:
            case ast.History(entries=entries):
                for entry in entries:
                    if entry.name is None:
                        _formed(entry, past, tables, report)
                        continue
                    symbol = subject_symbol(entry.key, entry.name, past)
                    if symbol is None:
                        continue
                    if symbol.kind == "award":
                        if entry.value is not None:
                            report(
                                "E0303",
                                message("check.history-award-value", name=entry.name.text),
                                entry.value.span,
                            )
                    elif entry.value is None:
                        report(
                            "E0303",
                            message("check.history-needs-value", name=entry.name.text),
                            entry.name.span,
                            hint=message(
                                "check.history-needs-value-hint",
                                key=entry.key.value,
                                year=entry.year,
                                name=entry.name.text,
                            ),
                        )
                    else:
                        _value(entry.value, symbol, typer, report)
            case ast.Expect():
                symbol = subject_symbol(item.key, item.name)
                if symbol is not None:
                    _expect(item, symbol, typer, report)
            case _:
                pass


def _record(
    record: ast.Record, tables: Tables, typer: Typer, report: Report, keys: dict[str, str]
) -> None:
    info = tables.subjects.get(record.kind.text)
    if info is None:
        report(
            "E0203",
            message("check.unknown-subject", name=record.kind.text),
            record.kind.span,
            hint=suggest(record.kind.text, tables.subjects),
        )
        return
    seen: set[str] = set()
    fields = {f.name.text: f for f in info.decl.fields}
    for item in record.fields:
        name = item.name.text
        if name in seen:
            report("E0204", message("check.record-field-twice", name=name), item.name.span)
        seen.add(name)
        field = fields.get(name)
        symbol = info.names.get(name)
        if field is None or symbol is None:
            report(
                "E0210",
                message("check.no-field", subject=record.kind.text, name=name),
                item.name.span,
                hint=suggest(name, fields),
            )
            continue
        _value(item.value, symbol, typer, report)
        if field.key:
            key = _key_text(item.value)
            if key is not None:
                if key in keys:
                    report("E0204", message("check.example-key-twice", key=key), item.value.span)
                keys[key] = record.kind.text


def _value(node: ast.Expr, symbol: Symbol, typer: Typer, report: Report) -> None:
    declared = symbol.type if symbol.type is not None else typer.let_type(symbol)
    if declared.kind == "ref" and declared.name is not None:
        key_field = typer.tables.subjects[declared.name].key
        declared = t.TEXT
        if key_field is not None:
            declared = typer.tables.type_of(key_field.type) or t.TEXT
    found = typer.maybe(node, Ctx(symbol.subject), declared.required())
    if not t.same(declared.required(), found):
        report(
            "E0301",
            message(
                "check.example-value-type",
                name=symbol.name,
                declared=declared.required().describe,
                found=found.describe,
            ),
            node.span,
        )
    elif declared.kind == "percent":
        typer.bare_percent(quoted(symbol.name), node)


def _expect(item: ast.Expect, symbol: Symbol, typer: Typer, report: Report) -> None:
    declared = symbol.type if symbol.type is not None else typer.let_type(symbol)
    match item.mode:
        case "true" | "false":
            if declared.known and declared.kind != "bool":
                report(
                    "E0301",
                    message("check.expect-not-bool", name=symbol.name, found=declared.describe),
                    item.name.span,
                    hint=message(
                        "check.expect-not-bool-hint", key=item.key.value, name=symbol.name
                    ),
                )
            if item.because:
                if not isinstance(symbol.decl, ast.AwardDecl):
                    report("E0303", message("check.because-not-award"), item.because[0].span)
                    return
                ids = condition_ids(symbol.decl)
                ids += [f"requires:{r.text}" for r in symbol.decl.requires]
                for reason in item.because:
                    if reason.text not in ids:
                        report(
                            "E0201",
                            message("check.no-condition", award=symbol.name, name=reason.text),
                            reason.span,
                            hint=suggest(reason.text, ids),
                        )
        case "cut":
            decl = symbol.decl
            if not isinstance(decl, ast.AwardDecl) or decl.quota is None:
                report(
                    "E0303",
                    message("check.cut-needs-quota", name=symbol.name, what=symbol.describe),
                    item.name.span,
                )
        case "compare":
            assert item.value is not None
            found = typer.maybe(item.value, Ctx(symbol.subject), declared.required())
            if not t.comparable(declared, found):
                report(
                    "E0301",
                    message(
                        "check.expect-incomparable",
                        name=symbol.name,
                        declared=declared.required().describe,
                        found=found.describe,
                    ),
                    item.value.span,
                )
            elif declared.kind == "percent":
                typer.bare_percent(quoted(symbol.name), item.value)
        case "missing" | "present":
            pass


def _formed(entry: ast.HistoryEntry, keys: dict[str, str], tables: Tables, report: Report) -> None:
    """`X 2025 from A`: X is a subject of the example (or a predecessor of one) of a kind
    whose criteria say how its history carries over."""
    kind = keys.get(entry.key.value)
    if kind is None:
        report(
            "E0213",
            message("check.no-example-key", key=entry.key.value),
            entry.key.span,
            hint=suggest(entry.key.value, keys),
        )
    elif kind not in tables.lineages:
        report(
            "E0316",
            message("check.example-lineage-undeclared", kind=kind),
            entry.span,
            hint=lineage_hint(kind),
        )
