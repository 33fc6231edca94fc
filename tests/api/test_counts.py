"""`Result.counts(award)`: how many were assessed, qualified and received an award, and
each group's quota, made from the engine's decisions: exactly what counting every
outcome gives, on every example and generated populations, on every engine."""

from __future__ import annotations

import csv
import pickle
import random
from pathlib import Path
from typing import Any

import attrs
import pytest

import emurules
from emurules.errors import UsageError
from emurules.result import AwardCounts, Result
from tests.helpers import ROOT

EXAMPLES = sorted(p.parent.parent for p in ROOT.glob("examples/*/data/*.csv"))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def _data(folder: Path, rules: emurules.Rules) -> tuple[dict[str, Any], list[dict[str, str]]]:
    found = {p.stem: _rows(p) for p in sorted((folder / "data").glob("*.csv"))}
    history = found.pop("history", [])
    return {k: v for k, v in found.items() if k in rules.schema.kinds}, history


def counted(result: Result, award: str) -> AwardCounts:
    """The counts as counting every outcome gives them (the fallback of `counts`)."""
    return attrs.evolve(result, counts={}).counts(award)


def assert_counts(result: Result) -> None:
    for award in result.awards:
        assert result.counts(award.name) == counted(result, award.name), award.name


@pytest.mark.parametrize("folder", sorted(set(EXAMPLES)), ids=lambda p: p.name)
@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_every_example_counts_as_its_outcomes(folder: Path, engine: str) -> None:
    rules = emurules.load(folder / "criteria.emu")
    data, history = _data(folder, rules)
    try:
        year = rules.year or 2027  # national-dx-2025 states none: its README ranks 2027
        result = rules.evaluate(data, history=history, engine=engine, year=year)
    except UsageError as error:  # an engine's refusal of an example (its pools): no result
        assert {d.code for d in error.diagnostics} == {"A0103"}, error
        return
    assert_counts(result)
    assert_counts(pickle.loads(pickle.dumps(result)))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("engine", ["row", "columnar", "sql"])
def test_generated_peers_count_as_their_outcomes(seed: int, engine: str) -> None:
    rules = emurules.load(ROOT / "benchmarks" / "peer.emu")
    rng = random.Random(seed)
    people = [
        {"id": f"P{i:03d}", "unit": f"U{rng.randrange(6)}",
         "task": rng.choice(["incomplete", "complete", "good", "excellent"]),
         "initiatives": rng.randrange(3), "training": str(rng.choice([0, 10, 20, 40]))}
        for i in range(rng.randrange(30, 200))
    ]  # fmt: skip
    result = rules.evaluate({"person": people}, engine=engine)
    assert_counts(result)
    counts = result.counts("peer")
    assert counts.received == len(result.recipients("peer")) and counts.quotas


@pytest.mark.parametrize("engine", ["row", "columnar", "sql"])
def test_ties_at_the_cut_off_are_counted_by_group(engine: str) -> None:
    rules = emurules.load(ROOT / "benchmarks" / "peer.emu")
    people = [
        {"id": f"P{u}{i}", "unit": f"U{u}", "task": "good", "initiatives": 1, "training": "5"}
        for u in range(3) for i in range(10 + u)
    ]  # fmt: skip
    result = rules.evaluate({"person": people}, engine=engine)
    assert_counts(result)
    quotas = result.counts("peer").quotas
    assert [(q.group, q.base, q.quota, q.tie) for q in quotas] == [
        ("U0", 10, 1, True), ("U1", 11, 1, True), ("U2", 12, 1, True)
    ]  # fmt: skip


def test_an_unknown_award_is_named() -> None:
    rules = emurules.load(ROOT / "benchmarks" / "peer.emu")
    result = rules.evaluate({"person": [{"id": "a", "unit": "u", "task": "good"}]})
    with pytest.raises(emurules.UnknownNameError):
        result.counts("pear")
