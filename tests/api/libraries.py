"""The optional libraries the API tests read frames with, and a ruleset using every type.

pandas, Polars and pyarrow are in the dev extra, so `make test` and CI have them. A test
that needs one is skipped, with the reason, where it is missing; under CI (CI=true) it
fails instead, so that a missing install never passes for a green run.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

import emurules


def need(name: str) -> ModuleType:
    """The library `name`, or a skip saying it is missing (never under CI)."""
    if os.environ.get("CI") == "true":
        return importlib.import_module(name)
    return pytest.importorskip(name, reason=f"{name} is not installed: pip install -e '.[dev]'")


CRITERIA = """\
ruleset "Frames" { year 2025  round 2 }
enum rating ordered { incomplete, complete, good, excellent }
subject unit { id: text key  block: text  online: percent }
subject person {
  id: text key
  unit: unit
  task: rating
  hours: number >= 0 = 0
  initiatives: int >= 0 = 0
  cert: bool = false
  start: date = 2020-01-01
  leave: number?
}
relation members: unit -> person by unit
criterion work "Work" for person max 40 =
  case task { excellent: 40, good: 25, complete: 10, else: 0 }
criterion skill "Skill" for person = min(hours, 60) / 4 + (15 if cert else 0) + 10 * initiatives
let seniority "Days of service" for person = days(start, 2025-12-31)
let before "Hours last year" for person = past(hours, 1) ?? 0
score for person = work + skill
award worker "Worker" for person {
  when task >= good
  when (leave ?? 0) <= 3 "worked at least 9 months"
}
award fighter "Fighter" for person {
  requires worker
  rank by score desc, initiatives desc
  quota 1 within unit
}
award veteran "Veteran" for person {
  when streak(fighter) >= 2
}
score for unit = 100 * online
award flag "Flag" for unit {
  when share(members, worker) >= 50%
  rank by score desc
  quota 1 within block
}
"""

RULES = emurules.compile(CRITERIA, "frames.emu")
