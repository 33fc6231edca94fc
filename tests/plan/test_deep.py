"""Deep criteria evaluate: lowering walks chains along their spine and the engine runs a
flattened chain as one closure, so no long sum, if-chain or `??` chain reaches Python's
recursion limit (the front end's part is tested in tests/syntax and tests/check)."""

from __future__ import annotations

from decimal import Decimal

import emurules


def _evaluate(fields: str, let: str, record: dict[str, object]) -> object:
    rules = emurules.compile(
        f"subject s {{ id: text key {fields} }}\nlet v for s = {let}\n"
        'award a "A" for s { when v is not missing }\n'
    )
    result = rules.evaluate({"s": [{"id": "S", **record}]}, year=2025)
    return result.subject("S").values["v"]


def test_a_sum_of_a_thousand_terms() -> None:
    fields = " ".join(f"x{i}: int = 1" for i in range(1000))
    assert _evaluate(fields, " + ".join(f"x{i}" for i in range(1000)), {}) == 1000


def test_an_if_chain_of_two_thousand_branches() -> None:
    chain = " else ".join(f"{i} if n == {i}" for i in range(2000)) + " else -1"
    assert _evaluate("n: int", chain, {"n": 1999}) == 1999
    assert _evaluate("n: int", chain, {"n": 5000}) == -1


def test_a_coalesce_chain_of_five_thousand() -> None:
    fields = " ".join(f"f{i}: int?" for i in range(5000))
    chain = " ?? ".join(f"f{i}" for i in range(5000)) + " ?? 0"
    assert _evaluate(fields, chain, {"f4321": 7}) == 7
    assert _evaluate(fields, chain, {}) == Decimal(0)


def test_brackets_nested_two_thousand_deep_evaluate_and_explain() -> None:
    nested = "(1 + " * 2000 + "b" + ")" * 2000
    assert _evaluate("b: int", nested, {"b": 1}) == 2001
    rules = emurules.compile(
        f'ruleset "r" {{ year 2025 }}\nsubject s {{ id: text key b: int }}\n'
        f'award big "Big" for s {{ when {nested} > 10 }}\n'
    )
    result = rules.evaluate({"s": [{"id": "S", "b": 1}]})
    assert result.recipients("big") == ("S",)
    assert "met (b: 1) [when1]" in str(result.explain("S"))
