"""Ranking invariants on generated populations (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import emurules

RULES = emurules.compile("""
ruleset "r" { year 2025 }
enum rating ordered { low, mid, high }
subject unit { id: text key }
subject person {
  id: text key
  unit: unit
  task: rating
  points: int >= 0
  bonus: int >= 0 = 0
}
relation members: unit -> person by unit
score for person = points + bonus
award adv "Adv" for person { when task >= mid }
award top "Top" for person {
  requires adv
  rank by score desc, task desc
  quota floor(40% * count(adv)) within unit
}
award tie "Tie" for person {
  when points > 0
  rank by score desc
  quota 2 within unit
  on tie include
}
award best_unit "Best unit" for unit {
  when count(members) > 0
  rank by sum(members, points) desc
  quota 1
}
""")

people = st.lists(
    st.fixed_dictionaries(
        {
            "unit": st.sampled_from(["U1", "U2", "U3"]),
            "task": st.sampled_from(["low", "mid", "high"]),
            "points": st.integers(0, 6),
            "bonus": st.integers(0, 2),
        }
    ),
    max_size=25,
).map(lambda rows: [{"id": f"P{i:02d}", **row} for i, row in enumerate(rows)])
UNITS = [{"id": u} for u in ("U1", "U2", "U3")]


def evaluate(rows: list[dict[str, Any]], units: list[dict[str, Any]] = UNITS) -> emurules.Result:
    return RULES.evaluate({"unit": units, "person": rows})


@settings(max_examples=150)
@given(people)
def test_quota_is_never_exceeded_and_every_recipient_qualified(rows: list[dict[str, Any]]) -> None:
    result = evaluate(rows)
    for award in ("top", "tie", "best_unit"):
        outcomes = result.outcomes[award].values()
        for outcome in outcomes:
            assert not outcome.received or outcome.qualified
        groups: dict[Any, list[emurules.Outcome]] = {}
        for outcome in outcomes:
            groups.setdefault(outcome.group, []).append(outcome)
        for members in groups.values():
            got = [o for o in members if o.received]
            quotas = {o.quota.quota for o in members if o.quota is not None}
            overshoot = max((o.quota.overshoot for o in members if o.quota), default=0)
            if quotas:
                (quota,) = quotas
                assert len(got) <= quota + overshoot
                if award != "tie":
                    assert overshoot == 0


@settings(max_examples=150)
@given(people)
def test_a_recipient_never_ranks_below_a_non_recipient(rows: list[dict[str, Any]]) -> None:
    result = evaluate(rows)
    for award in ("top", "tie"):
        by_group: dict[Any, list[emurules.Outcome]] = {}
        for outcome in result.outcomes[award].values():
            if outcome.qualified:
                by_group.setdefault(outcome.group, []).append(outcome)
        for members in by_group.values():
            worst_recipient = max((o.rank or 0 for o in members if o.received), default=0)
            best_left_out = min((o.rank or 0 for o in members if not o.received), default=10**6)
            assert worst_recipient < best_left_out


@settings(max_examples=100)
@given(people, st.randoms(use_true_random=False))
def test_permuting_the_input_records_changes_nothing(rows: list[dict[str, Any]], rnd: Any) -> None:
    first = evaluate(rows).to_json()
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    units = list(UNITS)
    rnd.shuffle(units)
    second = evaluate(shuffled, units).to_json()

    def canonical(data: dict[str, Any]) -> dict[str, Any]:
        data = dict(data)
        data["subjects"] = sorted(data["subjects"], key=lambda s: (s["kind"], s["key"]))
        data["awards"] = [
            {**a, "outcomes": sorted(a["outcomes"], key=lambda o: o["key"])} for a in data["awards"]
        ]
        return data

    assert canonical(first) == canonical(second)
