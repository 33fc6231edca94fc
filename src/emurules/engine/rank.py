"""Ordering, quotas, ties and league tables: one module for every engine.

Keys compare in their declared direction; the subject key, ascending by code point, breaks
every remaining tie, so the order is total and does not depend on the input order.
An entry is a plain pair `(key, values)`: a population makes one per ranked subject.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

import attrs

Entry = tuple[Any, tuple[Any, ...]]
"""A subject's key (a text, or for a pool the key and its award's place in the pool) and
its values for the declared keys, in their order."""

_KEY = itemgetter(0)
_VALUES = itemgetter(1)


def order(entries: Iterable[Entry], descending: Sequence[bool]) -> list[Entry]:
    """Entries best first: by each key in its direction, then by the subject key.

    Sorts by the subject key, then once per key, the last key first: Python's sort is
    stable (a descending pass too), so the passes together order lexicographically, in
    O(n log n) each. Keys that all go one way are one pass over the values together,
    which compare in the same lexicographic order.
    """
    ordered = sorted(entries, key=_KEY)
    if not descending:
        return ordered
    if all(d == descending[0] for d in descending):
        ordered.sort(key=_VALUES, reverse=descending[0])
        return ordered
    for index in reversed(range(len(descending))):
        ordered.sort(key=lambda e: e[1][index], reverse=descending[index])
    return ordered


@attrs.frozen
class Cut:
    """Who of an ordered group receives an award under a quota, and how the cut fell."""

    quota: int | None
    recipients: tuple[Any, ...]
    tie: bool = False
    overshoot: int = 0
    cutoff: tuple[Any, ...] | None = None


def apply_quota(ordered: Sequence[Entry], quota: int | None, tie_include: bool) -> Cut:
    """The first `quota` entries receive it (all of them without a quota).

    A tie at the cut-off is when the last recipient and the first one left out are equal on
    every declared key; `tie_include` then awards every tied entry and reports the overshoot.
    """
    if quota is None:
        return Cut(None, tuple(e[0] for e in ordered))
    quota = max(0, quota)
    end = min(quota, len(ordered))
    tie = bool(0 < end < len(ordered) and ordered[end - 1][1] == ordered[end][1])
    overshoot = 0
    if tie and tie_include:
        last = ordered[end - 1][1]
        while end < len(ordered) and ordered[end][1] == last:
            end += 1
            overshoot += 1
    return Cut(
        quota=quota,
        recipients=tuple(e[0] for e in ordered[:end]),
        tie=tie,
        overshoot=overshoot,
        cutoff=ordered[end - 1][1] if end else None,
    )


def league(ordered: Sequence[Entry], shared: bool) -> list[tuple[str, int]]:
    """Ranks 1..n without gaps; with `shared`, equal entries share a rank (1, 2, 2, 4)."""
    ranks: list[tuple[str, int]] = []
    for position, entry in enumerate(ordered, start=1):
        if shared and ranks and ordered[position - 2][1] == entry[1]:
            ranks.append((entry[0], ranks[-1][1]))
        else:
            ranks.append((entry[0], position))
    return ranks
