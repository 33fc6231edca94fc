"""The Spark SQL run on a local Spark session gives every value and qualification the row
engine gives (the comparison of test_duckdb.py, `harness.assert_same`).

Opt-in: `make test-spark` (EMURULES_SPARK=1) needs pyspark and Java, so this module is
skipped otherwise; the one exception to "every test runs in CI". The Spark SQL text itself
is tested in every run (test_dialects.py). With EMURULES_SPARK=1 and no pyspark or Java,
the tests fail: the opt-in promised they would run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import sqlglot
from sqlglot import exp

import emurules
from emurules.engine.sql.data import create_table, scaled_rows
from emurules.rules import Rules
from tests.engine.sql.harness import (
    Data,
    History,
    assert_same,
    peer_people,
    plan_for,
    read_row,
    wide_rules,
)
from tests.engine.sql.test_duckdb import traps_people

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

if os.environ.get("EMURULES_SPARK") != "1":
    pytest.skip(
        "the Spark SQL runs on a local Spark session only with EMURULES_SPARK=1 "
        "(make test-spark; needs pyspark and Java)",
        allow_module_level=True,
    )

# py4j leaves its sockets to the garbage collector (ResourceWarning), not a finding here
pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning",
    "ignore:unclosed <socket.socket:ResourceWarning",
)
ROOT = Path(__file__).resolve().parents[3]
TRAPS = Path(__file__).with_name("traps.emu")


def _missing() -> str | None:
    """Why no local Spark session can start here (None: it can)."""
    if importlib.util.find_spec("pyspark") is None:
        return "EMURULES_SPARK=1 but pyspark is not installed (make test-spark installs it)"
    home = os.environ.get("JAVA_HOME")
    if not (home and Path(home, "bin", "java").exists()) and shutil.which("java") is None:
        return "EMURULES_SPARK=1 but no Java is installed (no java on PATH, no JAVA_HOME)"
    return None


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    reason = _missing()
    if reason is not None:
        pytest.fail(reason, pytrace=False)
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("emurules-test-spark")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def _schema(ddl: str) -> str:
    """The column definitions of `create_table`'s Spark DDL, as a DataFrame schema."""
    create = sqlglot.parse_one(ddl, read="spark")
    assert isinstance(create, exp.Create) and isinstance(create.this, exp.Schema)
    return ", ".join(c.sql(dialect="spark") for c in create.this.expressions)


def run_spark(
    session: SparkSession, rules: Rules, data: Data, year: int = 2025, history: History = ()
) -> dict[str, dict[str, Any]]:
    """Every subject's output columns (numbers as Decimals, enums as names), by key: the
    records loaded as the tables `create_table` defines, one temporary view per kind (all
    of them before any query: a query reads others' through relations and paths), and
    the view `history(key, year, award)`."""
    plan, table = plan_for(rules, data, year, dialect="spark")
    found: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for query in plan.queries:
        inputs = [c for c in query.columns if c.role == "input"]
        rows = [
            tuple(
                Decimal(cell) if c.sort == "number" and cell is not None else cell
                for c, cell in zip(inputs, row, strict=True)
            )
            for row in scaled_rows(plan, table, query.kind)
        ]
        schema = _schema(create_table(plan, query.kind))
        session.createDataFrame(rows, schema).createOrReplaceTempView(query.kind)
        counts[query.kind] = len(rows)
    awarded = [(r["key"], int(r["year"]), r["award"]) for r in history if r.get("award")]
    past = session.createDataFrame(awarded, "key STRING, year INT, award STRING")
    past.createOrReplaceTempView("history")
    for query in plan.queries:
        key = rules.schema.kinds[query.kind].key
        out = session.sql(plan.sql(query.kind)).collect()
        assert len(out) == counts[query.kind], f"{query.kind}: {len(out)} rows"
        for row in out:
            values = read_row(rules, query, tuple(row))
            found[values[key]] = values
    return found


def _same(
    session: SparkSession, rules: Rules, data: Data, history: History = ()
) -> dict[str, dict[str, Any]]:
    return assert_same(
        rules, data, run=lambda r, d, y, h: run_spark(session, r, d, y, h), history=history
    )


def test_relations_paths_history_and_league_tables(spark: SparkSession) -> None:
    from tests.engine.sql.test_across import ACROSS, law_2022, population

    _same(spark, *law_2022())
    across, history = population(1)
    _same(spark, emurules.compile(ACROSS, "across.emu"), across, history)


def test_a_pool_of_four_kinds(spark: SparkSession) -> None:
    from tests.engine.sql.test_pools import capital_data, capital_without_lineage

    _same(spark, capital_without_lineage(), capital_data())


def test_peer_rule_on_generated_people(spark: SparkSession) -> None:
    rules = emurules.load(ROOT / "benchmarks" / "peer.emu")
    people = peer_people()
    got = _same(spark, rules, {"person": people})
    assert len(got) == 400
    assert any(row["qualified__peer"] for row in got.values())


@pytest.mark.parametrize("seed", [1, 2, 3, 5, 8])
def test_rounding_traps(spark: SparkSession, seed: int) -> None:
    rules = emurules.load(TRAPS)
    got = _same(spark, rules, {"person": traps_people(seed)})
    assert len(got) == 300
    some = next(iter(got.values()))
    assert some["thirds"] == Decimal("0.999999999999999999")
    assert some["neg"] == Decimal("-0.666666666666666667")


BIG = """
ruleset "Big" { year 2025  round 2 }
subject person { id: text key  x: number  y: number = 1 }
let q "Q" for person = x / 0.000001
let r "R" for person = x / y
let f "F" for person = floor(x / 7)
let c "C" for person = ceil(-x / 7)
let h "H" for person = round(x / 7, 3)
score for person = x / 7
"""


@pytest.mark.parametrize("y", [None, "0.000001", "-0.000003", "999999.999999"])
def test_quotients_beyond_32_digits(spark: SparkSession, y: str | None) -> None:
    """Spark's decimal `/` keeps 32 digits before the point (a DECIMAL(38, 6)); beyond,
    it gave NULL where the row engine gives a value, until `scaled.Arithmetic.int_div`
    divided such dividends in two steps."""
    xs = ["1.5", "123456789012.123456", "-123456789012.123456", "-999999999999.999999"]
    people = [{"id": f"P{i}", "x": x} | ({} if y is None else {"y": y}) for i, x in enumerate(xs)]
    got = _same(spark, emurules.compile(BIG), {"person": people})
    assert got["P1"]["q"] == Decimal("123456789012123456")


def test_integer_division_of_up_to_38_digits(spark: SparkSession) -> None:
    """`int_div` as Spark SQL is Python's `//` for a dividend below 10**38 and any
    positive divisor below 10**37, each path: one division, two, and the CASE of both."""
    import random

    from emurules.engine.sql.scaled import Arithmetic, column

    rng = random.Random(38)
    pairs = [(10**38 - 1, 1), (10**38 - 1, 10**31 + 7), (10**38 - 1, 10**36 + 1), (0, 3)]
    for _ in range(300):
        a = rng.randrange(10 ** rng.randint(1, 38))
        pairs.append((a, 1 + rng.randrange(10 ** rng.randint(1, 37))))
    arithmetic = Arithmetic("spark")
    frame = spark.createDataFrame(
        [(Decimal(a), Decimal(b)) for a, b in pairs], "a DECIMAL(38, 0), b DECIMAL(38, 0)"
    )
    frame.createOrReplaceTempView("pairs")
    paths = [(32, 38), (38, 32), (38, 38)]  # one division, two, the CASE of both
    divisions = [arithmetic.int_div(column("a"), column("b"), *path) for path in paths]
    select = exp.select(column("a"), column("b"), *divisions).from_("pairs")
    rows = spark.sql(select.sql(dialect="spark")).collect()
    assert len(rows) == len(pairs)
    for row in rows:
        x, y = int(row[0]), int(row[1])
        one, two, either = (None if cell is None else int(cell) for cell in row[2:])
        if x < 10**32:
            assert one == x // y, (x, y)
        if y < 10**32:
            assert two == x // y, (x, y)
        assert either == x // y, (x, y)


def test_wide_rules_run_without_raising_the_analysers_limit(spark: SparkSession) -> None:
    """80 criteria (each with a helper column) and a score: as many CTEs as the longest
    chain, not one per step, so Spark's analyser (100 iterations) takes them."""
    people = [{"id": f"P{i}", "x": f"{i}.{i % 10}"} for i in range(40)]
    got = _same(spark, emurules.compile(wide_rules(80)), {"person": people})
    assert len(got) == 40
