"""The declarations an engine evaluates, in dependency order, as IR: the `Plan`.

The plan also carries what the published document (`emurules doc`) shows and engines do
not need: the ruleset's settings, the fairness checks and, for each formula the document
prints as written, its text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from emurules.plan.examples import Example
from emurules.plan.ir import Node
from emurules.plan.metadata import Metadata
from emurules.plan.rewards import Rewards
from emurules.plan.schema import Schema
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
class CaseRow:
    """An arm of a `case` as the document tabulates it: `pattern` the value chosen by, as
    written, or the condition (`condition`) when the case chooses by condition."""

    pattern: str
    condition: Node | None
    value: str


@attrs.frozen(kw_only=True)
class CaseTable:
    """A criterion whose value is a `case`, as the document tabulates it: what it chooses
    by (`subject`, as written; None when by condition), its arms and the other value."""

    subject: str | None
    rows: tuple[CaseRow, ...]
    other: str | None


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
    maximum_text: str | None = None  # `max M` as written
    table: CaseTable | None = None  # the value as a table, when it is a `case`


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
    text: str = ""  # as written


@attrs.frozen(kw_only=True)
class Pool:
    """One quota shared by awards of several kinds (`pool`): their qualified subjects are
    ranked together, each by its own award's keys, and the first `quota` receive."""

    name: str
    label: str | None
    awards: tuple[str, ...]
    quota: int
    tie_include: bool

    @property
    def text(self) -> str:
        """The pool's quota as the file states it."""
        return f"pool {self.name}: quota {self.quota}"


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
    within_text: str | None = None  # as written
    reward: Decimal | None = None  # a multiple of the base salary (plan.rewards)
    replaces: tuple[str, ...] = ()  # awards whose reward a recipient of this one is not paid
    pool: Pool | None = None  # the quota it shares with awards of other kinds

    @property
    def span(self) -> Span | None:
        """Where the award is written, as near as the plan keeps it (a `requires` or a
        pool has no span of its own): its first condition's, else its quota's or first
        key's."""
        nodes = [p.expr for c in self.conditions for p in (c, *c.parts) if p.expr is not None]
        nodes += [n for n in (self.quota,) if n is not None] + [k.expr for k in self.rank_by]
        return next((n.span for n in nodes if n.span is not None), None)


@attrs.frozen(kw_only=True)
class Ranking:
    kind: str
    name: str
    label: str | None
    keys: tuple[RankKey, ...]
    within: Node | None
    shared: bool
    within_text: str | None = None  # as written


@attrs.frozen(kw_only=True)
class DataRule:
    kind: str
    label: str
    expr: Node


@attrs.frozen(kw_only=True)
class FairnessCheck:
    """`check "label" for KIND: expr`: a property every subject should have (`text`: the
    condition as written, for a report of what it read)."""

    kind: str
    label: str
    expr: Node
    span: Span | None = attrs.field(default=None, eq=False)
    text: str = ""


@attrs.frozen(kw_only=True)
class MonotoneField:
    """One move of `check monotone`: a field of the subject (`relation` None), a field of
    one member of the subject's relation `relation` (`members.task`; `member` is the
    members' kind), or `history` (`history` set, `name` None): holding a title of the kind
    in an earlier year."""

    name: str | None
    decreasing: bool = False
    relation: str | None = None
    member: str | None = None
    history: bool = False


@attrs.frozen(kw_only=True)
class MonotoneCheck:
    """`check monotone TARGET for KIND in f, -g, members.h, history`: raising each field
    (lowering the ones marked `decreasing`) never lowers the target nor takes award TARGET
    away.

    `fields` holds the subject's own fields as (name, decreasing), as it always did, so a
    runner that knows only those keeps working; `moves` holds every move as written, own
    fields included, members' fields and history too: a runner that knows them reads
    `moves` alone."""

    kind: str
    target: str
    fields: tuple[tuple[str, bool], ...]  # the field, decreasing
    span: Span | None = attrs.field(default=None, eq=False)
    moves: tuple[MonotoneField, ...] = ()


@attrs.frozen(kw_only=True)
class OrderCheck:
    """`check order_independent`: outcomes do not depend on the order of the records."""

    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True)
class IgnoresCheck:
    """`check ignores f, g for KIND`: changing only these fields of one subject changes no
    score, value or outcome of any subject."""

    kind: str
    fields: tuple[str, ...]
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True)
class EqualTreatmentCheck:
    """`check equal_treatment for KIND`: two subjects of one group with equal fields, equal
    members and equal history get equal values and the same qualification; an award given
    to one and not the other is allowed only as a tie at a quota's cut-off."""

    kind: str
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True)
class LocalCheck:
    """`check local within G for KIND`: changing any field of a subject in another group
    never changes a value or outcome in this one. `within` is G lowered as an award's
    `within` is (read on each subject of the kind); `within_text` is G as written."""

    kind: str
    within: Node
    within_text: str
    span: Span | None = attrs.field(default=None, eq=False)


Written = (
    Criterion
    | Score
    | Let
    | Award
    | Ranking
    | DataRule
    | FairnessCheck
    | MonotoneCheck
    | OrderCheck
    | IgnoresCheck
    | EqualTreatmentCheck
    | LocalCheck
)


@attrs.frozen(kw_only=True)
class RelationInfo:
    """`relation name: owner -> member by via`: the members whose field `via` refers to the
    owner; or, when `by` is set (to the field named `via`, which both kinds have), the
    members whose `by` equals the owner's (`peers: unit -> unit by block`)."""

    owner: str
    name: str
    member: str
    via: str
    by: str | None = None


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
    # The ruleset's settings as written (key, value), for the document; the document's
    # metadata (authority, number, legal bases...) is `metadata`.
    settings: tuple[tuple[str, str], ...] = ()
    metadata: Metadata = attrs.field(factory=Metadata)
    # Every declaration the document shows, in the order of the file, as lowered: passes
    # that rewrite `steps` for the engines leave these as the criteria were written.
    written: tuple[Written, ...] = ()
    # The file's `example` blocks, ready to run (emurules.testing runs them).
    examples: tuple[Example, ...] = ()
    rewards: Rewards = attrs.field(factory=Rewards)
    # What data looks like, with its labels: explanations name fields, values and subjects.
    schema: Schema | None = attrs.field(default=None, eq=False, repr=False)

    def computed(self, kind: str) -> tuple[str, ...]:
        """The names a subject's values list, in the order they are computed: the steps the
        criteria declare, not those a pass added (`plan.passes.share_paths`)."""
        declared = {id(s) for s in self.declared}
        return tuple(s.name for s in self.steps if s.kind == kind and id(s) in declared)

    def awards(self, kind: str | None = None) -> tuple[Award, ...]:
        """The awards decided by evaluation (not `given`), in the order of the file."""
        return tuple(
            s
            for s in self.declared
            if isinstance(s, Award) and not s.given and (kind is None or s.kind == kind)
        )
