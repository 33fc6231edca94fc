"""Symbol tables: every name a file declares, per subject kind, and 'did you mean'."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeAlias, assert_never

import attrs

from emurules.check import types as t
from emurules.i18n import Message, message
from emurules.names import Sort
from emurules.source import Span
from emurules.suggest import suggest
from emurules.syntax import ast

SymbolKind = Sort
# A diagnostic's text or a part of it: a catalogue message, or a string that is no
# language (a keyword, a formula as written). Until check/functions.py is converted, its
# diagnostics may still be ready-made English strings.
Text: TypeAlias = Message | str

Report = Callable[..., None]


def named(kind: Sort | Literal["enum"], name: str) -> Message:
    """A declared name as messages call it: "criterion 'initiative'", "the score"."""
    match kind:
        case "field":
            return message("check.named-field", name=name)
        case "criterion":
            return message("check.named-criterion", name=name)
        case "bonus":
            return message("check.named-bonus", name=name)
        case "penalty":
            return message("check.named-penalty", name=name)
        case "let":
            return message("check.named-let", name=name)
        case "award":
            return message("check.named-award", name=name)
        case "ranking":
            return message("check.named-ranking", name=name)
        case "relation":
            return message("check.named-relation", name=name)
        case "enum":
            return message("check.named-enum", name=name)
        case "score":
            return message("check.the-score")
        case "year":
            return message("check.the-year")
        case _:
            assert_never(kind)


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
    def describe(self) -> Message:
        return named(self.kind, self.name)


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
    rules: list[ast.RuleDecl] = attrs.field(factory=list)  # data rules guarantee values
    # awards and rankings are titles: one name, one kind (results and history name them)
    titles: dict[str, Symbol] = attrs.field(factory=dict)
    pools: list[ast.PoolDecl] = attrs.field(factory=list)
    lineages: dict[str, ast.LineageDecl] = attrs.field(factory=dict)

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
        if existing.span is not None:
            text = message(
                "check.declared-twice-for-at-line",
                name=symbol.name,
                subject=symbol.subject,
                existing=existing.describe,
                line=existing.span.line,
            )
        else:
            text = message(
                "check.declared-twice-for",
                name=symbol.name,
                subject=symbol.subject,
                existing=existing.describe,
            )
        report("E0204", text, symbol.span, hint=message("check.rename-one"))
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
                        message("check.two-rulesets"),
                        decl.span,
                        hint=message("check.two-rulesets-hint"),
                    )
                else:
                    tables.ruleset = decl
            case ast.EnumDecl(name=name, values=values):
                if name.text in tables.enums or name.text in tables.subjects:
                    report("E0204", message("check.declared-twice", name=name.text), name.span)
                    continue
                tables.enums[name.text] = decl
                seen: set[str] = set()
                for value in values:
                    if value.text in seen:
                        report(
                            "E0204",
                            message("check.enum-value-twice", enum=name.text, value=value.text),
                            value.span,
                        )
                    seen.add(value.text)
                    tables.enum_values.setdefault(value.text, []).append(name.text)
            case ast.SubjectDecl(name=name):
                if name.text in tables.subjects or name.text in tables.enums:
                    report("E0204", message("check.declared-twice", name=name.text), name.span)
                    continue
                if name.text in t.BUILTIN:
                    report("E0204", message("check.subject-is-builtin", name=name.text), name.span)
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
                message("check.unknown-type", type=field.type.name.text, field=field.name.text),
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
            message("check.two-keys", subject=kind),
            keys[1].name.span,
            hint=message("check.two-keys-hint"),
        )
    if not keys:
        report(
            "E0215",
            message("check.no-key", subject=kind),
            info.decl.name.span,
            hint=message("check.no-key-hint"),
        )
    else:
        info.key = keys[0]


def subject_of(tables: Tables, ident: ast.Ident, report: Report) -> SubjectInfo | None:
    info = tables.subjects.get(ident.text)
    if info is None:
        report(
            "E0203",
            message("check.unknown-subject", name=ident.text),
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
        case ast.PoolDecl():
            tables.pools.append(decl)
            return
        case ast.LineageDecl(subject=subject):
            if subject_of(tables, subject, report) is None:
                return
            if subject.text in tables.lineages:
                report(
                    "E0204",
                    message("check.lineage-twice", subject=subject.text),
                    decl.span,
                    hint=message("check.lineage-twice-hint", example="lineage for KIND { ... }"),
                )
                return
            tables.lineages[subject.text] = decl
            return
        case ast.CheckDecl(subject=subject) | ast.RuleDecl(subject=subject):
            if subject_of(tables, subject, report) is not None and isinstance(decl, ast.RuleDecl):
                tables.rules.append(decl)
            return
        case (
            ast.MonotoneCheck(subject=subject)
            | ast.IgnoresCheck(subject=subject)
            | ast.EqualTreatmentCheck(subject=subject)
            | ast.LocalCheck(subject=subject)
        ):
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
                    message("check.two-scores", subject=subject.text),
                    decl.span,
                    hint=message("check.two-scores-hint"),
                )
                return
        if symbol.kind in ("award", "ranking"):
            other = tables.titles.get(symbol.name)
            if other is not None and other.subject != symbol.subject:
                report(
                    "E0204",
                    message(
                        "check.title-of-another-kind",
                        name=symbol.name,
                        subject=other.subject,
                        existing=other.describe,
                    ),
                    symbol.span,
                    hint=message("check.title-of-another-kind-hint"),
                )
                return
            tables.titles.setdefault(symbol.name, symbol)
        _declare(info, symbol, report)
