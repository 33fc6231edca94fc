"""The law-2022 example's criteria and a seeded population of any size (benchmarks/data.py),
shared by the what-if and service tests."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import emurules

ROOT = Path(__file__).resolve().parents[2]
CRITERIA = ROOT / "examples" / "law-2022" / "criteria.emu"


@cache
def _data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_data", ROOT / "benchmarks" / "data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def law_rules() -> emurules.Rules:
    return emurules.load(CRITERIA)


def law_population(n: int) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """`n` individuals in their collectives, and their history (fresh lists each call)."""
    data, history = _data().law_population(n)
    return data, history
