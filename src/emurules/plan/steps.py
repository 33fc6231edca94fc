"""The declarations an engine evaluates, in dependency order, as IR: the `Plan`."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from emurules.plan.ir import Node
from emurules.source import Span


@attrs.frozen(kw_only=True)
class Condition:
    """One condition of an award: a `when` (`expr`), a `requires` (`requires`, the award
    it needs) or an `any { ... }` (`parts`). `text` is how explanations print it."""

    id: str
    label: str | None
    text: str
    expr: Node | None = None
    requires: str | None = None
    parts: tuple[Condition, ...] = ()
    span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Criterion:
    kind: str
    name: str
    sort: Literal["criterion", "bonus", "penalty"]
    label: str | None
    expr: Node
    where: Node | None
    maximum: Decimal | None
    parts: tuple[str, ...]  # the criteria of the same kind it reads (explained beneath it)


@attrs.frozen(kw_only=True)
class Score:
    kind: str
    name: Literal["score"]
    expr: Node
    digits: int | None


@attrs.frozen(kw_only=True)
class Let:
    kind: str
    name: str
    label: str | None
    expr: Node


@attrs.frozen(kw_only=True)
class RankKey:
    expr: Node
    descending: bool


@attrs.frozen(kw_only=True)
class Award:
    kind: str
    name: str
    label: str | None
    given: bool
    conditions: tuple[Condition, ...]
    rank_by: tuple[RankKey, ...]
    quota: Node | None
    quota_text: str
    within: Node | None
    tie_include: bool


@attrs.frozen(kw_only=True)
class Ranking:
    kind: str
    name: str
    label: str | None
    keys: tuple[RankKey, ...]
    within: Node | None
    shared: bool


@attrs.frozen(kw_only=True)
class DataRule:
    kind: str
    label: str
    expr: Node


@attrs.frozen(kw_only=True)
class RelationInfo:
    owner: str
    name: str
    member: str
    via: str


Step = Criterion | Score | Let | Award | Ranking


@attrs.frozen(kw_only=True)
class Plan:
    """What an engine runs: `steps` in dependency order, `declared` the same steps in the
    order of the file (explanations follow it), the data rules, the relations and the
    ruleset's settings."""

    title: str | None
    year: int | None
    round_digits: int | None
    kinds: tuple[str, ...]
    relations: tuple[RelationInfo, ...]
    steps: tuple[Step, ...]
    declared: tuple[Step, ...]
    rules: tuple[DataRule, ...]
    depth: int = 1  # the deepest expression's levels: walks deeper than SHALLOW need room

    def awards(self, kind: str | None = None) -> tuple[Award, ...]:
        """The awards decided by evaluation (not `given`), in the order of the file."""
        return tuple(
            s
            for s in self.declared
            if isinstance(s, Award) and not s.given and (kind is None or s.kind == kind)
        )
