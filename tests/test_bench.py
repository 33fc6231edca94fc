"""A smoke run of `make bench` at tiny sizes (the full run is not part of `make test`).

It checks that the harness writes its tables, that the hand-written baseline gives the same
recipients as emurules, and that a size over the budget is skipped and said to be, never
estimated.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def section(text: str, heading: str) -> list[str]:
    """The table rows under a `## heading`."""
    body = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in body.splitlines() if line.startswith("| ")]


def test_smoke_run_writes_the_tables_and_agrees_with_the_baseline(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--out", str(out)]
    command += ["--sizes", "300,5k", "--repeat", "1", "--budget", "0.05", "--compile-runs", "0"]
    command += ["--database-sizes", "400"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "| CPU |" in text and "| lark |" in text

    peer = section(text, "(a) Peer rule")
    small = next(row for row in peer if row.startswith("| 300 |")).split(" | ")
    assert "same as Python: emurules" in small[-1]
    assert "differ" not in text
    if importlib.util.find_spec("zen") is None:
        assert small[3] == "not installed"
    large = next(row for row in peer if row.startswith("| 5k |")).split(" | ")
    assert large[1].startswith("skipped (projected ")  # emurules: quadratic from 300

    law = section(text, "(b) law-2022")
    assert "(×1)" in next(row for row in law if row.startswith("| 300 |"))
    if importlib.util.find_spec("polars") is not None:  # each engine named, and Arrow
        assert "### The peer rule on each engine" in text
        agreed = small[-1].split("same as Python: ")[1]
        assert {"row", "columnar", "arrow", "polars-arrow"} <= set(agreed.strip(" |").split(", "))
    if importlib.util.find_spec("duckdb") is not None:  # emurules' SQL engine and hand-written SQL
        (row,) = section(text, "(c) The peer rule in a database")[1:]
        assert row.startswith("| 400 |") and row.endswith("; same |"), row
    targets = section(text, "Targets of issues #10 and #16")
    growth = next(row for row in targets if "growth, peer rule" in row)
    assert "not measured" in growth and "100k not among the sizes run" in growth
