"""The columnar engine: what it refuses (by name and place), what it hands to the row
engine (and says so), the rounding traps, and results that read like the row engine's.
tests/engine/test_engines_equal.py holds it equal to the row engine on generated rules."""

from __future__ import annotations

import copy
import importlib.util
import pickle
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("polars", reason="the columnar engine needs the polars extra")

import emurules
from emurules.data.frames import FrameRows
from emurules.engine import registry
from emurules.errors import EvaluationError, UsageError

HEAD = 'ruleset "t" {{ year 2025{round} }}\n'
PERSON = """
enum rating ordered { poor, fair, good, excellent }
subject person {
  id: text key
  unit: text
  task: rating
  a: number = 0
  b: number = 0
}
"""


@pytest.fixture(autouse=True)
def _golden() -> None:
    """This module holds the columnar engine equal to the row engine, result by result:
    the folder's golden fixture (tests/engine/conftest.py) is switched off here."""


def _rules(body: str, *, round_digits: int | None = None) -> emurules.Rules:
    head = HEAD.format(round="" if round_digits is None else f"\n  round {round_digits}")
    return emurules.compile(head + PERSON + body, "t.emu")


def _people(*rows: tuple[str, str, str, str, str]) -> dict[str, list[dict[str, Any]]]:
    return {"person": [{"id": i, "unit": u, "task": t, "a": a, "b": b} for i, u, t, a, b in rows]}


def _json(result: emurules.Result) -> Any:
    found = result.to_json()
    found["provenance"].pop("engine", None)
    return found


def _same(rules: emurules.Rules, data: dict[str, list[dict[str, Any]]]) -> emurules.Result:
    row = rules.evaluate(data, engine="row")
    columnar = rules.evaluate(data, engine="columnar")
    assert columnar.provenance.engine == "columnar"
    assert _json(columnar) == _json(row)
    return columnar


def test_rounding_traps_agree_to_the_last_digit() -> None:
    rules = _rules(
        """
criterion x "x" for person = a + b / 3 + b / 3 + b / 3
let half for person = round(a, 2)
let thirds for person = a / 3 * 3
score for person = a * 1 + b
award top "top" for person {
  when score >= 0
  rank by score desc, half asc
  quota 2 within unit
}
""",
        round_digits=2,
    )
    data = _people(
        ("p1", "u", "good", "80.585", "1"),
        ("p2", "u", "fair", "-2.675", "2"),
        ("p3", "u", "poor", "80.585", "1"),
        ("p4", "v", "good", "0.005", "-0.005"),
        ("p5", "v", "good", "1", "0"),
    )
    result = _same(rules, data)
    assert str(result.subject("p1").values["half"]) == "80.59"
    assert str(result.subject("p2").values["half"]) == "-2.68"


def test_explanations_and_checks_read_as_the_row_engine_says_them() -> None:
    rules = _rules(
        """
criterion x "x" for person max 10 = a * 2
score for person = x
award top "top" for person { when task >= good "good"  rank by score desc  quota 1 }
"""
    )
    data = _people(("p1", "u", "good", "3", "0"), ("p2", "u", "excellent", "9", "0"))
    row = rules.evaluate(data, engine="row")
    columnar = rules.evaluate(data, engine="columnar")
    for key in ("p1", "p2"):
        assert str(columnar.explain(key)) == str(row.explain(key))
        assert columnar.outcome(key, "top") == row.outcome(key, "top")


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("let team for person = unit\n"
         "ranking league \"l\" for person by a desc within team\n", "within team"),
        ("let team for person = unit\n"
         "award top \"top\" for person { when a > 0  rank by a desc  quota 1 within team }\n",
         "within team"),
    ],
)  # fmt: skip
def test_what_it_cannot_evaluate_is_refused_by_name_and_place(body: str, what: str) -> None:
    rules = _rules(body)
    data = _people(("p1", "u", "good", "1", "0"))
    with pytest.raises(UsageError) as raised:
        rules.evaluate(data, engine="columnar")
    diagnostics = raised.value.diagnostics
    assert diagnostics and all(d.code == "A0103" for d in diagnostics)
    assert any(what in d.message.text("en") for d in diagnostics), diagnostics
    assert all(d.span is not None and d.span.source.name == "t.emu" for d in diagnostics)
    assert rules.evaluate(data).provenance.engine == "row"  # the automatic choice


def test_the_automatic_choice_takes_columns_for_a_large_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = _rules("score for person = a + b\n")
    data = _people(("p1", "u", "good", "1", "2"), ("p2", "u", "good", "3", "4"))
    assert rules.evaluate(data).provenance.engine == "row"
    monkeypatch.setattr(registry, "AUTOMATIC_FROM", 2)
    assert rules.evaluate(data).provenance.engine == "columnar"


def test_a_division_by_zero_is_reported_as_the_row_engine_reports_it() -> None:
    rules = _rules("let ratio for person = a / b\nlet safe for person = a / b if b != 0 else 0\n")
    data = _people(("p1", "u", "good", "1", "0"), ("p2", "u", "good", "1", "2"))
    with pytest.raises(EvaluationError) as by_row:
        rules.evaluate(data, engine="row")
    with pytest.raises(EvaluationError) as by_columns:
        rules.evaluate(data, engine="columnar")
    assert str(by_columns.value) == str(by_row.value)
    guarded = _rules("let safe for person = a / b if b != 0 else 0\n")
    _same(guarded, data)  # a guarded division is never reported


def test_values_beyond_38_digits_are_handed_to_the_row_engine_and_it_says_so() -> None:
    rules = _rules("let big for person = a * a * a * b / 7\n")
    data = _people(("p1", "u", "good", "123456789012.123456", "98765432109876.54321"))
    result = rules.evaluate(data, engine="columnar")
    assert result.provenance.engine == "row"
    assert _json(result) == _json(rules.evaluate(data, engine="row"))


def test_a_copied_or_pickled_ruleset_evaluates_on_columns_alike() -> None:
    rules = _rules("score for person = a * 2 + b\n")
    data = _people(("p1", "u", "good", "1.5", "2"))
    first = rules.evaluate(data, engine="columnar")
    for other in (copy.deepcopy(rules), pickle.loads(pickle.dumps(rules))):
        assert _json(other.evaluate(data, engine="columnar")) == _json(first)


def test_an_unknown_engine_lists_the_engines() -> None:
    rules = _rules("score for person = a\n")
    with pytest.raises(UsageError, match="columnar"):
        rules.evaluate(_people(("p1", "u", "good", "1", "2")), engine="rows")


BENCH = Path(__file__).parents[2] / "benchmarks"


def _law() -> tuple[Any, emurules.Rules]:
    """The benchmark's population builder (benchmarks/data.py) and the law-2022 rules."""
    spec = importlib.util.spec_from_file_location("law_data", BENCH / "data.py")
    assert spec is not None and spec.loader is not None
    data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(data)
    return data, emurules.load(BENCH.parent / "examples" / "law-2022" / "criteria.emu")


PEER = emurules.load(BENCH / "peer.emu")


def _peers(count: int) -> list[dict[str, Any]]:
    tasks = ("incomplete", "complete", "good", "excellent")
    return [
        {"id": f"p{i:03d}", "unit": f"u{i % 4}", "task": tasks[i * 7 % 4],
         "initiatives": i * 5 % 4, "training": (i * 3 % 40) / 2}
        for i in range(count)
    ]  # fmt: skip


@pytest.mark.parametrize("library", ["dicts", "polars", "arrow", "pandas"])
def test_records_read_as_columns_give_the_row_engines_result(library: str) -> None:
    people = _peers(120)
    data: Any = people
    if library != "dicts":
        import polars as pl

        frame = pl.DataFrame(people)
        data = {"polars": frame, "arrow": frame.to_arrow(), "pandas": None}[library]
        if library == "pandas":
            pytest.importorskip("pandas")
            data = frame.to_pandas()
    row = PEER.evaluate({"person": people}, engine="row")
    columnar = PEER.evaluate({"person": data}, engine="columnar")
    assert columnar.provenance.engine == "columnar"
    assert _json(columnar) == _json(row)


def test_records_changed_after_evaluation_change_no_explanation() -> None:
    people = _peers(30)
    row = PEER.evaluate({"person": people}, engine="row")
    columnar = PEER.evaluate({"person": people}, engine="columnar")
    for person in people:
        person["task"] = "incomplete"
    assert str(columnar.explain("p001")) == str(row.explain("p001"))
    assert columnar.outcome("p001", "peer") == row.outcome("p001", "peer")


def test_bad_records_are_reported_as_the_row_validator_reports_them() -> None:
    people = _peers(10)
    people[3]["task"] = "superb"
    people[5]["training"] = -1
    people[7]["id"] = people[6]["id"]
    with pytest.raises(emurules.DataError) as by_row:
        PEER.evaluate({"person": people}, engine="row")
    with pytest.raises(emurules.DataError) as by_columns:
        PEER.evaluate({"person": people}, engine="columnar")
    assert str(by_columns.value) == str(by_row.value)


def test_a_result_on_columns_answers_what_if_and_pickles() -> None:
    people = _peers(40)
    row = PEER.evaluate({"person": people}, engine="row")
    columnar = PEER.evaluate({"person": people}, engine="columnar")
    assert columnar.what_if("p002", {"initiatives": 3}) == row.what_if("p002", {"initiatives": 3})
    for copied in (pickle.loads(pickle.dumps(columnar)), copy.deepcopy(columnar)):
        assert _json(copied) == _json(row)


def test_a_number_reads_by_its_value_not_by_how_it_is_held() -> None:
    from decimal import Decimal

    from emurules.values import show

    assert show(Decimal("-0.00")) == show(Decimal("0")) == "0"
    assert show(Decimal("5.400000000")) == show(Decimal("5.4")) == "5.4"
    assert show(Decimal(1) / Decimal(3)) == "≈0.3333"
    assert show(Decimal("-0.00000001")) == "≈0"


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_law_2022_on_generated_populations_gives_the_row_engines_result(seed: int) -> None:
    """Relations (members' shares, counts, all/any/none), paths, a league table, streaks
    and three years of history, on populations the benchmark makes (text cells)."""
    data, rules = _law()
    population, history = data.law_population(600, seed=seed)
    row = rules.evaluate(population, history=history, engine="row")
    columnar = rules.evaluate(population, history=history, engine="columnar")
    assert columnar.provenance.engine == "columnar"
    assert _json(columnar) == _json(row)
    assert columnar.league("block_table") == row.league("block_table")


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_owners_without_their_members_records_are_refused_by_either_engine(engine: str) -> None:
    rules = emurules.load(BENCH.parent / "examples" / "law-2022" / "criteria.emu")
    folder = BENCH.parent / "examples" / "law-2022" / "data"
    import csv

    with (folder / "collective.csv").open(encoding="utf-8") as handle:
        collectives = list(csv.DictReader(handle))
    with pytest.raises(UsageError, match="data has no 'individual' records"):
        rules.evaluate({"collective": collectives}, engine=engine)


def test_bad_history_is_reported_as_the_row_validator_reports_it() -> None:
    data, rules = _law()
    population, history = data.law_population(200, seed=5)
    history[3] = {**history[3], "year": "next year"}
    history.append({"key": "nobody", "year": 2024, "award": "advanced_worker"})
    with pytest.raises(emurules.DataError) as by_row:
        rules.evaluate(population, history=history, engine="row")
    with pytest.raises(emurules.DataError) as by_columns:
        rules.evaluate(population, history=history, engine="columnar")
    assert str(by_columns.value) == str(by_row.value)


def test_dictionary_encoded_arrow_columns_give_the_row_engines_result() -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table(
        {
            "id": ["a", "b", "c", "d"],
            "unit": pa.array(["u", "u", "v", "v"]).dictionary_encode(),
            "task": pa.array(["good", "excellent", "good", "incomplete"]).dictionary_encode(),
            "initiatives": [1, 2, 3, 0],
            "training": [1.5, 2.0, None, 40.0],
        }
    )
    row = PEER.evaluate({"person": table}, engine="row")
    columnar = PEER.evaluate({"person": table}, engine="columnar")
    assert columnar.provenance.engine == "columnar"
    assert _json(columnar) == _json(row)


def test_what_if_reads_the_history_as_it_was_given() -> None:
    """History rows of past awards are read into columns, which are the snapshot what-if
    evaluates again from: the caller's list is neither copied nor read later."""
    data, rules = _law()
    population, history = data.law_population(300, seed=7)
    row = rules.evaluate(population, history=history, engine="row")
    columnar = rules.evaluate(population, history=history, engine="columnar")
    keys = [p["id"] for p in population["individual"][:40:8]]
    expected = [row.what_if(key, {"initiatives": 4, "task": "excellent"}) for key in keys]
    history.clear()  # the caller's list, changed after evaluation
    for key, before in zip(keys, expected, strict=True):
        assert columnar.what_if(key, {"initiatives": 4, "task": "excellent"}) == before
    assert _json(pickle.loads(pickle.dumps(columnar))) == _json(row)


@pytest.mark.parametrize("library", ["polars", "arrow"])
def test_a_history_frame_is_read_by_its_columns(
    library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past awards given as a Polars or Arrow frame: read from its columns as they are (no
    dict a row), the same result as the row engine on the dicts; a frame with a missing
    cell or a year as text is read the usual way, with the same errors."""
    pl = pytest.importorskip("polars")
    data, rules = _law()
    population, history = data.law_population(300, seed=11)

    def framed(rows: list[dict[str, Any]]) -> Any:
        frame = pl.DataFrame(rows, infer_schema_length=None)
        return frame.to_arrow() if library == "arrow" else frame

    expected = rules.evaluate(population, history=history, engine="row")
    with monkeypatch.context() as patched:  # no row of the frame is made a dict
        patched.setattr(FrameRows, "__iter__", _no_rows)
        columnar = rules.evaluate(population, history=framed(history), engine="columnar")
    assert columnar.provenance.engine == "columnar"
    assert _json(columnar) == _json(expected)
    bad = [dict(row) for row in history]
    bad[2] = {**bad[2], "award": None}
    bad[4] = {**bad[4], "year": 2099}
    with pytest.raises(emurules.DataError) as by_row:
        rules.evaluate(population, history=bad, engine="row")
    with pytest.raises(emurules.DataError) as by_columns:
        rules.evaluate(population, history=framed(bad), engine="columnar")
    assert str(by_columns.value) == str(by_row.value)


def _no_rows(self: Any) -> Any:
    raise AssertionError("a history frame was read a row at a time")
