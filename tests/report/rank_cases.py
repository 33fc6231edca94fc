"""Results the rank-report tests share: a part of examples/law-2022 (its first three units
and their people, with every title and reward), made reproducible for golden files."""

from __future__ import annotations

import csv
from functools import cache
from typing import Any

import attrs

import emurules
from emurules.result import Result
from tests.helpers import ROOT

EXAMPLE = ROOT / "examples" / "law-2022"
UNITS = ("DV01", "DV02", "DV03")


def _rows(name: str) -> list[dict[str, Any]]:
    with (EXAMPLE / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def law_rules() -> emurules.Rules:
    return emurules.load(EXAMPLE / "criteria.emu")


@cache
def small_law_result() -> Result:
    """law-2022 on its first three units, its provenance's release, hash and time fixed
    (so that a golden file changes only when the report does)."""
    units = [r for r in _rows("collective") if r["id"] in UNITS]
    people = [r for r in _rows("individual") if r["unit"] in UNITS]
    keys = {r["id"] for r in units + people}
    history = [r for r in _rows("history") if r["key"] in keys]
    result = law_rules().evaluate(
        {"collective": units, "individual": people}, history=history, year=2025
    )
    made = attrs.evolve(result.provenance, emurules="<release>", sha256="0" * 64, evaluated=None)
    return attrs.evolve(result, provenance=made)
