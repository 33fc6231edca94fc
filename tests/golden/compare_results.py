"""Prove that regenerated golden results hold the same values as a committed version.

    python tests/golden/compare_results.py [REVISION]   (default HEAD)

For each file under tests/golden/results/ it reads the committed text (`git show
REVISION:path`) and the file in the work tree, and compares them with every number parsed as
a `Decimal` (a JSON number, and a JSON string that is a number), so that `69.85`, `"69.85"`
and `"69.850"` are one value; dicts must have the same keys, except the fields a newer
format adds (`ADDED`), which the new file may have and the old one lacks. Any other
difference (a value, a key, an order of a list) is printed; the exit status is 1 if there
is one. A format change (numbers to strings, new fields) passes; a changed value fails.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FOLDER = Path("tests/golden/results")
NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
# Fields emurules.result/1 gained with the stable format (issue 13), by where they sit.
ADDED = {
    "result": {"provenance", "types"},
    "subject": {"explanation"},
    "check": {"text", "holds", "parts"},
    "outcome": {"passed"},
    "quota": {"text"},
    "skipped": {"code"},
}


def _number(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return Decimal(value)
    return value


def _where(path: str) -> str:
    """What a dict at `path` is (a subject, a check, ...), for `ADDED`."""
    last = re.sub(r"\[\d+\]", "", path).rsplit("/", 1)[-1]
    return {"": "result", "subjects": "subject", "failed": "check", "parts": "check",
            "passed": "check", "outcomes": "outcome", "quota": "quota",
            "skipped": "skipped"}.get(last, "")  # fmt: skip


def differences(old: Any, new: Any, path: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        extra = set(new) - set(old) - ADDED.get(_where(path), set())
        missing = set(old) - set(new)
        if extra or missing:
            found.append(f"{path or '/'}: keys added {sorted(extra)}, lost {sorted(missing)}")
        for key in old.keys() & new.keys():
            found += differences(old[key], new[key], f"{path}/{key}")
        return found
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{path}: {len(old)} items became {len(new)}"]
        found = []
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            found += differences(a, b, f"{path}[{index}]")
        return found
    a, b = _number(old), _number(new)
    if type(a) is not type(b) or a != b:
        return [f"{path}: {old!r} became {new!r}"]
    return []


def _leaves(data: Any) -> int:
    if isinstance(data, dict):
        return sum(_leaves(v) for v in data.values())
    if isinstance(data, list):
        return sum(_leaves(v) for v in data)
    return 1


def _load(text: str) -> Any:
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def main(argv: list[str]) -> int:
    revision = argv[0] if argv else "HEAD"
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", revision, str(FOLDER)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    now = sorted(str(p.relative_to(ROOT)) for p in (ROOT / FOLDER).rglob("*.json"))
    problems = [f"{name}: new, not in {revision}" for name in sorted(set(now) - set(listed))]
    problems += [f"{name}: gone from the work tree" for name in sorted(set(listed) - set(now))]
    compared = values = 0
    for name in sorted(set(listed) & set(now)):
        old = subprocess.run(
            ["git", "show", f"{revision}:{name}"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        new = (ROOT / name).read_text(encoding="utf-8")
        compared += 1
        values += _leaves(_load(old))
        problems += [f"{name}: {d}" for d in differences(_load(old), _load(new))]
    for problem in problems:
        print(problem)
    print(f"{compared} files compared, {values} values in them, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
