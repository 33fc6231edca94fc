"""The dependency graph of criteria, lets, scores, awards and rankings.

Declarations may come in any order in a file; this module orders them for evaluation and
reports every cycle with each declaration on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

Node = tuple[str, str]  # (subject kind, name)


def strongly_connected(graph: Mapping[Node, Set[Node]]) -> list[list[Node]]:
    """Tarjan's components, iteratively, dependencies before dependants."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    components: list[list[Node]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[Node, list[Node]]] = [(root, sorted(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                child = pending.pop(0)
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, sorted(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[Node] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def cycles(graph: Mapping[Node, Set[Node]]) -> list[list[Node]]:
    """Every group of declarations that depend on each other, each in a cycle's order."""
    found = []
    for component in strongly_connected(graph):
        if len(component) > 1 or component[0] in graph.get(component[0], ()):
            found.append(_walk(graph, component))
    return found


def _walk(graph: Mapping[Node, Set[Node]], component: list[Node]) -> list[Node]:
    """Order a component so each declaration reads the next (a path through all of it)."""
    members = set(component)
    path = [component[0]]
    seen = {component[0]}
    while len(path) < len(component):
        options = sorted((graph.get(path[-1], set()) & members) - seen)
        if not options:
            path.extend(sorted(members - seen))
            break
        path.append(options[0])
        seen.add(options[0])
    return path


def order(graph: Mapping[Node, Set[Node]]) -> list[Node]:
    """An evaluation order: each declaration after everything it reads."""
    return [node for component in strongly_connected(graph) for node in component]
