"""Renders a benchmark run as Markdown: the machine, a table per workload, the targets.

A figure that was not measured is never estimated here: its cell says why it is missing.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def size(n: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if n >= scale and n % scale == 0:
            return f"{n // scale}{unit}"
    return str(n)


def seconds(t: float) -> str:
    if t < 0.1:
        return f"{t * 1000:.1f} ms"
    return f"{t:.2f} s" if t < 100 else f"{t:,.0f} s"


def cell(c: Any) -> str:
    if c.seconds is None:
        return c.note or "not run"
    return f"{seconds(c.seconds)} (×{len(c.runs)})" + (f", then {c.note}" if c.note else "")


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:,.1f}×" if a is not None and b else "–"


def rss_above(c: Any) -> int | None:
    """The largest rise in peak RSS over the process with its input loaded (KiB)."""
    return max(r["rss_after_kib"] - r["rss_before_kib"] for r in c.runs) if c.runs else None


def machine(command: str) -> list[tuple[str, str]]:
    cpu = platform.processor() or "unknown"
    memory = "unknown"
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        cpu = next(ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if "model name" in ln)
        meminfo = Path("/proc/meminfo").read_text().split()
        memory = f"{int(meminfo[meminfo.index('MemTotal:') + 1]) / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return [
        ("CPU", cpu),
        ("cores", f"{os.cpu_count()} ({usable} usable by this process)"),
        ("memory", memory),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("system", platform.platform()),
        ("emurules", f"{_version('emurules')} (commit {_commit()})"),
        *((name, _version(name)) for name in ("lark", "zen-engine", "polars")),
        (
            "load average",
            "{:.2f} {:.2f} {:.2f} (1, 5, 15 min, when written)".format(*os.getloadavg()),
        ),
        ("date", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("command", f"`{command}`"),
    ]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def peer_section(bench: Any) -> list[str]:
    engines = bench.peer
    rows = []
    for n in bench.sizes:
        emu, py, zen, pol = (engines[e][n] for e in ("emurules", "python", "zen", "polars"))
        above = rss_above(emu)
        rows.append(
            [
                size(n),
                cell(emu),
                cell(py),
                cell(zen),
                cell(pol),
                ratio(emu.seconds, py.seconds),
                ratio(emu.seconds, zen.seconds),
                ratio(emu.seconds, pol.seconds),
                f"{above / n:.2f} KiB" if above is not None else "–",
                _agreement(engines, n),
            ]
        )
    return [
        "## (a) Peer rule",
        "",
        "One eligibility test, a weighted score, the top 15% of each unit of 20 to 50 people",
        "(`benchmarks/peer.emu`). Timed from the list of dicts in memory to the recipients;",
        "the rules and the zen expressions are compiled before the timer starts. Median of the",
        "runs (×n), each in a fresh process after a warm-up on 200 people.",
        "",
        *table(
            [
                "subjects",
                "emurules",
                "pure Python",
                "zen-engine",
                "Polars",
                "÷ Python",
                "÷ zen",
                "÷ Polars",
                "emurules RSS rise / subject",
                "recipients",
            ],
            rows,
        ),
    ]


def engines_section(bench: Any) -> list[str]:
    """The peer rule on each engine, named, and from an Arrow table beside Polars."""
    engines = bench.peer
    if not all(e in engines for e in ("row", "columnar", "arrow", "polars-arrow")):
        return []
    rows = []
    for n in bench.sizes:
        row, col, arrow, pol, zen = (
            engines[e][n] for e in ("row", "columnar", "arrow", "polars-arrow", "zen")
        )
        sql = engines.get("sql", {}).get(n)
        rows.append(
            [
                size(n),
                cell(row),
                cell(col),
                cell(sql) if sql is not None else "not run",
                cell(arrow),
                cell(pol),
                ratio(row.seconds, col.seconds),
                ratio(col.seconds, zen.seconds),
                ratio(arrow.seconds, pol.seconds),
            ]
        )
    return [
        "### The peer rule on each engine",
        "",
        '`engine="row"`, `engine="columnar"` and `engine="sql"` from the same list of dicts;',
        "the columnar engine from an Arrow table, beside the hand-written Polars pipeline from",
        "the same table (both made before the timer starts). The automatic choice above takes",
        "the columnar engine from 20,000 subjects, when it evaluates every node of the rules.",
        "",
        *table(
            [
                "subjects",
                "row",
                "columnar",
                "sql (embedded DuckDB)",
                "columnar from Arrow",
                "Polars from Arrow",
                "row ÷ columnar",
                "columnar ÷ zen",
                "Arrow: emurules ÷ Polars",
            ],
            rows,
        ),
    ]


def _agreement(engines: dict[str, Any], n: int) -> str:
    base = engines["python"][n]
    if not base.runs:
        return "–"
    same: list[str] = []
    differ: list[str] = []
    for name, cells in engines.items():
        if name != "python" and cells[n].runs:
            (same if cells[n].digests == base.digests else differ).append(name)
    found = f"{base.runs[0]['recipients']:,}"
    if differ:
        return f"{found}; **differ from Python: {', '.join(differ)}**"
    return f"{found}; same as Python: {', '.join(same)}" if same else found


def database_section(bench: Any) -> list[str]:
    """The peer rule on a table that already lives in DuckDB."""
    found = bench.database
    if not found:
        return []
    rows = []
    for n in bench.database_sizes:
        sql, ours = found["duckdb"][n], found["sql"][n]
        agree = "–"
        if sql.runs and ours.runs:
            same = sql.digests == ours.digests
            agree = f"{sql.runs[0]['recipients']:,}; " + ("same" if same else "**differ**")
        above = rss_above(ours)
        rows.append([size(n), cell(sql), cell(ours), ratio(ours.seconds, sql.seconds),
                     f"{above / 1024:,.0f} MiB" if above is not None else "–", agree])  # fmt: skip
    return [
        "## (c) The peer rule in a database",
        "",
        "A DuckDB file with one table `person` of natural columns (text, `DECIMAL(5, 1)`),",
        "made by DuckDB before the timers (`benchmarks/database.py`). Timed, each in a fresh",
        "process with its own connection: the hand-written SQL of the rule (a window",
        'function per unit), and `Rules.evaluate(connection, engine="sql")` (validating the',
        "table in SQL, computing every value there, deciding the awards over the answers)",
        "then reading the recipients.",
        "",
        *table(
            [
                "rows",
                "hand-written SQL",
                'emurules engine="sql"',
                "ratio",
                "emurules' peak RSS rise",
                "recipients",
            ],
            rows,
        ),
    ]


def law_section(bench: Any) -> list[str]:
    rows = []
    for n in bench.law_sizes:
        c = bench.law.get(n)
        if c is None:
            continue
        first = c.runs[0] if c.runs else {}
        above = rss_above(c)
        explain = statistics.median(r["explain_ms"] for r in c.runs) if c.runs else None
        py = bench.peer.get("python", {}).get(n)
        rows.append(
            [
                size(n),
                f"{first['collectives']:,}" if first else "–",
                f"{first['history_rows']:,}" if first else "–",
                cell(c),
                ratio(c.seconds, py.seconds if py else None),
                f"{above / 1024:,.0f} MiB" if above is not None else "–",
                f"{above / n:.2f} KiB" if above is not None else "–",
                f"{explain:.2f} ms" if explain is not None else "–",
            ]
        )
    return [
        "## (b) law-2022",
        "",
        "`examples/law-2022/criteria.emu` on a population like the example's (collectives of",
        "18 to 32 people in three blocks, text cells, three years of history), built by",
        "`benchmarks/data.py`. Timed: `Rules.evaluate` and reading every award's recipients.",
        "The ratio is to the pure-Python peer loop at the same number of people.",
        "",
        *table(
            [
                "people",
                "collectives",
                "history rows",
                "emurules",
                "÷ Python peer loop",
                "peak RSS rise",
                "per person",
                "explain one person",
            ],
            rows,
        ),
    ]


def law_parquet_section(bench: Any) -> list[str]:
    """law-2022 read from Parquet: the whole process's peak, reading included (#16)."""
    rows = []
    for n in bench.law_sizes:
        c = bench.law_parquet.get(n)
        if c is None:
            continue
        peak = max(r["rss_after_kib"] for r in c.runs) if c.runs else None
        read = statistics.median(r["read_seconds"] for r in c.runs) if c.runs else None
        rows.append(
            [
                size(n),
                seconds(read) if read is not None else "–",
                cell(c),
                c.runs[0]["engine"] if c.runs else "–",
                f"{peak / 1024:,.0f} MiB" if peak is not None else "–",
            ]
        )
    return [
        "## (b) law-2022 from Parquet",
        "",
        "The same population written to three Parquet files (collective, individual,",
        "history) by another process, then, in a fresh one, read by `read_file` (pyarrow)",
        "and evaluated by the automatic choice of engine. Peak RSS is the whole process's",
        "(`ru_maxrss`): reading, evaluating and reading the recipients.",
        "",
        *table(["people", "read", "evaluate", "engine", "peak RSS"], rows),
    ]


def compile_section(bench: Any) -> list[str]:
    if not bench.compile:
        return ["## Compiling law-2022", "", bench.compile_note or "Not run.", ""]
    first = bench.compile_first or {}
    rows = []
    for what, field in (
        ("`import emurules`", "import_seconds"),
        ("`emurules.compile` of law-2022", "compile_seconds"),
    ):
        values = [r[field] for r in bench.compile]
        rows.append(
            [
                what,
                seconds(statistics.median(values)),
                f"{seconds(min(values))} – {seconds(max(values))}",
                seconds(first[field]) if first else "–",
            ]
        )
    return [
        "## Compiling law-2022",
        "",
        f"Each in a fresh process; median of {len(bench.compile)} processes after a first one.",
        "",
        *table(["step", "median", "range", "first process"], rows),
    ]


def render(bench: Any, command: str, targets: list[tuple[str, str, str]]) -> str:
    lines = [
        "# emurules benchmarks",
        "",
        "Written by `benchmarks/run.py` (`make bench`); see the Benchmarks section of",
        f"docs/design.md. Runs projected to take over {bench.budget:,.0f} s were skipped.",
        "",
        "## Machine",
        "",
        *table(["", ""], [[k, v] for k, v in machine(command)]),
    ]
    if bench.peer:
        lines += peer_section(bench)
        lines += engines_section(bench)
    if bench.law:
        lines += law_section(bench)
    if bench.law_parquet:
        lines += law_parquet_section(bench)
    lines += database_section(bench)
    lines += compile_section(bench)
    lines += targets_section(targets)
    if bench.problems:
        lines += ["## Problems", "", *(f"- **{p}**" for p in bench.problems), ""]
    return "\n".join(lines).rstrip() + "\n"


def targets_section(targets: list[tuple[str, str, str]]) -> list[str]:
    rows = [list(row) for row in targets]
    return [
        "## Targets of issues #10 and #16",
        "",
        "Ratios are between figures of this run. A target whose figure was not measured says",
        "so; nothing is extrapolated.",
        "",
        *table(["target", "measured", "status"], rows),
    ]
