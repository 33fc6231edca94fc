"""The law-2022 example: hand-checked subjects and a snapshot of every outcome."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import emurules
from tests.helpers import ROOT

HERE = ROOT / "examples" / "law-2022"
SNAPSHOT = ROOT / "tests" / "golden" / "law-2022.json"


def read(name: str) -> list[dict[str, str]]:
    with (HERE / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def result() -> emurules.Result:
    rules = emurules.load(HERE / "criteria.emu")
    data = {"collective": read("collective"), "individual": read("individual")}
    return rules.evaluate(data, history=read("history"))


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in (HERE / "data").glob("*.csv")}
    subprocess.run([sys.executable, str(HERE / "generate.py")], check=True, capture_output=True)
    after = {p.name: p.read_bytes() for p in (HERE / "data").glob("*.csv")}
    assert before == after
    assert len(read("individual")) >= 250 and {r["year"] for r in read("history")} == {
        "2022",
        "2023",
        "2024",
    }


# Each line was computed by hand from the CSV rows (task points: excellent 50, good 35,
# complete 15; initiatives 15 each up to 30; digital: 10 for the certificate + hours/4 up
# to 40 hours; collectives: task excellent 40, good 30; 25*online + 15*digitised; 4 per
# grassroots fighter).
HAND_SCORES = {
    "DV02-004": "83",  # excellent 50 + 1 initiative 15 + cert 10 + 32h/4 8
    "DV01-014": "83",  # excellent 50 + 15 + cert 10 + 32h/4 8
    "DV01-026": "73",  # excellent 50 + 15 + no cert + 32h/4 8
    "DV01-001": "70",  # excellent 50 + 0 + cert 10 + min(48, 40)/4 10
    "DV01-003": "15",  # complete 15 + 0 + 0
    "DV03-002": "75",  # excellent 50 + 15 + min(48, 40)/4 10
    "DV01": "69.85",  # good 30 + 25*0.68 + 15*0.99 = 31.85 + 2 fighters 8
    "DV02": "71.25",  # excellent 40 + 25*0.57 + 15*0.60 = 23.25 + 2 fighters 8
}


def test_hand_computed_scores(result: emurules.Result) -> None:
    for key, score in HAND_SCORES.items():
        assert result.subject(key).score == Decimal(score), key


def test_hand_checked_outcomes(result: emurules.Result) -> None:
    # complete < good: not an advanced worker, so nothing else either
    assert [c.id for c in result.outcome("DV01-003", "advanced_worker").failed] == ["when1"]
    # excellent but no initiative
    assert [c.id for c in result.outcome("DV01-001", "grassroots_fighter").failed] == ["initiative"]
    # fighters 2022-2024 and again this year, with a provincial initiative: 4 in a row
    for key in ("DV02-004", "DV03-002"):
        assert result.outcome(key, "grassroots_fighter").received
        assert result.subject(key).values["provincial_fighter"] is True
    # DV01-014 had no grassroots title before: the streak is 1
    assert [c.id for c in result.outcome("DV01-014", "provincial_fighter").failed] == [
        "when1",
        "when2",
    ]
    # DV01: 3 qualified fighters; floor(15% of its advanced workers) = 2; 83 and 73 go first
    quota = result.outcome("DV01-014", "grassroots_fighter").quota
    advanced = sum(1 for k in result.recipients("advanced_worker") if k.startswith("DV01-"))
    assert quota is not None and quota.quota == int(Decimal("0.15") * advanced) == 2
    assert quota.base == 3
    assert result.outcome("DV01-014", "grassroots_fighter").rank == 1
    assert result.outcome("DV01-026", "grassroots_fighter").rank == 2
    # DV02 is the only excellent collective, so the flag of block B
    assert result.recipients("excellent_collective") == ("DV02",)
    assert result.recipients("emulation_flag") == ("DV02",)


def snapshot(result: emurules.Result) -> dict[str, object]:
    return {
        "recipients": {a.name: list(result.recipients(a.name)) for a in result.awards},
        "scores": {s.key: str(s.score) for s in result.subjects.values()},
        "cut": sorted(
            f"{a.name}:{o.key}"
            for a in result.awards
            for o in result.outcomes[a.name].values()
            if o.qualified and not o.received
        ),
    }


def test_snapshot(result: emurules.Result, update_golden: bool) -> None:
    current = snapshot(result)
    if update_golden:
        SNAPSHOT.write_text(
            json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    assert current == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_the_example_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(HERE / "run.py")], capture_output=True, text=True, check=True
    )
    assert "Cờ thi đua (emulation_flag): 1 of 1 qualified: DV02" in done.stdout
    explained = subprocess.run(
        [sys.executable, str(HERE / "run.py"), "DV01-003"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Did not qualify for “Lao động tiên tiến”" in explained.stdout


def test_the_whole_result_is_golden() -> None:
    """The full `to_json()` of the example is recorded in tests/golden/results/ (by the
    folder's golden fixture), so any engine must reproduce it byte for byte."""
    rules = emurules.load(HERE / "criteria.emu")
    data = {"collective": read("collective"), "individual": read("individual")}
    assert rules.evaluate(data, history=read("history")).recipients("emulation_flag") == ("DV02",)
