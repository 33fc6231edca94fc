"""`make bench`: times emurules against hand-written baselines and writes results.md.

    python benchmarks/run.py [--sizes 10k,100k,1M] [--repeat 3] [--budget 120]
                             [--database-sizes 1M,10M] [--workloads law-parquet]

Every measurement runs in a fresh process (benchmarks/measure.py), so its peak memory is
its own. A size whose run is projected to take longer than the budget is skipped and
recorded as such; the projection uses the growth between the last two sizes measured
(quadratic for emurules and linear for the baselines while only one size is known).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import report
import targets

HERE = Path(__file__).parent
PEER_ENGINES = (
    "emurules", "python", "zen", "polars", "row", "columnar", "arrow", "polars-arrow", "sql",
)  # fmt: skip
DATABASE_ENGINES = ("duckdb", "sql")  # the hand-written SQL, emurules' SQL engine
MODULES = {
    "zen": "zen", "polars": "polars", "columnar": "polars", "arrow": "polars",
    "polars-arrow": "polars", "sql": "duckdb",
}  # fmt: skip


@dataclass
class Cell:
    """One engine at one size: the runs made (each a fresh process), or why there are none."""

    runs: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None

    @property
    def seconds(self) -> float | None:
        return statistics.median(r["seconds"] for r in self.runs) if self.runs else None

    @property
    def digests(self) -> set[str]:
        return {r["digest"] for r in self.runs}


@dataclass
class Bench:
    sizes: list[int]
    repeat: int
    budget: float
    compile_runs: int
    peer: dict[str, dict[int, Cell]] = field(default_factory=dict)
    law: dict[int, Cell] = field(default_factory=dict)
    law_parquet: dict[int, Cell] = field(default_factory=dict)  # law-2022 from Parquet files
    database: dict[str, dict[int, Cell]] = field(default_factory=dict)
    database_sizes: list[int] = field(default_factory=list)
    law_sizes: list[int] = field(default_factory=list)
    compile: list[dict[str, Any]] = field(default_factory=list)
    compile_first: dict[str, Any] | None = None
    compile_note: str | None = None
    problems: list[str] = field(default_factory=list)

    def series(
        self, workload: str, engine: str, sizes: list[int] | None = None, *more: str
    ) -> dict[int, Cell]:
        """Measures one engine at every size, smallest first, within the budget."""
        cells: dict[int, Cell] = {}
        for size in self.sizes if sizes is None else sizes:
            if any((c.note or "").startswith("failed") for c in cells.values()):
                cells[size] = Cell(note="not run (a smaller size failed)")
                continue
            done = [(n, c.seconds) for n, c in cells.items() if c.seconds is not None]
            projected = _project(done, size, quadratic=engine in ("emurules", "row"))
            if projected is not None and projected > self.budget:
                cells[size] = Cell(note=f"skipped (projected {projected:,.0f} s)")
                continue
            cells[size] = self.measure(workload, engine, size, *(m.format(size) for m in more))
            _progress(workload, engine, size, cells[size])
        return cells

    def measure(self, workload: str, engine: str, size: int, *more: str) -> Cell:
        cell = Cell()
        spent = 0.0
        for _ in range(self.repeat):
            found = self.child(workload, engine, size, *more)
            if isinstance(found, str):
                cell.note = found
                if found.startswith("failed"):
                    self.problems.append(f"{workload} {engine} {_size(size)}: {found}")
                break
            cell.runs.append(found)
            spent += found["seconds"]
            if spent + found["seconds"] > self.budget:
                break
        if len(cell.digests) > 1:
            self.problems.append(f"{workload} {engine} {_size(size)}: recipients differ by run")
        return cell

    def child(self, workload: str, engine: str, size: int, *more: str) -> dict[str, Any] | str:
        """One fresh process; its JSON, or why it gave none."""
        command = [sys.executable, str(HERE / "measure.py"), workload, engine, str(size), *more]
        limit = 2 * self.budget + 60
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=limit)
        except subprocess.TimeoutExpired:
            return f"stopped after {limit:,.0f} s"
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            return f"failed: {last}"
        found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return found

    def run_peer(self, engines: set[str]) -> None:
        for engine in PEER_ENGINES:
            module = MODULES.get(engine)
            if engine not in engines:
                self.peer[engine] = {n: Cell(note="not run (--engines)") for n in self.sizes}
            elif module is not None and importlib.util.find_spec(module) is None:
                self.peer[engine] = {n: Cell(note="not installed") for n in self.sizes}
            else:
                self.peer[engine] = self.series("peer", engine)
        for size in self.sizes:
            base = self.peer["python"][size].digests
            for engine in PEER_ENGINES:
                digests = self.peer[engine][size].digests
                if base and digests and digests != base:
                    self.problems.append(f"peer {_size(size)}: {engine} differs from python")

    def run_database(self) -> None:
        """The peer rule on a table already in DuckDB: emurules' SQL engine against the
        hand-written SQL, on one file per size (made before any timer starts)."""
        if (
            importlib.util.find_spec("duckdb") is None
            or importlib.util.find_spec("sqlglot") is None
        ):
            note = Cell(note="not installed")
            self.database = {e: dict.fromkeys(self.database_sizes, note) for e in DATABASE_ENGINES}
            return
        import database

        with tempfile.TemporaryDirectory() as folder:
            pattern = str(Path(folder) / "staff-{}.duckdb")
            for size in self.database_sizes:
                database.build(Path(pattern.format(size)), size)
            for engine in DATABASE_ENGINES:
                self.database[engine] = self.series("database", engine, self.database_sizes,
                                                    pattern)  # fmt: skip
        for size in self.database_sizes:
            digests = [self.database[e][size].digests for e in DATABASE_ENGINES]
            if all(digests) and len(set.union(*digests)) > 1:
                self.problems.append(f"database {_size(size)}: emurules differs from SQL")

    def run_law_parquet(self) -> None:
        """law-2022 read from Parquet files (written by another process before any timer
        starts) by the project's readers and evaluated by the automatic choice: the
        whole process's peak RSS is #16's memory target."""
        if importlib.util.find_spec("pyarrow") is None:
            self.law_parquet = {n: Cell(note="not installed") for n in self.law_sizes}
            return
        with tempfile.TemporaryDirectory() as folder:
            pattern = str(Path(folder) / "law-{}")
            for size in self.law_sizes:
                Path(pattern.format(size)).mkdir()
                written = self.child("law-write", "-", size, pattern.format(size))
                if isinstance(written, str):
                    self.problems.append(f"law-write {_size(size)}: {written}")
                    self.law_parquet = {n: Cell(note=written) for n in self.law_sizes}
                    return
            self.law_parquet = self.series("law-parquet", "emurules", self.law_sizes, pattern)
        for size in self.law_sizes:
            digests = [c.digests for c in (self.law.get(size), self.law_parquet[size]) if c]
            if len(digests) == 2 and all(digests) and digests[0] != digests[1]:
                self.problems.append(f"law {_size(size)}: from Parquet differs from dicts")

    def run_compile(self) -> None:
        """A first process (which may fill caches), then the measured ones."""
        if not self.compile_runs:
            return
        for number in range(self.compile_runs + 1):
            found = self.child("compile", "-", 0)
            if isinstance(found, str):
                self.compile_note = found
                self.problems.append(f"compile: {found}")
                return
            if number:
                self.compile.append(found)
            else:
                self.compile_first = found


def _project(done: list[tuple[int, float]], size: int, quadratic: bool) -> float | None:
    """The time a size should take, from the growth seen so far (never below linear)."""
    if not done:
        return None
    last_n, last_t = done[-1]
    exponent = 2.0 if quadratic else 1.0
    if len(done) >= 2:
        (n0, t0), (n1, t1) = done[-2], done[-1]
        if t0 > 0 and t1 > 0:
            exponent = math.log(t1 / t0) / math.log(n1 / n0)
    exponent = min(2.0, max(1.0, exponent))
    return last_t * float((size / last_n) ** exponent)


def parse_sizes(text: str) -> list[int]:
    """`10k,100k,1M` as numbers, smallest first."""
    sizes = set()
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        scale = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        try:
            number = int(float(part[:-1] if scale > 1 else part) * scale)
        except ValueError:
            number = 0
        if number < 1:
            raise argparse.ArgumentTypeError(f"{part!r}: a size is a positive number like 10k")
        sizes.add(number)
    return sorted(sizes)


def _size(n: int) -> str:
    return report.size(n)


def _progress(workload: str, engine: str, size: int, cell: Cell) -> None:
    shown = f"{cell.seconds:.3f} s x{len(cell.runs)}" if cell.seconds is not None else cell.note
    print(f"  {workload:4} {engine:8} {_size(size):>5}: {shown}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=parse_sizes, default="10k,100k,1M", help="subjects per run: 10k,100k,1M"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median counts")
    parser.add_argument(
        "--budget", type=float, default=120, help="seconds a run may take; longer ones are skipped"
    )
    parser.add_argument(
        "--compile-runs", type=int, default=5, help="fresh processes compiling law-2022 (0: none)"
    )
    parser.add_argument(
        "--workloads", default="peer,law,law-parquet,database",
        help="any of peer, law, law-parquet and database",
    )  # fmt: skip
    parser.add_argument(
        "--law-sizes", type=parse_sizes, default=None,
        help="people for law-2022 (default: --sizes), e.g. 10k,100k,1M,2M",
    )  # fmt: skip
    parser.add_argument(
        "--database-sizes", type=parse_sizes, default="1M,10M",
        help="rows of the DuckDB table for the database workload",
    )  # fmt: skip
    parser.add_argument(
        "--engines", default=",".join(PEER_ENGINES), help="engines for the peer rule"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)
    workloads = {w.strip() for w in args.workloads.split(",")}
    bench = Bench(args.sizes, max(1, args.repeat), args.budget, max(0, args.compile_runs))
    bench.database_sizes = args.database_sizes
    bench.law_sizes = args.law_sizes or args.sizes
    if "peer" in workloads:
        bench.run_peer({e.strip() for e in args.engines.split(",")} | {"python"})
    if "law" in workloads:
        bench.law = bench.series("law", "emurules", bench.law_sizes)
    if "law-parquet" in workloads:
        bench.run_law_parquet()
    if "database" in workloads:
        bench.run_database()
    bench.run_compile()
    command = "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    text = report.render(bench, command.strip(), targets.targets(bench))
    args.out.write_text(text, encoding="utf-8")
    print(text)
    for problem in bench.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if bench.problems else 0


if __name__ == "__main__":
    sys.exit(main())
