"""What a decision made over columns holds, read from the columns when first asked for:
each subject's group (`GroupOf`), the qualified subjects' keys, their places, each
group's quota figures, the qualified of a group best first. At millions of subjects,
listing them costs more than deciding, and most results never read them all."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, overload

import polars as pl

from emurules.data.columns import KeyColumn, key_series
from emurules.engine.columnar.frames import KEY
from emurules.result import QuotaInfo

GROUP = "__group"
CODE = "__code"  # a subject's group, as an integer


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

    def at_rows(self, rows: pl.Series) -> list[Any]:
        """The groups of many rows at once: a column of codes is read in one gather, not
        one look-up (of some microseconds) a row."""
        codes = self.codes
        found = codes.gather(rows).to_list() if isinstance(codes, pl.Series) else None
        if found is None:
            found = [codes[row] for row in rows.to_list()]
        values = self.values
        return [values[code] for code in found]

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


class Gathered(Sequence[str]):
    """The keys of some subjects (`rows`, places in the frame), gathered from the frame's
    keys the first time one is read: most results never read the qualified subjects'
    keys, and at millions of them gathering costs more than deciding. It pickles as
    the keys (a `KeyColumn`)."""

    def __init__(self, source: pl.Series, rows: pl.Series) -> None:
        self.source: pl.Series | None = source
        self.rows = rows
        self.made: KeyColumn | None = None
        self.lock = threading.Lock()

    def column(self) -> KeyColumn:
        with self.lock:
            if self.made is None:
                assert self.source is not None
                self.made = KeyColumn(self.source.gather(self.rows))
                self.source = None  # the frame's keys, no longer needed
            return self.made

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self.column()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.column())

    def __contains__(self, key: object) -> bool:
        return key in self.column()

    def __reduce__(self) -> tuple[Any, ...]:
        return (KeyColumn, (self.column().series,))


class Positions(dict[str, int]):
    """Each ranked subject's place (from 1), listed the first time one is asked for: most
    results never ask."""

    def __init__(self, keys: Sequence[str], places: pl.Series) -> None:
        super().__init__()
        self.subjects = keys
        self.places: pl.Series | None = places
        self.lock = threading.Lock()

    def get(self, key: str, default: Any = None) -> Any:
        with self.lock:
            if self.places is not None:
                self.update(zip(self.subjects, (self.places + 1).to_list(), strict=True))
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

    def __init__(self, keys: Sequence[str], groups: pl.Series) -> None:
        self.keys = keys  # in rank order, gathered when first read
        self.codes = groups
        self.made: pl.DataFrame | None = None
        self.groups: dict[Any, list[str]] | None = None
        self.lock = threading.Lock()

    def ranked(self) -> pl.DataFrame:
        with self.lock:
            if self.made is None:
                keys = self.keys.column() if isinstance(self.keys, Gathered) else self.keys
                self.made = pl.DataFrame({KEY: key_series(keys, KEY), GROUP: self.codes})
            return self.made

    def __call__(self, key: str) -> list[str] | None:
        ranked = self.ranked()
        mine = ranked.filter(pl.col(KEY) == key)
        if not mine.height:
            return None
        with self.lock:
            if self.groups is None:
                listed = ranked.group_by(GROUP, maintain_order=True).agg(pl.col(KEY))
                self.groups = dict(listed.iter_rows())
            return self.groups.get(mine.get_column(GROUP)[0])

    def __getstate__(self) -> dict[str, Any]:
        ranked = self.ranked()
        return {"keys": ranked.get_column(KEY), "groups": ranked.get_column(GROUP)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(KeyColumn(state["keys"]), state["groups"])  # type: ignore[misc]
