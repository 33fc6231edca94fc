"""The columnar run keeps each kind's frame small: an input column is dropped once no
later step reads it (never a field relations match members by), and every column stays
in one piece (a column in pieces makes a later step copy the whole frame)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

pl = pytest.importorskip("polars")

import emurules  # noqa: E402
from emurules.engine.columnar.engine import ColumnarEngine, _unread  # noqa: E402

LAW = Path(__file__).parents[3] / "examples" / "law-2022" / "criteria.emu"
BENCH = Path(__file__).parents[3] / "benchmarks" / "data.py"


def _json(result: emurules.Result) -> Any:
    found = result.to_json()
    found["provenance"].pop("engine", None)
    return found


def test_inputs_are_dropped_after_their_last_reader() -> None:
    plan = emurules.load(LAW).plan
    unread = _unread(plan)
    names = [step.name for step in plan.steps]
    after = unread[names.index("digital_points")]["individual"]
    assert {"training_hours", "digital_cert"} <= set(after)
    assert "task" not in after  # read later, by the collectives' awards
    assert all("unit" not in found["individual"] for found in unread)  # members' relation
    assert set(unread[-1]["individual"]) >= {"task", "discipline", "initiatives"}


def test_frames_after_the_run_are_in_one_piece_without_dropped_inputs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = importlib.util.spec_from_file_location("law_data", BENCH)
    assert spec is not None and spec.loader is not None
    data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(data)
    rules = emurules.load(LAW)
    population, history = data.law_population(400, seed=4)
    made: list[ColumnarEngine] = []
    run = ColumnarEngine.run

    def kept(self: ColumnarEngine) -> None:
        run(self)
        made.append(self)

    monkeypatch.setattr(ColumnarEngine, "run", kept)
    columnar = rules.evaluate(population, history=history, engine="columnar")
    row = rules.evaluate(population, history=history, engine="row")
    assert columnar.provenance.engine == "columnar"
    assert _json(columnar) == _json(row)
    (engine,) = made
    frame = engine.frames["individual"]
    assert "training_hours" not in frame.columns
    assert "unit" in frame.columns
    assert all(frame.get_column(c).n_chunks() == 1 for c in frame.columns)
