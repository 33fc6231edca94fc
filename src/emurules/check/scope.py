"""Symbol tables: every name a file declares, per subject kind, and 'did you mean'."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from emurules.check import types as t
from emurules.names import Sort
from emurules.source import Span
from emurules.suggest import suggest
from emurules.syntax import ast

SymbolKind = Sort

Report = Callable[..., None]


@attrs.define
class Symbol:
    """A name of a subject kind: what it is, where it was declared, and its type."""

    name: str
    kind: SymbolKind
    subject: str
    decl: object
    span: Span | None
    type: t.Type | None = None

    @property
    def describe(self) -> str:
        return {"score": "the score", "year": "the assessment year"}.get(
            self.kind, f"{self.kind} '{self.name}'"
        )


@attrs.define
class SubjectInfo:
    decl: ast.SubjectDecl
    names: dict[str, Symbol] = attrs.field(factory=dict)
    key: ast.Field | None = None

    def names_of(self, kind: SymbolKind) -> list[str]:
        """The names of one sort (fields, awards...), for 'did you mean' suggestions."""
        return [name for name, symbol in self.names.items() if symbol.kind == kind]


@attrs.define
class Tables:
    """Every declared name of a module, checked for duplicates."""

    enums: dict[str, ast.EnumDecl] = attrs.field(factory=dict)
    enum_values: dict[str, list[str]] = attrs.field(factory=dict)
    subjects: dict[str, SubjectInfo] = attrs.field(factory=dict)
    ruleset: ast.Ruleset | None = None

    def enum_type(self, name: str) -> t.Type:
        decl = self.enums[name]
        return t.Type("enum", name, ordered=decl.ordered)

    def type_of(self, ref: ast.TypeRef) -> t.Type | None:
        """The type a field declaration names, or None when it names nothing."""
        name = ref.name.text
        base: t.Type | None
        if name in t.BUILTIN:
            base = t.Type(name)
        elif name in self.enums:
            base = self.enum_type(name)
        elif name in self.subjects:
            base = t.Type("ref", name)
        else:
            base = None
        return None if base is None else base.maybe(ref.optional)

    def type_names(self) -> list[str]:
        return [*t.BUILTIN, *self.enums, *self.subjects]


def _declare(info: SubjectInfo, symbol: Symbol, report: Report, what: str = "name") -> None:
    existing = info.names.get(symbol.name)
    if existing is not None and existing.kind != "year":
        where = f" (line {existing.span.line})" if existing.span is not None else ""
        report(
            "E0204",
            f"'{symbol.name}' is declared twice for {symbol.subject}: "
            f"already {existing.describe}{where}",
            symbol.span,
            hint="rename one of them",
        )
        return
    info.names[symbol.name] = symbol


def collect(module: ast.Module, report: Report) -> Tables:
    """Build the symbol tables; report duplicates and declarations for unknown kinds."""
    tables = Tables()
    for decl in module.decls:
        match decl:
            case ast.Ruleset():
                if tables.ruleset is not None:
                    report(
                        "E0204",
                        "a file has one ruleset header",
                        decl.span,
                        hint="merge the two headers",
                    )
                else:
                    tables.ruleset = decl
            case ast.EnumDecl(name=name, values=values):
                if name.text in tables.enums or name.text in tables.subjects:
                    report("E0204", f"'{name.text}' is declared twice", name.span)
                    continue
                tables.enums[name.text] = decl
                seen: set[str] = set()
                for value in values:
                    if value.text in seen:
                        report(
                            "E0204", f"enum '{name.text}' lists '{value.text}' twice", value.span
                        )
                    seen.add(value.text)
                    tables.enum_values.setdefault(value.text, []).append(name.text)
            case ast.SubjectDecl(name=name):
                if name.text in tables.subjects or name.text in tables.enums:
                    report("E0204", f"'{name.text}' is declared twice", name.span)
                    continue
                if name.text in t.BUILTIN:
                    report(
                        "E0204",
                        f"'{name.text}' is a built-in type; name the subject differently",
                        name.span,
                    )
                    continue
                tables.subjects[name.text] = SubjectInfo(decl)
            case _:
                pass
    for info in tables.subjects.values():
        _collect_fields(tables, info, report)
    for decl in module.decls:
        _collect_decl(tables, decl, report)
    return tables


def _collect_fields(tables: Tables, info: SubjectInfo, report: Report) -> None:
    kind = info.decl.name.text
    info.names["year"] = Symbol("year", "year", kind, None, None, t.INT)
    keys = []
    for field in info.decl.fields:
        field_type = tables.type_of(field.type)
        if field_type is None:
            report(
                "E0202",
                f"unknown type '{field.type.name.text}' for field '{field.name.text}'",
                field.type.name.span,
                hint=suggest(field.type.name.text, tables.type_names()),
            )
            field_type = t.UNKNOWN
        _declare(
            info, Symbol(field.name.text, "field", kind, field, field.name.span, field_type), report
        )
        if field.key:
            keys.append(field)
    if len(keys) > 1:
        report(
            "E0214",
            f"subject '{kind}' has more than one key field",
            keys[1].name.span,
            hint="a subject is identified by one key; keep 'key' on one field",
        )
    if not keys:
        report(
            "E0215",
            f"subject '{kind}' has no key field",
            info.decl.name.span,
            hint="mark the field that identifies each record with 'key', e.g. 'id: text key'",
        )
    else:
        info.key = keys[0]


def subject_of(tables: Tables, ident: ast.Ident, report: Report) -> SubjectInfo | None:
    info = tables.subjects.get(ident.text)
    if info is None:
        report(
            "E0203",
            f"unknown subject kind '{ident.text}'",
            ident.span,
            hint=suggest(ident.text, tables.subjects),
        )
    return info


def _collect_decl(tables: Tables, decl: ast.Decl, report: Report) -> None:
    symbol: Symbol | None = None
    match decl:
        case ast.CriterionDecl(name=name, subject=subject, kind=kind):
            info = subject_of(tables, subject, report)
            symbol = Symbol(
                name.text,
                kind,
                subject.text,
                decl,
                name.span,
                t.NUMBER.maybe(decl.where is not None),
            )
        case ast.LetDecl(name=name, subject=subject):
            info = subject_of(tables, subject, report)
            symbol = Symbol(name.text, "let", subject.text, decl, name.span)
        case ast.ScoreDecl(subject=subject):
            info = subject_of(tables, subject, report)
            symbol = Symbol("score", "score", subject.text, decl, subject.span, t.NUMBER)
        case ast.AwardDecl(name=name, subject=subject):
            info = subject_of(tables, subject, report)
            symbol = Symbol(name.text, "award", subject.text, decl, name.span, t.BOOL)
        case ast.RankingDecl(name=name, subject=subject):
            info = subject_of(tables, subject, report)
            symbol = Symbol(name.text, "ranking", subject.text, decl, name.span, t.INT)
        case ast.RelationDecl(name=name, owner=owner):
            info = subject_of(tables, owner, report)
            symbol = Symbol(
                name.text,
                "relation",
                owner.text,
                decl,
                name.span,
                t.Type("relation", decl.member.text),
            )
        case ast.CheckDecl(subject=subject) | ast.RuleDecl(subject=subject):
            subject_of(tables, subject, report)
            return
        case ast.MonotoneCheck(subject=subject):
            subject_of(tables, subject, report)
            return
        case _:
            return
    if info is not None and symbol is not None:
        if symbol.kind == "score" and "score" in info.names:
            existing = info.names["score"]
            if existing.kind == "score":
                report(
                    "E0204",
                    f"'{subject.text}' has two score declarations",
                    decl.span,
                    hint="a subject kind has one score; merge them",
                )
                return
        _declare(info, symbol, report)
