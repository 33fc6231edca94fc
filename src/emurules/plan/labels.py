"""`Rules.labels`: the people's names of what the criteria declare, for reports that show
a label beside an identifier and a subject's name beside its key."""

from __future__ import annotations

import attrs

from emurules.plan.schema import Schema


@attrs.frozen
class Labels:
    """Read-only: every method answers None for something without a label (or unknown)."""

    _schema: Schema = attrs.field(alias="schema", repr=False)

    def kind(self, kind: str) -> str | None:
        """A subject kind's label: `subject individual "Cá nhân"` -> "Cá nhân"."""
        info = self._schema.kinds.get(kind)
        return info.label if info is not None else None

    def name(self, kind: str, name: str) -> str | None:
        """The label of a field or a relation of a subject kind."""
        info = self._schema.kinds.get(kind)
        named = info.names.get(name) if info is not None else None
        return named.label if named is not None else None

    def value(self, enum: str, value: str) -> str | None:
        """The label of an enum value."""
        return self._schema.enum_labels.get(enum, {}).get(value)

    def display(self, kind: str) -> str | None:
        """The field that names a subject of the kind beside its key: the one the kind
        declares with `display`, else `name` when it is a text field, else None."""
        info = self._schema.kinds.get(kind)
        return info.display if info is not None else None
