"""A counterexample made as small as it goes: hypothesis shrinks what it drew, and this
finishes the job on the population itself, so that what a reviewer reads is minimal in
the sense they check by hand: leaving out any subject (or history row), or setting any
field back to its default (or to its simplest value), no longer breaks the check.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from emurules.errors import DataError, EvaluationError
from emurules.plan.schema import FieldSchema, Schema
from emurules.rules import Rules
from emurules.testing.evaluation import Invalid
from emurules.testing.strategies import TEXTS, Population, without

BUDGET: Final = 600  # evaluations at most: a counterexample is small, this is a safeguard

C = TypeVar("C")


def minimise(
    rules: Rules,
    case: C,
    population: Callable[[C], Population],
    replace: Callable[[C, Population], C],
    breaks: Callable[[C], bool],
) -> C:
    """`case` (which breaks the check) with its population made smaller and simpler for
    as long as the check stays broken; `population` reads a case's population and
    `replace` makes a case with another one."""
    budget = [BUDGET]

    def still(candidate: Population) -> C | None:
        if budget[0] <= 0:
            return None
        budget[0] -= 1
        made = replace(case, candidate)
        try:
            return made if breaks(made) else None
        except (DataError, Invalid, EvaluationError):
            return None

    changed = True
    while changed and budget[0] > 0:
        changed = False
        for candidate in _smaller(rules, population(case)):
            found = still(candidate)
            if found is not None:
                case, changed = found, True
                break
        else:
            for candidate in _simpler(rules.schema, population(case)):
                found = still(candidate)
                if found is not None:
                    case, changed = found, True
                    break
    return case


def _smaller(rules: Rules, population: Population) -> list[Population]:
    """The population without one subject (last ones first), or without one history row."""
    found = []
    for kind, rows in population.data.items():
        key = rules.schema.kinds[kind].key
        for row in reversed(rows):
            data, history = without(rules, population.data, population.history,
                                    {(kind, str(row[key]))})  # fmt: skip
            found.append(attrs.evolve(population, data=data, history=history))
    for index in reversed(range(len(population.history))):
        history = population.history[:index] + population.history[index + 1 :]
        found.append(attrs.evolve(population, history=history))
    return found


def _simpler(schema: Schema, population: Population) -> list[Population]:
    """The population with one field of one record set back to its default (left out),
    or, for a required field, to its simplest value."""
    found = []
    for kind, rows in population.data.items():
        info = schema.kinds[kind]
        for index, row in enumerate(rows):
            for field in info.fields.values():
                if field.name == info.key or field.name not in row:
                    continue
                if field.optional or field.default is not None:
                    new = {n: v for n, v in row.items() if n != field.name}
                else:
                    simple = _simplest(field, population, schema)
                    if simple is None or _same(row[field.name], simple):
                        continue
                    new = {**row, field.name: simple}
                data = {**population.data, kind: [*rows[:index], new, *rows[index + 1 :]]}
                found.append(attrs.evolve(population, data=data))
    return found


def _simplest(field: FieldSchema, population: Population, schema: Schema) -> Any:
    """The simplest value a required field can take: false, zero (or the bound nearest
    it), the first enum value, the first text, the first subject referred to."""
    match field.type.kind:
        case "bool":
            return False
        case "int" | "number" | "percent":
            unit = Decimal(1) if field.type.kind == "int" else Decimal("0.01")
            value = Decimal(0)
            if field.low is not None and value <= field.low[0]:
                value = field.low[0] + (unit if field.low[1] else 0)
            if field.high is not None and value >= field.high[0]:
                value = field.high[0] - (unit if field.high[1] else 0)
            return int(value) if field.type.kind == "int" else value
        case "text":
            return TEXTS[0]
        case "date":
            return datetime.date(population.year, 1, 1)
        case "enum":
            return schema.enums[field.type.name or ""][0]
        case _:
            return None  # a reference keeps its target


def _same(a: Any, b: Any) -> bool:
    numbers = (int, Decimal)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return not isinstance(a, bool) and not isinstance(b, bool) and Decimal(a) == Decimal(b)
    return type(a) is type(b) and a == b
