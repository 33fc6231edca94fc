"""`--engine`: the same report from either engine, and a refusal that names its places."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import run

pytest.importorskip("polars", reason="the columnar engine needs the polars extra")


def _without_provenance(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "engine;" not in line)


def test_either_engine_prints_the_same_report(tmp_path: Path) -> None:
    (tmp_path / "r.emu").write_text(
        'ruleset "t" { year 2025  round 2 }\n'
        "subject person {\n  id: text key\n  unit: text\n  a: number = 0\n}\n"
        "score for person = a / 3 * 2\n"
        'award top "Top" for person { when score > 1  rank by score desc  quota 1 within unit }\n',
        encoding="utf-8",
    )
    (tmp_path / "person.csv").write_text(
        "id,unit,a\np1,u,4\np2,u,5.5\np3,v,80.585\np4,v,2\n", encoding="utf-8"
    )
    by = {
        engine: run("rank", "r.emu", "--data", "person.csv", "--engine", engine, cwd=tmp_path)
        for engine in ("row", "columnar", "sql")
    }
    for engine in ("columnar", "sql"):
        assert by[engine].returncode == by["row"].returncode == 0, by[engine].stderr
        assert f"{engine} engine" in by[engine].stdout
        assert _without_provenance(by[engine].stdout) == _without_provenance(by["row"].stdout)


@pytest.mark.parametrize("engine", ["columnar", "sql"])
def test_rules_the_engine_cannot_evaluate_are_refused_with_their_places(
    tmp_path: Path, engine: str
) -> None:
    """`within` a computed value: neither the columnar engine nor the SQL engine (whose
    columnar stage decides) evaluates it; refused by place, before any data is read."""
    (tmp_path / "r.emu").write_text(
        'ruleset "t" { year 2025 }\n'
        "subject person {\n  id: text key\n  unit: text\n  a: number = 0\n}\n"
        "let team for person = unit\n"
        'ranking league "League" for person by a desc within team\n',
        encoding="utf-8",
    )
    (tmp_path / "person.csv").write_text("id,unit,a\np1,u,1\n", encoding="utf-8")
    done = run("rank", "r.emu", "--data", "person.csv", "--engine", engine, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"the {engine} engine cannot evaluate these rules: 1 place below" in done.stderr
    assert "r.emu:8:53: error[A0103] unsupported" in done.stderr
    assert "within team" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_law_2022_example_ranks_alike_on_every_engine(tmp_path: Path) -> None:
    """Relations, paths and streaks: computed by the SQL engine's columnar stage, the same
    report as the row engine's."""
    law = Path(__file__).resolve().parents[2] / "examples" / "law-2022"
    files = (str(law / "criteria.emu"), "--data", str(law / "data"))
    by = {
        engine: run("rank", *files, "--engine", engine, cwd=tmp_path) for engine in ("row", "sql")
    }
    assert by["sql"].returncode == by["row"].returncode == 0, by["sql"].stderr
    assert _without_provenance(by["sql"].stdout) == _without_provenance(by["row"].stdout)


def test_every_engine_ranks_a_pool_alike(tmp_path: Path) -> None:
    """A quota shared across kinds (the capital city's typical examples)."""
    plan = Path(__file__).resolve().parents[2] / "examples" / "capital-city-plan"
    files = (str(plan / "criteria.emu"), "--data", str(plan / "data"))
    by = {e: run("rank", *files, "--engine", e, cwd=tmp_path) for e in ("row", "columnar", "sql")}
    for engine in ("columnar", "sql"):
        assert by[engine].returncode == by["row"].returncode == 0, by[engine].stderr
        assert _without_provenance(by[engine].stdout) == _without_provenance(by["row"].stdout)
