"""Checks of each kind of declaration: their expressions, clauses and examples.

Each function checks one declaration and returns what it reads, which becomes its edges in
the dependency graph.
"""

from __future__ import annotations

from typing import assert_never

from emurules.check import fairness, labels
from emurules.check import types as t
from emurules.check.functions import literal_number
from emurules.check.graph import Node
from emurules.check.scope import Report, SubjectInfo, Tables, named
from emurules.check.typecheck import Ctx, Group, Typer
from emurules.i18n import message
from emurules.limits import LANGUAGE_VERSION, LOCALES, ROUND_DIGITS
from emurules.names import Sort
from emurules.suggest import did_you_mean, suggest
from emurules.syntax import ast
from emurules.syntax.syntax_errors import quoted

Reads = set[Node]
# Names people reach for; the hint points them at the locale that reads the same forms.
_LOCALE_ALIASES = {
    "vn": "vi", "vi-vn": "vi", "vie": "vi", "vietnamese": "vi", "tiếng việt": "vi",
    "en": "iso", "en-us": "iso", "en-gb": "iso", "default": "iso", "c": "iso", "iso8601": "iso",
}  # fmt: skip


class DeclChecker:
    def __init__(self, tables: Tables, typer: Typer, report: Report) -> None:
        self.tables = tables
        self.typer = typer
        self.report = report
        self.graph: dict[Node, Reads] = {}
        self.reads: Reads = set()

    def run(self, module: ast.Module) -> None:
        for decl in module.decls:
            self.typer.begin()
            node = self.decl(decl)
            reads = self.typer.end()
            self.reads |= reads
            if node is not None:
                self.graph[node] = reads
            if isinstance(decl, ast.RuleDecl):
                self.rule_reads_fields(decl, reads)
        for reads in self.typer.let_reads.values():
            self.reads |= reads

    def rule_reads_fields(self, decl: ast.RuleDecl, reads: Reads) -> None:
        """Data rules are checked before anything is computed, so they read fields only."""
        for kind, name in sorted(reads):
            symbol = self.tables.subjects[kind].names[name]
            if symbol.kind not in ("field", "year"):
                self.report(
                    "E0218",
                    message("check.rule-reads-computed", name=name, what=symbol.describe),
                    decl.expr.span,
                    hint=message(
                        "check.rule-reads-computed-hint",
                        label=decl.label,
                        subject=decl.subject.text,
                    ),
                )

    def _info(self, ident: ast.Ident) -> SubjectInfo | None:
        return self.tables.subjects.get(ident.text)

    def _label(self, kind: Sort, name: ast.Ident, label: str | None) -> None:
        if label is None:
            self.report(
                "W0103",
                message("check.no-label", what=named(kind, name.text)),
                name.span,
                severity="warning",
                hint=message("check.no-label-hint", keyword=kind, name=name.text),
            )

    def decl(self, decl: ast.Decl) -> Node | None:
        typer = self.typer
        match decl:
            case ast.Ruleset():
                for setting in decl.settings:
                    if setting.key == "round" and setting.value not in ROUND_DIGITS:
                        low, high = ROUND_DIGITS[0], ROUND_DIGITS[-1]
                        self.report(
                            "E0107",
                            message("check.round-digits", low=low, high=high),
                            setting.span,
                        )
                    year = setting.value if setting.key == "year" else None
                    if isinstance(year, int) and not 1 <= year <= 9999:
                        self.report("E0107", message("check.year-setting"), setting.span)
                    if setting.key == "locale":
                        self.locale(setting)
                    self.money(setting)
                    self.version(setting)
                return None
            case ast.EnumDecl():
                labels.check_enum(decl, self.report)
                return None
            case ast.SubjectDecl():
                labels.check_subject(decl, self.report)
                self.subject(decl)
                return None
            case ast.RelationDecl():
                self.relation(decl)
                return None
            case ast.CriterionDecl():
                if self._info(decl.subject) is None:
                    return None
                self._label(decl.kind, decl.name, decl.label)
                ctx = Ctx(decl.subject.text)
                if decl.where is not None:
                    typer.condition(decl.where, ctx, "where")
                    ctx = ctx.guarded(typer.proven(decl.where, True))
                if decl.max is not None:
                    maximum = literal_number(decl.max)
                    if maximum is None or maximum < 0:
                        self.report(
                            "E0307",
                            message("check.max-number"),
                            decl.max.span,
                            hint=message("check.max-number-hint"),
                        )
                typer.number(decl.expr, ctx, named(decl.kind, decl.name.text))
                return (decl.subject.text, decl.name.text)
            case ast.ScoreDecl():
                if self._info(decl.subject) is None:
                    return None
                typer.number(decl.expr, Ctx(decl.subject.text), message("check.what-score"))
                return (decl.subject.text, "score")
            case ast.LetDecl():
                info = self._info(decl.subject)
                if info is None:
                    return None
                self._label("let", decl.name, decl.label)
                symbol = info.names.get(decl.name.text)
                if symbol is not None and symbol.decl is decl:
                    typer.let_type(symbol)
                    return (decl.subject.text, decl.name.text)
                typer.maybe(decl.expr, Ctx(decl.subject.text))
                return None
            case ast.AwardDecl():
                return self.award(decl)
            case ast.RankingDecl():
                if self._info(decl.subject) is None:
                    return None
                self._label("ranking", decl.name, decl.label)
                ctx = Ctx(decl.subject.text)
                self.rank_keys(decl.keys, ctx)
                if decl.within is not None:
                    self.within(decl.within, ctx)
                return (decl.subject.text, decl.name.text)
            case ast.CheckDecl() | ast.RuleDecl():
                if self._info(decl.subject) is not None:
                    what = (
                        message("check.what-check")
                        if isinstance(decl, ast.CheckDecl)
                        else message("check.what-data-rule")
                    )
                    typer.condition(decl.expr, Ctx(decl.subject.text), what)
                return None
            case ast.MonotoneCheck():
                fairness.monotone(self, decl)
                return None
            case ast.IgnoresCheck():
                fairness.ignores(self, decl)
                return None
            case ast.LocalCheck():
                fairness.local(self, decl)
                return None
            case ast.OrderCheck() | ast.EqualTreatmentCheck() | ast.LineageDecl() | ast.PoolDecl():
                return None  # checked once every award is (check/pools.py)
            case ast.ExampleDecl():
                from emurules.check.examples import check_example

                check_example(decl, self.tables, typer, self.report)
                return None
            case _:
                assert_never(decl)

    def version(self, setting: ast.Setting) -> None:
        """A file written for another version of the language is refused, not misread."""
        value = setting.value
        if setting.key == "emurules" and isinstance(value, int) and value != LANGUAGE_VERSION:
            self.report(
                "E0107",
                message("check.language-version", version=value, supported=LANGUAGE_VERSION),
                setting.span,
                hint=message("check.language-version-hint"),
            )

    def money(self, setting: ast.Setting) -> None:
        """A base salary or a rounding step of 0 would silently make every reward 0 (or
        divide by 0): refused."""
        value = setting.value
        if setting.key == "base_salary" and value == 0:
            self.report("E0107", message("check.base-salary-zero"), setting.span)
        if setting.key == "reward_rounding" and isinstance(value, tuple) and value[1] == 0:
            self.report("E0107", message("check.reward-step-zero"), setting.span)

    def locale(self, setting: ast.Setting) -> None:
        value = str(setting.value)
        if value in LOCALES:
            return
        alias = _LOCALE_ALIASES.get(value.lower().replace("_", "-"))
        close = did_you_mean(alias) if alias else suggest(value, LOCALES)
        locales = message("check.locales")
        self.report(
            "E0107",
            message("check.unknown-locale", value=repr(value)),
            setting.span,
            hint=locales
            if close is None
            else message("check.locales-after-suggestion", suggestion=close, locales=locales),
        )

    def subject(self, decl: ast.SubjectDecl) -> None:
        info = self.tables.subjects.get(decl.name.text)
        if info is None or info.decl is not decl:
            return
        ctx = Ctx(decl.name.text)
        for field in decl.fields:
            symbol = info.names.get(field.name.text)
            if symbol is None or symbol.decl is not field or symbol.type is None:
                continue
            declared = symbol.type
            if (
                field.key
                and declared.known
                and (declared.kind not in ("text", "int") or declared.optional)
            ):
                self.report(
                    "E0217", message("check.key-type", name=field.name.text), field.type.span
                )
            if field.constraint is not None:
                self.constraint(field, declared, ctx)
            if field.default is not None:
                found = self.typer.maybe(field.default, ctx, declared.required())
                if not t.same(declared, found):
                    self.report(
                        "E0301",
                        message(
                            "check.default-type",
                            name=field.name.text,
                            found=found.describe,
                            declared=declared.required().describe,
                        ),
                        field.default.span,
                    )
                elif declared.kind == "percent":
                    self.typer.bare_percent(quoted(field.name.text), field.default)

    def constraint(self, field: ast.Field, declared: t.Type, ctx: Ctx) -> None:
        constraint = field.constraint
        assert constraint is not None
        ends = (
            [constraint.value]
            if isinstance(constraint, ast.Bound)
            else [constraint.low, constraint.high]
        )
        if declared.known and not (declared.numeric or declared.kind == "date"):
            self.report(
                "E0301",
                message(
                    "check.bounds-type",
                    name=field.name.text,
                    declared=declared.required().describe,
                ),
                constraint.span,
            )
            return
        for end in ends:
            found = self.typer.maybe(end, ctx)
            if not (t.comparable(declared, found) and t.orderable(found)):
                self.report(
                    "E0301",
                    message("check.bound-type", name=field.name.text, found=found.describe),
                    end.span,
                )
            elif declared.kind == "percent":
                self.typer.bare_percent(quoted(field.name.text), end)

    def relation(self, decl: ast.RelationDecl) -> None:
        owner = self._info(decl.owner)
        member = self.tables.subjects.get(decl.member.text)
        if member is None:
            self.report(
                "E0203",
                message("check.unknown-subject", name=decl.member.text),
                decl.member.span,
                hint=suggest(decl.member.text, self.tables.subjects),
            )
            return
        if owner is None:
            return
        via = member.names.get(decl.via.text)
        if via is None or via.kind != "field":
            fields = member.names_of("field")
            self.report(
                "E0210",
                message("check.no-field", subject=decl.member.text, name=decl.via.text),
                decl.via.span,
                hint=suggest(decl.via.text, fields),
            )
        elif (
            via.type is not None
            and via.type.known
            and not (via.type.kind == "ref" and via.type.name == decl.owner.text)
        ):
            shared = owner.names.get(decl.via.text)
            if shared is not None and shared.kind == "field" and shared.type is not None:
                self.shared_relation(decl, via.type, shared.type)
                return
            self.report(
                "E0301",
                message(
                    "check.relation-via-type",
                    name=decl.via.text,
                    found=via.type.describe,
                    owner=decl.owner.text,
                ),
                decl.via.span,
            )

    def shared_relation(self, decl: ast.RelationDecl, member: t.Type, owner: t.Type) -> None:
        """`relation peers: unit -> unit by block`: a field both kinds have, whose value
        the owner shares with its members; it must group as `within` does."""
        name, span = decl.via.text, decl.via.span
        if not owner.known:
            return
        if (member.kind, member.name) != (owner.kind, owner.name):
            self.report(
                "E0301",
                message(
                    "check.relation-by-types",
                    name=name,
                    member=decl.member.text,
                    found=member.required().describe,
                    owner=decl.owner.text,
                    other=owner.required().describe,
                ),
                span,
            )
        elif member.optional or owner.optional:
            kind = decl.member.text if member.optional else decl.owner.text
            self.report(
                "E0306",
                message("check.relation-by-optional", name=name, kind=kind),
                span,
                hint=message("check.within-optional-hint"),
            )
        elif member.kind not in t.GROUPABLE:
            self.report(
                "E0306",
                message("check.relation-by-type", found=member.describe),
                span,
                hint=message("check.within-type-hint"),
            )

    def award(self, decl: ast.AwardDecl) -> Node | None:
        info = self._info(decl.subject)
        if info is None:
            return None
        self._label("award", decl.name, decl.label)
        if decl.given:
            return None
        kind = decl.subject.text
        ctx = Ctx(kind)
        for required in decl.requires:
            symbol = info.names.get(required.text)
            if symbol is None or symbol.kind != "award":
                awards = info.names_of("award")
                self.report(
                    "E0207",
                    message("check.no-award", subject=kind, name=required.text),
                    required.span,
                    hint=suggest(required.text, awards),
                )
                continue
            self.typer.symbol_type(symbol, ast.Name(name=required.text, span=required.span))
        for replaced in decl.replaces:
            symbol = info.names.get(replaced.text)
            if symbol is None or symbol.kind != "award" or replaced.text == decl.name.text:
                others = [a for a in info.names_of("award") if a != decl.name.text]
                self.report(
                    "E0207",
                    message("check.no-award", subject=kind, name=replaced.text),
                    replaced.span,
                    hint=suggest(replaced.text, others),
                )
        ids: dict[str, ast.Ident] = {}
        known = ctx  # later conditions and the rank keys know that earlier ones hold
        for condition in decl.conditions:
            self.condition(condition, known, ids)
            if not isinstance(condition.body, ast.AnyOf):
                known = known.guarded(self.typer.proven(condition.body, True))
        if decl.rank_by:
            self.rank_keys(decl.rank_by, known)
        root = None
        if decl.within is not None:
            self.within(decl.within, ctx)
            if isinstance(decl.within, ast.Name):
                symbol = info.names.get(decl.within.name)
                if symbol is not None and symbol.type is not None and symbol.type.kind == "ref":
                    root = decl.within.name
        if decl.quota is not None:
            if not decl.rank_by:
                self.report(
                    "E0310",
                    message("check.quota-needs-rank"),
                    decl.quota.span,
                    hint=message("check.quota-needs-rank-hint"),
                )
            found = self.typer.value(decl.quota, Ctx(kind, group=Group(kind, root)))
            if found.known and found.kind != "int":
                self.report(
                    "E0305",
                    message("check.quota-whole", found=found.describe),
                    decl.quota.span,
                    hint=message("check.quota-whole-hint"),
                )
        elif decl.tie_include:
            self.report("E0309", message("check.tie-needs-quota"), decl.span)
        return (kind, decl.name.text)

    def condition(self, condition: ast.Condition, ctx: Ctx, ids: dict[str, ast.Ident]) -> None:
        named = [condition.id] if condition.id is not None else []
        if isinstance(condition.body, ast.AnyOf):
            for part in condition.body.parts:
                named.append(part.id)
                self.typer.condition(part.expr, ctx, message("check.what-any-part"))
        else:
            self.typer.condition(condition.body, ctx, quoted("when"))
        for ident in named:
            if ident.text in ids:
                self.report(
                    "E0204",
                    message("check.condition-twice", name=ident.text),
                    ident.span,
                    hint=message("check.condition-twice-hint"),
                )
            ids[ident.text] = ident

    def rank_keys(self, keys: tuple[ast.RankKey, ...], ctx: Ctx) -> None:
        for key in keys:
            found = self.typer.value(key.expr, ctx)
            if not t.orderable(found):
                self.report(
                    "E0304", message("check.key-unordered", found=found.describe), key.expr.span
                )

    def within(self, node: ast.Expr, ctx: Ctx) -> None:
        found = self.typer.maybe(node, ctx)
        if found.optional:
            self.report(
                "E0306",
                message("check.within-optional"),
                node.span,
                hint=message("check.within-optional-hint"),
            )
        elif found.known and found.kind not in t.GROUPABLE:
            self.report(
                "E0306",
                message("check.within-type", found=found.describe),
                node.span,
                hint=message("check.within-type-hint"),
            )
