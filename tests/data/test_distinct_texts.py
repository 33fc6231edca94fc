"""Columns of many distinct texts given as dicts (names): checked by Polars at once, and
read as the rows' way reads them, or given back to the cell-by-cell reading."""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

pl = pytest.importorskip("polars")

import emurules  # noqa: E402
from emurules.data import columns, distinct_texts  # noqa: E402
from emurules.data.columns import read_columns  # noqa: E402
from tests.engine.test_columnar import _law  # noqa: E402

NFD = unicodedata.normalize("NFD", "Người Năm")


@pytest.mark.parametrize(
    ("texts", "plain"),
    [
        (["An", "Người 1", "a\nb", "x\ufeff", "\u200bx"], True),
        ([NFD, "B"], False),
        (["\ufeffAn", "B"], False),
        (["An\x1c", "B"], False),
        (["\x1fAn", "B"], False),
        (["\xa0An", "B"], False),
        (["An\u3000", "B"], False),
        (["An\n", "B"], False),
        ([" An", "B"], False),
        (["", "B"], False),
    ],
)
def test_texts_are_plain_only_when_each_reads_as_itself(texts: list[str], plain: bool) -> None:
    series = distinct_texts.different(texts)
    assert series is not None
    assert distinct_texts.plain(series, texts) is plain
    read = [
        t and not t.startswith("\ufeff") and unicodedata.normalize("NFC", t).strip() == t
        for t in texts
    ]
    assert plain is all(read)


class _Text(str):
    __slots__ = ()


@pytest.mark.parametrize(
    "cells",
    [
        ["a", "b", "a"],  # a repeat among the first
        [*(f"n{i}" for i in range(300)), "n1"],  # a repeat after them
        ["a", "b", 1],
        ["a", "b", None],
        [*(f"n{i}" for i in range(300)), 1],
        ["a", _Text("b")],
        ["a\ud800", "b"],  # a lone surrogate, which UTF-8 cannot hold
        [],
    ],
)
def test_columns_that_are_not_distinct_texts_are_listed_by_python(cells: list[Any]) -> None:
    assert distinct_texts.different(cells) is None
    made = columns._Listed(cells).distinct()
    assert made is not None
    assert made[0] == list(dict.fromkeys(cells))


def test_distinct_texts_are_their_own_cells() -> None:
    cells = [f"Người {i}" for i in range(1000)]
    made = columns._Listed(cells).distinct()
    assert made == (cells, range(1000))


def _json(result: emurules.Result) -> Any:
    found = result.to_json()
    found["provenance"].pop("engine", None)
    found["provenance"].pop("evaluated", None)
    return found


def _outcome(rules: emurules.Rules, population: Any, history: Any, engine: str) -> Any:
    try:
        return _json(rules.evaluate(population, history=history, engine=engine))
    except emurules.EmurulesError as error:  # a data error: the same one either way
        return str(error)


ODD_NAMES = [None, NFD, "An\ud800", "\ufeffAn", "An\x1c", "\x1cAn", "An\xa0", "\u3000An", "  ", "",
             7, "Người 1 "]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "people", "where"),
    [
        *((name, 40, 3) for name in ODD_NAMES),
        # after the first cells `different` samples: one population large enough
        *((name, 300, 290) for name in (NFD, "An\ud800", "\u3000An", 7)),
    ],
)
def test_names_given_as_dicts_read_as_the_rows_way_reads_them(
    name: Any, people: int, where: int
) -> None:
    data, rules = _law()
    population, history = data.law_population(people, seed=5)
    individuals = population["individual"]
    individuals[where] = {**individuals[where], "name": name}
    columnar = _outcome(rules, population, history, "columnar")
    assert columnar == _outcome(rules, population, history, "row")


def test_plain_names_given_as_dicts_are_their_own_values() -> None:
    data, rules = _law()
    population, _ = data.law_population(300, seed=5)
    cells = read_columns(rules.schema, population, year=2025, locale=None, sources=None)
    assert cells is not None
    names = cells["individual"].fields["name"]
    assert names.values == [p["name"] for p in population["individual"]]
    assert names.codes == range(len(population["individual"]))


class _Row(Mapping[str, Any]):
    """A row that is a mapping but not a dict."""

    def __init__(self, cells: dict[str, Any]) -> None:
        self.cells = cells

    def __getitem__(self, key: str) -> Any:
        return self.cells[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)


@pytest.mark.parametrize("change", ["other title", "one title fewer", "ordered", "mapping"])
def test_rows_of_other_titles_or_types_read_as_the_rows_way_reads_them(change: str) -> None:
    data, rules = _law()
    population, history = data.law_population(40, seed=5)
    people = population["individual"]
    row = dict(people[7])
    if change == "other title":
        row["nickname"] = row.pop("leave_months")  # as many titles, one of them other
    elif change == "one title fewer":
        del row["leave_months"]
    people[7] = OrderedDict(row) if change == "ordered" else row
    if change == "mapping":
        people[7] = _Row(row)  # type: ignore[assignment]
    columnar = _outcome(rules, population, history, "columnar")
    assert columnar == _outcome(rules, population, history, "row")
    found = columns._raw_columns(people, set(rules.schema.kinds["individual"].fields))
    assert (found is None) is (change in ("other title", "mapping"))


@pytest.mark.parametrize("change", ["extra", "missing", "twice", "ordered", "text year"])
def test_history_rows_not_plainly_awards_read_as_the_rows_way_reads_them(change: str) -> None:
    """A history row with another entry, one fewer, given twice, not a dict itself or
    with a year as text: the history is read the usual way, to the same result."""
    from emurules.data.past_columns import ColumnHistory, read_past

    data, rules = _law()
    population, history = data.law_population(40, seed=9)
    row = dict(history[11])
    if change == "extra":
        row["note"] = "x"
    elif change == "missing":
        del row["award"]
    elif change == "text year":
        row["year"] = str(row["year"])
    history[11] = OrderedDict(row) if change == "ordered" else row
    if change == "twice":
        history.append(dict(history[11]))
    cells = read_columns(rules.schema, population, year=2025, locale=None, sources=None)
    assert cells is not None
    past = read_past(rules.schema, cells, history, year=2025, locale=None, sources=None)
    assert not isinstance(past, ColumnHistory)
    columnar = _outcome(rules, population, history, "columnar")
    assert columnar == _outcome(rules, population, history, "row")
