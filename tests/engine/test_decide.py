"""Deciding and ranking (engine/decide.py, engine/rank.py) on plain values, the lazy maps of
a result, and the pause of the garbage collector during an evaluation."""

from __future__ import annotations

import gc
import pickle
from decimal import Decimal
from typing import Any

import pytest

import emurules
from emurules.engine import rank
from emurules.engine.decide import Grouping, Placed, decide
from emurules.engine.registry import bulk
from emurules.engine.row import FAILED
from emurules.result import LazyMap, Result, SubjectResult


def d(value: str) -> Decimal:
    return Decimal(value)


def test_order_by_each_key_in_its_direction_then_by_the_subject_key() -> None:
    entries = [("b", (d("1"), d("5"))), ("a", (d("1"), d("5"))), ("c", (d("2"), d("1")))]
    assert [e[0] for e in rank.order(entries, (True, False))] == ["c", "a", "b"]
    assert [e[0] for e in rank.order(entries, (False, False))] == ["a", "b", "c"]
    mixed = [("a", (d("1"), d("2"))), ("b", (d("1"), d("3"))), ("c", (d("0"), d("9")))]
    assert [e[0] for e in rank.order(mixed, (True, True))] == ["b", "a", "c"]
    assert [e[0] for e in rank.order(mixed, (True, False))] == ["a", "b", "c"]
    assert [e[0] for e in rank.order(mixed, ())] == ["a", "b", "c"]


def test_a_failed_value_sorts_without_an_error() -> None:
    entries = [("a", (FAILED,)), ("b", (d("2"),)), ("c", (FAILED,))]
    assert sorted(e[0] for e in rank.order(entries, (True,))) == ["a", "b", "c"]


def test_quota_cut_ties_and_league() -> None:
    ordered = [("a", (d("3"),)), ("b", (d("2"),)), ("c", (d("2"),)), ("d", (d("1"),))]
    cut = rank.apply_quota(ordered, 2, tie_include=False)
    assert (cut.recipients, cut.tie, cut.overshoot, cut.cutoff) == (("a", "b"), True, 0, (2,))
    cut = rank.apply_quota(ordered, 2, tie_include=True)
    assert (cut.recipients, cut.overshoot) == (("a", "b", "c"), 1)
    assert rank.apply_quota(ordered, 0, tie_include=True).recipients == ()
    assert rank.apply_quota(ordered, None, tie_include=False).recipients == ("a", "b", "c", "d")
    assert rank.league(ordered, shared=True) == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]
    assert rank.league(ordered, shared=False) == [("a", 1), ("b", 2), ("c", 3), ("d", 4)]


def test_decide_places_every_qualified_subject() -> None:
    score = {"p1": d("5"), "p2": d("7"), "p3": d("5"), "q1": d("1"), "q2": d("9")}
    group_of: dict[str, Any] = {"p1": "U", "q1": "T", "p2": "U", "p3": "U", "q2": "T"}
    decision = decide(
        qualified=["p1", "q1", "p2", "p3"],
        group_of=group_of,
        rank_values=lambda key: (score[key],),
        descending=(True,),
        quota=lambda group, members: 1 if group == "U" else 5,
        quota_text="q",
        tie_include=False,
    )
    assert decision.order == ("q1", "p2")  # groups in the order of their text
    assert decision.received == {"q1", "p2"}
    placed = decision.placed("p3")
    assert placed is not None and (placed.position, placed.group, placed.reason) == (
        3,
        "U",
        "quota",
    )
    assert placed.quota is not None and (placed.quota.base, placed.quota.quota) == (3, 1)
    assert decision.placed("p2") == Placed(1, "U", placed.quota, None)
    assert decision.placed("q2") is None


def test_decide_without_ranking_or_groups() -> None:
    decision = decide(
        qualified=["b", "a"],
        group_of={"b": None, "c": None, "a": None},
        rank_values=None,
        descending=(),
        quota=lambda group, members: None,
        quota_text="",
        tie_include=False,
    )
    assert decision.order == ("a", "b")
    assert decision.placed("a") == Placed(0, None, None, None)


def test_a_group_is_named_by_its_value_as_first_met() -> None:
    decision = decide(
        qualified=["a", "b"],
        group_of={"a": d("1.0"), "b": d("1")},
        rank_values=None,
        descending=(),
        quota=lambda group, members: None,
        quota_text="",
        tie_include=False,
    )
    placed = decision.placed("b")
    assert placed is not None and str(placed.group) == "1.0"


def test_lazy_maps_make_values_once_and_list_keys_only_when_iterated() -> None:
    listed: list[int] = []
    made: list[str] = []

    def keys() -> list[str]:
        listed.append(1)
        return ["a", "b"]

    def make(key: str) -> str:
        made.append(key)
        return key.upper()

    lazy = LazyMap(keys, {"a", "b"}.__contains__, make)
    assert "a" in lazy and "z" not in lazy and lazy["a"] == "A" and lazy["a"] == "A"
    with pytest.raises(KeyError):
        lazy["z"]
    assert made == ["a"] and not listed
    assert list(lazy) == ["a", "b"] and len(lazy) == 2 and listed == [1]
    assert pickle.loads(pickle.dumps(lazy)) == {"a": "A", "b": "B"}


def test_the_garbage_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with bulk():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), bulk():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# two people whose n is 0, around one whose n is 1
ZERO_N = [{"id": "P1", "unit": "U"}, {"id": "P2", "unit": "U", "n": 1}, {"id": "P3", "unit": "U"}]


def _division_problems(rules: emurules.Rules) -> list[str]:
    with pytest.raises(emurules.EvaluationError) as raised:
        rules.evaluate({"person": ZERO_N})
    return [str(p.message) for p in raised.value.diagnostics]


def test_a_division_by_zero_in_a_rank_key_is_reported_for_every_subject() -> None:
    rules = emurules.compile(
        'ruleset "t" { year 2025 }\nsubject person { id: text key  unit: text  n: int = 0 }\n'
        'award a "A" for person {\n  when n >= 0\n  rank by 1 / n desc\n  quota 1 within unit\n}\n'
        'ranking r "R" for person by 2 / n desc\n'
    )
    assert _division_problems(rules) == [
        "division by zero in '1 / n' for person 'P1' (rank by)",
        "division by zero in '1 / n' for person 'P3' (rank by)",
        "division by zero in '2 / n' for person 'P1' (rank by)",
        "division by zero in '2 / n' for person 'P3' (rank by)",
    ]
    assert gc.isenabled()


def test_values_that_failed_before_still_rank() -> None:
    rules = emurules.compile(
        'ruleset "t" { year 2025 }\nsubject person { id: text key  unit: text  n: int = 0 }\n'
        'let v "V" for person = 1 / n\n'
        'award a "A" for person {\n  when n >= 0\n  rank by v desc\n  quota 1 within unit\n}\n'
    )
    assert _division_problems(rules) == [
        "division by zero in '1 / n' for person 'P1' (v)",
        "division by zero in '1 / n' for person 'P3' (v)",
    ]


def test_a_look_up_by_key_lists_no_subject() -> None:
    def unlisted() -> list[tuple[str, str]]:
        raise AssertionError("the subjects were listed")

    known = {("a", "K"), ("b", "K"), ("b", "L")}
    subjects = LazyMap(
        unlisted, known.__contains__, lambda f: SubjectResult(kind=f[0], key=f[1], values={})
    )
    result = Result(
        year=2025,
        ruleset=None,
        subjects=subjects,
        awards=(),
        outcomes={},
        recipients_by_award={},
        explanations={},
        kinds=("a", "b"),
    )
    assert result.subject("L").kind == "b"
    assert result.subject("K", kind="a").kind == "a"
    with pytest.raises(ValueError, match="the key 'K' is used by a, b"):
        result.subject("K")
    with pytest.raises(KeyError, match="no subject has the key 'Z'"):
        result.subject("Z")


def test_no_subject_is_no_group_so_no_quota_is_computed() -> None:
    def quota(group: Any, members: list[str]) -> int:
        return len(members[:1]) if members else members[0]  # a quota of no one fails

    decision = decide(
        qualified=[],
        group_of=Grouping.single([]),
        rank_values=lambda key: (),
        descending=(True,),
        quota=quota,
        quota_text="q",
        tie_include=False,
    )
    assert (decision.order, decision.groups) == ((), {})
