"""`check`: a parsed Module -> the checked Model, or every problem of the file at once."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from emurules.check import graph as g
from emurules.check import types as t
from emurules.check.decls import DeclChecker
from emurules.check.pools import check_lineages, check_pools
from emurules.check.scope import Symbol, Tables, Text, collect, named
from emurules.check.typecheck import Typer
from emurules.errors import CriteriaError
from emurules.i18n import Message, message
from emurules.source import Diagnostic, Severity, Span
from emurules.syntax import ast
from emurules.syntax.deep import TooDeep, call_deep, depth, too_deep_diagnostic


@attrs.frozen(kw_only=True)
class Model:
    """A criteria file whose names resolve, whose types agree and whose order is known."""

    module: ast.Module
    tables: Tables = attrs.field(eq=False, repr=False)
    types: dict[int, t.Type] = attrs.field(eq=False, repr=False)
    graph: dict[g.Node, frozenset[g.Node]] = attrs.field(eq=False, repr=False)
    order: tuple[g.Node, ...]
    enum_refs: dict[int, str] = attrs.field(eq=False, repr=False, factory=dict)
    warnings: tuple[Diagnostic, ...] = ()

    def type_of(self, node: ast.Expr) -> t.Type:
        """The type the checker gave an expression of this module."""
        return self.types[id(node)]


@attrs.define
class Reporter:
    """The one funnel for the checker's diagnostics."""

    found: list[Diagnostic] = attrs.field(factory=list)

    def __call__(
        self,
        code: str,
        message: Message,
        span: Span | None,
        *,
        hint: Message | None = None,
        severity: Severity = "error",
        notes: tuple[Message, ...] = (),
    ) -> None:
        self.found.append(
            Diagnostic(
                code=code, message=message, span=span, hint=hint, severity=severity, notes=notes
            )
        )


def _cycles(tables: Tables, graph: dict[g.Node, set[g.Node]], report: Reporter) -> None:
    for cycle in g.cycles(graph):
        symbols = [tables.subjects[kind].names[name] for kind, name in cycle]
        chain: Text = " -> ".join(s.name for s in [*symbols, symbols[0]])
        if len(symbols) == 1:
            chain = message("check.reads-itself", what=symbols[0].describe)
        notes = tuple(
            _cycle_step(s, symbols[(i + 1) % len(symbols)]) for i, s in enumerate(symbols)
        )
        report(
            "E0401",
            message("check.cycle", chain=chain),
            symbols[0].span,
            notes=notes,
            hint=message("check.cycle-hint"),
        )


def _replacing(module: ast.Module, report: Reporter) -> None:
    """`reward ... replaces` must not go round: in a cycle no title would be paid."""
    awards = [d for d in module.decls if isinstance(d, ast.AwardDecl)]
    edges = {  # an award replacing itself is E0207 already
        (d.subject.text, d.name.text): [
            (d.subject.text, r.text) for r in d.replaces if r.text != d.name.text
        ]
        for d in awards
    }
    reported: set[tuple[str, str]] = set()
    for decl in awards:
        start = (decl.subject.text, decl.name.text)
        if not decl.replaces or start in reported:
            continue
        path = _path_back(start, edges)
        if path is not None:
            reported.update(path)
            cycle = " -> ".join(name for _, name in [*path, start])
            report("E0401", message("check.rewards-cycle", cycle=cycle), decl.name.span)


def _path_back(
    start: tuple[str, str], edges: dict[tuple[str, str], list[tuple[str, str]]]
) -> list[tuple[str, str]] | None:
    """A path of `replaces` from `start` back to itself, if there is one."""
    stack: list[list[tuple[str, str]]] = [[start]]
    seen = {start}
    while stack:
        path = stack.pop()
        for nxt in edges.get(path[-1], ()):
            if nxt == start:
                return path
            if nxt not in seen:
                seen.add(nxt)
                stack.append([*path, nxt])
    return None


def _cycle_step(symbol: Symbol, reads: Symbol) -> Message:
    if symbol.span is None:
        return message(
            "check.cycle-step", what=symbol.describe, subject=symbol.subject, reads=reads.describe
        )
    return message(
        "check.cycle-step-at-line",
        what=symbol.describe,
        subject=symbol.subject,
        line=symbol.span.line,
        reads=reads.describe,
    )


def _unused(module: ast.Module, tables: Tables, checker: DeclChecker, report: Reporter) -> None:
    field_types = {f.type.name.text for info in tables.subjects.values() for f in info.decl.fields}
    typed_enums = {ty.name for ty in checker.typer.types.values() if ty.kind == "enum"}
    for decl in module.decls:
        match decl:
            case ast.CriterionDecl(kind=kind, name=name, subject=subject):
                if (subject.text, name.text) not in checker.reads:
                    report(
                        "W0101",
                        message("check.never-used", what=named(kind, name.text)),
                        name.span,
                        severity="warning",
                        hint=message("check.never-used-hint"),
                    )
            case ast.RelationDecl(name=name, owner=owner):
                if (owner.text, name.text) not in checker.reads:
                    report(
                        "W0101",
                        message("check.never-used", what=named("relation", name.text)),
                        name.span,
                        severity="warning",
                    )
            case ast.EnumDecl(name=name):
                if name.text not in field_types and name.text not in typed_enums:
                    report(
                        "W0101",
                        message("check.never-used", what=named("enum", name.text)),
                        name.span,
                        severity="warning",
                    )
            case _:
                pass


Pass = Callable[[ast.Module, Tables, DeclChecker, Reporter], None]
# Lints run on files without errors: an unused criterion is noise beside a real mistake.
LINTS: tuple[Pass, ...] = (_unused,)


def check_module(module: ast.Module) -> tuple[Model | None, list[Diagnostic]]:
    """The model (None when there are errors) and every diagnostic, warnings included.

    The checker recurses once per level of an expression; a deep module is checked where
    that has room (see syntax/deep.py).
    """
    try:
        return call_deep(depth(module), lambda: _check_module(module))
    except TooDeep:
        deepest = max(module.decls, key=depth, default=None)
        return None, [too_deep_diagnostic(deepest.span if deepest is not None else None)]


def _check_module(module: ast.Module) -> tuple[Model | None, list[Diagnostic]]:
    report = Reporter()
    tables = collect(module, report)
    typer = Typer(tables, report)
    checker = DeclChecker(tables, typer, report)
    checker.run(module)
    lets: dict[int, list[g.Node]] = {}
    for kind_name, symbol in _lets(tables):
        lets.setdefault(id(symbol.decl), []).append(kind_name)
    for decl_id, reads in typer.let_reads.items():
        for kind_name in lets.get(decl_id, ()):
            checker.graph[kind_name] = reads
    check_pools(tables, typer, report, checker.graph)
    check_lineages(tables, report)
    _cycles(tables, checker.graph, report)
    _replacing(module, report)
    if not any(d.is_error for d in report.found):
        for lint in LINTS:
            lint(module, tables, checker, report)
    diagnostics = sorted(report.found, key=Diagnostic.sort_key)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    model = Model(
        module=module,
        tables=tables,
        types=typer.types,
        graph={node: frozenset(reads) for node, reads in checker.graph.items()},
        order=tuple(g.order(checker.graph)),
        enum_refs=typer.enum_refs,
        warnings=tuple(diagnostics),
    )
    return model, diagnostics


def _lets(tables: Tables) -> list[tuple[g.Node, Symbol]]:
    return [
        ((kind, name), symbol)
        for kind, info in tables.subjects.items()
        for name, symbol in info.names.items()
        if symbol.kind == "let"
    ]


def check(module: ast.Module) -> Model:
    """Check a module; raise CriteriaError with every error (and warning) found."""
    model, diagnostics = check_module(module)
    if model is None:
        raise CriteriaError(diagnostics)
    return model
