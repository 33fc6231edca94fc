"""Who receives an award: qualification, groups, ordering, quotas and cut-offs, decided once
for every engine from the values it produced (`rank.py` orders and cuts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from emurules.engine import rank
from emurules.result import QuotaInfo


@attrs.frozen
class Placed:
    """A qualified subject's place: its rank (0 without `rank by`), group, the group's quota
    and why it did not receive the award (`"quota"`), if it did not."""

    position: int
    group: Any
    quota: QuotaInfo | None
    reason: str | None


@attrs.frozen
class Decision:
    """An award decided for a population of one kind."""

    qualified: frozenset[str]
    received: frozenset[str]
    order: tuple[str, ...]
    placed: dict[str, Placed]
    group_of: dict[str, Any]


def group_sort(value: Any) -> tuple[int, str]:
    """Groups are reported in the order of their value's text; no group (None) first."""
    return (0 if value is None else 1, str(value))


def groups(group_of: dict[str, Any]) -> dict[Any, list[str]]:
    """Members of each group, in record order; groups in order of first appearance."""
    found: dict[Any, list[str]] = {}
    for key, value in group_of.items():
        found.setdefault(value, []).append(key)
    return found


def decide(
    *,
    qualified: Iterable[str],
    group_of: dict[str, Any],
    rank_values: Callable[[str], tuple[Any, ...]] | None,
    descending: tuple[bool, ...],
    quota: Callable[[Any, list[str]], int | None],
    quota_text: str,
    tie_include: bool,
) -> Decision:
    """Decide an award: in each group, the qualified subjects in rank order (key order
    without `rank by`), cut by the group's quota. `group_of` lists every subject of the kind
    (in record order) with the value of `within` (None without it)."""
    chosen = frozenset(qualified)
    received: set[str] = set()
    placed: dict[str, Placed] = {}
    by_group = groups(group_of)
    for group_value, members in by_group.items():
        candidates = [k for k in members if k in chosen]
        count = quota(group_value, members)
        if rank_values is not None:
            ordered = rank.order([rank.Entry(k, rank_values(k)) for k in candidates], descending)
        else:
            ordered = [rank.Entry(k, ()) for k in sorted(candidates)]
        cut = rank.apply_quota(ordered, count, tie_include)
        taken = set(cut.recipients)
        received |= taken
        info = None
        if count is not None:
            info = QuotaInfo(
                group=group_value,
                base=len(candidates),
                quota=count,
                cutoff=cut.cutoff,
                tie=cut.tie,
                overshoot=cut.overshoot,
                text=quota_text,
            )
        ranked = rank_values is not None
        for position, entry in enumerate(ordered, start=1):
            reason = None if entry.key in taken else "quota"
            placed[entry.key] = Placed(position if ranked else 0, group_value, info, reason)
    order: list[str] = []
    for group_value in sorted(by_group, key=group_sort):
        members = [k for k in by_group[group_value] if k in received]
        members.sort(key=lambda k: (placed[k].position, k))
        order.extend(members)
    return Decision(
        qualified=chosen,
        received=frozenset(received),
        order=tuple(order),
        placed=placed,
        group_of=group_of,
    )
