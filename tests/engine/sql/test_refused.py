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
    "aggregate": ('let n "N" for unit = count(members)', "count(members)"),
    "path": ('let s "S" for person = unit.id == "U1"', "unit.id"),
    "history": (
        'award a "A" for person { when points > 1 }\nlet h "H" for person = held(a, last 3)',
        "held(a, last 3)",
    ),
    "requires": (
        QUOTA + 'award b "B" for person { requires a  when points > 2 }',
        "requires a",
    ),
    "ranking": ('ranking top "T" for person by points desc', "top"),
    "received": (QUOTA + 'let got "G" for person = 1 if a else 0', "'a'"),
    "decided": (QUOTA + 'let q "Q" for person = cut(a)', "cut(a)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unsupported_nodes_are_refused_with_their_place(case: str) -> None:
    text, named = CASES[case]
    rules = emurules.compile(HEAD + text + "\n", "rules.emu")
    with pytest.raises(Unsupported) as caught:
        lower(rules.plan, rules.schema, "duckdb")
    (diagnostic,) = caught.value.diagnostics
    assert named in str(caught.value) or (case == "ranking" and "top" in str(caught.value))
    if case != "ranking" or diagnostic.span is not None:
        assert diagnostic.span is not None and diagnostic.span.line >= 5


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


def test_the_command_names_what_it_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rules.emu"
    path.write_text(HEAD + 'let n "N" for unit = count(members)\n', encoding="utf-8")
    assert main(["sql", str(path), "--lang", "en", "--color", "never"]) == 1
    printed = capsys.readouterr().out
    assert "rules.emu:5:" in printed and "count(members)" in printed


def test_the_command_prints_the_problems_of_the_criteria(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rules.emu"
    path.write_text(HEAD + 'let n "N" for person = nowhere + 1\n', encoding="utf-8")
    assert main(["sql", str(path), "--lang", "vi", "--color", "never"]) == 1
    assert "nowhere" in capsys.readouterr().out
