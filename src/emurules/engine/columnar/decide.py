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

from emurules.data.columns import KeyColumn
from emurules.engine.columnar import exact
from emurules.engine.columnar.frames import KEY, ROW
from emurules.engine.decide import Decision, group_sort, no_group
from emurules.result import QuotaInfo

GROUP = "__group"
CODE = "__code"  # a subject's group, as an integer
POSITION = "__position"  # a candidate's place in its group, from 0
SIZE = "__size"  # the group's candidates
END = "__end"  # the group's recipients before a tie: its places 0..END-1
CUT_TIE = "__cut_tie"  # the last one in, tied with the first one left out
RECEIVES = "__receives"
QUOTA = "__quota"


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
    index faster than texts, and with the candidates sorted by group each group's
    figures are read from its neighbours, without a group-by or a join."""
    codes = frame.get_column(CODE) if CODE in frame.columns else None
    if codes is None:
        codes = group_codes(frame, within, group_of)
    table = frame.select(
        pl.col(KEY), pl.col(ROW), pl.col(met), *[pl.col(k) for k in keys],
        *([pl.col(quota).alias(QUOTA)] if quota is not None else []),
    ).with_columns(codes.alias(CODE))  # fmt: skip
    # each group's first subject in record order (whose row a quota reads), by code
    firsts = (
        table.select(CODE, ROW, *([QUOTA] if quota is not None else []))
        .filter(pl.col(CODE).is_first_distinct())
        .sort(CODE)
    )
    ranked = _ranked(table.filter(pl.col(met)), firsts, keys, descending, quota, tie_include)
    return _decision(
        frame, ranked, firsts, within, keys, readers, quota, quota_text, tie_include, group_of
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


def _ranked(
    candidates: pl.DataFrame,
    firsts: pl.DataFrame,
    keys: Sequence[str],
    descending: Sequence[bool],
    quota: str | None,
    tie_include: bool,
) -> pl.DataFrame:
    """The qualified subjects sorted by group, keys and key, each with its place in its
    group (`POSITION`, from 0), the group's end of the quota (`END`), whether it is the
    last one in and ties with the first left out (`CUT_TIE`) and whether it receives."""
    packed = _packed(candidates, keys, descending)
    if packed is not None:
        by_rank = candidates.sort(packed)
    else:
        by_rank = candidates.sort(
            [CODE, *_sort_keys(candidates, keys)],
            descending=[False, *descending, False],
            nulls_last=True,
        )
    if quota is not None:  # the group's quota, read by code from its first subject
        allowed = firsts.get_column(QUOTA).gather(by_rank.get_column(CODE))
        by_rank = by_rank.drop(QUOTA).with_columns(allowed.alias(QUOTA))
    ordered = by_rank.lazy()  # the figures below in one query
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    code = pl.col(CODE)
    starts = code.ne_missing(code.shift(1)) | (index == 0)
    ends = code.ne_missing(code.shift(-1)) | (index == pl.len() - 1)
    first = pl.when(starts).then(index).forward_fill()
    last = pl.when(ends).then(index).backward_fill()
    ordered = ordered.with_columns((index - first).alias(POSITION), (last - first + 1).alias(SIZE))
    position, size = pl.col(POSITION), pl.col(SIZE)
    if quota is not None:
        end = pl.min_horizontal(pl.max_horizontal(pl.col(QUOTA), 0), size).cast(pl.Int64)
    else:
        end = size
    ordered = ordered.with_columns(end.alias(END))
    cut = position == pl.col(END) - 1
    same = [pl.col(k) == pl.col(k).shift(-1) for k in keys]  # the next is in the group
    at_cut = cut & (pl.col(END) < size)
    tie = at_cut & pl.all_horizontal(same) if same else at_cut
    ordered = ordered.with_columns(tie.fill_null(False).alias(CUT_TIE))
    receives = position < pl.col(END)
    if quota is not None and tie_include:
        # after its cut, a group's rows read the cut's tie and keys from its row above
        tied = pl.when(cut).then(pl.col(CUT_TIE)).forward_fill()
        equal = [pl.col(k) == pl.when(cut).then(pl.col(k)).forward_fill() for k in keys]
        after = (position >= pl.col(END)) & (pl.col(END) > 0) & tied
        receives = receives | (pl.all_horizontal([after, *equal])).fill_null(False)
    return ordered.with_columns(receives.alias(RECEIVES)).collect()


def _packed(
    candidates: pl.DataFrame, keys: Sequence[str], descending: Sequence[bool]
) -> pl.Expr | None:
    """The sort as one 64-bit integer, where it fits: the group's code, each integer rank
    key as its distance from the end its direction starts at, and the record order (when
    it is the keys' order), side by side in bits; Polars sorts one integer column much
    faster than several. None when a key is no integer or the bits do not fit."""
    if not len(candidates) or not _increasing(candidates.get_column(KEY)):
        return None
    codes = candidates.get_column(CODE)
    parts: list[tuple[pl.Expr, int]] = [(pl.col(CODE).cast(pl.Int64), _largest(codes))]
    for name, down in zip(keys, descending, strict=True):
        column = candidates.get_column(name)
        if not column.dtype.is_integer() or column.null_count():
            return None
        low, high = int(column.min()), int(column.max())  # type: ignore[arg-type]
        value = pl.col(name).cast(exact.INT)
        distance = exact.integer(high) - value if down else value - exact.integer(low)
        parts.append((distance.cast(pl.Int64), high - low))
    parts.append((pl.col(ROW).cast(pl.Int64), _largest(candidates.get_column(ROW))))
    widths = [max(1, largest.bit_length()) for _, largest in parts]
    if sum(widths) > 62:
        return None
    packed: pl.Expr = pl.lit(0, dtype=pl.Int64)
    for (part, _), width in zip(parts, widths, strict=True):
        packed = packed * (1 << width) + part
    return packed


def _largest(column: pl.Series) -> int:
    found = column.max()
    return int(found) if isinstance(found, int) else 0


def _sort_keys(candidates: pl.DataFrame, keys: Sequence[str]) -> list[pl.Expr]:
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
    subject = candidates.get_column(KEY)
    found.append(pl.col(ROW) if _increasing(subject) else pl.col(KEY))
    return found


def _increasing(keys: pl.Series) -> bool:
    """Whether each key comes after the one before it (code point order, Polars' order of
    text), so that the record order is the keys' order."""
    if len(keys) < 2:
        return True
    return bool((keys.slice(1) > keys.slice(0, len(keys) - 1)).all())


def _decision(
    frame: pl.DataFrame,
    ranked: pl.DataFrame,
    firsts: pl.DataFrame,
    within: str | None,
    keys: Sequence[str],
    readers: Sequence[Callable[[Any], Any]],
    quota: str | None,
    quota_text: str,
    tie_include: bool,
    group_of: GroupOf | None,
) -> tuple[Decision, pl.Series]:
    """The shared `Decision` from the ranked candidates. Only the recipients are listed
    now (`order`); what a subject's outcome reads of its group (its quota, the cut-off) is
    made for every group the first time one is asked for."""
    recipients = ranked.filter(pl.col(RECEIVES))
    order = _order(frame, recipients, firsts, within, group_of)

    def groups() -> dict[Any, tuple[Any, QuotaInfo | None]]:
        return _groups(
            ranked, recipients, firsts, keys, readers, quota, quota_text, tie_include, group_of
        )

    decision = Decision(
        qualified=Keys(KeyColumn(ranked.get_column(KEY))),
        received=frozenset(order),
        order=order,
        group_of=group_of if group_of is not None else no_group,
        ranked=(),
        groups=Groups(groups),
        made={"positions": Positions(ranked.select(KEY, POSITION)) if keys else {}},
        ordered=Ordered(ranked.select(KEY, pl.col(CODE).alias(GROUP), POSITION)) if keys else None,
    )
    chosen = frame.get_column(ROW).is_in(recipients.get_column(ROW).implode())
    return decision, chosen


def _order(
    frame: pl.DataFrame,
    recipients: pl.DataFrame,
    firsts: pl.DataFrame,
    within: str | None,
    group_of: GroupOf | None,
) -> tuple[str, ...]:
    """The recipients group by group in report order (`group_sort`: no group first, then
    by the text of the group's value), each group's best first. A text group's value is
    its own text, and Polars orders text by code point as Python does, so Polars sorts
    them; any other group's value is read and ordered in Python (groups equal in report
    order keep the order they first appear in: their codes')."""
    if within is None or group_of is None:
        found: list[str] = recipients.get_column(KEY).to_list()
        return tuple(found)
    if frame.schema[within] == pl.String:
        value = frame.get_column(within).gather(recipients.get_column(ROW))
        ordered = recipients.select(KEY, POSITION).with_columns(value.alias(GROUP))
        found = ordered.sort([GROUP, POSITION], nulls_last=False).get_column(KEY).to_list()
        return tuple(found)
    per_group = recipients.group_by(CODE, maintain_order=True).agg(pl.col(KEY))
    first_rows = firsts.get_column(ROW)
    listed = [(group_of.at(first_rows[c]), got) for c, got in per_group.iter_rows()]
    order: list[str] = []
    for _, got in sorted(listed, key=lambda item: group_sort(item[0])):
        order.extend(got)
    return tuple(order)


def _groups(
    ranked: pl.DataFrame,
    recipients: pl.DataFrame,
    firsts: pl.DataFrame,
    keys: Sequence[str],
    readers: Sequence[Callable[[Any], Any]],
    quota: str | None,
    quota_text: str,
    tie_include: bool,
    group_of: GroupOf | None,
) -> dict[Any, tuple[Any, QuotaInfo | None]]:
    """Each group's value as first met and, with a quota, its `QuotaInfo`."""
    value_of = group_of.at if group_of is not None else _none
    found: dict[Any, tuple[Any, QuotaInfo | None]] = {}
    if quota is None:
        for first in firsts.get_column(ROW).to_list():
            value = value_of(first)
            found[value] = (value, None)
        return found
    sizes = ranked.group_by(CODE).agg(
        pl.len().alias(SIZE), pl.col(END).first(), pl.col(CUT_TIE).any()
    )
    got = recipients.group_by(CODE).agg(
        pl.len().alias("__got"), *[pl.col(k).last().alias(f"__cut{i}") for i, k in enumerate(keys)]
    )
    figures = (
        firsts.join(sizes, on=CODE, how="left", maintain_order="left")
        .join(got, on=CODE, how="left", maintain_order="left")
        .select(ROW, QUOTA, SIZE, END, CUT_TIE, "__got", *[f"__cut{i}" for i in range(len(keys))])
    )
    for first, count, size, end, tie, taken, *cut in figures.iter_rows():
        value = value_of(first)
        cutoff = None
        if taken:
            cutoff = tuple(read(v) for read, v in zip(readers, cut, strict=True))
        tied = bool(tie)
        info = QuotaInfo(
            group=value,
            base=size or 0,
            quota=int(count),
            cutoff=cutoff,
            tie=tied,
            overshoot=taken - end if tied and tie_include else 0,
            text=quota_text,
        )
        found[value] = (value, info)
    return found


def _none(row: int) -> None:
    return None


class GroupOf:
    """A subject's group (its value of the `within` field, as validated), by key or by
    place; the index of keys is made the first time a key is asked for. It pickles."""

    def __init__(self, keys: Sequence[str], values: Sequence[Any], codes: Sequence[int]) -> None:
        self.keys = keys
        self.values = values
        self.codes = codes
        self.index: dict[str, int] | None = None
        self.made: pl.Series | bool | None = None  # the codes as a column (False: not groups)

    def at(self, row: int) -> Any:
        return self.values[self.codes[row]]

    def column(self) -> pl.Series | None:
        """The codes as a Polars column, if no two codes stand for one value (two cells,
        " U1" and "U1", may read as one): then they are the groups' codes."""
        if self.made is None:
            try:
                distinct = len(set(self.values)) == len(self.values)
            except TypeError:  # a value that does not hash
                distinct = False
            codes = self.codes
            if not distinct:
                self.made = False
            elif isinstance(codes, pl.Series):
                self.made = codes.cast(pl.UInt32)
            else:
                self.made = pl.Series(CODE, codes, dtype=pl.UInt32)
        return self.made if isinstance(self.made, pl.Series) else None

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


class Groups(dict[Any, tuple[Any, QuotaInfo | None]]):
    """A decision's groups (each group's value and quota), made the first time any is read:
    a `QuotaInfo` for each of tens of thousands of groups costs more than deciding, and a
    result asked only for its recipients never reads one. It pickles as a dict."""

    def __init__(self, make: Callable[[], dict[Any, tuple[Any, QuotaInfo | None]]]) -> None:
        super().__init__()
        self.make: Callable[[], dict[Any, tuple[Any, QuotaInfo | None]]] | None = make
        self.lock = threading.Lock()

    def made(self) -> Groups:
        with self.lock:
            if self.make is not None:
                self.update(self.make())
                self.make = None
        return self

    def __getitem__(self, group: Any) -> tuple[Any, QuotaInfo | None]:
        return dict.__getitem__(self.made(), group)

    def get(self, group: Any, default: Any = None) -> Any:
        return dict.get(self.made(), group, default)

    def __contains__(self, group: object) -> bool:
        return dict.__contains__(self.made(), group)

    def __iter__(self) -> Iterator[Any]:
        return dict.__iter__(self.made())

    def __len__(self) -> int:
        return dict.__len__(self.made())

    def keys(self) -> Any:
        return dict.keys(self.made())

    def values(self) -> Any:
        return dict.values(self.made())

    def items(self) -> Any:
        return dict.items(self.made())

    def __eq__(self, other: object) -> bool:
        return dict.__eq__(self.made(), other)

    __hash__ = None

    def __repr__(self) -> str:
        return dict.__repr__(self.made())

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self.made()),))


class Keys(Collection[str]):
    """Keys in record order; the set that answers `in` is made when first asked (most
    results never ask of most subjects). It pickles as the keys."""

    def __init__(self, keys: Sequence[str]) -> None:
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
