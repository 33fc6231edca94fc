"""What the SQL does not compute is refused when the SQL is planned, naming the node and
its place; nothing is left out silently."""

from __future__ import annotations

from pathlib import Path

import pytest

import emurules
from emurules.cli import main
from emurules.engine.sql import Unsupported, lower

ROOT = Path(__file__).resolve().parents[3]
HEAD = """ruleset "t" { year 2025 }
subject unit { id: text key }
subject person { id: text key  unit: unit  points: number >= 0 = 0 }
relation members: unit -> person by unit
"""

QUOTA = 'award a "A" for person {\n  when points > 1\n  rank by points desc\n  quota 2\n}\n'
CASES = {
    "past": ('let before "B" for person = past(points, 1) ?? 0', "past(points, 1)"),
    "division-over-members": (
        'let n "N" for unit = sum(members, 10 / points)',
        "sum(members, 10 / points)",
    ),
    "quota-aggregate": (
        QUOTA.replace("quota 2", "quota floor(sum(group, points))"),
        "sum(group, points)",
    ),
    "pool-key": (
        'award a "A" for person {\n  when points > 1\n  rank by 10 / points desc\n}\n'
        'award b "B" for unit {\n  when count(members) > 1\n  rank by count(members) desc\n}\n'
        'pool p "P" {\n  awards a, b\n  quota 2\n}',
        "10 / points",
    ),
    "quota-history": (
        'award good "G" for person { when points > 0 }\n'
        + QUOTA.replace("quota 2", "quota held(good, last 3) within unit"),
        "held(good, last 3)",
    ),
    "reserved-name": ('let a__1 "A" for person = points + 1', "a__1"),
    "lineage": (
        'award a "A" for person { when points > 1 }\nlet h "H" for person = held(a, last 3)\n'
        "lineage for person { held any  past mean }",
        "held(a, last 3)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unsupported_nodes_are_refused_with_their_place(case: str) -> None:
    text, named = CASES[case]
    rules = emurules.compile(HEAD + text + "\n", "rules.emu")
    with pytest.raises(Unsupported) as caught:
        lower(rules.plan, rules.schema, "duckdb")
    (diagnostic,) = caught.value.diagnostics
    assert named in str(caught.value)
    assert diagnostic.span is not None and diagnostic.span.line >= 5


READERS = {
    "requires": 'award b "B" for person { requires a  when points > 2 }',
    "received": 'let got "G" for person = 1 if a else 0',
    "cut": 'let left_out "L" for person = cut(a)',
    "count": 'award c "C" for person {\n  when points > 0\n  rank by points asc\n'
    "  quota count(a) + 1 within unit\n}",
}


@pytest.mark.parametrize("case", sorted(READERS))
def test_what_reads_a_ranked_awards_decision_is_computed(case: str) -> None:
    """Decided in SQL (`decision.py`), a ranked award can be read by later steps."""
    from tests.engine.sql.harness import assert_same

    rules = emurules.compile(HEAD + QUOTA + READERS[case] + "\n", "rules.emu")
    people = [{"id": f"P{i:02d}", "unit": f"U{i % 2}", "points": str(i % 7)} for i in range(20)]
    got = assert_same(rules, {"unit": [{"id": "U0"}, {"id": "U1"}], "person": people})
    assert sum(row["a"] for row in got.values() if "a" in row) == 2  # quota 2, over everyone


def test_a_value_beyond_38_digits_is_refused() -> None:
    rules = emurules.compile(
        HEAD + 'let big "B" for person = points * points * points * points\n', "rules.emu"
    )
    with pytest.raises(Unsupported, match="38"):
        lower(rules.plan, rules.schema, "duckdb")
    lower(rules.plan, rules.schema, "duckdb", digits={"points": 3}, scales={"points": 2})


def test_the_command_prints_the_sql(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "sql",
            str(ROOT / "benchmarks" / "peer.emu"),
            "--dialect",
            "spark",
            "--scale",
            "training=2",
            "--lang",
            "en",
        ]
    )
    printed = capsys.readouterr().out
    assert status == 0
    assert '-- SQL of the ruleset "Peer rule (benchmark)" for spark' in printed
    assert "-- person.training: scale 2, at most 12 digits before the point" in printed
    assert "`qualified__peer`" in printed


def test_the_command_names_everything_it_refuses_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rules.emu"
    path.write_text(HEAD + CASES["past"][0] + "\n" + CASES["division-over-members"][0] + "\n",
                    encoding="utf-8")  # fmt: skip
    assert main(["sql", str(path), "--lang", "en", "--color", "never"]) == 1
    printed = capsys.readouterr().out
    assert "rules.emu:5:" in printed and "past(points, 1)" in printed
    assert "rules.emu:6:" in printed and "sum(members, 10 / points)" in printed
    assert "SELECT" not in printed


def test_the_command_prints_the_problems_of_the_criteria(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rules.emu"
    path.write_text(HEAD + 'let n "N" for person = nowhere + 1\n', encoding="utf-8")
    assert main(["sql", str(path), "--lang", "vi", "--color", "never"]) == 1
    assert "nowhere" in capsys.readouterr().out
