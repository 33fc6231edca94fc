"""What keeps a million records read as columns small: many distinct texts held by Arrow
(`ArrowTexts`), past awards held as places and codes (`ColumnHistory`); each gives what
the rows' way gives, or gives up."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

import emurules  # noqa: E402
from emurules.data import columns  # noqa: E402
from emurules.data.columns import ArrowTexts, read_columns  # noqa: E402
from emurules.data.frames import rows_of  # noqa: E402
from emurules.data.past_columns import ColumnHistory, read_past  # noqa: E402
from tests.engine.test_columnar import _law  # noqa: E402


def _json(result: emurules.Result) -> Any:
    found = result.to_json()
    found["provenance"].pop("engine", None)
    return found


def _arrow(rows: list[dict[str, Any]]) -> Any:
    """The rows as an Arrow table, as `Rules.evaluate` takes one."""
    return rows_of(pa.Table.from_pylist(rows), "records", "records")


@pytest.mark.parametrize(
    ("texts", "plain"),
    [
        (["An", "Người 1", "a\nb"], True),
        ([" An", "B"], False),
        (["An ", "B"], False),
        (["An\u3000", "B"], False),
        (["\ufeffAn", "B"], False),
        (["", "B"], False),
        ([None, "B"], False),
        ([unicodedata.normalize("NFD", "Người"), "B"], False),
    ],
)
def test_texts_read_as_themselves_only_when_plain(texts: list[Any], plain: bool) -> None:
    found = ArrowTexts(pa.array(texts, type=pa.string()))
    assert found.plain() is plain
    assert list(found) == texts
    assert [found[i] for i in range(len(texts))] == texts


def _population(seed: int) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    data, _ = _law()
    population, history = data.law_population(300, seed=seed)
    people = population["individual"]
    people[3] = {**people[3], "name": people[3]["name"] + " "}  # trimmed by the reader
    people[5] = {**people[5], "name": unicodedata.normalize("NFD", "Người Năm")}
    return population, history


@pytest.mark.parametrize("tricky", [False, True])
def test_many_names_are_held_by_arrow_and_read_as_the_rows_way_reads_them(
    tricky: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With many distinct names, the names stay an Arrow array (every cell its own: the
    column itself); a name the reader would change sends them the usual way."""
    monkeypatch.setattr(ArrowTexts, "FROM", 2)
    data, rules = _law()
    population, history = _population(3) if tricky else data.law_population(300, seed=3)
    tables = {kind: _arrow(rows) for kind, rows in population.items()}
    cells = read_columns(rules.schema, tables, year=2025, locale=None, sources=None)
    assert cells is not None
    names = cells["individual"].fields["name"]
    tables = {kind: pa.Table.from_pylist(rows) for kind, rows in population.items()}
    assert isinstance(names.values, ArrowTexts) is not tricky
    expected = [p["name"].strip() for p in population["individual"]]
    expected = [unicodedata.normalize("NFC", n) for n in expected]
    assert [names.values[names.codes[i]] for i in range(len(expected))] == expected
    row = rules.evaluate(population, history=history, engine="row")
    columnar = rules.evaluate(tables, history=history, engine="columnar")
    assert columnar.provenance.engine == "columnar"
    assert _json(columnar) == _json(row)
    for person in population["individual"][:30:7]:
        key = person["id"]
        assert str(columnar.explain(key, kind="individual")) == str(
            row.explain(key, kind="individual")
        )


def _past(rules: emurules.Rules, population: Any, history: Any) -> Any:
    tables = {kind: _arrow(rows) for kind, rows in population.items()}
    cells = read_columns(rules.schema, tables, year=2025, locale=None, sources=None)
    assert cells is not None
    return read_past(rules.schema, cells, history, year=2025, locale=None, sources=None)


@pytest.mark.parametrize("library", ["dicts", "polars", "arrow"])
def test_past_awards_are_held_without_texts(library: str) -> None:
    """Each row's subject as its place, its award as a code: the awards each subject held
    are those the rows say, and the rows as given are the caller's (an Arrow frame) or
    the columns read."""
    data, rules = _law()
    population, history = data.law_population(300, seed=9)
    given: Any = history
    if library != "dicts":
        frame = pl.DataFrame(history)
        given = frame.to_arrow() if library == "arrow" else frame
    rows = rows_of(given, "history", "history") if library != "dicts" else given
    past = _past(rules, population, rows)
    assert isinstance(past, ColumnHistory)
    assert "key" not in past.rows.columns
    expected: dict[tuple[str, str], dict[int, set[str]]] = {}
    kinds = {c["id"]: "collective" for c in population["collective"]}
    for row in history:
        kind = kinds.get(row["key"], "individual")
        expected.setdefault((kind, row["key"]), {}).setdefault(row["year"], set()).add(row["award"])
    assert {k: {y: set(a) for y, a in v.items()} for k, v in past.awards.items()} == expected
    held = past.held("individual", "grassroots_fighter", 2024)
    wanted = [
        (r["key"], r["year"])
        for r in history
        if r["award"] == "grassroots_fighter" and r["year"] < 2024
    ]
    assert list(held.iter_rows()) == wanted
    assert past.held("nobody", "grassroots_fighter", 2025).height == 0
    assert [dict(r) for r in past.given()] == history


def test_past_awards_the_rows_way_when_not_plain() -> None:
    """A row twice, or a key of two kinds: the history is read the usual way."""
    data, rules = _law()
    population, history = data.law_population(300, seed=9)
    twice = [*history, dict(history[7])]
    assert not isinstance(_past(rules, population, twice), ColumnHistory)
    both = {
        "collective": population["collective"],
        "individual": [
            {**population["individual"][0], "id": population["collective"][0]["id"]},
            *population["individual"][1:],
        ],
    }
    assert not isinstance(_past(rules, both, history), ColumnHistory)


def test_small_columns_of_texts_are_listed() -> None:
    column = columns._Arrow(pa.chunked_array([["a", "b"], ["a"]]))
    made = column.distinct()
    assert made is not None
    assert made[0] == ["a", "b"]
