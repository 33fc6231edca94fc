"""Where each comment of a file belongs, so that formatting keeps it.

Comments live beside the tree (`Module.comments`). Each one is attached to an *anchor*, a
node the printer starts a line with (a declaration, a field, a setting, a clause, a part
of `any`, an example item):
- a comment after code on a line trails the anchor that ends on that line;
- a comment on a line of its own leads the next anchor of the block it sits in, or closes
  the block when nothing follows it;
- a comment inside a multi-line expression leads the anchor holding that expression.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from emurules.source import Span
from emurules.syntax import ast


@attrs.frozen
class Anchor:
    node: object
    span: Span
    children: tuple[Anchor, ...] = ()
    container: bool = False


@attrs.define
class Attached:
    """Comment texts keyed by the `id()` of the node they belong to."""

    leading: dict[int, list[tuple[str, bool]]] = attrs.field(factory=dict)
    trailing: dict[int, str] = attrs.field(factory=dict)
    end: dict[int, list[str]] = attrs.field(factory=dict)
    first_line: dict[int, int] = attrs.field(factory=dict)

    def blank_before(self, decl: ast.Decl, previous: ast.Decl) -> bool:
        """Keep a blank line between declarations where the source had one (or none known)."""
        if decl.span is None or previous.span is None:
            return True
        start = self.first_line.get(id(decl), decl.span.line)
        text = decl.span.source.text
        lines = text.split("\n")[previous.span.end_line : start - 1]
        return any(not line.strip() for line in lines)


def _anchor(node: object, span: Span | None, children: Iterable[Anchor] = ()) -> Anchor:
    assert span is not None
    kids = tuple(children)
    return Anchor(node, span, kids, container=bool(kids) or _is_block(node))


def _is_block(node: object) -> bool:
    return (
        isinstance(
            node, ast.Ruleset | ast.SubjectDecl | ast.ExampleDecl | ast.PoolDecl | ast.LineageDecl
        )
        or (isinstance(node, ast.AwardDecl) and not node.given)
        or (isinstance(node, ast.Condition) and isinstance(node.body, ast.AnyOf))
    )


def _children(decl: ast.Decl) -> Iterator[Anchor]:
    match decl:
        case ast.Ruleset(settings=settings):
            yield from (_anchor(s, s.span) for s in settings)
        case ast.SubjectDecl(fields=fields):
            yield from (_anchor(f, f.span) for f in fields)
        case ast.ExampleDecl(items=items):
            yield from (_anchor(i, i.span) for i in items)
        case ast.AwardDecl():
            clauses: list[Anchor] = []
            if decl.requires:
                clauses.append(_anchor(decl.requires[0], decl.requires[0].span))
            for condition in decl.conditions:
                parts = condition.body.parts if isinstance(condition.body, ast.AnyOf) else ()
                clauses.append(
                    _anchor(condition, condition.span, (_anchor(p, p.span) for p in parts))
                )
            if decl.rank_by:
                first, last = decl.rank_by[0].span, decl.rank_by[-1].span
                assert first is not None and last is not None
                clauses.append(_anchor(decl.rank_by[0], first.cover(last)))
            for clause in (decl.quota, decl.within):
                if clause is not None:
                    clauses.append(_anchor(clause, clause.span))
            # a clause without a node of its own is anchored by its span
            clauses.extend(_anchor(x, x) for x in (decl.tie_span, decl.reward_span) if x)
            yield from sorted(clauses, key=lambda a: a.span.start)
        case ast.PoolDecl():
            spans = (decl.awards_span, decl.quota_span, decl.tie_span)
            yield from sorted((_anchor(x, x) for x in spans if x), key=lambda a: a.span.start)
        case ast.LineageDecl():
            rules = (decl.held_span, decl.past_span)
            yield from sorted((_anchor(x, x) for x in rules if x), key=lambda a: a.span.start)
        case _:
            return


def _walk(anchors: tuple[Anchor, ...]) -> Iterator[Anchor]:
    for anchor in anchors:
        yield anchor
        yield from _walk(anchor.children)


def attach(module: ast.Module) -> Attached:
    attached = Attached()
    if not module.comments or any(d.span is None for d in module.decls):
        if module.comments:
            attached.end[id(module)] = [c.text for c in module.comments]
        return attached
    top = tuple(_anchor(d, d.span, _children(d)) for d in module.decls)
    every = list(_walk(top))
    for comment in module.comments:
        _place(comment, top, every, attached, module)
    return attached


def _place(
    comment: ast.Comment,
    top: tuple[Anchor, ...],
    every: list[Anchor],
    attached: Attached,
    module: ast.Module,
) -> None:
    span = comment.span
    source = span.source
    before = source.line(span.line)[: span.column - 1]
    own_line = not before.strip()
    if not own_line:
        ending = [a for a in every if a.span.end_line == span.line and a.span.end <= span.start]
        if ending and id(ending[-1].node) not in attached.trailing:
            attached.trailing[id(ending[-1].node)] = comment.text
            return
    path = _containing(top, span.start)
    container = path[-1] if path else None
    siblings = container.children if container is not None else top
    following = [a for a in siblings if a.span.start > span.start]
    if following:
        target = following[0]
        next_line = source.line(span.line + 1)
        blank_after = not next_line.strip() and span.line + 1 < target.span.line
        attached.leading.setdefault(id(target.node), []).append((comment.text, blank_after))
        first = attached.first_line.get(id(target.node), target.span.line)
        attached.first_line[id(target.node)] = min(first, span.line)
    elif container is None:
        attached.end.setdefault(id(module), []).append(comment.text)
    elif container.container:
        attached.end.setdefault(id(container.node), []).append(comment.text)
    else:
        attached.leading.setdefault(id(container.node), []).append((comment.text, False))


def _containing(anchors: tuple[Anchor, ...], offset: int) -> list[Anchor]:
    for anchor in anchors:
        if anchor.span.start <= offset < anchor.span.end:
            return [anchor, *_containing(anchor.children, offset)]
    return []
