"""A mapping whose values are made when first asked for: what a result of a million
subjects is made of."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LazyMap(Mapping[K, V]):
    """A read-only mapping whose values are made when first asked for, so that a result for
    a million subjects holds no object it was not asked for. Its keys are listed (`keys`,
    in their fixed order) only when it is iterated, and `contains` answers membership, so
    it costs nothing per subject until it is read. It pickles (and copies) as the plain
    dict of all its values."""

    def __init__(
        self,
        keys: Callable[[], Sequence[K]],
        contains: Callable[[Any], bool],
        make: Callable[[K], V],
    ) -> None:
        self._list = keys
        self._listed: Sequence[K] | None = None
        self._contains = contains
        self._make = make
        self._made: dict[K, V] = {}

    def _keys(self) -> Sequence[K]:
        if self._listed is None:
            self._listed = self._list()
        return self._listed

    def __getitem__(self, key: K) -> V:
        found = self._made.get(key)
        if found is None:
            if not self._contains(key):
                raise KeyError(key)
            found = self._made[key] = self._make(key)
        return found

    def __contains__(self, key: object) -> bool:
        return self._contains(key)

    def __iter__(self) -> Iterator[K]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self.items()),))
