"""The engines `Rules.evaluate` can run, by name; every engine shares decide/rank, so an
engine plugs in here without touching them."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import attrs

from emurules.data.validate import Table
from emurules.engine.results import build_result
from emurules.engine.row import Compiled, RowEngine
from emurules.errors import UsageError
from emurules.i18n import message
from emurules.plan.steps import Plan
from emurules.result import Result


@attrs.frozen
class Engine:
    """An engine: what it prepares once per ruleset, and how it evaluates a table."""

    name: str
    prepare: Callable[[Plan], object]
    evaluate: Callable[[Plan, object, Table, int], Result]


@contextmanager
def bulk() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a population is evaluated: it makes
    millions of objects that all live on (values, rows, decisions), and each full
    collection would walk every one of them, so time would grow faster than the
    population. Evaluation leaves no garbage cycles behind; collection resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _row(plan: Plan, prepared: object, table: Table, year: int) -> Result:
    assert isinstance(prepared, Compiled)
    with bulk():
        engine = RowEngine(plan, table, year, prepared)
        engine.run()
        return build_result(engine, table, year)


ENGINES: dict[str, Engine] = {"row": Engine("row", Compiled.of, _row)}


def choose(name: str | None) -> Engine:
    """The engine named (None: the automatic choice, the row engine while it is the only
    one); an unknown name is a usage error listing the engines."""
    if name is None:
        return ENGINES["row"]
    if not isinstance(name, str) or name not in ENGINES:
        known = tuple(repr(n) for n in ENGINES)
        raise UsageError(message("engine.unknown-engine", name=repr(name), engines=known))
    return ENGINES[name]
