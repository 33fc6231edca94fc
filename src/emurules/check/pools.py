"""Pools and lineages: what spans several declarations.

A pool shares one quota between awards of several kinds; its awards are decided together,
so the dependency graph treats them as one: each reads what any of them reads, and whatever
reads one of them reads them all. A lineage says how a merged subject's history is read
from its predecessors'; `past(x, N)` of such a kind must be able to combine x that way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emurules.check import types as t
from emurules.check.graph import Node
from emurules.check.scope import Report, Tables
from emurules.i18n import Message, message
from emurules.suggest import suggest
from emurules.syntax import ast

if TYPE_CHECKING:
    from emurules.check.typecheck import Typer

_ARITHMETIC = frozenset({"mean", "sum"})


def check_pools(tables: Tables, typer: Typer, report: Report, graph: dict[Node, set[Node]]) -> None:
    """Check every pool and join its awards in the dependency graph."""
    claimed: dict[str, str] = {}
    names: set[str] = set()
    for pool in tables.pools:
        if pool.name.text in names:
            report("E0204", message("check.declared-twice", name=pool.name.text), pool.name.span)
        names.add(pool.name.text)
        members = _members(tables, pool, claimed, report)
        if pool.quota is None:
            report(
                "E0315",
                message("check.pool-no-quota", pool=pool.name.text),
                pool.span,
                hint=message("check.pool-no-quota-hint"),
            )
        if len(pool.awards) < 2:
            report(
                "E0315",
                message("check.pool-one-award", pool=pool.name.text),
                pool.span,
                hint=message("check.pool-one-award-hint"),
            )
        _same_keys(typer, pool, members, report)
        _join(pool, members, graph, report)


def _members(
    tables: Tables, pool: ast.PoolDecl, claimed: dict[str, str], report: Report
) -> list[ast.AwardDecl]:
    members: list[ast.AwardDecl] = []
    awards = [n for n, s in tables.titles.items() if s.kind == "award"]
    for ident in pool.awards:
        symbol = tables.titles.get(ident.text)
        if symbol is None or symbol.kind != "award" or not isinstance(symbol.decl, ast.AwardDecl):
            report(
                "E0207",
                message("check.pool-no-award", name=ident.text),
                ident.span,
                hint=suggest(ident.text, awards),
            )
            continue
        decl = symbol.decl
        problem = None
        if ident.text in claimed:
            problem = message("check.pool-award-twice", award=ident.text, pool=claimed[ident.text])
        elif decl.given:
            problem = message("check.pool-given", award=ident.text)
        elif decl.quota is not None or decl.within is not None or decl.tie_include:
            problem = message("check.pool-own-quota", award=ident.text, pool=pool.name.text)
        elif not decl.rank_by:
            problem = message("check.pool-needs-rank", award=ident.text)
        if problem is not None:
            report("E0315", problem, ident.span, hint=message("check.pool-member-hint"))
            continue
        if any(m.subject.text == decl.subject.text for m in members):
            report(
                "E0315",
                message("check.pool-same-kind", award=ident.text, kind=decl.subject.text),
                ident.span,
                hint=message("check.pool-same-kind-hint"),
            )
            continue
        claimed[ident.text] = pool.name.text
        members.append(decl)
    return members


def _same_keys(
    typer: Typer, pool: ast.PoolDecl, members: list[ast.AwardDecl], report: Report
) -> None:
    """Subjects of several kinds are ranked together: key by key, of one direction and of
    types that order together (numbers with numbers, a percentage only with a percentage)."""
    if len(members) < 2:
        return
    first = members[0]
    for other in members[1:]:
        same = len(other.rank_by) == len(first.rank_by)
        for mine, theirs in zip(first.rank_by, other.rank_by, strict=False):
            a = typer.types.get(id(mine.expr), t.UNKNOWN)
            b = typer.types.get(id(theirs.expr), t.UNKNOWN)
            if (
                mine.descending != theirs.descending
                or not t.comparable(a, b)
                or (a.kind == "percent") != (b.kind == "percent")
            ):
                same = False
        if not same:
            report(
                "E0315",
                message(
                    "check.pool-keys-differ",
                    award=other.name.text,
                    first=first.name.text,
                    pool=pool.name.text,
                ),
                other.rank_by[0].span if other.rank_by else other.span,
                hint=message("check.pool-keys-differ-hint"),
            )


def _join(
    pool: ast.PoolDecl,
    members: list[ast.AwardDecl],
    graph: dict[Node, set[Node]],
    report: Report,
) -> None:
    nodes = {(d.subject.text, d.name.text) for d in members}
    reading = False
    for decl in members:
        node = (decl.subject.text, decl.name.text)
        for other in sorted(_reachable(graph, node) & (nodes - {node})):
            reading = True
            report(
                "E0315",
                message("check.pool-reads-member", award=node[1], other=other[1]),
                decl.name.span,
                hint=message("check.pool-reads-member-hint", pool=pool.name.text),
            )
    if reading:
        return  # joined, they would also make a cycle through reads that are not written
    reads = set().union(*(graph.get(n, set()) for n in nodes)) - nodes
    for node in nodes:
        graph[node] = set(graph.get(node, set())) | reads
    for node, found in graph.items():
        if node not in nodes and found & nodes:
            graph[node] = set(found) | nodes


def _reachable(graph: dict[Node, set[Node]], start: Node) -> set[Node]:
    """What a declaration reads, directly or through others."""
    seen: set[Node] = set()
    pending = list(graph.get(start, ()))
    while pending:
        node = pending.pop()
        if node not in seen:
            seen.add(node)
            pending.extend(graph.get(node, ()))
    return seen


def past_rule(tables: Tables, kind: str, found: t.Type) -> tuple[t.Type, str | None]:
    """The type of `past(x, N)` of a kind with a lineage, and the rule's name when the
    lineage cannot combine x's values (a mean of an enum); the type as declared otherwise.
    A mean of whole numbers is a number."""
    lineage = tables.lineages.get(kind)
    if lineage is None or lineage.past is None or not found.known:
        return found, None
    rule = lineage.past
    if rule in _ARITHMETIC and not found.numeric:
        return found, rule
    if rule not in _ARITHMETIC and not t.orderable(found):
        return found, rule
    if rule == "mean" and found.kind == "int":
        return t.NUMBER.maybe(found.optional), None
    return found, None


def check_lineages(tables: Tables, report: Report) -> None:
    """A lineage says both how awards and how values carry over."""
    for kind, decl in tables.lineages.items():
        if decl.held is None or decl.past is None:
            report(
                "E0316",
                message("check.lineage-incomplete", subject=kind),
                decl.span,
                hint=lineage_hint(kind),
            )


def lineage_hint(kind: str) -> Message:
    """How to write a kind's lineage, as a hint."""
    example = f"lineage for {kind} {{ held any past mean }}"
    return message("check.lineage-incomplete-hint", example=example)
