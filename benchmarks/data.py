"""Seeded populations for the benchmark, as lists of dicts (what an office's files read to).

The peer population is built for the peer rule (benchmarks/peer.emu); the law-2022
population follows examples/law-2022/generate.py (same fields, same distributions, same
three years of history) but for any number of people, with units of 18 to 32 people.
"""

from __future__ import annotations

import random
from typing import Any

Rows = list[dict[str, Any]]

PEER_SEED = 2025
LAW_SEED = 2022
TASKS = ("excellent", "good", "complete", "incomplete")


def peer_people(n: int, seed: int = PEER_SEED) -> Rows:
    """`n` people in units of 20 to 50, with values as a program would pass them."""
    rng = random.Random(seed)
    people: Rows = []
    unit = 0
    while len(people) < n:
        unit += 1
        for _ in range(min(rng.randint(20, 50), n - len(people))):
            people.append(
                {
                    "id": f"P{len(people) + 1:07d}",
                    "unit": f"U{unit:06d}",
                    "task": rng.choices(TASKS, weights=(30, 45, 20, 5))[0],
                    "initiatives": rng.choices((0, 1, 2, 3, 4), weights=(50, 30, 12, 6, 2))[0],
                    "training": rng.choice((0, 4, 8, 12, 16, 24, 32, 40, 48)),
                }
            )
    return people


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def law_population(n: int, seed: int = LAW_SEED) -> tuple[dict[str, Rows], Rows]:
    """`n` individuals in collectives of three blocks, and their last three years' titles.

    Cells are text, as `csv.DictReader` gives them, exactly like the example's files.
    """
    rng = random.Random(seed)
    collectives: Rows = []
    individuals: Rows = []
    history: Rows = []
    number = 0
    while len(individuals) < n:
        number += 1
        block = "ABC"[(number - 1) % 3]
        key = f"DV{number:06d}"
        collectives.append(
            {
                "id": key,
                "name": f"Đơn vị {number}",
                "block": block,
                "task": _pick(rng, {"excellent": 0.5, "good": 0.35, "complete": 0.15}),
                "online_services": f"{rng.randint(40, 100)}%",
                "records_digitised": f"{rng.randint(30, 100) / 100:.2f}",
            }
        )
        for year in (2022, 2023, 2024):
            if rng.random() < 0.5:
                history.append({"key": key, "year": year, "award": "advanced_collective"})
        for person in range(min(rng.randint(18, 32), n - len(individuals))):
            individuals.append(_individual(rng, f"{key}-{person + 1:03d}", key, history))
    return {"collective": collectives, "individual": individuals}, history


def _individual(rng: random.Random, key: str, unit: str, history: Rows) -> dict[str, Any]:
    veteran = rng.random() < 0.1  # a grassroots fighter in each of the last 3 years
    for year in (2022, 2023, 2024):
        if veteran or rng.random() < 0.08:
            history.append({"key": key, "year": year, "award": "grassroots_fighter"})
            history.append({"key": key, "year": year, "award": "advanced_worker"})
        elif rng.random() < 0.7:
            history.append({"key": key, "year": year, "award": "advanced_worker"})
    return {
        "id": key,
        "name": f"Người {key}",
        "unit": unit,
        "task": "excellent"
        if veteran and rng.random() < 0.8
        else _pick(rng, {"excellent": 0.3, "good": 0.55, "complete": 0.12, "incomplete": 0.03}),
        "discipline": _pick(rng, {"none": 0.95, "reprimand": 0.035, "warning": 0.015}),
        "initiatives": "1" if veteran else _pick(rng, {"0": 0.55, "1": 0.3, "2": 0.12, "3": 0.03}),
        "provincial_initiative": "true" if rng.random() < (0.6 if veteran else 0.1) else "false",
        "digital_cert": "true" if rng.random() < 0.5 else "false",
        "training_hours": str(rng.choice([0, 8, 16, 24, 32, 40, 48])),
        "leave_months": rng.choice([""] * 12 + ["2", "4", "6"]),
    }
