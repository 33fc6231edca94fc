"""The peer rule on a table that already lives in DuckDB (issue 16): `Rules.evaluate(
connection, engine="sql")` against hand-written SQL of the same rule over the same table,
both ending with the recipients in `Result.recipients`' order.

    python benchmarks/database.py --sizes 1m,10m --repeat 3

The table is made by DuckDB itself (deterministic, from `hash`), in a database file under a
temporary folder, before any timer starts; each measurement opens its own connection.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CRITERIA = Path(__file__).with_name("peer.emu")
TASKS = ("incomplete", "complete", "good", "excellent")

MAKE = """
CREATE TABLE person AS
SELECT
  'P' || lpad(CAST(i AS VARCHAR), 8, '0') AS id,
  'U' || lpad(CAST(hash(i, 1) % {units} AS VARCHAR), 5, '0') AS unit,
  ['incomplete', 'complete', 'good', 'excellent'][CAST(hash(i, 2) % 4 AS INTEGER) + 1] AS task,
  CAST(hash(i, 3) % 7 AS INTEGER) AS initiatives,
  CAST(CAST(hash(i, 4) % 600 AS INTEGER) / 10.0 AS DECIMAL(5, 1)) AS training
FROM range({size}) AS t(i)
"""

# What a database administrator would write for this one rule: scores in hundredths as
# integers, each unit's quota from its headcount, the best first, the key breaking ties.
HAND_WRITTEN = """
WITH scored AS (
  SELECT id, unit,
    task IN ('good', 'excellent') AS eligible,
    50 * CASE task WHEN 'excellent' THEN 100 WHEN 'good' THEN 75
                   WHEN 'complete' THEN 40 ELSE 0 END
      + 30 * LEAST(25 * initiatives, 100)
      + LEAST(50 * training, 2000) AS score
  FROM person
), quotas AS (
  SELECT unit, COUNT(*) * 15 // 100 AS quota FROM person GROUP BY unit
), ranked AS (
  SELECT id, unit, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY score DESC, id) AS place
  FROM scored WHERE eligible
)
SELECT id FROM ranked JOIN quotas USING (unit) WHERE place <= quota ORDER BY unit, place
"""


def build(path: Path, size: int) -> None:
    import duckdb

    connection = duckdb.connect(str(path))
    connection.execute(MAKE.format(size=size, units=max(1, size // 35)))
    connection.close()


def with_sql(path: Path) -> tuple[str, ...]:
    import duckdb

    connection = duckdb.connect(str(path), read_only=True)
    try:
        return tuple(row[0] for row in connection.execute(HAND_WRITTEN).fetchall())
    finally:
        connection.close()


def with_emurules(rules: Any, path: Path) -> tuple[str, ...]:
    """The rules compiled before the timer starts, as a service would keep them."""
    import duckdb

    connection = duckdb.connect(str(path), read_only=True)
    try:
        return rules.evaluate(connection, engine="sql").recipients("peer")
    finally:
        connection.close()


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, found = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        found = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), found


def _size(text: str) -> int:
    return int(text.lower().replace("m", "000000").replace("k", "000"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1m", help="comma-separated, e.g. 100k,1m,10m")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [_size(text) for text in args.sizes.split(",")]
    import emurules

    rules = emurules.load(CRITERIA)
    print("| rows | hand-written SQL | emurules engine='sql' | ratio | same recipients |")
    print("|---|---|---|---|---|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "staff.duckdb"
            build(path, size)
            base, expected = timed(functools.partial(with_sql, path), args.repeat)
            ours, found = timed(functools.partial(with_emurules, rules, path), args.repeat)
            print(f"| {size:,} | {base:.2f} s | {ours:.2f} s | {ours / base:.1f}× "
                  f"| {found == expected} ({len(found):,}) |", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
