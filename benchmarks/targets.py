"""The targets of issues #10 and #16, judged on the figures of one run (never on
projections)."""

from __future__ import annotations

import statistics
from typing import Any

import report

SMALL, LARGE = 100_000, 1_000_000
Row = tuple[str, str, str]


def _seconds(cells: dict[int, Any], n: int, what: str) -> tuple[float | None, str]:
    """A median time, or why there is none."""
    if not cells:
        return None, f"{what} not run"
    c = cells.get(n)
    if c is None:
        return None, f"{report.size(n)} not among the sizes run"
    if c.seconds is None:
        return None, f"{what} at {report.size(n)}: {c.note}"
    return c.seconds, ""


def _judge(name: str, value: float | None, limit: float, shown: str, why: str) -> Row:
    if value is None:
        return name, why, "not measured"
    return name, shown, "met" if value <= limit else "**not met**"


def _ratio(
    name: str, a: tuple[float | None, str], b: tuple[float | None, str], limit: float
) -> Row:
    (top, why_top), (bottom, why_bottom) = a, b
    if top is None or bottom is None or not bottom:
        why = "; ".join(dict.fromkeys(w for w in (why_top, why_bottom) if w))
        return name, why, "not measured"
    value = top / bottom
    shown = f"{value:,.1f}× ({report.seconds(top)} ÷ {report.seconds(bottom)})"
    return _judge(name, value, limit, shown, "")


def _largest_law(bench: Any, key: str) -> str:
    """The figure at the largest law-2022 size measured, as context for an unmet size."""
    done = [(n, c) for n, c in bench.law.items() if c.runs]
    if not done:
        return ""
    n, c = done[-1]
    if key == "rss":
        above = report.rss_above(c)
        return f"; at {report.size(n)}: {above / n:.2f} KiB per person" if above else ""
    return f"; at {report.size(n)}: {statistics.median(r['explain_ms'] for r in c.runs):.2f} ms"


def targets(bench: Any) -> list[Row]:
    rows: list[Row] = []
    peer = bench.peer.get("emurules", {})
    python = bench.peer.get("python", {})
    zen = bench.peer.get("zen", {})
    if bench.peer:
        rows.append(
            _ratio(
                "growth, peer rule: time(1M) ÷ time(100k) ≤ 11",
                _seconds(peer, LARGE, "emurules"),
                _seconds(peer, SMALL, "emurules"),
                11,
            )
        )
    if bench.law:
        rows.append(
            _ratio(
                "growth, law-2022: time(1M) ÷ time(100k) ≤ 11",
                _seconds(bench.law, LARGE, "emurules"),
                _seconds(bench.law, SMALL, "emurules"),
                11,
            )
        )
    if bench.peer:
        at_small = _seconds(peer, SMALL, "emurules")
        rows.append(
            _ratio(
                "peer rule at 100k: ≤ 30× the pure-Python loop",
                at_small,
                _seconds(python, SMALL, "pure Python"),
                30,
            )
        )
        rows.append(
            _ratio(
                "peer rule at 100k: ≤ 6× the zen-engine expression VM",
                at_small,
                _seconds(zen, SMALL, "zen-engine"),
                6,
            )
        )
    if bench.law:
        rows.append(
            _ratio(
                "law-2022 at 1M: ≤ 60× the pure-Python peer loop at 1M",
                _seconds(bench.law, LARGE, "law-2022"),
                _seconds(python, LARGE, "pure Python"),
                60,
            )
        )
        rows.append(_memory(bench))
        rows.append(_explain(bench))
    rows.append(_compile(bench))
    rows.extend(_columnar(bench))
    return rows


def _columnar(bench: Any) -> list[Row]:
    """Issue #16: the columnar engine against the fastest hand-written code."""
    found: list[Row] = []
    engines = bench.peer
    if "arrow" in engines and "polars-arrow" in engines:
        found.append(
            _ratio(
                "#16 peer rule at 1M from an Arrow table: ≤ 2× hand-written Polars from it",
                _seconds(engines["arrow"], LARGE, "emurules (Arrow)"),
                _seconds(engines["polars-arrow"], LARGE, "Polars (Arrow)"),
                2,
            )
        )
    if "columnar" in engines and "zen" in engines:
        found.append(
            _ratio(
                "#16 peer rule at 1M from a list of dicts: faster than the zen-engine VM",
                _seconds(engines["columnar"], LARGE, "emurules (columnar)"),
                _seconds(engines["zen"], LARGE, "zen-engine"),
                1,
            )
        )
    found.append(
        _ratio(
            "#16 law-2022 at 2M people: ≤ 10× the pure-Python peer loop at 1M",
            _seconds(bench.law, 2 * LARGE, "law-2022"),
            _seconds(engines.get("python", {}), LARGE, "pure Python"),
            10,
        )
    )
    found.append(_law_memory(bench))
    database = bench.database
    found.append(
        _ratio(
            "#16 DuckDB, 10M rows in the database: ≤ 3× hand-written SQL",
            _seconds(database.get("sql", {}), 10 * LARGE, "emurules (sql)"),
            _seconds(database.get("duckdb", {}), 10 * LARGE, "hand-written SQL"),
            3,
        )
    )
    return found


def _memory(bench: Any) -> Row:
    name = "law-2022 at 1M: peak RSS above the loaded input ≤ 3 KiB per person"
    c = bench.law.get(LARGE)
    above = report.rss_above(c) if c is not None else None
    if above is None:
        why = _seconds(bench.law, LARGE, "law-2022")[1] or "not measured"
        return name, why + _largest_law(bench, "rss"), "not measured"
    per = above / LARGE
    return _judge(name, per, 3.0, f"{per:.2f} KiB ({above / 1024:,.0f} MiB)", "")


def _explain(bench: Any) -> Row:
    name = "explaining one person on demand (law-2022 at 1M) < 10 ms"
    c = bench.law.get(LARGE)
    if c is None or not c.runs:
        why = _seconds(bench.law, LARGE, "law-2022")[1] or "not measured"
        return name, why + _largest_law(bench, "explain"), "not measured"
    ms = statistics.median(r["explain_ms"] for r in c.runs)
    return name, f"{ms:.2f} ms", "met" if ms < 10 else "**not met**"


def _compile(bench: Any) -> Row:
    name = "`emurules.compile` of law-2022 in a fresh process ≤ 150 ms"
    if not bench.compile:
        return name, bench.compile_note or "not run", "not measured"
    t = statistics.median(r["compile_seconds"] for r in bench.compile)
    imported = statistics.median(r["import_seconds"] for r in bench.compile)
    shown = f"{t * 1000:.0f} ms (and {imported * 1000:.0f} ms to import emurules)"
    return _judge(name, t, 0.150, shown, "")


def _law_memory(bench: Any) -> Row:
    """#16: the whole process's peak RSS evaluating law-2022 at 1M people read from
    Parquet (a million dicts alone take over 1 GiB, so the figure from a list of dicts,
    shown beside it, cannot meet it)."""
    name = "#16 law-2022 at 1M from Parquet (automatic engine): whole-process peak RSS < 1 GiB"
    c = bench.law_parquet.get(LARGE)
    dicts = bench.law.get(LARGE)
    context = ""
    if dicts is not None and dicts.runs:
        peak_dicts = max(r["rss_after_kib"] for r in dicts.runs)
        context = f"; from a list of dicts: {peak_dicts / 1024:,.0f} MiB"
    if c is None or not c.runs:
        why = c.note if c is not None and c.note else "law-parquet at 1M not run"
        return name, why + context, "not measured"
    peak = max(r["rss_after_kib"] for r in c.runs)
    return _judge(name, peak / 1024**2, 1, f"{peak / 1024:,.0f} MiB" + context, "")
