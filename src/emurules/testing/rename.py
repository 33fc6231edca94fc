"""A counterexample keyed as simply as it goes: after shrinking, the subjects of each kind
are renamed P1, P2, ... (1, 2, ... for a number key) in the order of their records, so
that a population of one unit and one member reads U1 and P1, not U4 and P2.

Every place a key is written follows: the key field, each reference to the subject, the
history rows of it, and what a check drew besides the population (`Property.rename`).
Keys can matter (a tie broken by key, a condition on `id`), so the renamed case is used
only when it still breaks the check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from emurules.plan.schema import Schema
from emurules.rules import Rules
from emurules.testing.strategies import OMIT, Population, simple_key


@attrs.frozen
class Renaming:
    """New keys by (kind, old key as text); a key not named keeps its value."""

    schema: Schema
    keys: Mapping[tuple[str, str], Any]

    @property
    def identity(self) -> bool:
        return all(str(new) == old for (_, old), new in self.keys.items())

    def key(self, kind: str, old: Any) -> Any:
        """A raw key (of a record, a reference or a history row), renamed."""
        if old is OMIT:
            return old
        return self.keys.get((kind, str(old)), old)

    def text(self, kind: str, old: str) -> str:
        """A key as a check holds it (text), renamed."""
        return str(self.key(kind, old))

    def raw(self, kind: str, field: str, value: Any) -> Any:
        """A raw value of a field: renamed when the field refers to a subject."""
        info = self.schema.kinds[kind].fields.get(field)
        if info is None or info.type.kind != "ref":
            return value
        return self.key(info.type.name or "", value)

    def population(self, population: Population) -> Population:
        data = {
            kind: [{name: self._cell(kind, name, v) for name, v in row.items()} for row in rows]
            for kind, rows in population.data.items()
        }
        owners = _owners(self.schema, population.data)
        kinds = [
            str(r.get("kind") or next(iter(owners.get(str(r.get("key")), {""}))))
            for r in population.history
        ]
        history = [
            {**r, "key": self.key(kind, r.get("key"))}
            for r, kind in zip(population.history, kinds, strict=True)
        ]
        if any(len(found) > 1 for found in _owners(self.schema, data).values()):
            history = [{**r, "kind": kind} for r, kind in zip(history, kinds, strict=True)]
        return attrs.evolve(population, data=data, history=history)

    def _cell(self, kind: str, name: str, value: Any) -> Any:
        if name == self.schema.kinds[kind].key:
            return self.key(kind, value)
        return self.raw(kind, name, value)


def simplest_keys(rules: Rules, population: Population) -> Renaming:
    """The renaming of every subject of `population` to the simplest keys of its kind, in
    the order of its records."""
    schema = rules.schema
    keys = {
        (kind, str(row[schema.kinds[kind].key])): simple_key(schema, kind, number)
        for kind, rows in population.data.items()
        for number, row in enumerate(rows, start=1)
    }
    return Renaming(schema, keys)


def _owners(schema: Schema, data: Mapping[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    """Each key (as text) -> the kinds that have a subject with it."""
    found: dict[str, set[str]] = {}
    for kind, rows in data.items():
        key = schema.kinds[kind].key
        for row in rows:
            found.setdefault(str(row[key]), set()).add(kind)
    return found
