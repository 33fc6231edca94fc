"""`--top N` reads only the best recipients' outcomes when there are N of them: the lines
must be exactly those of sorting every outcome (tier, best score, rank, key)."""

from __future__ import annotations

import random
from decimal import Decimal, localcontext

import pytest

import emurules
from emurules.report.tables import Line, _line, award_lines
from emurules.result import Outcome, Result
from emurules.values import CONTEXT
from tests.helpers import ROOT

RATINGS = ["incomplete", "complete", "good", "excellent"]


def every_outcome_sorted(result: Result, award: str, top: int, everyone: bool) -> list[Line]:
    """The lines as made before: every outcome, sorted."""
    kind = next(a.kind for a in result.awards if a.name == award)
    outcomes = result.outcomes[award]
    scores = {key: result.subjects[(kind, key)].score for key in outcomes}

    def order(o: Outcome) -> tuple[object, ...]:
        score = scores[o.key]
        best = (score is None, -score if score is not None else Decimal(0))
        return (0 if o.received else 1 if o.qualified else 2, best, o.rank or 0, o.key)

    chosen = [o for o in outcomes.values() if everyone or o.qualified]
    with localcontext(CONTEXT):
        chosen.sort(key=order)
    name = result.names(kind)
    return [_line(result, o, scores[o.key], name(o.key), "en") for o in chosen[:top]]


@pytest.mark.parametrize("seed", range(6))
def test_the_best_recipients_are_the_lines_of_sorting_everyone(seed: int) -> None:
    rules = emurules.load(ROOT / "benchmarks" / "peer.emu")
    rng = random.Random(seed)
    people = [
        {"id": f"P{i:03d}", "unit": f"U{rng.randrange(4)}", "task": rng.choice(RATINGS),
         "initiatives": rng.randrange(3), "training": str(rng.choice([0, 10, 20, 40]))}
        for i in range(rng.randrange(40, 160))
    ]  # fmt: skip
    result = rules.evaluate({"person": people}, engine="row")
    received = len(result.recipients("peer"))
    assert received > 3  # ties at the edge among them: few values on purpose
    for top in range(1, received + 3):
        for everyone in (False, True):
            expected = every_outcome_sorted(result, "peer", top, everyone)
            assert award_lines(result, "peer", everyone=everyone, top=top) == expected, top
