"""A condition whose parts are constants but one (found by the generated criteria): the
columnar engine gives the row engine's result, not a Polars shape error."""

from __future__ import annotations

import json

import emurules

RULES = """
ruleset "constants" { year 2025 }
subject person {
  id: text key
  leave: number?
}
criterion c0 "Criterion 0" for person = 0
award a0 "Award 0" for person {
  when any { p00: 0 == 0 "part 0", p01: 0 == 0 "part 1", p02: 0 == (leave ?? 0) "part 2" }
}
"""


def test_an_any_of_constants_and_one_value() -> None:
    rules = emurules.compile(RULES, "constants.emu")
    for leave in (None, "2"):  # every value missing: a column Polars held as one value
        people = [{"id": "P1", "leave": None}, {"id": "P2", "leave": leave}]
        found = []
        for engine in ("row", "columnar"):
            result = rules.evaluate({"person": people}, engine=engine)
            assert result.provenance is not None and result.provenance.engine == engine
            made = dict(result.to_json(explanations=True))
            made.pop("provenance")
            found.append(json.dumps(made, ensure_ascii=False, default=str))
        assert found[0] == found[1]
