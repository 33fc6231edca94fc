"""The columnar run: the plan's steps in dependency order, each one column (or, for an
award, a qualification and a decision) over every subject of its kind at once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import polars as pl

from emurules.data.columns import Cells, KindCells, key_series
from emurules.data.history import History
from emurules.engine.columnar import exact, pools
from emurules.engine.columnar.decide import CODE, GroupOf, decide_columns, group_codes
from emurules.engine.columnar.exact import Col, Guards
from emurules.engine.columnar.foreign import Foreign
from emurules.engine.columnar.frames import KEY, ROW, column, reader
from emurules.engine.columnar.lower import Lowering, true
from emurules.engine.columnar.past import Past
from emurules.engine.decide import Decision, group_sort
from emurules.plan import ir
from emurules.plan.passes import children
from emurules.plan.steps import Award, Criterion, Let, Plan, Ranking, RelationInfo, Score
from emurules.result import LeagueEntry
from emurules.values import MISSING


class NeedsRow(Exception):
    """This table needs the row engine: a value beyond 38 digits, or a division by zero it
    reports (with every other, in its order)."""


def qualified_name(award: str) -> str:
    return f"__qualified_{award}"


class ColumnarEngine:
    """Evaluates a plan on a kind's records given as columns (`KindCells`); `run` fills
    `frames` and `decisions`."""

    def __init__(
        self,
        plan: Plan,
        cells: Mapping[str, KindCells],
        year: int,
        history: History | None = None,
    ) -> None:
        self.plan = plan
        self.cells = cells
        self.year = year
        self.past = Past(history or History(), year)
        self.frames: dict[str, pl.DataFrame] = {}
        self.columns: dict[str, dict[str, Col]] = {}
        self.types: dict[str, dict[str, ir.VType]] = {}
        self.decisions: dict[str, Decision] = {}
        self.foreign_names: list[str] = []
        self.leagues: dict[str, tuple[str, str | None]] = {}  # ranking -> kind, within
        self.waiting: dict[str, pools.Waiting] = {}  # a pool's awards qualified so far
        reads = _fields(plan)
        for kind in plan.kinds:
            self.load(kind, reads.get(kind, {}))

    def load(self, kind: str, reads: dict[str, ir.VType]) -> None:
        """The kind's fields that the rules read, as columns, with the subjects' keys and
        their rows' places."""
        found = self.cells.get(kind) or KindCells([], {})
        height = len(found.keys)
        series = [
            key_series(found.keys, KEY),
            pl.Series(ROW, range(height), dtype=pl.UInt32),
        ]
        columns: dict[str, Col] = {}
        for name, vtype in reads.items():
            cells = found.fields.get(name) or Cells([MISSING], [0] * height)
            made, col = column(name, cells.values, vtype)
            given = cells.codes
            codes = given if isinstance(given, pl.Series) else pl.Series(given, dtype=pl.UInt32)
            series.append(made.gather(codes))
            columns[name] = col
        # each column in one piece: a column in pieces makes every column computed next
        # to it in as many, and a later step copies them all to join them up
        self.frames[kind] = pl.DataFrame(series).rechunk()
        self.columns[kind] = columns
        self.types[kind] = dict(reads)

    def run(self) -> None:
        unread = _unread(self.plan)
        for step, done in zip(self.plan.steps, unread, strict=True):
            match step:
                case Criterion():
                    self.criterion(step)
                case Score() | Let():
                    self.value(step)
                case Award():
                    self.award(step)
                case Ranking():
                    self.ranking(step)
            for kind, names in done.items():  # inputs no later step reads: memory back
                frame = self.frames.get(kind)
                dropped = [n for n in names if frame is not None and n in frame.columns]
                if frame is not None and dropped:
                    self.frames[kind] = frame.drop(dropped)

    def lowering(
        self,
        kind: str,
        guards: Guards,
        group: str | None = None,
        foreign: Foreign | None = None,
        over: str | None = None,
    ) -> Lowering:
        def decided(award: str) -> tuple[str, str]:
            return qualified_name(award), award

        frame = self.frames.get(kind)
        return Lowering(
            self.columns[kind],
            self.year,
            guards,
            group=group,
            decided=decided,
            foreign=foreign,
            over=over,
            rows=None if frame is None else frame.height,
        )

    def relation(self, kind: str, name: str) -> RelationInfo:
        return next(r for r in self.plan.relations if r.owner == kind and r.name == name)

    def step(self, kind: str) -> Step:
        """What one step lowers its expressions with: the guards, the foreign values."""
        guards = Guards()
        foreign = Foreign(self, kind, guards)
        return Step(guards, foreign, self.lowering(kind, guards, foreign=foreign))

    def store(self, kind: str, made: dict[str, Col], step: Step, *more: Lowering) -> None:
        """Add the columns `made` to the kind's frame, unless the table needs the row
        engine (an overflow guard fired, or a division by zero it would meet); drop the
        foreign values the step made."""
        zeros = [*step.lower.zero_divisions, *step.foreign.zero_divisions]
        for other in more:
            zeros.extend(other.zero_divisions)
        checks = [*step.guards.found, *zeros]
        exprs = [col.expr.alias(name) for name, col in made.items()]
        if checks:
            exprs.append(pl.any_horizontal(checks).fill_null(False).any().alias("__stop"))
        # eagerly: a streaming query returns every column of the frame in pieces, and a
        # later step copies them all to join them up
        try:
            frame = self.frames[kind].with_columns(exprs)
        except pl.exceptions.InvalidOperationError:
            # Polars 2.1, eagerly: `lit(true).fill_null(false) | <a column>` (an `any`
            # whose parts are constants but one) comes out as one value, not a column;
            # the same query run lazily broadcasts it
            frame = self.frames[kind].lazy().with_columns(exprs).collect()
        if checks:
            if frame.height and frame.get_column("__stop")[0]:
                raise NeedsRow
            frame = frame.drop("__stop")
        # a constant is held as one value, which Polars' in-memory engine then does not
        # broadcast in a later expression over it: a whole column each
        frame = frame.with_columns(frame.get_column(name) for name in made)
        # (`drop` joins up a frame whose columns are in pieces: a copy)
        self.frames[kind] = frame.drop(step.foreign.made) if step.foreign.made else frame
        for name, col in made.items():
            self.columns[kind][name] = Col(pl.col(name), col.kind, col.scale, col.bound)

    def criterion(self, step: Criterion) -> None:
        made = self.step(step.kind)
        lower = made.lower
        where = None if step.where is None else true(lower(step.where))
        value = lower(step.expr, where)
        if step.maximum is not None and value.kind == "num":
            value = _clamp(value, step.maximum, made.guards)
        columns = {step.name: value}
        if where is not None:
            kept = pl.when(where).then(value.expr).otherwise(None)
            value = Col(kept, value.kind, value.scale, value.bound)
            columns = {step.name: value, f"__where_{step.name}": Col(where, "bool")}
        self.types[step.kind][step.name] = step.expr.type
        self.store(step.kind, columns, made)

    def value(self, step: Score | Let) -> None:
        made = self.step(step.kind)
        value = made.lower(step.expr)
        if isinstance(step, Score) and step.digits is not None and value.kind == "num":
            value = exact.round_to(value, step.digits)
            if value.scale < step.digits:
                value = made.guards.rescale(value, step.digits)
        self.types[step.kind][step.name] = step.expr.type
        self.store(step.kind, {step.name: value}, made)

    def award(self, step: Award) -> None:
        self.qualify(step)
        if step.pool is not None:
            self.pooled(step)
        else:
            self.decide(step)

    def pooled(self, step: Award) -> None:
        """An award of a pool (`pools.py`): its candidates wait for the pool's other
        awards, and the last one qualified decides them all (the checker orders the steps
        so that nothing reads one before)."""
        kind = step.kind
        qualified = pl.col(qualified_name(step.name))
        then = self.step(kind)
        keys = {f"__rank{i}": then.lower(k.expr, qualified) for i, k in enumerate(step.rank_by)}
        self.store(kind, keys, then)
        frame = self.frames[kind]
        if any(frame.get_column(name).null_count() for name in keys):
            raise NeedsRow  # a missing rank value: the row engine says what it makes of it
        found = pools.candidates(self, step, qualified_name(step.name), list(keys))
        self.frames[kind] = frame.drop(list(keys))
        self.waiting[step.name] = pools.Waiting(step, found)
        pools.decide(self, self.waiting, step)

    def qualify(self, step: Award) -> None:
        """The award's conditions: a column of who meets them all."""
        kind = step.kind
        first = self.step(kind)
        lower = first.lower
        tests: list[pl.Expr] = []
        for condition in step.conditions:
            if condition.requires is not None:
                tests.append(pl.col(condition.requires).fill_null(False))
            elif condition.parts:
                parts = [true(lower(p.expr)) for p in condition.parts if p.expr is not None]
                tests.append(pl.any_horizontal(parts))
            elif condition.expr is not None:
                tests.append(true(lower(condition.expr)))
        met = pl.all_horizontal(tests) if tests else pl.lit(True)
        self.store(kind, {qualified_name(step.name): Col(met, "bool")}, first)

    def decide(self, step: Award) -> None:
        """Who of the qualified receives the award: ranked, cut at the quota."""
        kind = step.kind
        qualified = pl.col(qualified_name(step.name))
        then = self.step(kind)
        keys: dict[str, Col] = {}
        for index, key in enumerate(step.rank_by):
            keys[f"__rank{index}"] = then.lower(key.expr, qualified)
        within = step.within.name if isinstance(step.within, ir.Read) else None
        group_of = self.group_of(kind, within)
        over = None
        if within is not None:  # the groups as codes: the quota's windows and the decision
            codes = group_codes(self.frames[kind], within, group_of)
            self.frames[kind] = self.frames[kind].with_columns(codes.alias(CODE))
            over = CODE
        more: list[Lowering] = []
        if step.quota is not None:
            quota = self.lowering(
                kind, then.guards, group=within or "", foreign=then.foreign, over=over
            )
            count = quota(step.quota)
            more.append(quota)
            whole = exact.truncate(count) if count.kind == "num" else pl.lit(0, dtype=exact.INT)
            keys["__quota"] = Col(whole.fill_null(0), "num", 0)
        self.store(kind, keys, then, *more)
        key_cols = [f"__rank{i}" for i in range(len(step.rank_by))]
        readers = [
            reader(self.columns[kind][name], key.expr.type, self.plan.schema)
            for name, key in zip(key_cols, step.rank_by, strict=True)
        ]
        frame = self.frames[kind]
        if any(frame.get_column(c).null_count() for c in key_cols):
            raise NeedsRow  # a missing rank value: the row engine says what it makes of it
        decision, received = decide_columns(
            frame,
            met=qualified_name(step.name),
            within=within,
            keys=key_cols,
            descending=[k.descending for k in step.rank_by],
            readers=readers,
            quota="__quota" if step.quota is not None else None,
            quota_text=step.quota_text,
            tie_include=step.tie_include,
            group_of=group_of,
        )
        self.decisions[step.name] = decision
        made = [*key_cols, *(["__quota"] if step.quota is not None else [])]
        frame = frame.drop([*made, *([CODE] if over is not None else [])])
        self.frames[kind] = frame.with_columns(received.alias(step.name))
        self.columns[kind][step.name] = Col(pl.col(step.name), "bool")
        self.types[kind][step.name] = ir.VType("bool")

    def ranking(self, step: Ranking) -> None:
        """A league table: every subject of the kind ranked in its group by the keys (the
        key breaking ties), from 1; with `shared`, subjects equal on every key share the
        first one's rank (`rank.league`)."""
        kind = step.kind
        made = self.step(kind)
        keys = {f"__rank{i}": made.lower(k.expr) for i, k in enumerate(step.keys)}
        self.store(kind, keys, made)
        names = list(keys)
        if any(self.frames[kind].get_column(n).null_count() for n in names):
            raise NeedsRow  # a missing rank value: the row engine says what it makes of it
        within = step.within.name if isinstance(step.within, ir.Read) else None
        group = pl.col(within) if within is not None else pl.lit(0)
        frame = self.frames[kind].with_columns(group.alias("__group"))
        ordered = frame.select(ROW, "__group", *names, KEY).sort(
            ["__group", *names, KEY],
            descending=[False, *(k.descending for k in step.keys), False],
            nulls_last=True,
            maintain_order=True,
        )
        index = pl.int_range(pl.len(), dtype=pl.Int64)
        starts = pl.col("__group").ne_missing(pl.col("__group").shift(1)) | (index == 0)
        position = index - pl.when(starts).then(index).forward_fill() + 1
        ranked = ordered.with_columns(position.alias("__position"))
        if step.shared:
            moved = [pl.col(n).ne_missing(pl.col(n).shift(1)) for n in names]
            block = starts | pl.any_horizontal(moved) if moved else starts
            first = pl.when(block).then(pl.col("__position")).forward_fill()
            ranked = ranked.with_columns(first.alias("__position"))
        places = ranked.select(ROW, pl.col("__position").cast(exact.INT).alias(step.name))
        frame = (
            self.frames[kind].drop(names).join(places, on=ROW, how="left", maintain_order="left")
        )
        self.frames[kind] = frame
        self.columns[kind][step.name] = Col(pl.col(step.name), "num", 0)
        self.types[kind][step.name] = ir.VType("int")
        self.leagues[step.name] = (kind, within)

    def league(self, ranking: Ranking) -> tuple[LeagueEntry, ...]:
        """A league table's places, group by group (in report order), each from rank 1."""
        kind, within = self.leagues[ranking.name]
        frame = self.frames[kind].select(KEY, ROW, ranking.name)
        group_of = self.group_of(kind, within)
        entries: list[LeagueEntry] = [
            (key, int(place), group_of.at(row) if group_of is not None else None)
            for key, row, place in frame.iter_rows()
        ]
        entries.sort(key=lambda e: (group_sort(e[2]), e[1], e[0]))
        return tuple(entries)

    def group_of(self, kind: str, within: str | None) -> GroupOf | None:
        """Each subject's value of the `within` field, as validated."""
        if within is None:
            return None
        found = self.cells[kind]
        cells = found.fields[within]
        return GroupOf(found.keys, cells.values, cells.codes)

    def values(self, kind: str, names: tuple[str, ...]) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each subject's computed values, as the row engine holds them, in record order."""
        frame = self.frames[kind]
        present = [n for n in names if n in frame.columns]
        reads = [
            reader(self.columns[kind][n], self.types[kind][n], self.plan.schema) for n in present
        ]
        data = [frame.get_column(n).to_list() for n in present]
        keys = frame.get_column(KEY).to_list()
        for index, key in enumerate(keys):
            yield key, {n: r(d[index]) for n, r, d in zip(present, reads, data, strict=True)}


def _clamp(value: Col, maximum: Decimal, guards: Guards) -> Col:
    """Within 0..maximum, as a criterion's points are."""
    top = exact.constant(maximum)
    v, m = guards.align([value, top])
    clamped = pl.when(v.expr < 0).then(exact.integer(0)).when(v.expr > m.expr).then(m.expr)
    return Col(clamped.otherwise(v.expr), "num", v.scale, m.bound)  # within 0..maximum


@attrs.frozen
class Step:
    guards: Guards
    foreign: Foreign
    lower: Lowering


def _unread(plan: Plan) -> list[dict[str, list[str]]]:
    """For each step, the input fields (by kind) that it or an earlier step reads and no
    later one does: the run drops their columns once the step is done. The fields that
    relations match members by are read by every step (explanations read them too)."""
    later = {kind: set(names) for kind, names in _fields(plan, ()).items()}  # relations'
    read = {kind: set(names) for kind, names in _fields(plan).items()}
    found: list[dict[str, list[str]]] = []
    for step in reversed(plan.steps):
        found.append({kind: sorted(read[kind] - later[kind]) for kind in plan.kinds})
        for kind, names in _fields(plan, (step,)).items():
            later[kind].update(names)
    found.reverse()
    return found


def _fields(plan: Plan, steps: Sequence[Any] | None = None) -> dict[str, dict[str, ir.VType]]:
    """The input fields (and given awards) each kind's subjects are read for (by `steps`;
    None: every step), with their types: by the kind's own steps, through a path, in an
    aggregate over members, and the fields relations match members by."""
    computed = {(s.kind, s.name) for s in plan.steps}
    found: dict[str, dict[str, ir.VType]] = {kind: {} for kind in plan.kinds}
    pending: list[tuple[ir.Node, str]] = []
    for step in plan.steps if steps is None else steps:
        kind = step.kind
        match step:
            case Criterion():
                pending.extend((n, kind) for n in (step.expr, step.where) if n is not None)
            case Score() | Let():
                pending.append((step.expr, kind))
            case Award():
                conditions = [p for c in step.conditions for p in (c, *c.parts)]
                pending.extend((p.expr, kind) for p in conditions if p.expr is not None)
                pending.extend((k.expr, kind) for k in step.rank_by)
                pending.extend((n, kind) for n in (step.quota, step.within) if n is not None)
                for condition in step.conditions:
                    if (
                        condition.requires is not None
                        and (kind, condition.requires) not in computed
                    ):
                        found[kind].setdefault(condition.requires, ir.VType("bool"))  # given
            case Ranking():
                pending.extend((k.expr, kind) for k in step.keys)
                pending.extend((n, kind) for n in (step.within,) if n is not None)
    for relation in plan.relations:
        member = plan.schema.kinds[relation.member] if plan.schema is not None else None
        if member is not None and relation.via in member.fields:
            found[relation.member].setdefault(relation.via, member.fields[relation.via].type)
        owner = plan.schema.kinds[relation.owner] if plan.schema is not None else None
        if relation.by is not None and owner is not None and relation.by in owner.fields:
            found[relation.owner].setdefault(relation.by, owner.fields[relation.by].type)
    while pending:
        node, kind = pending.pop()
        inner: set[int] = set()  # read for each member, in the members' kind
        if isinstance(node, ir.Read) and (kind, node.name) not in computed:
            found[kind].setdefault(node.name, node.type)
        elif isinstance(node, ir.Streak) and node.current:
            if (kind, node.award) not in computed:  # a given award's this year
                found[kind].setdefault(node.award, ir.VType("bool"))
        elif isinstance(node, ir.Path) and node.what == "field":
            if (node.kind, node.name) not in computed:
                found[node.kind].setdefault(node.name, node.type)
        elif isinstance(node, ir.Aggregate) and not isinstance(node.members, ir.Group):
            if node.body is not None:
                pending.append((node.body, node.member))
                inner.add(id(node.body))
        elif isinstance(node, ir.Filter):
            pending.append((node.cond, node.member))
            inner.add(id(node.cond))
        pending.extend((child, kind) for child in children(node) if id(child) not in inner)
    return found
