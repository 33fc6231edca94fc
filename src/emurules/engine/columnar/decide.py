"""An award decided over columns, with exactly the semantics of `engine/decide.py` and
`engine/rank.py` (held equal by tests/engine/test_engines_equal.py): in each group, the
qualified subjects ordered by the keys in their directions, then by subject key (code
point order, which is Polars' order of UTF-8 text); the first `quota` receive it; a tie at
the cut-off is the last recipient and the first left out equal on every key, and
`on tie include` gives it to every tied subject. The result is the shared `Decision`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from emurules.engine.columnar import exact
from emurules.engine.columnar.frames import KEY
from emurules.engine.decide import Decision, FieldOf, group_sort, no_group
from emurules.result import QuotaInfo
from emurules.values import MISSING

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
    rows: dict[str, dict[str, Any]],
) -> tuple[Decision, pl.Series]:
    """The award's `Decision` and, in the frame's order, who receives it."""
    group = pl.col(within) if within is not None else pl.lit(0)
    table = frame.select(
        pl.col(KEY), group.alias(GROUP), pl.col(met), *[pl.col(k) for k in keys],
        *([pl.col(quota)] if quota is not None else []),
    )  # fmt: skip
    # each group in order of first appearance: its first subject (whose row a quota reads)
    groups = table.group_by(GROUP, maintain_order=True).agg(
        pl.col(KEY).first().alias("__first"),
        *([pl.col(quota).first().alias("__quota")] if quota is not None else []),
    )
    candidates = table.filter(pl.col(met)).sort(
        [GROUP, *keys, KEY],
        descending=[False, *descending, False],
        nulls_last=True,
        maintain_order=True,
    )
    candidates = candidates.with_columns(pl.int_range(pl.len()).over(GROUP).alias(POSITION))
    counted = candidates.group_by(GROUP).agg(pl.len().alias("__n"))
    stats = groups.join(
        counted, on=GROUP, how="left", nulls_equal=True, maintain_order="left"
    ).with_columns(pl.col("__n").fill_null(0))
    if quota is not None:
        end = pl.min_horizontal(pl.max_horizontal(pl.col("__quota"), 0), pl.col("__n"))
    else:
        end = pl.col("__n").cast(exact.INT)
    stats = stats.with_columns(end.cast(pl.Int64).alias("__end"))
    ranked = candidates.join(
        stats.select(GROUP, "__end", "__n"),
        on=GROUP,
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    last = [pl.col(k).filter(pl.col(POSITION) == pl.col("__end") - 1).first() for k in keys]
    after = [pl.col(k).filter(pl.col(POSITION) == pl.col("__end")).first() for k in keys]
    edges = ranked.group_by(GROUP).agg(
        *[v.alias(f"__last{i}") for i, v in enumerate(last)],
        *[v.alias(f"__after{i}") for i, v in enumerate(after)],
    )
    stats = stats.join(edges, on=GROUP, how="left", nulls_equal=True, maintain_order="left")
    inside = (pl.col("__end") > 0) & (pl.col("__end") < pl.col("__n"))
    same = [pl.col(f"__last{i}") == pl.col(f"__after{i}") for i in range(len(keys))]
    tie = (inside & pl.all_horizontal(same)) if same else inside
    stats = stats.with_columns(tie.fill_null(False).alias("__tie"))
    ranked = ranked.join(
        stats.select(GROUP, "__tie", *[f"__last{i}" for i in range(len(keys))]),
        on=GROUP,
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    receives = pl.col(POSITION) < pl.col("__end")
    if quota is not None and tie_include:
        equal = [pl.col(k) == pl.col(f"__last{i}") for i, k in enumerate(keys)]
        tied = pl.col("__tie") & (pl.all_horizontal(equal) if equal else pl.lit(True))
        receives = receives | tied.fill_null(False)
    ranked = ranked.with_columns(receives.alias("__receives"))
    return _decision(
        frame, ranked, stats, keys, readers, within, quota, quota_text, tie_include, rows
    )


def _decision(
    frame: pl.DataFrame,
    ranked: pl.DataFrame,
    stats: pl.DataFrame,
    keys: Sequence[str],
    readers: Sequence[Callable[[Any], Any]],
    within: str | None,
    quota: str | None,
    quota_text: str,
    tie_include: bool,
    rows: dict[str, dict[str, Any]],
) -> tuple[Decision, pl.Series]:
    """The shared `Decision` from the ranked candidates and each group's figures."""
    recipients = ranked.filter(pl.col("__receives"))
    per_group = recipients.group_by(GROUP, maintain_order=True).agg(
        pl.col(KEY),
        *[pl.col(k).last().alias(f"__cut{i}") for i, k in enumerate(keys)],
    )
    received_in: dict[Any, list[str]] = {}
    cutoffs: dict[Any, tuple[Any, ...]] = {}
    for record in per_group.iter_rows(named=True):
        received_in[record[GROUP]] = record[KEY]
        cutoffs[record[GROUP]] = tuple(read(record[f"__cut{i}"]) for i, read in enumerate(readers))
    ordered_in: dict[Any, list[str]] = {}
    if keys:
        by_group = ranked.group_by(GROUP, maintain_order=True).agg(pl.col(KEY))
        for group_value, members in by_group.iter_rows():
            ordered_in[group_value] = members
    value_of = (lambda key: rows[key][within]) if within is not None else (lambda key: None)
    placed: dict[Any, tuple[Any, QuotaInfo | None]] = {}
    order_of: list[tuple[Any, list[str]]] = []
    for record in stats.iter_rows(named=True):
        value = value_of(record["__first"])
        got = received_in.get(record[GROUP], [])
        order_of.append((value, got))
        info = None
        if quota is not None:
            count = int(record["__quota"])
            end = int(record["__end"])
            tie = bool(record["__tie"])
            info = QuotaInfo(
                group=value,
                base=int(record["__n"]),
                quota=count,
                cutoff=cutoffs.get(record[GROUP]) if got else None,
                tie=tie,
                overshoot=len(got) - end if tie and tie_include else 0,
                text=quota_text,
            )
        placed[value] = (value, info)
    order: list[str] = []
    for _, got in sorted(order_of, key=lambda item: group_sort(item[0])):
        order.extend(got)
    qualified = frozenset(ranked.get_column(KEY).to_list())
    received = frozenset(order)
    decision = Decision(
        qualified=qualified,
        received=received,
        order=tuple(order),
        group_of=FieldOf(rows, within, MISSING, True) if within is not None else no_group,
        ranked=tuple(ordered_in.values()),
        groups=placed,
    )
    chosen = frame.get_column(KEY).is_in(recipients.get_column(KEY).implode())
    return decision, chosen
