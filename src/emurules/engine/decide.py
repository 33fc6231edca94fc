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
    """An award decided for a population of one kind. What each qualified subject's place
    is (`placed`) is kept as plain tables and made into a `Placed` when asked for."""

    qualified: frozenset[str]
    received: frozenset[str]
    order: tuple[str, ...]
    group_of: dict[str, Any]
    positions: dict[str, int]  # the rank in its group of a qualified subject (ranked awards)
    groups: dict[Any, tuple[Any, QuotaInfo | None]]  # a group's value as first met, its quota

    def placed(self, key: str) -> Placed | None:
        """A subject's place, if it qualified."""
        if key not in self.qualified:
            return None
        group, quota = self.groups[self.group_of[key]]
        reason = None if key in self.received else "quota"
        return Placed(self.positions.get(key, 0), group, quota, reason)


def group_sort(value: Any) -> tuple[int, str]:
    """Groups are reported in the order of their value's text; no group (None) first."""
    return (0 if value is None else 1, str(value))


def groups(group_of: dict[str, Any]) -> dict[Any, list[str]]:
    """Members of each group, in record order; groups in order of first appearance."""
    if not group_of:
        return {}
    if len(set(group_of.values())) == 1:  # one group (no `within`): no loop in Python
        return {next(iter(group_of.values())): list(group_of)}
    found: dict[Any, list[str]] = {}
    for key, value in group_of.items():
        members = found.get(value)
        if members is None:
            found[value] = [key]
        else:
            members.append(key)
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
    (in record order) with the value of `within` (None without it). Recipients are
    reported group by group (in `group_sort` order), best first."""
    chosen = frozenset(qualified)
    received: set[str] = set()
    positions: dict[str, int] = {}
    placed_groups: dict[Any, tuple[Any, QuotaInfo | None]] = {}
    recipients: dict[Any, tuple[str, ...]] = {}
    by_group = groups(group_of)
    for group_value, members in by_group.items():
        candidates = [k for k in members if k in chosen]
        count = quota(group_value, members)
        if rank_values is not None:
            ordered = rank.order([(k, rank_values(k)) for k in candidates], descending)
            positions.update(zip([e[0] for e in ordered], range(1, len(ordered) + 1), strict=True))
        else:
            ordered = [(k, ()) for k in sorted(candidates)]
        cut = rank.apply_quota(ordered, count, tie_include)
        received.update(cut.recipients)
        recipients[group_value] = cut.recipients
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
        placed_groups[group_value] = (group_value, info)
    order: list[str] = []
    for group_value in sorted(by_group, key=group_sort):
        order.extend(recipients[group_value])
    return Decision(
        qualified=chosen,
        received=frozenset(received),
        order=tuple(order),
        group_of=group_of,
        positions=positions,
        groups=placed_groups,
    )
