"""Deep expressions: how deep a tree is, the limit on it, and running recursive walks on it.

The syntax tree is binary, so `x1 + ... + x5000` is 5,000 levels deep, and the checker (and
whatever else walks the tree recursively) would hit Python's recursion limit near 1,000.
Parsing, equality, hashing, depth, proofs of guards and printing use loops (a `case` inside
a `case` excepted); the checker stays recursive, because its rules (what a condition
proves, the type a branch expects) read naturally that way. `call_deep` runs such a walk,
when the tree is deep, on a thread of its own with a stack of known size and a recursion
limit raised for the time of the call. Raising the limit on the caller's thread instead
could overflow its C stack, whose size we do not know (a thread's may be 128 KiB), and crash
the process instead of raising an error. The limit is process-wide: while a deep walk runs,
other threads may recurse deeper than 1,000 frames too.

Above MAX_DEPTH levels the parser refuses a declaration (E0108), so the stack any walk needs
is bounded. Should a walk still run out of room (another Python, another platform), the
RecursionError becomes `TooDeep`, which callers turn into the same diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterable

from emurules.i18n import message
from emurules.source import Diagnostic, Span
from emurules.stack import MAX_DEPTH, SHALLOW, TooDeep, call_deep
from emurules.syntax import ast
from emurules.syntax.node import Node, children

__all__ = [
    "MAX_DEPTH",
    "SHALLOW",
    "TooDeep",
    "call_deep",
    "depth",
    "too_deep",
    "too_deep_diagnostic",
]


def depth(root: Node) -> int:
    """The number of levels of `root`'s tree (1 for a leaf), counted with a loop; a call's
    argument is no level of its own (`f(g(x))` is 3 levels deep)."""
    order: list[Node] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(children(node))
    levels: dict[int, int] = {}
    for node in reversed(order):
        own = 0 if isinstance(node, ast.Argument) else 1
        levels[id(node)] = own + max((levels[id(c)] for c in children(node)), default=0)
    return levels[id(root)]


def too_deep(decls: Iterable[Node]) -> list[Diagnostic]:
    """E0108 for every part of a declaration nested more than MAX_DEPTH levels deep."""
    found = []
    for decl in decls:
        for part in children(decl):
            span: Span | None = getattr(part, "span", None)
            # Each level takes at least one character of its own.
            if span is not None and span.end - span.start <= MAX_DEPTH:
                continue
            levels = depth(part)
            if levels > MAX_DEPTH:
                found.append(too_deep_diagnostic(span or getattr(decl, "span", None), levels))
    return found


def too_deep_diagnostic(span: Span | None, levels: int | None = None) -> Diagnostic:
    text = (
        message("syntax.too-deep", limit=MAX_DEPTH)
        if levels is None
        else message("syntax.too-deep-levels", levels=levels, limit=MAX_DEPTH)
    )
    return Diagnostic(code="E0108", message=text, span=span, hint=message("syntax.too-deep-hint"))
