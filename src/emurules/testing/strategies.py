"""Populations generated from the rules themselves, for trying to falsify their checks.

Every kind gets records that validate: typed values within each field's range, enum
values, optional fields sometimes missing, defaults sometimes left to apply, unique keys,
references to existing subjects (so relations have owners with none, one or many
members) and data rules kept. Unfairness hides where the criteria draw lines, so values
on both sides of every literal the criteria compare a field with are favoured
(`boundaries`), one group is sometimes made large enough for a quota to bite (of
near-copies of one record, so that ties at the cut-off occur), and history rows give
streaks that are complete and broken. Hypothesis shrinks a population towards fewer
subjects and towards fields left to their default or given their simplest value.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs
from hypothesis import reject
from hypothesis import strategies as st

from emurules.plan.schema import FieldSchema, KindSchema, Schema
from emurules.result import Result
from emurules.rules import Rules
from emurules.testing.boundaries import Boundaries, boundaries
from emurules.testing.evaluation import Evaluator, local_rule
from emurules.values import MISSING, EnumValue

DEFAULT_YEAR: Final = 2025
TEXTS: Final = ("A", "B", "C")
SPAN: Final = 10  # how far an unbounded number reaches below zero
TRIES: Final = 10  # draws of a record before a data rule is given up on
LEAST_CROWD: Final = 7  # a 15% quota awards no one below 7 qualified members


class _Omit:
    """A field left out of a record: its default applies, or it is missing."""

    def __repr__(self) -> str:
        return "OMIT"


OMIT: Final = _Omit()


@attrs.frozen(eq=True)
class Population:
    """Records per subject kind (as `Rules.evaluate` takes them), history rows and the
    assessment year."""

    data: dict[str, list[dict[str, Any]]]
    history: list[dict[str, Any]] = attrs.field(factory=list)
    year: int = DEFAULT_YEAR

    def evaluate(self, rules: Rules) -> Result:
        """`rules.evaluate` of this population."""
        return rules.evaluate(self.data, history=self.history, year=self.year)


def population(
    rules: Rules,
    *,
    max_subjects: int = 5,
    max_group: int = 25,
    year: int | None = None,
) -> st.SearchStrategy[Population]:
    """Populations for `rules`: up to `max_subjects` records per kind, and sometimes one
    group of up to `max_group` members (at least 7, so that a 15% quota bites)."""
    if max_subjects < 0 or max_group < 0:
        raise ValueError("max_subjects and max_group must not be negative")
    shape = _Shape(rules, year if year is not None else rules.year or DEFAULT_YEAR)
    return _population(shape, max_subjects, max_group)


# ---- what the rules ask for, worked out once --------------------------------------------------
@attrs.frozen
class _Kind:
    name: str
    schema: KindSchema
    prefix: str
    fields: tuple[FieldSchema, ...]  # without the key
    local: tuple[Callable[[dict[str, Any]], bool], ...]  # data rules of one record


class _Shape:
    """The rules' data schema and boundaries, and a strategy per field."""

    def __init__(self, rules: Rules, year: int) -> None:
        self.rules = rules
        self.year = year
        self.schema: Schema = rules.schema
        self.bounds: Boundaries = boundaries(rules.plan)
        self.evaluator = Evaluator(rules)
        local: dict[str, list[Callable[[dict[str, Any]], bool]]] = {}
        self.global_rules = False
        for rule in rules.plan.rules:
            test = local_rule(rule)
            if test is None:
                self.global_rules = True
            else:
                local.setdefault(rule.kind, []).append(test)
        prefixes = _prefixes(list(self.schema.kinds))
        self.kinds = tuple(
            _Kind(
                name=name,
                schema=info,
                prefix=prefixes[name],
                fields=tuple(f for f in info.fields.values() if f.name != info.key),
                local=tuple(local.get(name, ())),
            )
            for name, info in self.schema.kinds.items()
        )
        self.values: dict[tuple[str, str], st.SearchStrategy[Any]] = {
            (kind.name, f.name): field_values(self.schema, self.bounds, kind.name, f, year)
            for kind in self.kinds
            for f in kind.fields
        }
        self.crowds = self._crowds()
        self._fields: dict[tuple[str, str, int], st.SearchStrategy[Any]] = {}

    # -- values of one field
    def field(
        self, kind: str, field: FieldSchema, keys: Mapping[str, list[Any]]
    ) -> st.SearchStrategy[Any]:
        """A strategy for the field's raw value (OMIT for left out), made once: the keys
        of a kind are the same for the same number of subjects."""
        targets = keys.get(field.type.name or "", []) if field.type.kind == "ref" else []
        made = (kind, field.name, len(targets))
        found = self._fields.get(made)
        if found is None:
            if field.type.kind == "ref":
                found = st.sampled_from(targets) if targets else st.nothing()
            else:
                found = self.values[(kind, field.name)]
            if field.optional or field.default is not None:
                found = st.one_of(st.just(OMIT), found)
            self._fields[made] = found
        return found

    def variations(self, kind: str, fixed: str) -> st.SearchStrategy[str | None]:
        """Which field a near-copy in a crowd varies, if any."""
        made = (kind, fixed, -1)
        found = self._fields.get(made)
        if found is None:
            kind_ = next(k for k in self.kinds if k.name == kind)
            others = [f.name for f in kind_.fields if f.name != fixed]
            found = self._fields[made] = st.sampled_from([None, *others])
        return found

    def keeps_rules(self, kind: _Kind, key: Any, record: dict[str, Any]) -> bool:
        if not kind.local:
            return True
        row = {f.name: typed(self.schema, f, record.get(f.name, OMIT)) for f in kind.fields}
        row[kind.schema.key] = str(key)
        return all(test(row) for test in kind.local)

    # -- groups that can be made large
    def _crowds(self) -> list[tuple[str, str, tuple[int, ...]]]:
        """(kind, field, sizes): fields whose equal values make a group (a reference, a
        text), those that relations and `within` group by first, with the sizes at which
        the criteria's counts and quotas change."""
        grouping = {(r.member, r.via) for r in self.rules.plan.relations}
        found = []
        for kind in self.kinds:
            sizes = set(self.bounds.groups.get(kind.name, ())) | {LEAST_CROWD}
            for f in kind.fields:
                if f.type.kind not in ("ref", "text"):
                    continue
                counted = {
                    n
                    for r in self.rules.plan.relations
                    if r.member == kind.name and r.via == f.name
                    for n in self.bounds.counts.get((r.owner, r.name), ())
                }
                found.append((kind.name, f.name, tuple(sorted(sizes | counted))))
        found.sort(key=lambda c: (c[0], c[1]) not in grouping)
        return found


def typed(schema: Schema, field: FieldSchema, raw: Any) -> Any:
    """A raw value of a generated record as the engine holds it (OMIT: the default, or
    missing)."""
    if raw is OMIT:
        return MISSING if field.default is None else field.default
    if field.type.kind == "enum":
        return schema.enum_value(field.type.name or "", raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Decimal(raw)
    return raw


def field_values(
    schema: Schema, bounds: Boundaries, kind: str, field: FieldSchema, year: int
) -> st.SearchStrategy[Any]:
    """Raw values of a field (never left out; a reference's are the keys, drawn apart):
    small and simple ones first, the criteria's boundaries favoured."""
    near = bounds.of(kind, field.name)
    vtype = field.type
    match vtype.kind:
        case "bool":
            return st.booleans()
        case "int" | "number" | "percent":
            return _numbers(field, near)
        case "text":
            texts = [*TEXTS, *(v for v in near if isinstance(v, str) and v not in TEXTS)]
            return st.sampled_from(texts)
        case "enum":
            values = schema.enums[vtype.name or ""]
            close = sorted(
                {
                    i
                    for v in near
                    if isinstance(v, EnumValue)
                    for i in (v.index - 1, v.index, v.index + 1)
                    if 0 <= i < len(values)
                }
            )
            every = st.sampled_from(values)
            return st.one_of(every, st.sampled_from([values[i] for i in close])) if close else every
        case "date":
            first = datetime.date(year - 1, 1, 1)
            last = datetime.date(year, 12, 31)
            dates = [v for v in near if isinstance(v, datetime.date)]
            whole = st.dates(first, last)
            return st.one_of(whole, st.sampled_from(dates)) if dates else whole
        case _:
            return st.nothing()


def _prefixes(kinds: list[str]) -> dict[str, str]:
    """A short, distinct key prefix per kind: `individual` -> I, `institute` -> In."""
    found: dict[str, str] = {}
    for kind in kinds:
        letters = kind.replace("_", "") or "S"
        for n in range(1, len(letters) + 1):
            prefix = letters[:n].capitalize()
            if prefix not in found.values():
                break
        else:
            prefix = f"{letters.capitalize()}{len(found)}"
        found[kind] = prefix
    return found


def _numbers(field: FieldSchema, near: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """Numbers within the field's range, small ones first, its boundaries favoured."""
    whole = field.type.kind == "int"
    unit = Decimal(1) if whole else Decimal("0.01")
    top = max((v for v in near if isinstance(v, Decimal)), default=Decimal(10))
    if field.type.kind == "percent":
        low, high = Decimal(0), Decimal(1)
    else:
        low, high = Decimal(-SPAN), max(Decimal(20), 2 * top)
    if field.low is not None:
        low = field.low[0] + (unit if field.low[1] else 0)
    if field.high is not None:
        high = field.high[0] - (unit if field.high[1] else 0)
        if field.low is None:
            low = min(low, high - 2 * SPAN)
    if field.low is not None and field.high is None:
        high = max(high, low + 2 * SPAN)

    def fits(value: Decimal) -> bool:
        return low <= value <= high and (not whole or value == value.to_integral_value())

    close = [v for v in near if isinstance(v, Decimal) and fits(v)]
    shown: Callable[[Decimal], Any] = int if whole else (lambda v: v)
    options: list[st.SearchStrategy[Any]] = []
    if field.type.kind != "percent":
        a, b = _ceil(low), _floor(high)
        if a <= b:
            options.append(st.integers(a, b).map(lambda n: n if whole else Decimal(n)))
    if not whole:
        a, b = _ceil(low * 100), _floor(high * 100)
        if a <= b:
            options.append(st.integers(a, b).map(lambda n: Decimal(n) / 100))
    if close:
        options.append(st.sampled_from([shown(v) for v in close]))
    if not options:
        return st.sampled_from([shown(low)]) if fits(low) else st.nothing()
    return st.one_of(*options)


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding="ROUND_CEILING"))


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding="ROUND_FLOOR"))


# ---- drawing a population ----------------------------------------------------------------------
def _population(shape: _Shape, most: int, crowd_most: int) -> st.SearchStrategy[Population]:
    @st.composite
    def draw_population(draw: st.DrawFn) -> Population:
        counts = {k.name: draw(st.integers(0, most), label=k.name) for k in shape.kinds}
        crowd = None
        if shape.crowds and crowd_most >= LEAST_CROWD and draw(st.booleans()):
            crowd_kind, field, sizes = draw(st.sampled_from(shape.crowds))
            fitting = [n for n in sizes if 2 <= n <= crowd_most]
            size = draw(
                st.one_of(st.sampled_from(fitting), st.integers(LEAST_CROWD, crowd_most))
                if fitting
                else st.integers(LEAST_CROWD, crowd_most)
            )
            crowd = (crowd_kind, field, size)
        _enough_targets(shape, counts, crowd)
        keys = {k.name: [_key(k, i) for i in range(1, counts[k.name] + 1)] for k in shape.kinds}
        if crowd is not None:
            start = counts[crowd[0]] + 1
            found = next(k for k in shape.kinds if k.name == crowd[0])
            keys[crowd[0]] += [_key(found, i) for i in range(start, start + crowd[2])]
        data: dict[str, list[dict[str, Any]]] = {}
        for kind in shape.kinds:
            records = [
                _record(draw, shape, kind, key, keys, {})
                for key in keys[kind.name][: counts[kind.name]]
            ]
            if crowd is not None and crowd[0] == kind.name:
                records += _crowd(
                    draw, shape, kind, keys, crowd[1], keys[kind.name][counts[kind.name] :]
                )
            data[kind.name] = [_raw(kind, key, record) for key, record in records]
        history = _history(draw, shape, data)
        if shape.global_rules:
            data, history = _keep_rules(shape, data, history)
        return Population(data=data, history=history, year=shape.year)

    return draw_population()


def _key(kind: _Kind, number: int) -> Any:
    return _numbered(kind.schema, kind.prefix, number)


def simple_key(schema: Schema, kind: str, number: int) -> Any:
    """The `number`th key a population of the schema gives subjects of `kind` (P1, P2, ...;
    1, 2, ... for a number key)."""
    return _numbered(schema.kinds[kind], _prefixes(list(schema.kinds))[kind], number)


def _numbered(info: KindSchema, prefix: str, number: int) -> Any:
    key_type = info.fields[info.key].type.kind
    if key_type == "int":
        return number
    if key_type == "number":
        return Decimal(number)
    return f"{prefix}{number}"


def _enough_targets(
    shape: _Shape, counts: dict[str, int], crowd: tuple[str, str, int] | None
) -> None:
    """A kind with records whose required references point at a kind needs one such
    subject at least (and the crowd's reference needs its one target)."""
    changed = True
    while changed:
        changed = False
        for kind in shape.kinds:
            present = counts[kind.name] > 0 or (crowd is not None and crowd[0] == kind.name)
            for f in kind.fields:
                needed = not f.optional or (crowd is not None and crowd[:2] == (kind.name, f.name))
                target = f.type.name or ""
                if present and needed and f.type.kind == "ref" and counts.get(target, 1) == 0:
                    counts[target] = 1
                    changed = True


def _record(
    draw: st.DrawFn,
    shape: _Shape,
    kind: _Kind,
    key: Any,
    keys: Mapping[str, list[Any]],
    forced: Mapping[str, Any],
) -> tuple[Any, dict[str, Any]]:
    """One record's fields (raw values, OMIT for left out) that keep the data rules of one
    record; a population whose records keep failing them is given up (rarely)."""
    for _ in range(TRIES):
        record = {
            f.name: forced[f.name] if f.name in forced else draw(shape.field(kind.name, f, keys))
            for f in kind.fields
        }
        if shape.keeps_rules(kind, key, record):
            return key, record
    reject()


def _crowd(
    draw: st.DrawFn,
    shape: _Shape,
    kind: _Kind,
    keys: Mapping[str, list[Any]],
    field: str,
    members: list[Any],
) -> list[tuple[Any, dict[str, Any]]]:
    """A group of near-copies of one record (ties at the cut-off), each differing from it
    in at most two fields."""
    schema = kind.schema.fields[field]
    value = keys[schema.type.name or ""][0] if schema.type.kind == "ref" else TEXTS[0]
    _, base = _record(draw, shape, kind, members[0], keys, {field: value})
    fields = {f.name: f for f in kind.fields}
    varies = shape.variations(kind.name, field)
    found = []
    for key in members:
        record = dict(base)
        for _ in range(2):
            name = draw(varies)
            if name is None:
                break
            record[name] = draw(shape.field(kind.name, fields[name], keys))
        if not shape.keeps_rules(kind, key, record):
            record = dict(base)
        found.append((key, record))
    return found


def _raw(kind: _Kind, key: Any, record: dict[str, Any]) -> dict[str, Any]:
    """A record as data: its key first, fields left out omitted."""
    return {kind.schema.key: key, **{n: v for n, v in record.items() if v is not OMIT}}


def _history(
    draw: st.DrawFn, shape: _Shape, data: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Rows for earlier years: the awards a streak or `held` reads (none, a complete
    streak, a broken one, or any years) and the values `past` reads."""
    rows: list[dict[str, Any]] = []
    year = shape.year
    for kind in shape.kinds:
        names = shape.schema.kinds[kind.name].names
        awards = [
            (a, n)
            for (k, a), n in shape.bounds.awards.items()
            if k == kind.name and a in names and names[a].sort == "award"
        ]
        pasts = [
            (name, n)
            for (k, name), n in shape.bounds.past.items()
            if k == kind.name and name in names
        ]
        if not awards and not pasts:
            continue
        for record in data[kind.name]:
            key = record[kind.schema.key]
            for award, depth in awards:
                for back in _years(draw, depth):
                    rows.append({"key": key, "year": year - back, "award": award})
            for name, depth in pasts:
                values = _past_values(shape, kind, name)
                for back in range(1, depth + 1):
                    value = draw(st.one_of(st.just(OMIT), values))
                    if value is not OMIT:
                        rows.append({"key": key, "year": year - back, "name": name, "value": value})
    owners = _owners(shape.rules, data)
    if any(len(kinds) > 1 for kinds in owners.values()):  # two kinds share a key: name it
        for row in rows:
            row["kind"] = next(
                k for k in shape.kinds if row["key"] in (r[k.schema.key] for r in data[k.name])
            ).name
    return rows


def _years(draw: st.DrawFn, depth: int) -> list[int]:
    """How many years back an award was held: never, a complete streak up to last year,
    a streak broken by one year, or any of the years."""
    form = draw(st.sampled_from(("none", "streak", "broken", "any")))
    if form == "none" or depth < 1:
        return []
    if form == "streak":
        return list(range(1, draw(st.integers(1, depth)) + 1))
    if form == "broken":
        length = draw(st.integers(1, depth))
        gap = draw(st.integers(1, length))
        return [y for y in range(1, length + 2) if y != gap]
    return [y for y in range(1, depth + 1) if draw(st.booleans())]


def _past_values(shape: _Shape, kind: _Kind, name: str) -> st.SearchStrategy[Any]:
    field = kind.schema.fields.get(name)
    if field is not None and field.type.kind != "ref":
        return shape.values[(kind.name, name)]
    info = kind.schema.names[name]
    vtype = info.type
    if vtype is None:
        return st.nothing()
    if vtype.kind == "enum":
        return st.sampled_from(shape.schema.enums[vtype.name or ""])
    if vtype.kind == "bool":
        return st.booleans()
    if vtype.kind == "text":
        return st.sampled_from(TEXTS)
    if vtype.kind in ("int", "number", "percent"):
        return _numbers(FieldSchema(name, vtype), shape.bounds.of(kind.name, name))
    return st.nothing()


def _keep_rules(
    shape: _Shape, data: dict[str, list[dict[str, Any]]], history: list[dict[str, Any]]
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Data rules that read more than one record: the records that break them are left
    out (and what refers to them); a population that keeps breaking them is given up."""
    for _ in range(3):
        broken = set(shape.evaluator.broken(data, history, shape.year))
        if not broken:
            return data, history
        data, history = without(shape.rules, data, history, broken)
    reject()


def without(
    rules: Rules,
    data: Mapping[str, list[dict[str, Any]]],
    history: list[dict[str, Any]],
    removed: set[tuple[str, str]],
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """The data without the subjects `removed` (kind, key as text), without the records
    whose required reference pointed at one of them (in turn) and without their history;
    an optional reference to a removed subject is left out."""
    schema = rules.schema
    gone = set(removed)
    kept = {kind: list(rows) for kind, rows in data.items()}
    changed = True
    while changed:
        changed = False
        for kind, rows in kept.items():
            info = schema.kinds[kind]
            refs = [f for f in info.fields.values() if f.type.kind == "ref"]
            fresh = []
            for row in rows:
                key = str(row[info.key])
                if (kind, key) in gone:
                    changed = True
                    continue
                dangling = [
                    f for f in refs if f.name in row and (f.type.name, str(row[f.name])) in gone
                ]
                if any(not f.optional for f in dangling):
                    gone.add((kind, key))
                    changed = True
                    continue
                if dangling:
                    row = {n: v for n, v in row.items() if n not in {f.name for f in dangling}}
                fresh.append(row)
            kept[kind] = fresh
    owners = _owners(rules, data)

    def subject(row: dict[str, Any]) -> tuple[str, str]:
        key = str(row.get("key"))
        kind = row.get("kind")
        return (str(kind) if kind else next(iter(owners.get(key, {""}))), key)

    history = [r for r in history if subject(r) not in gone]
    return kept, history


def _owners(rules: Rules, data: Mapping[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    """Each key (as text) -> the kinds that have a subject with it."""
    found: dict[str, set[str]] = {}
    for kind, rows in data.items():
        key = rules.schema.kinds[kind].key
        for row in rows:
            found.setdefault(str(row[key]), set()).add(kind)
    return found
