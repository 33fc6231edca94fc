"""An award decided over columns, with exactly the semantics of `engine/decide.py` and
`engine/rank.py` (held equal by tests/engine/test_engines_equal.py): in each group, the
qualified subjects ordered by the keys in their directions, then by subject key (code
point order, which is Polars' order of UTF-8 text); the first `quota` receive it; a tie at
the cut-off is the last recipient and the first left out equal on every key, and
`on tie include` gives it to every tied subject. The result is the shared `Decision`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import polars as pl

from emurules.data.columns import KeyColumn
from emurules.engine.columnar import exact
from emurules.engine.columnar.decided import (
    CODE,
    GROUP,
    Gathered,
    GroupOf,
    Groups,
    Keys,
    Ordered,
    Positions,
)
from emurules.engine.columnar.frames import KEY, ROW
from emurules.engine.decide import Decision, group_sort, no_group
from emurules.result import QuotaInfo

POSITION = "__position"  # a candidate's place in its group, from 0
SAME = "__same"  # the next candidate is of the group and equal on every key


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
    """The award's `Decision` and, in the frame's order, who receives it. Groups are read
    by their codes (`group_codes`, or the frame's `CODE` column): integers hash, sort and
    index faster than texts. The candidates are sorted once, by group, and every figure
    is then read from arrays indexed by code or by place, without a group-by or a join;
    at ten million subjects only the recipients' keys are listed now (`order`)."""
    codes = frame.get_column(CODE) if CODE in frame.columns else None
    if codes is None:
        codes = group_codes(frame, within, group_of)
    firsts = _first_rows(codes)
    ranked = _ranked(frame, codes, met, keys, descending)
    figures = _figures(frame, firsts, ranked, quota, tie_include)
    return _decision(
        frame, ranked, figures, within, keys, readers, quota, quota_text, tie_include, group_of
    )


def group_codes(frame: pl.DataFrame, within: str | None, group_of: GroupOf | None) -> pl.Series:
    """Each subject's group as a code: 0, 1, ... in order of the groups' first appearance
    (the validated cells' own codes when no two cells read as one value)."""
    if within is None or group_of is None:
        return pl.zeros(frame.height, dtype=pl.UInt32, eager=True).alias(CODE)
    found = group_of.column()
    if found is not None and len(found) == frame.height:
        return found.alias(CODE)
    cells = frame.select(pl.col(within).alias(GROUP))
    numbered = cells.unique(maintain_order=True).with_row_index(CODE)
    joined = cells.join(numbered, on=GROUP, how="left", nulls_equal=True, maintain_order="left")
    return joined.get_column(CODE)


def _first_rows(codes: pl.Series) -> pl.Series:
    """Each group's first subject in record order (whose row a quota reads), by code."""
    found = codes.arg_unique()  # each code's first place, in order of appearance
    first = pl.zeros(len(found), dtype=pl.Int64, eager=True)
    return first.scatter(codes.gather(found), found.cast(pl.Int64))


@attrs.frozen
class Ranked:
    """The qualified subjects in rank order (by group, keys and key): each one's row and
    group's code, and whether the next one is of its group and equal on every key."""

    rows: pl.Series
    codes: pl.Series
    same: pl.Series  # one fewer than the rows


@attrs.frozen
class Figures:
    """Each group's figures, by code (`size` candidates from `start` in rank order, the
    quota's `end`, a `tie` at the cut, `got` recipients), each candidate's `position`
    in its group (from 0) and the recipients' places in rank order (`chosen`)."""

    firsts: pl.Series
    size: pl.Series
    start: pl.Series
    end: pl.Series
    tie: pl.Series
    got: pl.Series
    position: pl.Series
    chosen: pl.Series
    quotas: pl.Series | None  # each group's quota as its first subject reads it


def _ranked(
    frame: pl.DataFrame,
    codes: pl.Series,
    met: str,
    keys: Sequence[str],
    descending: Sequence[bool],
) -> Ranked:
    """The qualified subjects sorted by group, keys and key. Where the sort fits one
    64-bit integer (`_packed`) only that integer is sorted, and the rows, codes and ties
    are read back from its bits; otherwise Polars sorts the columns."""
    increasing = _increasing(frame.get_column(KEY))
    wanted = [pl.col(ROW), *[pl.col(k) for k in keys], *([] if increasing else [pl.col(KEY)])]
    candidates = (
        frame.select(*wanted, pl.col(met)).with_columns(codes.alias(CODE)).filter(pl.col(met))
    )
    packed = _packed(candidates, keys, descending) if increasing else None
    if packed is not None:
        expr, widths = packed
        values = _sorted(candidates.select(expr.alias(GROUP)).to_series())
        value = pl.col(GROUP)
        high = value // (1 << widths[-1])  # the group and the keys
        by_rank = values.to_frame().select(
            (value % (1 << widths[-1])).alias(ROW),
            (value // (1 << sum(widths[1:]))).alias(CODE),
            (high == high.shift(-1)).alias(SAME),
        )
    else:
        by_rank = candidates.sort(
            [CODE, *_sort_keys(candidates, keys, increasing)],
            descending=[False, *descending, False],
            nulls_last=True,
        )
        code = pl.col(CODE)
        same = [code == code.shift(-1), *[pl.col(k) == pl.col(k).shift(-1) for k in keys]]
        by_rank = by_rank.select(ROW, CODE, pl.all_horizontal(same).alias(SAME))
    count = by_rank.height
    return Ranked(
        rows=by_rank.get_column(ROW).cast(pl.Int64),
        codes=by_rank.get_column(CODE).cast(pl.Int64),
        same=by_rank.get_column(SAME).fill_null(False).slice(0, max(count - 1, 0)),
    )


def _sorted(values: pl.Series) -> pl.Series:
    """A column of integers sorted: by NumPy where it is installed (it sorts 64-bit
    integers several times faster than Polars), else by Polars."""
    try:
        import numpy
    except ImportError:  # neither the polars nor the sql extra requires it
        return values.sort()
    return pl.Series(values.name, numpy.sort(values.to_numpy()))


def _packed(
    candidates: pl.DataFrame, keys: Sequence[str], descending: Sequence[bool]
) -> tuple[pl.Expr, list[int]] | None:
    """The sort as one 64-bit integer, where it fits, and the widths of its parts: the
    group's code, each integer rank key as its distance from the end its direction
    starts at, and the record order (the keys' order, as the caller has checked), side
    by side in bits; one integer column sorts much faster than several. None when a key
    is no integer or the bits do not fit."""
    if not len(candidates):
        return None
    codes = candidates.get_column(CODE)
    parts: list[tuple[pl.Expr, int]] = [(pl.col(CODE).cast(pl.Int64), _largest(codes))]
    for name, down in zip(keys, descending, strict=True):
        column = candidates.get_column(name)
        if not column.dtype.is_integer() or column.null_count():
            return None
        low, high = int(column.min()), int(column.max())  # type: ignore[arg-type]
        if low > -(2**62) and high < 2**62:  # in 64 bits (Int128 arithmetic is slower)
            value = pl.col(name).cast(pl.Int64)
            top, bottom = pl.lit(high, dtype=pl.Int64), pl.lit(low, dtype=pl.Int64)
        else:
            value = pl.col(name).cast(exact.INT)
            top, bottom = exact.integer(high), exact.integer(low)
        distance = top - value if down else value - bottom
        parts.append((distance.cast(pl.Int64), high - low))
    parts.append((pl.col(ROW).cast(pl.Int64), _largest(candidates.get_column(ROW))))
    widths = [max(1, largest.bit_length()) for _, largest in parts]
    if sum(widths) > 62:
        return None
    packed: pl.Expr = pl.lit(0, dtype=pl.Int64)
    for (part, _), width in zip(parts, widths, strict=True):
        packed = packed * (1 << width) + part
    return packed, widths


def _largest(column: pl.Series) -> int:
    found = column.max()
    return int(found) if isinstance(found, int) else 0


def _sort_keys(candidates: pl.DataFrame, keys: Sequence[str], increasing: bool) -> list[pl.Expr]:
    """The rank keys and the subject key as the sort reads them, in a cheaper form that
    sorts alike where there is one: a number that fits in 64 bits as Int64 (Polars sorts
    Int128 more slowly), and keys that come in their own order (as most files list
    them) as the record order, an integer, in place of the texts."""
    found: list[pl.Expr] = []
    for name in keys:
        column = candidates.get_column(name)
        if column.dtype == exact.INT and len(column):
            largest = column.abs().max()
            if isinstance(largest, int) and largest < 2**62:
                found.append(pl.col(name).cast(pl.Int64))
                continue
        found.append(pl.col(name))
    found.append(pl.col(ROW) if increasing else pl.col(KEY))
    return found


def _increasing(keys: pl.Series) -> bool:
    """Whether each key comes after the one before it (code point order, Polars' order of
    text), so that the record order is the keys' order."""
    if len(keys) < 2:
        return True
    return bool((keys.slice(1) > keys.slice(0, len(keys) - 1)).all())


def _figures(
    frame: pl.DataFrame, firsts: pl.Series, ranked: Ranked, quota: str | None, tie_include: bool
) -> Figures:
    """Each group's figures from the candidates in rank order, where a group's
    candidates are neighbours: its start is where its code first comes, its size the
    distance to the next's; the quota's end is the group's quota within 0..size; a tie
    is the last one in equal to the next (`same`), and `on tie include` extends the
    recipients to the last of that run of equals."""
    count, groups = len(ranked.rows), len(firsts)
    bounds = ranked.codes.search_sorted(pl.int_range(groups + 1, eager=True), side="left")
    bounds = bounds.cast(pl.Int64)
    start = bounds.slice(0, groups)
    size = bounds.slice(1) - start
    position = pl.int_range(count, dtype=pl.Int64, eager=True) - start.gather(ranked.codes)
    quotas = None
    if quota is not None:  # the group's quota, read from its first subject
        quotas = frame.get_column(quota).gather(firsts)
        q = pl.col(quotas.name)
        bounded = quotas.to_frame().select(
            pl.when(q < 0).then(0).when(q > count).then(count).otherwise(q).fill_null(0)
        )
        allowed = bounded.to_series().cast(pl.Int64)
        end = allowed.zip_with(allowed < size, size)
    else:
        end = size
    cut = start + end - 1  # the last one in, where a group has one
    at_cut = (end > 0) & (end < size)
    if count > 1:
        tie = at_cut & ranked.same.gather(cut.clip(0, count - 2))
    else:
        tie = pl.repeat(False, groups, dtype=pl.Boolean, eager=True)
    got = end
    if quota is not None and tie_include and tie.any():
        last = pl.Series([count - 1], dtype=pl.Int64)
        breaks = pl.concat([(~ranked.same).arg_true().cast(pl.Int64), last])  # runs' last
        through = breaks.gather(breaks.search_sorted(cut.clip(0, count - 1), side="left"))
        got = (through - start + 1).zip_with(tie, end)
    chosen = (position < got.gather(ranked.codes)).arg_true()
    return Figures(firsts, size, start, end, tie, got, position, chosen, quotas)


def _decision(
    frame: pl.DataFrame,
    ranked: Ranked,
    figures: Figures,
    within: str | None,
    keys: Sequence[str],
    readers: Sequence[Callable[[Any], Any]],
    quota: str | None,
    quota_text: str,
    tie_include: bool,
    group_of: GroupOf | None,
) -> tuple[Decision, pl.Series]:
    """The shared `Decision` from the ranked candidates. Only the recipients' keys are
    listed now (`order`, which `received` shares); the qualified subjects' keys, places
    and groups are gathered the first time they are asked for, and what a subject's
    outcome reads of its group (its quota, the cut-off) the first time one is."""
    recipients = ranked.rows.gather(figures.chosen)
    report = _order(frame, ranked, figures, recipients, within, group_of)
    subjects = frame.get_column(KEY)
    found = subjects.gather(report)
    listed: list[str] = found.to_list()
    cuts = _cuts(frame, ranked, figures, keys)

    def groups() -> dict[Any, tuple[Any, QuotaInfo | None]]:
        return _groups(figures, cuts, readers, quota_text, tie_include, group_of)

    qualified = Gathered(subjects, ranked.rows)
    positions = figures.position.alias(POSITION)
    decision = Decision(
        qualified=Keys(qualified),
        received=Keys(KeyColumn(found, listed)),
        order=tuple(listed),
        group_of=group_of if group_of is not None else no_group,
        ranked=(),
        groups=Groups(groups),
        made={"positions": Positions(qualified, positions) if keys else {}},
        ordered=Ordered(qualified, ranked.codes.alias(GROUP)) if keys else None,
    )
    chosen = pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True).alias(ROW)
    return decision, chosen.scatter(recipients, True)


def _order(
    frame: pl.DataFrame,
    ranked: Ranked,
    figures: Figures,
    recipients: pl.Series,
    within: str | None,
    group_of: GroupOf | None,
) -> pl.Series:
    """The recipients' rows group by group in report order (`group_sort`: no group first,
    then by the text of the group's value), each group's best first. The recipients
    come by code, so only the groups are ordered: a text group's value is its own text,
    which Polars orders by code point as Python does; any other group's value is read
    and ordered in Python (groups equal in report order keep the order of their codes)."""
    if within is None or group_of is None or not len(recipients):
        return recipients
    got, firsts = figures.got, figures.firsts
    holding = (got > 0).arg_true().cast(pl.Int64)
    if frame.schema[within] == pl.String:
        column = frame.get_column(within)
        texts = column.gather(firsts)
        theirs = texts.gather(ranked.codes.gather(figures.chosen))
        # each recipient's text its group's, and no two groups' alike: order the groups
        if column.gather(recipients).ne_missing(theirs).any() or (
            texts.gather(holding).is_duplicated().any()
        ):
            return _by_text(column, recipients, figures.position.gather(figures.chosen))
        table = pl.DataFrame({GROUP: texts.gather(holding), CODE: holding})
        ordered = table.sort(GROUP, nulls_last=False, maintain_order=True)
        return _gathered(recipients, got, ordered.get_column(CODE))
    values = group_of.at_rows(firsts.gather(holding))
    places = sorted(range(len(values)), key=lambda i: group_sort(values[i]))
    holders = holding.gather(places).to_list()
    return _gathered(recipients, got, pl.Series(CODE, holders, dtype=pl.Int64))


def _by_text(column: pl.Series, recipients: pl.Series, positions: pl.Series) -> pl.Series:
    """The recipients ordered by their own group's text, then place (the general case)."""
    table = pl.DataFrame({ROW: recipients, POSITION: positions})
    table = table.with_columns(column.gather(recipients).alias(GROUP))
    ordered = table.sort([GROUP, POSITION], nulls_last=False)
    return ordered.get_column(ROW)


def _gathered(recipients: pl.Series, got: pl.Series, groups: pl.Series) -> pl.Series:
    """The recipients (`got` of each group, group after group by code) in the order of
    `groups` (each with one or more): each group's run, taken whole, in turn."""
    starts = (got.cum_sum() - got).gather(groups)
    ends = starts + got.gather(groups)
    index = pl.select(pl.int_ranges(starts, ends, dtype=pl.Int64).explode()).to_series()
    if len(index) != len(recipients):
        raise AssertionError("a group with recipients was left out of the order")
    return recipients.gather(index)


def _cuts(
    frame: pl.DataFrame, ranked: Ranked, figures: Figures, keys: Sequence[str]
) -> pl.DataFrame | None:
    """Each group's last recipient's keys, by code (the first row's where none): the
    cut-off its `QuotaInfo` reads, gathered now, so that the decision keeps no column of
    every subject."""
    if not keys or figures.quotas is None:
        return None
    got, count = figures.got, len(ranked.rows)
    if count:
        last = ranked.rows.gather((figures.start + got - 1).clip(0, count - 1))
    else:
        last = pl.zeros(len(got), dtype=pl.Int64, eager=True)
    picks = last.zip_with(got > 0, pl.zeros(len(got), dtype=pl.Int64, eager=True))
    return frame.select(pl.col(k).gather(picks) for k in keys)


def _groups(
    figures: Figures,
    cuts: pl.DataFrame | None,
    readers: Sequence[Callable[[Any], Any]],
    quota_text: str,
    tie_include: bool,
    group_of: GroupOf | None,
) -> dict[Any, tuple[Any, QuotaInfo | None]]:
    """Each group's value as first met and, with a quota, its `QuotaInfo`."""
    firsts = figures.firsts
    found: dict[Any, tuple[Any, QuotaInfo | None]] = {}
    values = group_of.at_rows(firsts) if group_of is not None else [None] * len(firsts)
    if figures.quotas is None:
        for value in values:
            found[value] = (value, None)
        return found
    quotas = figures.quotas.to_list()
    sizes, ends = figures.size.to_list(), figures.end.to_list()
    ties, gots = figures.tie.to_list(), figures.got.to_list()
    cut_values = cuts.rows() if cuts is not None else [()] * len(firsts)
    for code, value in enumerate(values):
        taken, tied = gots[code], ties[code]
        cutoff = None
        if taken:
            cut = cut_values[code]
            cutoff = tuple(read(v) for read, v in zip(readers, cut, strict=True))
        info = QuotaInfo(
            group=value,
            base=sizes[code],
            quota=int(quotas[code]),
            cutoff=cutoff,
            tie=tied,
            overshoot=taken - ends[code] if tied and tie_include else 0,
            text=quota_text,
        )
        found[value] = (value, info)
    return found


__all__ = ["CODE", "GroupOf", "Keys", "decide_columns", "group_codes"]
