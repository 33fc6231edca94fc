"""`Node`, the base of every syntax-tree class: equality, hash and repr without recursion.

The tree is binary (`a + b + c` is `Arith(Arith(a, b), c)`), so a criterion of 5,000 terms
is 5,000 levels deep. attrs' generated `__eq__`, `__hash__` and `__repr__` recurse once per
level and hit Python's recursion limit near 1,000; these walk the tree with an explicit
stack instead. A node's hash is computed once and kept (nodes are frozen), so looking an
expression up in a set costs the same at any depth. The classes are declared with
`@attrs.frozen(kw_only=True, eq=False, repr=False)`, so attrs generates neither (which also
halves the time to import them). Equality is attrs' own rule: same class, and equal values
of the fields declared with `eq=True` (spans are not).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def span_field() -> Any:
    """The field a node's span is kept in: optional, and no part of equality or repr."""
    return attrs.field(default=None, eq=False, repr=False)


def _fields(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of `cls`'s fields that take part in equality, and those shown by repr."""
    found = _FIELDS.get(cls)
    if found is None:
        fields = attrs.fields(cls)
        found = (
            tuple(f.name for f in fields if f.eq),
            tuple(f.name for f in fields if f.repr),
        )
        _FIELDS[cls] = found
    return found


class Node:
    """Structural equality and hashing, computed iteratively; see the module docstring."""

    __slots__ = ("_hash",)
    _hash: int

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return same(self, other)

    def __hash__(self) -> int:
        try:
            return self._hash
        except AttributeError:
            return _hash_tree(self)

    def __repr__(self) -> str:
        return node_repr(self)


def _known_hash(node: Node) -> int | None:
    return getattr(node, "_hash", None)


def children(node: Node) -> Iterator[Node]:
    """The nodes directly below `node` (in fields that take part in equality)."""
    for name in _fields(node.__class__)[0]:
        value = getattr(node, name)
        if isinstance(value, Node):
            yield value
        elif isinstance(value, tuple):
            yield from (item for item in value if isinstance(item, Node))


def _hash_tree(root: Node) -> int:
    """Hash every node below `root` that has no hash yet, children first."""
    stack = [root]
    while stack:
        node = stack[-1]
        if _known_hash(node) is not None:
            stack.pop()
            continue
        waiting = [child for child in children(node) if _known_hash(child) is None]
        if waiting:
            stack.extend(waiting)
            continue
        stack.pop()
        names = _fields(node.__class__)[0]
        value = hash((node.__class__.__qualname__, *(getattr(node, n) for n in names)))
        object.__setattr__(node, "_hash", value)
    return root._hash


def same(left: Any, right: Any) -> bool:
    """Structural equality of two values that may hold nodes, at any depth."""
    stack = [(left, right)]
    while stack:
        a, b = stack.pop()
        if a is b:
            continue
        if isinstance(a, Node) or isinstance(b, Node):
            if a.__class__ is not b.__class__:
                return False
            known_a, known_b = _known_hash(a), _known_hash(b)
            if known_a is not None and known_b is not None and known_a != known_b:
                return False
            stack.extend((getattr(a, n), getattr(b, n)) for n in _fields(a.__class__)[0])
        elif a.__class__ is tuple and b.__class__ is tuple:
            if len(a) != len(b):
                return False
            stack.extend(zip(a, b, strict=True))
        elif a != b:
            return False
    return True


class _Text(str):
    """Text written as is by `node_repr` (other strings are values, written with repr)."""


def node_repr(root: Node) -> str:
    """attrs' repr (`Arith(op='+', left=Name(name='x'), ...)`), at any depth."""
    out: list[str] = []
    stack: list[Any] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, _Text):
            out.append(item)
        elif isinstance(item, Node):
            parts: list[Any] = [_Text(item.__class__.__qualname__ + "(")]
            for i, name in enumerate(_fields(item.__class__)[1]):
                parts += [_Text(("" if i == 0 else ", ") + name + "="), getattr(item, name)]
            stack.extend(reversed([*parts, _Text(")")]))
        elif item.__class__ is tuple:
            parts = [_Text("(")]
            for i, value in enumerate(item):
                parts += [_Text("" if i == 0 else ", "), value]
            stack.extend(reversed([*parts, _Text(",)" if len(item) == 1 else ")")]))
        else:
            out.append(repr(item))
    return "".join(out)
