"""The columnar decision (engine/columnar/decide.py) against the shared one
(engine/decide.py) on random small tables: every path of the columnar one (the sort
packed in one integer or of the columns, keys in record order or not, text groups or
others, codes given or made, quotas, ties and `on tie include`) decides alike."""

from __future__ import annotations

import pickle
import random
import sys
from typing import Any

import pytest

pl = pytest.importorskip("polars", reason="the columnar engine needs the polars extra")

from emurules.engine.columnar.decide import CODE, GroupOf, decide_columns  # noqa: E402
from emurules.engine.columnar.frames import KEY, ROW  # noqa: E402
from emurules.engine.decide import Decision, decide  # noqa: E402

INT = pl.Int128


def _case(seed: int) -> dict[str, Any]:
    """A random table and award: a few groups, few distinct key values (ties)."""
    rnd = random.Random(seed)
    size = rnd.choice([0, 1, 2, 5, 12, 40])
    keys = [f"k{i:03d}" for i in range(size)]
    if rnd.random() < 0.3:
        rnd.shuffle(keys)  # keys not in record order: the sort reads them
    rank = rnd.choice([0, 1, 1, 2])
    spread = rnd.choice([2, 4, 1000, 2**61])  # the largest do not pack in 62 bits
    offset = rnd.choice([0, 0, 2**70])  # beyond 64 bits, in a range that packs
    texts = rnd.random() < 0.7
    names: list[Any] = ["U2", "U10", "A", "b", "Ä"] if texts else [3, 10, 2, -1]
    units = [rnd.choice(names[: rnd.randint(1, len(names))]) for _ in range(size)]
    columns: dict[str, Any] = {
        KEY: pl.Series(keys, dtype=pl.String),
        ROW: pl.Series(range(size), dtype=pl.UInt32),
        "unit": pl.Series(units, dtype=pl.String if texts else pl.Int64),
        "met": pl.Series([rnd.random() < 0.7 for _ in range(size)], dtype=pl.Boolean),
    }
    for index in range(rank):
        values = [offset + rnd.randrange(-spread, spread) for _ in range(size)]
        columns[f"r{index}"] = pl.Series(values, dtype=INT)
    quota = rnd.random() < 0.8
    if quota:
        columns["q"] = pl.Series([rnd.randint(-1, 6) for _ in range(size)], dtype=INT)
    within = rnd.random() < 0.85
    return {
        "frame": pl.DataFrame(columns),
        "rank": rank,
        "descending": [rnd.random() < 0.6 for _ in range(rank)],
        "quota": quota,
        "tie_include": rnd.random() < 0.5,
        "within": within,
        "codes_given": rnd.random() < 0.5,
    }


def _group_of(frame: Any) -> GroupOf:
    units = frame.get_column("unit").to_list()
    values = list(dict.fromkeys(units))
    index = {v: i for i, v in enumerate(values)}
    codes = [index[u] for u in units]
    given = pl.Series(codes, dtype=pl.UInt32) if len(units) % 2 else codes  # either kind
    return GroupOf(frame.get_column(KEY).to_list(), values, given)


def _columnar(case: dict[str, Any]) -> tuple[Decision, list[bool]]:
    frame = case["frame"]
    group_of = _group_of(frame) if case["within"] else None
    if case["codes_given"] and group_of is not None:
        frame = frame.with_columns(pl.Series(CODE, group_of.codes, dtype=pl.UInt32))
    decision, chosen = decide_columns(
        frame,
        met="met",
        within="unit" if case["within"] else None,
        keys=[f"r{i}" for i in range(case["rank"])],
        descending=case["descending"],
        readers=[int] * case["rank"],
        quota="q" if case["quota"] else None,
        quota_text="q",
        tie_include=case["tie_include"],
        group_of=group_of,
    )
    assert len(chosen) == frame.height
    return decision, chosen.to_list()


def _shared(case: dict[str, Any]) -> Decision:
    frame = case["frame"]
    keys = frame.get_column(KEY).to_list()
    rows = {k: i for i, k in enumerate(keys)}
    units = frame.get_column("unit").to_list()
    group_of = {k: (units[i] if case["within"] else None) for i, k in enumerate(keys)}
    met = frame.get_column("met").to_list()
    ranks = [frame.get_column(f"r{i}").to_list() for i in range(case["rank"])]
    quotas = frame.get_column("q").to_list() if case["quota"] else None

    def quota(group: Any, members: list[str]) -> int | None:
        return None if quotas is None else quotas[rows[members[0]]]

    return decide(
        qualified=[k for k, m in zip(keys, met, strict=True) if m],
        group_of=group_of,
        rank_values=(lambda k: tuple(r[rows[k]] for r in ranks)) if ranks else None,
        descending=tuple(case["descending"]),
        quota=quota,
        quota_text="q",
        tie_include=case["tie_include"],
    )


@pytest.mark.parametrize("seed", range(400))
def test_the_columnar_decision_is_the_shared_one(seed: int) -> None:
    case = _case(seed)
    found, chosen = _columnar(case)
    expected = _shared(case)
    keys = case["frame"].get_column(KEY).to_list()
    assert found.order == expected.order
    assert len(found.received) == len(expected.received)
    assert set(found.received) == set(expected.received)
    assert chosen == [k in expected.received for k in keys]
    assert len(found.qualified) == len(expected.qualified)
    assert set(found.qualified) == set(expected.qualified)
    assert dict(found.groups) == dict(expected.groups)
    for key in [*keys, "absent"]:
        assert (key in found.received) == (key in expected.received)
        assert found.placed(key) == expected.placed(key)
        position = expected.position(key)
        if position and case["rank"]:
            assert found.ordered(key, position) == expected.ordered(key, position)


def test_a_decision_pickles_with_its_lazy_parts() -> None:
    case = next(c for c in (_case(s) for s in range(50)) if c["rank"] and c["frame"].height > 5)
    found, _ = _columnar(case)
    expected = _shared(case)
    again = pickle.loads(pickle.dumps(found))
    keys = case["frame"].get_column(KEY).to_list()
    assert again.order == expected.order
    for key in keys:
        assert again.placed(key) == expected.placed(key)
        position = expected.position(key)
        if position:
            assert again.ordered(key, position) == expected.ordered(key, position)


def test_recipients_whose_texts_are_not_their_groups_are_ordered_by_their_own() -> None:
    from emurules.engine.columnar.decide import _by_text

    column = pl.Series(["b", None, "a", "b", "a"], dtype=pl.String)
    recipients = pl.Series([0, 1, 2, 3, 4])
    positions = pl.Series([1, 0, 1, 0, 0])
    assert _by_text(column, recipients, positions).to_list() == [1, 4, 2, 3, 0]


@pytest.mark.parametrize("seed", range(0, 400, 7))
def test_without_numpy_polars_sorts(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)  # an import of it fails
    test_the_columnar_decision_is_the_shared_one(seed)
