"""The columnar engine as the registry runs it: refuse what it cannot evaluate, run, and make
the `Result`, whose values are read from the columns when asked for.

What a result shows of one subject beyond its values and decisions (the values each
condition read, explanations) is the row engine's: it evaluates the same table once, the
first time one is asked for, so every explanation reads exactly as the reference says it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from emurules.data.columns import Cells, KindCells
from emurules.data.history import History
from emurules.data.validate import Table
from emurules.engine.closures import Compiled
from emurules.engine.columnar.decide import Keys
from emurules.engine.columnar.engine import ColumnarEngine, NeedsRow
from emurules.engine.columnar.support import Refusal, refusals
from emurules.engine.columnar.view import ColumnView
from emurules.engine.results import assemble, build_result
from emurules.engine.row import RowEngine
from emurules.plan.steps import Plan
from emurules.result import Result
from emurules.values import MISSING


@attrs.frozen
class Prepared:
    """What the engine keeps per ruleset: what it refuses, and the row engine's closures
    (for explanations, and for a table it hands over)."""

    refused: tuple[Refusal, ...]
    compiled: Compiled

    @classmethod
    def of(cls, plan: Plan) -> Prepared:
        return cls(tuple(refusals(plan)), Compiled.of(plan))


def evaluate(plan: Plan, prepared: Prepared, table: Table, year: int) -> tuple[Result, str]:
    """The result and the engine that made it: "columnar", or "row" when this table needs
    the row engine (`NeedsRow`)."""
    return evaluate_cells(plan, prepared, cells_of(plan, table), lambda: table, year, table.history)


def evaluate_cells(
    plan: Plan,
    prepared: Prepared,
    cells: Mapping[str, KindCells],
    table: Callable[[], Table],
    year: int,
    history: History | None = None,
    make: Callable[..., ColumnarEngine] = ColumnarEngine,
    name: str = "columnar",
) -> tuple[Result, str]:
    """The same, from records read as columns; `table` gives them validated as records,
    for what only the row engine makes (it is called once, if ever). `make` makes the
    engine (an engine computing some steps elsewhere, as the SQL engine, subclasses it),
    `name` is what the result's provenance calls it."""
    assert not prepared.refused, "refused rules never reach the engine"
    try:
        engine = make(plan, cells, year, history)
        engine.run()
    except NeedsRow:
        return _row(plan, prepared, table(), year), "row"
    row = _Once(lambda: ColumnView(engine, prepared.compiled, history or History()))
    subjects = {kind: Keys(cells[kind].keys if kind in cells else []) for kind in plan.kinds}
    made = assemble(plan, subjects, (), year, engine.decisions, _Values(engine), row, engine.league)
    return made, name


def cells_of(plan: Plan, table: Table) -> dict[str, KindCells]:
    """Validated records as columns: each field's distinct values and each row's index."""
    found: dict[str, KindCells] = {}
    for kind in plan.kinds:
        records = table.records.get(kind, ())
        names = plan.schema.kinds[kind].fields if plan.schema is not None else {}
        fields: dict[str, Cells] = {}
        for name in names:
            index: dict[Any, int] = {}
            codes = [index.setdefault(r.values.get(name, MISSING), len(index)) for r in records]
            fields[name] = Cells(list(index), codes)
        found[kind] = KindCells([r.key for r in records], fields)
    return found


def _ran(plan: Plan, prepared: Prepared, table: Table, year: int) -> RowEngine:
    engine = RowEngine(plan, table, year, prepared.compiled)
    engine.run()
    return engine


def _row(plan: Plan, prepared: Prepared, table: Table, year: int) -> Result:
    engine = _ran(plan, prepared, table, year)
    return build_result(engine, table, year)


class _Once:
    """A row engine run the first time it is needed, once, whatever thread asks."""

    def __init__(self, make: Callable[[], RowEngine]) -> None:
        self.make = make
        self.made: RowEngine | None = None
        self.lock = threading.Lock()

    def __call__(self) -> RowEngine:
        with self.lock:
            if self.made is None:
                self.made = self.make()
            return self.made


class _Values:
    """Each subject's computed values, read from the columns: a kind's columns are listed
    the first time one of its subjects is asked for."""

    def __init__(self, engine: ColumnarEngine) -> None:
        self.engine = engine
        self.names = {kind: engine.plan.computed(kind) for kind in engine.plan.kinds}
        self.made: dict[str, dict[str, dict[str, Any]]] = {}
        self.lock = threading.Lock()

    def __call__(self, kind: str, key: str) -> dict[str, Any]:
        with self.lock:
            rows = self.made.get(kind)
            if rows is None:
                rows = self.made[kind] = dict(self.engine.values(kind, self.names[kind]))
        return dict(rows[key])
