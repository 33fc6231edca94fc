"""The public surface is typed: no `Any` in what `emurules.__all__` exposes, a public `Value`
type, and a sample HR integration that passes `mypy --strict` with no cast and no `Any`."""

from __future__ import annotations

import datetime
import inspect
import json
import subprocess
import sys
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args, get_type_hints, is_typeddict

import attrs
import pytest

import emurules
from emurules import errors
from tests.api.libraries import CRITERIA, need
from tests.helpers import ROOT

SAMPLE = ROOT / "tests" / "api" / "integration" / "hr.py"
STRICT = ["--strict", "--disallow-any-expr", "--disallow-any-explicit"]


def _names() -> dict[str, object]:
    """What the annotations name that their modules import only for the type checker."""
    from emurules.engine.whatif import Replay, WhatIf

    found: dict[str, object] = {"Replay": Replay, "WhatIf": WhatIf}
    found.update({n: getattr(errors, n) for n in dir(errors) if n.endswith("Dict")})
    for library in ("pandas", "polars"):
        found[library] = need(library)
    return found


def _anys(tp: object, path: str, seen: set[object]) -> list[str]:
    """Where `Any` hides in a type: in its arguments, a TypedDict's fields, at any depth."""
    if tp is Any:
        return [path]
    if is_typeddict(tp):
        if tp in seen:
            return []
        seen.add(tp)
        return [
            f
            for name, field in get_type_hints(tp).items()
            for f in _anys(field, f"{path}[{name!r}]", seen)
        ]
    return [f for arg in get_args(tp) for f in _anys(arg, path, seen)]


def _surface(obj: object, name: str) -> list[str]:
    """Every `Any` in what an exported name exposes: its public fields, properties and
    methods (arguments and results), or the type itself."""
    names, seen, found = _names(), set[object](), []
    if inspect.isclass(obj) and not is_typeddict(obj):
        if attrs.has(obj):
            hints = get_type_hints(obj, localns=names)
            for field in attrs.fields(obj):
                if not field.name.startswith("_"):
                    found += _anys(hints[field.name], f"{name}.{field.name}", seen)
        for member, value in vars(obj).items():
            if member.startswith("_"):
                continue
            function = value.fget if isinstance(value, property) else value
            if inspect.isfunction(function):
                for argument, tp in get_type_hints(function, localns=names).items():
                    found += _anys(tp, f"{name}.{member}({argument})", seen)
        return found
    if inspect.isfunction(obj):
        for argument, tp in get_type_hints(obj, localns=names).items():
            found += _anys(tp, f"{name}({argument})", seen)
        return found
    return _anys(obj, name, seen)


def test_no_any_in_the_public_surface() -> None:
    found = [f for name in emurules.__all__ for f in _surface(getattr(emurules, name), name)]
    assert not found, found


def test_the_check_finds_an_any() -> None:
    @attrs.frozen
    class Loose:
        value: dict[str, Any]
        fine: int

        def get(self, key: str) -> list[tuple[str, Any]]:
            return []

    class Shape(typing.TypedDict):
        inner: list[Any]

    assert _surface(Loose, "Loose") == ["Loose.value", "Loose.get(return)"]
    assert _surface(Shape, "Shape") == ["Shape['inner']"]


def test_values_have_their_types() -> None:
    hints = get_type_hints(emurules.SubjectResult)
    assert hints["score"] == Decimal | None
    assert get_args(hints["values"]) == (str, emurules.Value)
    assert get_type_hints(emurules.Outcome)["group"] == emurules.Value | None
    assert get_type_hints(emurules.Check)["values"] == tuple[tuple[str, emurules.Value], ...]
    assert get_type_hints(emurules.QuotaInfo)["cutoff"] == tuple[emurules.Value, ...] | None
    assert set(get_args(emurules.Value)) == {
        Decimal, bool, str, datetime.date, emurules.EnumValue, emurules.Missing, tuple[str, ...]
    }  # fmt: skip
    assert isinstance(emurules.MISSING, emurules.Missing)
    assert get_type_hints(emurules.Result.to_json)["return"] is emurules.ResultDict


def test_values_at_run_time_are_of_the_value_type() -> None:
    rules = emurules.compile(CRITERIA)
    made = rules.evaluate(
        {"unit": [{"id": "U1", "block": "A", "online": "50%"}],
         "person": [{"id": "P1", "unit": "U1", "task": "good"}]},
    )  # fmt: skip
    kinds = (*(t for t in get_args(emurules.Value) if not get_args(t)), tuple)
    for subject in made.subjects.values():
        assert subject.score is None or isinstance(subject.score, Decimal)
        for value in subject.values.values():
            assert isinstance(value, kinds), value
    for outcomes in made.outcomes.values():
        for outcome in outcomes.values():
            assert outcome.group is None or isinstance(outcome.group, kinds)
            for check in outcome.checks:
                assert all(isinstance(v, kinds) for _, v in check.values)


def _mypy(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", *STRICT, *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


def test_the_sample_integration_passes_mypy_strict_with_no_any(tmp_path: Path) -> None:
    need("pandas")
    need("polars")
    text = SAMPLE.read_text(encoding="utf-8")
    assert "cast(" not in text and "Any" not in text.replace("`Any`", "")
    checked = _mypy(SAMPLE)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Success" in checked.stdout
    loose = tmp_path / "loose.py"
    loose.write_text(
        "from emurules.values import plain\n\ndef f() -> None:\n    print(plain(1))\n",
        encoding="utf-8",
    )
    refused = _mypy(loose)
    assert refused.returncode == 1 and 'Expression has type "Any"' in refused.stdout


def test_the_sample_integration_runs(tmp_path: Path) -> None:
    need("pandas")
    need("polars")
    from tests.api.integration import hr

    criteria = tmp_path / "criteria.emu"
    criteria.write_text(CRITERIA.replace("round 2 }", 'round 2  version "v7" }'), "utf-8")
    staff = [
        {"id": "P1", "unit": "U1", "task": "excellent", "hours": 40, "initiatives": 2},
        {"id": "P2", "unit": "U1", "task": "complete", "hours": 12.5},
    ]
    reply = json.loads(hr.run(criteria, staff))
    assert reply["summary"]["received"] == ["P1"] and reply["summary"]["version"] == "v7"
    assert reply["summary"]["rows"] == [2, 2]
    assert reply["result"]["provenance"]["sha256"] == reply["summary"]["sha256"]
    error = json.loads(hr.run(criteria, [{"id": "P1", "unit": "U1", "task": "superb"}]))
    assert error["error"] == "DataError" and error["diagnostics"][0]["code"].startswith("D")
    criteria.write_text("subject nope {", "utf-8")
    assert json.loads(hr.run(criteria, staff))["error"] == "CriteriaError"
    rules = emurules.compile(CRITERIA)
    result = rules.evaluate(
        {"unit": [{"id": "U1", "block": "A", "online": "50%"}], "person": staff}
    )
    assert hr.profile(result, "P1")["work"] == "40.00"
    assert "error" in hr.profile(result, "P9")
    decisions = hr.decisions(result, "worker")
    assert [(d.key, d.received, d.unit) for d in decisions] == [
        ("P1", True, None), ("P2", False, None)
    ]  # fmt: skip
    stored = json.loads(hr.store(result))
    assert stored["subjects"][0]["explanation"]["id"] == "explain.subject"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(emurules.MISSING, "-"), (True, "yes"), (Decimal("1.5"), "1.50"),
     (emurules.EnumValue("rating", "very_good", 3), "very good"),
     (datetime.date(2025, 1, 2), "02/01/2025"), (("A", "B"), "A, B"), ("x", "x")],
)  # fmt: skip
def test_the_sample_reads_every_kind_of_value(value: emurules.Value, shown: str) -> None:
    from tests.api.integration import hr

    assert hr.describe(value) == shown
