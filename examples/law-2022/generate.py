"""Writes the example's data: 12 collectives in 3 emulation blocks, about 300 civil
servants, and three years of past titles. Seeded, so the files never change.

    python examples/law-2022/generate.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 2022
HERE = Path(__file__).parent / "data"
BLOCKS = {"A": "Khối Nội chính", "B": "Khối Kinh tế", "C": "Khối Văn hóa - Xã hội"}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hùng",
    "Lan",
    "Minh",
    "Ngọc",
    "Phương",
    "Quân",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
]


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def main() -> None:
    rng = random.Random(SEED)
    HERE.mkdir(exist_ok=True)
    collectives, individuals, history = [], [], []
    for number in range(1, 13):
        block = "ABC"[(number - 1) % 3]
        key = f"DV{number:02d}"
        collectives.append(
            {
                "id": key,
                "name": f"Đơn vị {number} ({BLOCKS[block]})",
                "block": block,
                "task": pick(rng, {"excellent": 0.5, "good": 0.35, "complete": 0.15}),
                "online_services": f"{rng.randint(40, 100)}%",
                "records_digitised": f"{rng.randint(30, 100) / 100:.2f}",
            }
        )
        for year in (2022, 2023, 2024):
            if rng.random() < 0.5:
                history.append({"key": key, "year": year, "award": "advanced_collective"})
        for person in range(rng.randint(18, 32)):
            pkey = f"{key}-{person + 1:03d}"
            veteran = rng.random() < 0.1  # a grassroots fighter in each of the last 3 years
            individuals.append(
                {
                    "id": pkey,
                    "name": f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                    "unit": key,
                    "task": "excellent"
                    if veteran and rng.random() < 0.8
                    else pick(
                        rng, {"excellent": 0.3, "good": 0.55, "complete": 0.12, "incomplete": 0.03}
                    ),
                    "discipline": pick(rng, {"none": 0.95, "reprimand": 0.035, "warning": 0.015}),
                    "initiatives": "1"
                    if veteran
                    else pick(rng, {"0": 0.55, "1": 0.3, "2": 0.12, "3": 0.03}),
                    "provincial_initiative": "true"
                    if rng.random() < (0.6 if veteran else 0.1)
                    else "false",
                    "digital_cert": "true" if rng.random() < 0.5 else "false",
                    "training_hours": rng.choice([0, 8, 16, 24, 32, 40, 48]),
                    "leave_months": rng.choice([""] * 12 + ["2", "4", "6"]),
                }
            )
            for year in (2022, 2023, 2024):
                if veteran or rng.random() < 0.08:
                    history.append({"key": pkey, "year": year, "award": "grassroots_fighter"})
                    history.append({"key": pkey, "year": year, "award": "advanced_worker"})
                elif rng.random() < 0.7:
                    history.append({"key": pkey, "year": year, "award": "advanced_worker"})
    for name, rows in (
        ("collective", collectives),
        ("individual", individuals),
        ("history", history),
    ):
        with (HERE / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    print(
        f"wrote {len(collectives)} collectives, {len(individuals)} individuals, "
        f"{len(history)} history rows to {HERE}"
    )


if __name__ == "__main__":
    main()
