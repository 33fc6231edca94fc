"""Where the growth from 100k to 1M subjects comes from: each phase of an evaluation of the
peer rule timed at two sizes, beside two loops that do no more than touch every subject.

    python benchmarks/growth.py [--sizes 100000,1000000]

Not part of `make bench` (it times phases through the engine's own functions, wrapped for
the run); its table says whether one phase grows faster than the others, or whether the
machine makes every pass over a million objects dearer per object than over 100k (then
no phase of a row engine is to blame, and only a columnar representation helps).
Prints a Markdown table; each figure is the median of three runs in this process.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import data  # noqa: E402
import peer  # noqa: E402

import emurules.engine.row as row  # noqa: E402
import emurules.rules as rules_module  # noqa: E402

PHASES = {
    "validate": (rules_module, "validate"),
    "criteria": (row.RowEngine, "criterion"),
    "lets and score": (row.RowEngine, "value"),
    "award": (row.RowEngine, "award"),
}
REPEAT = 3


@contextmanager
def timed(found: dict[str, float]) -> Iterator[None]:
    """Each phase's functions wrapped to add their time to `found`, while the block runs."""
    saved = []
    for label, (owner, name) in PHASES.items():
        original = getattr(owner, name)

        def wrapper(*args: Any, _f: Any = original, _l: str = label, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                found[_l] = found.get(_l, 0.0) + time.perf_counter() - start

        setattr(owner, name, wrapper)
        saved.append((owner, name, original))
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def touch(people: list[dict[str, Any]]) -> None:
    """Write five values into every subject's dict: what any row engine does at least."""
    for name in ("a", "b", "c", "d", "e"):
        for person in people:
            person[name] = 1


def median(run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(REPEAT))


def measure(size: int) -> dict[str, float]:
    rules = peer.compile_rules()
    peer.with_emurules(rules, data.peer_people(200))
    people = data.peer_people(size)
    figures: dict[str, list[float]] = {}
    for _ in range(REPEAT):
        found: dict[str, float] = {}
        start = time.perf_counter()
        with timed(found):
            peer.with_emurules(rules, people)
        found["emurules, whole"] = time.perf_counter() - start
        for label, seconds in found.items():
            figures.setdefault(label, []).append(seconds)

    def python_peer() -> float:
        start = time.perf_counter()
        peer.with_python(people)
        return time.perf_counter() - start

    def bare() -> float:
        copies = [dict(p) for p in people]
        gc.disable()
        start = time.perf_counter()
        touch(copies)
        seconds = time.perf_counter() - start
        gc.enable()
        return seconds

    result = {label: statistics.median(values) for label, values in figures.items()}
    result["pure-Python peer loop"] = median(python_peer)
    result["bare loop: 5 writes per dict"] = median(bare)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    if len(sizes) != 2:
        parser.error("--sizes takes two sizes")
    small, large = (measure(size) for size in sizes)
    print(f"| what | {sizes[0]:,} | {sizes[1]:,} | growth |")
    print("|---|---|---|---|")
    for label in small:
        growth = large[label] / small[label] if small[label] else float("nan")
        print(f"| {label} | {small[label]:.3f} s | {large[label]:.3f} s | {growth:.1f}× |")


if __name__ == "__main__":
    main()
