"""An award decided over columns, with exactly the semantics of `engine/decide.py` and
`engine/rank.py` (held equal by tests/engine/test_engines_equal.py): in each group, the
qualified subjects ordered by the keys in their directions, then by subject key (code
point order, which is Polars' order of UTF-8 text); the first `quota` receive it; a tie at
the cut-off is the last recipient and the first left out equal on every key, and
`on tie include` gives it to every tied subject. The result is the shared `Decision`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

import polars as pl

from emurules.engine.columnar import exact
from emurules.engine.columnar.frames import KEY, ROW
from emurules.engine.decide import Decision, group_sort, no_group
from emurules.result import QuotaInfo

GROUP = "__group"
POSITION = "__position"


def decide_columns(
    frame: pl.DataFrame,
    *,
    met: str,
    within: str | None,
    keys: Sequence[str],
    descending: Sequence[bool],
    readers: Sequence[Callable[[Any], Any]],
    quota: str | None,
    quota_text: str,
    tie_include: bool,
    group_of: GroupOf | None,
) -> tuple[Decision, pl.Series]:
    """The award's `Decision` and, in the frame's order, who receives it."""
    group = pl.col(within) if within is not None else pl.lit(0)
    table = frame.select(
        pl.col(KEY), pl.col(ROW), group.alias(GROUP), pl.col(met), *[pl.col(k) for k in keys],
        *([pl.col(quota)] if quota is not None else []),
    )  # fmt: skip
    # each group in order of first appearance: its first subject (whose row a quota reads)
    groups = table.group_by(GROUP, maintain_order=True).agg(
        pl.col(ROW).first().alias("__first"),
        *([pl.col(quota).first().alias("__quota")] if quota is not None else []),
    )
    candidates = table.filter(pl.col(met)).sort(
        [GROUP, *keys, KEY],
        descending=[False, *descending, False],
        nulls_last=True,
        maintain_order=True,
    )
    # sorted by group: a subject's place is its distance from its group's first row
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    starts = pl.col(GROUP).ne_missing(pl.col(GROUP).shift(1)) | (index == 0)
    first = pl.when(starts).then(index).forward_fill()
    candidates = candidates.with_columns((index - first).alias(POSITION))
    counted = candidates.group_by(GROUP).agg(pl.len().alias("__n"))
    stats = groups.join(
        counted, on=GROUP, how="left", nulls_equal=True, maintain_order="left"
    ).with_columns(pl.col("__n").fill_null(0))
    if quota is not None:
        end = pl.min_horizontal(pl.max_horizontal(pl.col("__quota"), 0), pl.col("__n"))
    else:
        end = pl.col("__n").cast(exact.INT)
    stats = stats.with_columns(end.cast(pl.Int64).alias("__end"))
    ranked = _joined(candidates, stats.select(GROUP, "__end", "__n"))
    last = ranked.filter(pl.col(POSITION) == pl.col("__end") - 1).select(
        GROUP, *[pl.col(k).alias(f"__last{i}") for i, k in enumerate(keys)]
    )
    after = ranked.filter(pl.col(POSITION) == pl.col("__end")).select(
        GROUP, *[pl.col(k).alias(f"__after{i}") for i, k in enumerate(keys)]
    )
    stats = _joined(_joined(stats, last), after)
    inside = (pl.col("__end") > 0) & (pl.col("__end") < pl.col("__n"))
    same = [pl.col(f"__last{i}") == pl.col(f"__after{i}") for i in range(len(keys))]
    tie = (inside & pl.all_horizontal(same)) if same else inside
    stats = stats.with_columns(tie.fill_null(False).alias("__tie"))
    receives = pl.col(POSITION) < pl.col("__end")
    if quota is not None and tie_include:
        ranked = _joined(
            ranked, stats.select(GROUP, "__tie", *[f"__last{i}" for i in range(len(keys))])
        )
        equal = [pl.col(k) == pl.col(f"__last{i}") for i, k in enumerate(keys)]
        tied = pl.col("__tie") & (pl.all_horizontal(equal) if equal else pl.lit(True))
        receives = receives | tied.fill_null(False)
    ranked = ranked.with_columns(receives.alias("__receives"))
    return _decision(frame, ranked, stats, keys, readers, quota, quota_text, tie_include, group_of)


def _decision(
    frame: pl.DataFrame,
    ranked: pl.DataFrame,
    stats: pl.DataFrame,
    keys: Sequence[str],
    readers: Sequence[Callable[[Any], Any]],
    quota: str | None,
    quota_text: str,
    tie_include: bool,
    group_of: GroupOf | None,
) -> tuple[Decision, pl.Series]:
    """The shared `Decision` from the ranked candidates and each group's figures."""
    recipients = ranked.filter(pl.col("__receives"))
    per_group = recipients.group_by(GROUP, maintain_order=True).agg(
        pl.col(KEY),
        *[pl.col(k).last().alias(f"__cut{i}") for i, k in enumerate(keys)],
    )
    received_in: dict[Any, list[str]] = {}
    cutoffs: dict[Any, tuple[Any, ...]] = {}
    for group, got, *cut in per_group.rows():
        received_in[group] = got
        cutoffs[group] = tuple(read(value) for read, value in zip(readers, cut, strict=True))
    value_of = group_of.at if group_of is not None else _none
    placed: dict[Any, tuple[Any, QuotaInfo | None]] = {}
    order_of: list[tuple[Any, list[str]]] = []
    figures = stats.select(
        GROUP, "__first", "__n", "__end", "__tie", *(["__quota"] if quota is not None else [])
    )
    for group, first, size, end, tie, *count in figures.rows():
        value = value_of(first)
        got = received_in.get(group, [])
        order_of.append((value, got))
        info = None
        if count:
            info = QuotaInfo(
                group=value,
                base=size,
                quota=int(count[0]),
                cutoff=cutoffs.get(group) if got else None,
                tie=tie,
                overshoot=len(got) - end if tie and tie_include else 0,
                text=quota_text,
            )
        placed[value] = (value, info)
    order: list[str] = []
    for _, got in sorted(order_of, key=lambda item: group_sort(item[0])):
        order.extend(got)
    decision = Decision(
        qualified=Keys(ranked.get_column(KEY).to_list()),
        received=frozenset(order),
        order=tuple(order),
        group_of=group_of if group_of is not None else no_group,
        ranked=(),
        groups=placed,
        made={"positions": Positions(ranked.select(KEY, POSITION)) if keys else {}},
        ordered=Ordered(ranked.select(KEY, GROUP, POSITION)) if keys else None,
    )
    chosen = frame.get_column(KEY).is_in(recipients.get_column(KEY).implode())
    return decision, chosen


def _joined(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """`left` with each group's figures from `right`, in `left`'s order."""
    return left.join(right, on=GROUP, how="left", nulls_equal=True, maintain_order="left")


def _none(row: int) -> None:
    return None


class GroupOf:
    """A subject's group (its value of the `within` field, as validated), by key or by
    place; the index of keys is made the first time a key is asked for. It pickles."""

    def __init__(self, keys: list[str], values: list[Any], codes: Sequence[int]) -> None:
        self.keys = keys
        self.values = values
        self.codes = codes
        self.index: dict[str, int] | None = None

    def at(self, row: int) -> Any:
        return self.values[self.codes[row]]

    def __call__(self, key: str) -> Any:
        if self.index is None:
            self.index = {k: i for i, k in enumerate(self.keys)}
        return self.values[self.codes[self.index[key]]]


class Positions(dict[str, int]):
    """Each ranked subject's place (from 1), listed the first time one is asked for: most
    results never ask."""

    def __init__(self, places: pl.DataFrame) -> None:
        super().__init__()
        self.places: pl.DataFrame | None = places
        self.lock = threading.Lock()

    def get(self, key: str, default: Any = None) -> Any:
        with self.lock:
            if self.places is not None:
                keys, places = self.places.get_columns()
                self.update(zip(keys.to_list(), (places + 1).to_list(), strict=True))
                self.places = None
        return super().get(key, default)

    def __reduce__(self) -> tuple[Any, ...]:
        self.get("")
        return (dict, (dict(self),))


class Keys(Collection[str]):
    """Keys in record order; the set that answers `in` is made when first asked (most
    results never ask of most subjects). It pickles as the keys."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.known: frozenset[str] | None = None

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: object) -> bool:
        known = self.known
        if known is None:
            known = self.known = frozenset(self.keys)
        return key in known


class Ordered:
    """A subject's group's qualified subjects, best first (an explanation's tie line):
    each group's listed the first time one is asked for. It pickles."""

    def __init__(self, ranked: pl.DataFrame) -> None:
        self.ranked = ranked
        self.groups: dict[Any, list[str]] | None = None
        self.lock = threading.Lock()

    def __call__(self, key: str) -> list[str] | None:
        mine = self.ranked.filter(pl.col(KEY) == key)
        if not mine.height:
            return None
        with self.lock:
            if self.groups is None:
                listed = self.ranked.group_by(GROUP, maintain_order=True).agg(pl.col(KEY))
                self.groups = dict(listed.iter_rows())
            return self.groups.get(mine.get_column(GROUP)[0])

    def __getstate__(self) -> dict[str, Any]:
        return {"ranked": self.ranked}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["ranked"])  # type: ignore[misc]
