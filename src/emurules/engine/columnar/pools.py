"""Awards that share one quota across kinds (`pool`), decided by the columnar engine.

Each award of a pool is qualified over its kind's columns; once the last one is, the
qualified subjects of every award and their rank values are read from the columns, and
the pool is decided by `engine/decide.py`'s own `decide_pool`, the row engine's code. A
pool's places are a handful of titles among a few awards' qualified subjects, not a
population, so ranking them in Python costs little, and the meaning is written once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import polars as pl

from emurules.engine.columnar.exact import Col
from emurules.engine.columnar.frames import KEY, reader
from emurules.engine.decide import Candidates, decide_pool
from emurules.plan import ir
from emurules.plan.steps import Award

if TYPE_CHECKING:
    from emurules.engine.columnar.engine import ColumnarEngine


@attrs.frozen
class Waiting:
    """An award of a pool qualified, waiting for the others: its candidates."""

    step: Award
    candidates: Candidates


def candidates(engine: ColumnarEngine, step: Award, met: str, keys: Sequence[str]) -> Candidates:
    """The award's qualified subjects, in record order, and their rank values as the row
    engine holds them, read from the kind's columns (`met`: the qualification column;
    `keys`: the rank key columns)."""
    frame = engine.frames[step.kind]
    chosen = frame.filter(pl.col(met).fill_null(False))
    readers: list[Callable[[Any], Any]] = [
        reader(engine.columns[step.kind][name], key.expr.type, engine.plan.schema)
        for name, key in zip(keys, step.rank_by, strict=True)
    ]
    subjects: list[str] = chosen.get_column(KEY).to_list()
    columns = [chosen.get_column(name).to_list() for name in keys]
    values = {
        subject: tuple(read(column[at]) for read, column in zip(readers, columns, strict=True))
        for at, subject in enumerate(subjects)
    }
    return Candidates(step.name, subjects, values.__getitem__)


def decide(engine: ColumnarEngine, waiting: dict[str, Waiting], step: Award) -> bool:
    """Decide the pool of `step` if every award of it is waiting (True), recording each
    award's decision and its column of who receives it; else leave it waiting."""
    pool = step.pool
    assert pool is not None
    if any(name not in waiting for name in pool.awards):
        return False
    decisions = decide_pool(
        [waiting[name].candidates for name in pool.awards],
        descending=tuple(k.descending for k in step.rank_by),
        quota=pool.quota,
        quota_text=pool.text,
        tie_include=pool.tie_include,
    )
    for name in pool.awards:
        award = waiting.pop(name).step
        decision = decisions[name]
        engine.decisions[name] = decision
        frame = engine.frames[award.kind]
        received = pl.Series(sorted(decision.received), dtype=pl.String)
        engine.frames[award.kind] = frame.with_columns(
            pl.col(KEY).is_in(received.implode()).alias(name)
        )
        engine.columns[award.kind][name] = Col(pl.col(name), "bool")
        engine.types[award.kind][name] = ir.VType("bool")
    return True


__all__ = ["Waiting", "candidates", "decide"]
