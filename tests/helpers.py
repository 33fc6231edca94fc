"""Small helpers shared by the test folders."""

from __future__ import annotations

from pathlib import Path

from emurules.check.model import check_module
from emurules.source import Diagnostic, Source, normalise
from emurules.syntax.parse import parse_source

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "tests" / "data" / "language_brief.emu"

PRELUDE = """\
enum rating ordered { incomplete, complete, good, excellent }
subject team { id: text key  block: text }
subject person {
  id: text key
  unit: team
  mentor: person?
  task: rating
  initiatives: int >= 0 = 0
  leave: number?
  start: date = 2020-01-01
}
relation members: team -> person by unit
score for person = 10 * initiatives
score for team = sum(members, score)
"""


def example_rows(example: str, name: str) -> list[dict[str, str]]:
    """The rows of a bundled example's data file `name`.csv (none when it has no such
    file), as `csv.DictReader` reads them."""
    import csv

    path = ROOT / "examples" / example / "data" / f"{name}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def diagnostics(text: str, name: str = "t.emu") -> list[Diagnostic]:
    source = Source(name, normalise(text))
    module, found = parse_source(source)
    if module is None:
        return found
    return check_module(module)[1]


def codes(text: str) -> list[str]:
    return [d.code for d in diagnostics(text)]


def errors(text: str) -> list[str]:
    return [d.code for d in diagnostics(text) if d.is_error]
