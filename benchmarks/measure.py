"""One measurement in a fresh process, so that its peak memory is its own.

    python benchmarks/measure.py peer|law ENGINE SIZE
    python benchmarks/measure.py database sql|duckdb SIZE PATH
    python benchmarks/measure.py compile - 0
    python benchmarks/measure.py law-write - SIZE FOLDER      # the Parquet files, untimed
    python benchmarks/measure.py law-parquet emurules SIZE FOLDER

Prints one JSON line: seconds, peak RSS (KiB) with the input loaded and after the run,
and a digest of the recipients, which run.py compares between engines. `law-parquet`
reads the files `law-write` made (in another process, so that the million dicts it builds
are no part of this one's peak) with the project's readers and evaluates them with the
automatic choice of engine: its peak is the whole process's, reading included.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
LAW = HERE.parent / "examples" / "law-2022" / "criteria.emu"
WARM_UP = 200  # people evaluated once before timing, so no engine pays for lazy imports
EXPLAINED = 5  # subjects explained on demand after the law-2022 run


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def digest(keys: tuple[str, ...]) -> str:
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


def peer(engine: str, size: int) -> dict[str, Any]:
    import data
    import peer

    run: Callable[[Any], tuple[str, ...]]
    made: Callable[[list[dict[str, Any]]], Any] = lambda people: people  # noqa: E731
    if engine in ("emurules", "row", "columnar", "arrow", "sql"):
        rules = peer.compile_rules()
        named = {"emurules": None, "arrow": "columnar"}.get(engine, engine)
        if engine == "arrow":
            made = peer.arrow_table

        def run(people: Any) -> tuple[str, ...]:
            return peer.with_emurules(rules, people, named)
    elif engine == "polars-arrow":
        made, run = peer.arrow_table, peer.with_polars_arrow
    elif engine == "zen":
        compiled = peer.zen_expressions()

        def run(people: Any) -> tuple[str, ...]:
            return peer.with_zen(compiled, people)
    else:
        run = {"python": peer.with_python, "polars": peer.with_polars}[engine]
    warm = data.peer_people(WARM_UP, seed=1)
    run(made(warm))
    if engine == "emurules" and importlib.util.find_spec("polars") is not None:
        peer.with_emurules(rules, warm, "columnar")  # the automatic choice's other engine
    people = made(data.peer_people(size))
    return timed(lambda: run(people), size)


def law(engine: str, size: int) -> dict[str, Any]:
    import data

    import emurules

    rules = emurules.load(LAW)
    warm, warm_history = data.law_population(WARM_UP, seed=1)
    rules.evaluate(warm, history=warm_history)
    if importlib.util.find_spec("polars") is not None:  # the automatic choice's other engine
        rules.evaluate(warm, history=warm_history, engine="columnar")
    population, history = data.law_population(size)
    result: list[emurules.Result] = []

    def run() -> tuple[str, ...]:
        result.append(rules.evaluate(population, history=history))
        return tuple(k for a in result[0].awards for k in result[0].recipients(a.name))

    found = timed(run, size)
    keys = [r["id"] for r in population["individual"]]
    chosen = [keys[i * (len(keys) - 1) // max(1, EXPLAINED - 1)] for i in range(EXPLAINED)]
    times = []
    for key in chosen:
        start = time.perf_counter()
        str(result[0].explain(key, kind="individual"))
        times.append(time.perf_counter() - start)
    found["explain_ms"] = sorted(times)[len(times) // 2] * 1000
    found["collectives"] = len(population["collective"])
    found["history_rows"] = len(history)
    return found


LAW_FILES = ("collective", "individual", "history")


def law_write(size: int, folder: Path) -> dict[str, Any]:
    """The law-2022 population of `size` people as three Parquet files in `folder`."""
    import data
    import pyarrow as pa
    import pyarrow.parquet as parquet

    population, history = data.law_population(size)
    tables = {**population, "history": history}
    for name in LAW_FILES:
        parquet.write_table(pa.Table.from_pylist(tables[name]), folder / f"{name}.parquet")
    return {"size": size, "folder": str(folder)}


def law_parquet(size: int, folder: Path) -> dict[str, Any]:
    """law-2022 read from the Parquet files in `folder` and evaluated (the automatic
    choice): the whole process's peak RSS, the seconds to read and to evaluate."""
    import data

    import emurules
    from emurules.data.readers import read_file

    rules = emurules.load(LAW)
    warm, warm_history = data.law_population(WARM_UP, seed=1)
    rules.evaluate(warm, history=warm_history)
    rules.evaluate(warm, history=warm_history, engine="columnar")
    del warm, warm_history
    gc.collect()
    start = time.perf_counter()
    read = {name: read_file(folder / f"{name}.parquet", kind=name).records for name in LAW_FILES}
    history = read.pop("history")
    result: list[emurules.Result] = []

    def run() -> tuple[str, ...]:
        result.append(rules.evaluate(read, history=history))
        return tuple(k for a in result[0].awards for k in result[0].recipients(a.name))

    read_seconds = time.perf_counter() - start
    found = timed(run, size)
    found["read_seconds"] = read_seconds
    found["engine"] = result[0].provenance.engine
    found["collectives"] = len(read["collective"])
    found["history_rows"] = len(history)
    return found


def in_database(engine: str, size: int, path: Path) -> dict[str, Any]:
    """The peer rule on a table in the DuckDB file `path` (made by run.py): emurules'
    SQL engine ("sql") or the hand-written SQL ("duckdb"), each warmed up on a small file."""
    import tempfile

    import database

    rules = None
    if engine == "sql":
        import emurules

        rules = emurules.load(database.CRITERIA)

    def run(at: Path) -> tuple[str, ...]:
        if rules is not None:
            return database.with_emurules(rules, at)
        return database.with_sql(at)

    with tempfile.TemporaryDirectory() as folder:
        warm = Path(folder) / "warm.duckdb"
        database.build(warm, WARM_UP)
        run(warm)
    return timed(lambda: run(path), size)


def timed(run: Callable[[], tuple[str, ...]], size: int) -> dict[str, Any]:
    gc.collect()
    before = peak_kib()
    start = time.perf_counter()
    recipients = run()
    seconds = time.perf_counter() - start
    return {
        "size": size,
        "seconds": seconds,
        "rss_before_kib": before,
        "rss_after_kib": peak_kib(),
        "recipients": len(recipients),
        "digest": digest(recipients),
    }


def compile_law() -> dict[str, Any]:
    """`import emurules` and `emurules.compile` of law-2022, timed apart."""
    text = LAW.read_text(encoding="utf-8")
    start = time.perf_counter()
    import emurules

    imported = time.perf_counter()
    emurules.compile(text, str(LAW))
    done = time.perf_counter()
    return {"import_seconds": imported - start, "compile_seconds": done - imported}


def main(argv: list[str]) -> int:
    workload, engine, size = argv[0], argv[1], int(argv[2])
    if workload == "compile":
        found = compile_law()
    elif workload == "peer":
        found = peer(engine, size)
    elif workload == "database":
        found = in_database(engine, size, Path(argv[3]))
    elif workload == "law-write":
        found = law_write(size, Path(argv[3]))
    elif workload == "law-parquet":
        found = law_parquet(size, Path(argv[3]))
    else:
        found = law(engine, size)
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
