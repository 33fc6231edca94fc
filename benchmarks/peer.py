"""The peer rule several ways: emurules (the automatic choice of engine, each engine named,
and the columnar one from an Arrow table), a hand-written Python loop, zen-engine, and
hand-written Polars (from the list of dicts, and from the same Arrow table).

Each function takes the people as a list of dicts and returns the recipients in the order
`Result.recipients` gives them: units in key order, best first within a unit, the key
breaking ties. Scores are compared in hundredths as integers, so that no engine's float
rounding can reorder a tie.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import emurules

CRITERIA = Path(__file__).with_name("peer.emu")
YEAR = 2025
Rows = list[dict[str, Any]]

RANK = {"incomplete": 0, "complete": 1, "good": 2, "excellent": 3}
TASK_POINTS = {"excellent": 100, "good": 75, "complete": 40, "incomplete": 0}

ZEN_ELIGIBLE = 'task == "good" or task == "excellent"'
ZEN_SCORE = (
    '0.5 * (task == "excellent" ? 100 : (task == "good" ? 75 : (task == "complete" ? 40 : 0)))'
    " + 0.3 * min([25 * initiatives, 100]) + 0.2 * min([2.5 * training, 100])"
)


def compile_rules() -> emurules.Rules:
    import emurules  # only here, so that the baselines' processes do not pay for it

    return emurules.load(CRITERIA)


def with_emurules(rules: emurules.Rules, people: Any, engine: str | None = None) -> tuple[str, ...]:
    """From the list of dicts (or a frame), with the engine named (None: chosen)."""
    return rules.evaluate({"person": people}, year=YEAR, engine=engine).recipients("peer")


def arrow_table(people: Rows) -> Any:
    """The people as an Arrow table, made before the timer starts."""
    import polars as pl

    return pl.DataFrame(people).to_arrow()


def with_python(people: Rows) -> tuple[str, ...]:
    """The baseline: what a programmer would write by hand for this one rule."""
    staff: dict[str, int] = defaultdict(int)
    candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for person in people:
        unit, task = person["unit"], person["task"]
        staff[unit] += 1
        if RANK[task] >= RANK["good"]:
            score = (
                50 * TASK_POINTS[task]
                + 30 * min(25 * person["initiatives"], 100)
                + min(50 * person["training"], 2000)
            )
            candidates[unit].append((-score, person["id"]))
    return _top(staff, candidates)


def _top(staff: dict[str, int], candidates: dict[str, list[tuple[int, str]]]) -> tuple[str, ...]:
    recipients: list[str] = []
    for unit in sorted(staff):
        quota = 15 * staff[unit] // 100
        recipients.extend(key for _, key in sorted(candidates[unit])[:quota])
    return tuple(recipients)


def zen_expressions() -> tuple[Any, Any]:
    """Compiled once per run, like emurules' rules."""
    import zen

    return zen.compile_expression(ZEN_ELIGIBLE), zen.compile_expression(ZEN_SCORE)


def with_zen(compiled: tuple[Any, Any], people: Rows) -> tuple[str, ...]:
    """The zen-engine expression VM evaluates both expressions per person; ranking in Python."""
    eligible, score = compiled
    staff: dict[str, int] = defaultdict(int)
    candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for person in people:
        staff[person["unit"]] += 1
        if eligible.evaluate(person):
            points = round(score.evaluate(person) * 100)
            candidates[person["unit"]].append((-points, person["id"]))
    return _top(staff, candidates)


def with_polars(people: Rows) -> tuple[str, ...]:
    """A hand-written Polars pipeline, from the list of dicts to the recipients."""
    import polars as pl

    return _polars_pipeline(pl.DataFrame(people))


def with_polars_arrow(table: Any) -> tuple[str, ...]:
    """The same pipeline from an Arrow table (which Polars takes without copying)."""
    import polars as pl

    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return _polars_pipeline(frame)


def _polars_pipeline(frame: Any) -> tuple[str, ...]:
    import polars as pl

    points = pl.col("task").replace_strict(TASK_POINTS, return_dtype=pl.Int64)
    score = (
        50 * points
        + 30 * pl.min_horizontal(25 * pl.col("initiatives"), pl.lit(100))
        + pl.min_horizontal(50 * pl.col("training"), pl.lit(2000))
    )
    chosen = (
        frame.with_columns(quota=(15 * pl.len().over("unit")) // 100, score=score)
        .filter(pl.col("task").is_in(["good", "excellent"]))
        .sort(["unit", "score", "id"], descending=[False, True, False])
        .filter(pl.int_range(pl.len()).over("unit") < pl.col("quota"))
    )
    return tuple(chosen["id"].to_list())
