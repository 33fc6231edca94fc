"""Ordering, quotas, ties and league tables: one module for every engine.

Keys compare in their declared direction; the subject key, ascending by code point, breaks
every remaining tie, so the order is total and does not depend on the input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs


@attrs.frozen
class Entry:
    key: str
    values: tuple[Any, ...]


def order(entries: Sequence[Entry], descending: Sequence[bool]) -> list[Entry]:
    """Entries best first: by each key in its direction, then by the subject key.

    Sorts once per key, the last key first: Python's sort is stable (a descending pass
    too), so the passes together order lexicographically, in O(n log n) each.
    """
    ordered = sorted(entries, key=lambda e: e.key)
    for index in reversed(range(len(descending))):
        ordered.sort(key=lambda e: e.values[index], reverse=descending[index])
    return ordered


@attrs.frozen
class Cut:
    """Who of an ordered group receives an award under a quota, and how the cut fell."""

    quota: int | None
    recipients: tuple[str, ...]
    outside: tuple[str, ...]
    tie: bool = False
    overshoot: int = 0
    cutoff: tuple[Any, ...] | None = None


def apply_quota(ordered: Sequence[Entry], quota: int | None, tie_include: bool) -> Cut:
    """The first `quota` entries receive it (all of them without a quota).

    A tie at the cut-off is when the last recipient and the first one left out are equal on
    every declared key; `tie_include` then awards every tied entry and reports the overshoot.
    """
    if quota is None:
        return Cut(None, tuple(e.key for e in ordered), ())
    quota = max(0, quota)
    end = min(quota, len(ordered))
    tie = bool(0 < end < len(ordered) and ordered[end - 1].values == ordered[end].values)
    overshoot = 0
    if tie and tie_include:
        last = ordered[end - 1].values
        while end < len(ordered) and ordered[end].values == last:
            end += 1
            overshoot += 1
    taken, rest = ordered[:end], ordered[end:]
    return Cut(
        quota=quota,
        recipients=tuple(e.key for e in taken),
        outside=tuple(e.key for e in rest),
        tie=tie,
        overshoot=overshoot,
        cutoff=taken[-1].values if taken else None,
    )


def league(ordered: Sequence[Entry], shared: bool) -> list[tuple[str, int]]:
    """Ranks 1..n without gaps; with `shared`, equal entries share a rank (1, 2, 2, 4)."""
    ranks: list[tuple[str, int]] = []
    for position, entry in enumerate(ordered, start=1):
        if shared and ranks and ordered[position - 2].values == entry.values:
            ranks.append((entry.key, ranks[-1][1]))
        else:
            ranks.append((entry.key, position))
    return ranks
