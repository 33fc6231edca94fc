"""The output columns of a query of the SQL (`lower.Query.columns`): what each holds."""

from __future__ import annotations

from typing import Literal

import attrs

from emurules.engine.sql.scaled import Sort

Role = Literal[
    "input", "value", "qualified", "failed", "broken", "row", "bad", "place", "quota", "received"
]
ROW = "__row"  # the record's place (from 0) in a database table's order: `lower(tables=)`
BAD = "__bad"  # whether the record breaks a check of the validation: `lower(tables=)`


@attrs.frozen
class Column:
    """An output column: an input (`input`), a step's value (`value`), an award's
    qualification (`qualified`), a flag of a division by zero (`failed`, `step` the
    step it flags) or of a record breaking a data rule (`broken`, `step` its label), or
    the record's place in its table (`row`, `__row`, with `lower(tables=)`), or whether
    the validation would find a problem in it (`bad`, `__bad`, with `lower(tables=)`);
    without `decided`, a ranked award's place (`place`, NULL unless qualified), its
    group's quota (`quota`) and whether it was received (`received`; `decision.py`).
    Numbers are integers scaled by 10**scale; enums are indexes into `enum`'s values."""

    name: str
    role: Role
    sort: Sort
    scale: int = 0
    enum: str | None = None
    step: str | None = None


__all__ = ["BAD", "ROW", "Column", "Role"]
