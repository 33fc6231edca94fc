"""Who receives an award: qualification, groups, ordering, quotas and cut-offs, decided once
for every engine from the values it produced (`rank.py` orders and cuts)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
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
class Grouping:
    """Every subject of a kind by group: `members` lists each group's keys in record order
    (groups in order of first appearance); `of` reads one subject's group. The two are
    made together, in one pass, without a table of every subject's group: at a million
    subjects each such table costs more than the pass that fills it."""

    members: dict[Any, list[str]]
    of: Callable[[str], Any]

    @classmethod
    def of_mapping(cls, group_of: dict[str, Any]) -> Grouping:
        """From every subject's group, in record order (a computed `within`)."""
        return cls(groups(group_of), group_of.__getitem__)

    @classmethod
    def single(cls, keys: Iterable[str]) -> Grouping:
        """One group (no `within`): every subject, in record order (no group for none)."""
        members = list(keys)
        return cls({None: members} if members else {}, no_group)

    @classmethod
    def by_field(
        cls, rows: dict[str, dict[str, Any]], name: str, default: Any = None, *, every: bool
    ) -> Grouping:
        """Grouped by a value each row holds (`every`), or holds unless it is `default`."""
        found: dict[Any, list[str]] = {}
        if every:
            for key, row in rows.items():
                value = row[name]
                members = found.get(value)
                if members is None:
                    found[value] = [key]
                else:
                    members.append(key)
        else:
            for key, row in rows.items():
                value = row.get(name, default)
                members = found.get(value)
                if members is None:
                    found[value] = [key]
                else:
                    members.append(key)
        return cls(found, FieldOf(rows, name, default, every))


def no_group(key: str) -> None:
    return None


@attrs.frozen
class FieldOf:
    """A subject's value of one field (a function that pickles, unlike a lambda)."""

    rows: dict[str, dict[str, Any]]
    name: str
    default: Any
    every: bool

    def __call__(self, key: str) -> Any:
        row = self.rows[key]
        return row[self.name] if self.every else row.get(self.name, self.default)


@attrs.frozen
class Decision:
    """An award decided for a population of one kind. What each qualified subject's place
    is (`placed`) is kept as plain tables and made into a `Placed` when asked for; the
    positions of ranked subjects are listed the first time one is asked for."""

    qualified: Collection[str]  # a frozenset, or any collection answering `in` as fast
    received: Collection[str]  # likewise (an engine may list its recipients lazily)
    order: tuple[str, ...]
    group_of: Callable[[str], Any]
    ranked: tuple[list[str], ...]  # each group's qualified subjects, best first (ranked awards)
    groups: dict[Any, tuple[Any, QuotaInfo | None]]  # a group's value as first met, its quota
    _made: dict[str, dict[str, int]] = attrs.field(factory=dict, eq=False, repr=False)
    # an engine that keeps `ranked` elsewhere: a subject's group's qualified keys, best first
    _ordered: Callable[[str], list[str] | None] | None = attrs.field(
        default=None, eq=False, repr=False
    )

    def ordered(self, key: str, position: int) -> list[str] | None:
        """The qualified subjects of `key`'s group, best first (`key` at `position`)."""
        if self._ordered is not None:
            return self._ordered(key)
        return next((o for o in self.ranked if len(o) >= position and o[position - 1] == key), None)

    def position(self, key: str) -> int:
        """A qualified subject's rank in its group (0 without `rank by`)."""
        positions = self._made.get("positions")
        if positions is None:  # made whole, then published: threads never see a part
            positions = {}
            for keys in self.ranked:
                positions.update(zip(keys, range(1, len(keys) + 1), strict=True))
            self._made["positions"] = positions
        return positions.get(key, 0)

    def placed(self, key: str) -> Placed | None:
        """A subject's place, if it qualified."""
        if key not in self.qualified:
            return None
        group, quota = self.groups[self.group_of(key)]
        reason = None if key in self.received else "quota"
        return Placed(self.position(key), group, quota, reason)


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
    group_of: dict[str, Any] | Grouping,
    rank_values: Callable[[str], tuple[Any, ...]] | None,
    descending: tuple[bool, ...],
    quota: Callable[[Any, list[str]], int | None],
    quota_text: str,
    tie_include: bool,
) -> Decision:
    """Decide an award: in each group, the qualified subjects in rank order (key order
    without `rank by`), cut by the group's quota. `group_of` gives every subject of the
    kind (in record order) with the value of `within` (None without it). Recipients are
    reported group by group (in `group_sort` order), best first."""
    chosen = frozenset(qualified)
    grouping = group_of if isinstance(group_of, Grouping) else Grouping.of_mapping(group_of)
    received: set[str] = set()
    ranked: list[list[str]] = []
    placed_groups: dict[Any, tuple[Any, QuotaInfo | None]] = {}
    recipients: dict[Any, tuple[str, ...]] = {}
    by_group = grouping.members
    for group_value, members in by_group.items():
        if len(members) == len(chosen) and len(by_group) == 1:
            candidates = members  # one group and every subject qualified
        else:
            candidates = [k for k in members if k in chosen]
        count = quota(group_value, members)
        if rank_values is not None:
            ordered = rank.order([(k, rank_values(k)) for k in candidates], descending)
            ranked.append([e[0] for e in ordered])
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
        group_of=grouping.of,
        ranked=tuple(ranked),
        groups=placed_groups,
    )


@attrs.frozen
class Candidates:
    """One award of a pool: its qualified subjects and their rank values."""

    award: str
    qualified: list[str]
    rank_values: Callable[[str], tuple[Any, ...]]


def decide_pool(
    members: list[Candidates],
    *,
    descending: tuple[bool, ...],
    quota: int,
    quota_text: str,
    tie_include: bool,
) -> dict[str, Decision]:
    """Decide the awards of a pool at once: every award's qualified subjects ranked
    together, each by its own award's keys; the key, then the award's place in the pool,
    breaks remaining ties. Each award's decision ranks its subjects by their place in the
    pool and reports the pool's quota."""
    entries: list[rank.Entry] = []
    for index, member in enumerate(members):
        entries.extend(((key, index), member.rank_values(key)) for key in member.qualified)
    ordered = rank.order(entries, descending)
    cut = rank.apply_quota(ordered, quota, tie_include)
    last = cut.recipients[-1][1] if cut.recipients else None
    info = QuotaInfo(
        group=None,
        base=len(ordered),
        quota=quota,
        cutoff=cut.cutoff,
        tie=cut.tie,
        overshoot=cut.overshoot,
        text=quota_text,
        cutoff_award=None if last is None else members[last].award,
    )
    found: dict[str, Decision] = {}
    for index, member in enumerate(members):
        mine = [(e[0][0], place) for place, e in enumerate(ordered, 1) if e[0][1] == index]
        received = tuple(key for key, i in cut.recipients if i == index)
        found[member.award] = Decision(
            qualified=frozenset(member.qualified),
            received=frozenset(received),
            order=received,
            group_of=no_group,
            ranked=([key for key, _ in mine],),
            groups={None: (None, info)},
            made={"positions": dict(mine)},
        )
    return found
