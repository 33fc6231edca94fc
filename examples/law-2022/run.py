"""Evaluates the law-2022 example with the Python API and prints each title's recipients.

python examples/law-2022/run.py [KEY]     # with a key: that subject's explanation
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import emurules

HERE = Path(__file__).parent


def read(name: str) -> list[dict[str, str]]:
    with (HERE / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def evaluate() -> emurules.Result:
    rules = emurules.load(HERE / "criteria.emu")
    data = {"collective": read("collective"), "individual": read("individual")}
    return rules.evaluate(data, history=read("history"))


def main(argv: list[str]) -> int:
    result = evaluate()
    if argv:
        print(result.explain(argv[0]))
        return 0
    print(f"{result.ruleset}, {result.year}")
    for award in result.awards:
        keys = result.recipients(award.name)
        qualified = sum(o.qualified for o in result.outcomes[award.name].values())
        shown = ", ".join(keys[:8]) + (", ..." if len(keys) > 8 else "")
        print(f"{award.label} ({award.name}): {len(keys)} of {qualified} qualified: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
