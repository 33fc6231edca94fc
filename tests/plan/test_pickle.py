"""A `Rules` (and a `Result`) survives pickling and deep copies: a service can cache the
compiled rules and a process pool can receive them, and the copy evaluates the same."""

from __future__ import annotations

import copy
import csv
import json
import pickle
from typing import Any

import emurules
from tests.helpers import ROOT

EXAMPLE = ROOT / "examples" / "law-2022"


def _read(name: str) -> list[dict[str, str]]:
    with (EXAMPLE / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _evaluate(rules: emurules.Rules) -> emurules.Result:
    data = {"collective": _read("collective"), "individual": _read("individual")}
    return rules.evaluate(data, history=_read("history"))


def _json(result: emurules.Result) -> Any:
    return json.dumps(result.to_json(), sort_keys=True, ensure_ascii=False)


def test_a_pickled_or_copied_rules_evaluates_the_same() -> None:
    rules = emurules.load(EXAMPLE / "criteria.emu")
    expected = _json(_evaluate(rules))
    for copied in (pickle.loads(pickle.dumps(rules)), copy.deepcopy(rules)):
        assert _json(_evaluate(copied)) == expected
        assert str(_evaluate(copied).explain("DV01-003")) == str(
            _evaluate(rules).explain("DV01-003")
        )


def test_a_pickled_result_keeps_everything() -> None:
    rules = emurules.load(EXAMPLE / "criteria.emu")
    result = _evaluate(rules)
    for copied in (pickle.loads(pickle.dumps(result)), copy.deepcopy(result)):
        assert _json(copied) == _json(result)
        assert str(copied.explain("DV01-003")) == str(result.explain("DV01-003"))
        assert copied.outcome("DV01-003", "advanced_worker") == result.outcome(
            "DV01-003", "advanced_worker"
        )


def test_json_written_as_a_stream_is_exactly_json_dumps() -> None:
    import io

    from emurules.report.export import to_json, write_csv

    result = _evaluate(emurules.load(EXAMPLE / "criteria.emu"))
    assert to_json(result) == json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    write_csv(result, out)
    assert out.getvalue().count("\n") == 1 + sum(
        len(result.outcomes[a.name]) for a in result.awards
    )
